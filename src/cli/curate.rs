//! `sayso curate team.sayso --auto majority -o gold.sayso`: settles what a
//! majority of annotators agrees on; the rest is left for curation in the
//! window (see [`crate::team::curate`]).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::team::{curate_majority, disagreements};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Auto {
    /// Keep what more than half of a document's annotators marked alike.
    Majority,
}

#[derive(Debug, Args)]
pub struct CurateArgs {
    /// A merged project (`sayso merge`).
    #[arg(value_name = "team.sayso")]
    pub project: PathBuf,
    /// How to settle automatically.
    #[arg(long, value_enum)]
    pub auto: Auto,
    /// The curated project to write.
    #[arg(short, long, value_name = "gold.sayso")]
    pub output: PathBuf,
    /// Replace the output if it exists (the old one is kept as .bak).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: CurateArgs) -> anyhow::Result<()> {
    let mut project = super::open_project(&args.project)?;
    let summary = match args.auto {
        Auto::Majority => {
            curate_majority(&mut project).context("the curated spans do not fit the project")?
        }
    };
    let mut left = String::new();
    for d in 0..project.documents.len() {
        let n = disagreements(&project, d).len();
        if n > 0 {
            left.push_str(&format!(
                "  {}: {n} disagreement(s)\n",
                super::shown(&project.documents[d].name)
            ));
        }
    }
    let outputs = super::team_out::prepare(
        vec![(args.output.clone(), project)],
        std::slice::from_ref(&args.project),
        args.force,
    )?;
    outputs.save()?;
    super::print_out(&format!(
        "{}: {summary}{left}",
        super::shown_path(&args.output)
    ))
}
