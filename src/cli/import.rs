//! `sayso import P.sayso FILES --format jsonl|doccano|brat`: documents with
//! their annotations into a project (created if missing).

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use crate::io::annotated;
use crate::io::formats::Format;
use crate::model::Project;
use crate::project;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The project file (created if it does not exist).
    #[arg(value_name = "P.sayso")]
    pub project: PathBuf,
    /// Files to read; for brat, folders of .txt/.ann pairs, .zip files, or .ann files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// jsonl (native), doccano, or brat.
    #[arg(short, long, value_parser = parse_format)]
    pub format: Format,
}

fn parse_format(s: &str) -> Result<Format, String> {
    match Format::parse(s) {
        Some(f) if f.can_import() => Ok(f),
        _ => Err(format!(
            "cannot import {s:?}; choose jsonl, doccano or brat"
        )),
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let mut project = if args.project.exists() {
        project::load(&args.project)?
    } else {
        Project::default()
    };
    let (sources, skipped) = annotated::read(args.format, &args.files);
    let plan = annotated::plan(&mut project, sources, skipped);
    for notice in &plan.notices {
        eprintln!("sayso: {notice}");
    }
    for s in &plan.skipped {
        eprintln!("sayso: skipped {s}");
    }
    if plan.documents == 0 {
        bail!(
            "nothing could be imported; {} was not changed",
            args.project.display()
        );
    }
    plan.edit
        .apply(&mut project)
        .context("the import does not fit the project")?;
    project::save(&project, &args.project)?;
    println!(
        "{}: imported {} document(s), {} span(s), {} relation(s){}",
        args.project.display(),
        plan.documents,
        plan.spans,
        plan.relations,
        if plan.skipped.is_empty() {
            String::new()
        } else {
            format!("; {} item(s) skipped", plan.skipped.len())
        }
    );
    Ok(())
}
