//! `sayso new -o P.sayso INPUTS...`: a project from text files and JSONL.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use crate::io::decode::encoding_for_label;
use crate::io::import::{ImportOptions, add_documents_edit, import_paths};
use crate::model::Project;
use crate::project;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The project file to write (.sayso).
    #[arg(short, long, value_name = "P.sayso")]
    pub output: PathBuf,
    /// Text files (.txt), folders of them, or JSONL files ({"id"?, "text", "meta"?} per line).
    #[arg(required = true, value_name = "FILES_OR_FOLDERS")]
    pub inputs: Vec<PathBuf>,
    /// Read files without a BOM in this encoding (e.g. windows-1252) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Replace the output file if it exists (its old version is kept as .bak).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: NewArgs) -> anyhow::Result<()> {
    let _lock = super::take_lock(&args.output)?;
    if args.output.exists() && !args.force {
        bail!(
            "{} exists already; choose another name, or pass --force to replace it (the old file is kept as .bak)",
            super::shown_path(&args.output)
        );
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(encoding_for_label)
        .transpose()?;
    let imported = import_paths(&args.inputs, ImportOptions { encoding });
    for warning in &imported.warnings {
        super::note(format!("warning: {warning}"));
    }
    for skipped in &imported.skipped {
        super::note(format!(
            "skipped {}: {}",
            super::shown(&skipped.what),
            skipped.reason
        ));
    }
    if imported.documents.is_empty() {
        bail!("no documents could be read, so no project was written");
    }
    let mut project = Project::default();
    let count = imported.documents.len();
    add_documents_edit(&project, imported.documents)
        .apply(&mut project)
        .context("cannot add the documents")?;
    let saved = project::save(&project, &args.output)?;
    if let Some(notice) = saved.notice() {
        super::note(notice);
    }
    super::print_out(&format!(
        "{}: {count} document(s){}\n",
        super::shown_path(&args.output),
        if imported.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} input(s) skipped", imported.skipped.len())
        }
    ))
}
