//! `sayso import P.sayso FILES --format jsonl|doccano|brat|labelstudio|inception`: documents with
//! their annotations into a project (created if missing). For foreign brat
//! corpora, `--map MAPPING.ron` turns their labels, events and relations
//! into the schema's, and `--ann-dir DIR` reads `.ann` files kept apart from
//! the texts.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use crate::io::annotated::{self, ReadOptions};
use crate::io::formats::Format;
use crate::io::mapping::Mapping;
use crate::model::Project;
use crate::project;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The project file (created if it does not exist).
    #[arg(value_name = "P.sayso")]
    pub project: PathBuf,
    /// Files to read; for brat, folders of .txt/.ann pairs, .zip files, or .ann files
    /// (with --ann-dir: .txt files or folders of them).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// jsonl (native), doccano, brat, labelstudio (Label Studio's JSON export), or inception
    /// (UIMA CAS XMI: .zip files, folders of .xmi files, or .xmi files).
    #[arg(short, long, value_parser = parse_format)]
    pub format: Format,
    /// brat: a mapping file (RON) saying which labels become which schema labels, which
    /// are dropped, and how event and relation lines become relations and attributes.
    #[arg(long, value_name = "MAPPING.ron")]
    pub map: Option<PathBuf>,
    /// brat: the .ann files are in DIR, apart from the texts; NAME.txt reads DIR/NAME.ann,
    /// else the first DIR/NAME_*.ann in name order (one file per annotator).
    #[arg(long, value_name = "DIR")]
    pub ann_dir: Option<PathBuf>,
    /// brat and inception .zip files: the most one entry may inflate to, in MB; all entries of a zip
    /// together may inflate to four times that. A zip over the cap is refused.
    #[arg(long, value_name = "MB", default_value_t = crate::io::formats::brat::DEFAULT_MAX_UNZIPPED_MB,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_unzipped_mb: u64,
}

fn parse_format(s: &str) -> Result<Format, String> {
    match Format::parse(s) {
        Some(f) if f.can_import() => Ok(f),
        _ => {
            let names: Vec<_> = Format::ALL
                .iter()
                .filter(|f| f.can_import())
                .map(|f| f.name())
                .collect();
            Err(format!("cannot import {s:?}; choose {}", names.join(", ")))
        }
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    if args.format != Format::Brat && (args.map.is_some() || args.ann_dir.is_some()) {
        bail!("--map and --ann-dir read brat files; add --format brat, or leave them out");
    }
    if let Some(dir) = &args.ann_dir
        && !dir.is_dir()
    {
        bail!("--ann-dir {}: not a folder", super::shown_path(dir));
    }
    let mapping = args.map.as_deref().map(Mapping::load).transpose()?;
    let _lock = super::take_lock(&args.project)?;
    let mut project = if args.project.exists() {
        super::open_project(&args.project)?
    } else {
        Project::default()
    };
    let options = ReadOptions {
        mapping,
        ann_dir: args.ann_dir.clone(),
        max_unzipped_mb: Some(args.max_unzipped_mb),
    };
    let read = annotated::read_with(args.format, &args.files, &options);
    let fragmented = match read.fragmented {
        0 => String::new(),
        n => format!("; {n} fragmented span(s) joined"),
    };
    for notice in &read.notices {
        super::note(notice);
    }
    let plan = annotated::plan(&mut project, read.sources, read.skipped);
    for notice in &plan.notices {
        super::note(notice);
    }
    for s in &plan.skipped {
        super::note(format!("skipped {}: {}", super::shown(&s.what), s.reason));
    }
    if plan.documents == 0 {
        bail!(
            "nothing could be imported; {} was not changed",
            super::shown_path(&args.project)
        );
    }
    plan.edit
        .apply(&mut project)
        .context("the import does not fit the project")?;
    let saved = project::save(&project, &args.project)?;
    if let Some(notice) = saved.notice() {
        super::note(notice);
    }
    super::print_out(&format!(
        "{}: imported {} document(s), {} span(s), {} relation(s){}{}\n",
        super::shown_path(&args.project),
        plan.documents,
        plan.spans,
        plan.relations,
        fragmented,
        if plan.skipped.is_empty() {
            String::new()
        } else {
            format!("; {} item(s) skipped", plan.skipped.len())
        }
    ))
}
