//! `sayso assign P.sayso --annotators ana,ben,cho [--overlap 0.2] [--seed N]
//! [--without-suggestions] --out DIR`: one project per annotator.

use std::path::PathBuf;

use clap::Args;

use crate::team::{AssignOptions, assign};

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The project whose documents are handed out.
    #[arg(value_name = "P.sayso")]
    pub project: PathBuf,
    /// The annotators, comma-separated; each gets DIR/NAME.sayso.
    #[arg(long, value_delimiter = ',', required = true, value_name = "NAMES")]
    pub annotators: Vec<String>,
    /// The share of documents that every annotator gets, from 0 to 1 (for agreement).
    #[arg(long, default_value_t = 0.2)]
    pub overlap: f64,
    /// Seed of the shuffle: the same seed gives the same assignment.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Leave rule suggestions out (accepted ones are annotations and stay).
    #[arg(long)]
    pub without_suggestions: bool,
    /// The folder to write the annotators' files to (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace existing files (the old ones are kept as .bak).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: AssignArgs) -> anyhow::Result<()> {
    let project = super::open_project(&args.project)?;
    let options = AssignOptions {
        annotators: args
            .annotators
            .iter()
            .map(|a| a.trim().to_string())
            .collect(),
        overlap: args.overlap,
        seed: args.seed,
        without_suggestions: args.without_suggestions,
    };
    let assignment = assign(&project, &options)?;
    super::team_out::make_dir(&args.out)?;
    let files = assignment
        .files
        .iter()
        .map(|(name, p)| (super::team_out::file_in(&args.out, name), p.clone()))
        .collect();
    let outputs = super::team_out::prepare(files, std::slice::from_ref(&args.project), args.force)?;
    let written = outputs.save()?;
    let mut text = assignment.to_string();
    text.push_str("written:\n");
    for p in written {
        text.push_str(&format!("  {}\n", super::shown_path(&p)));
    }
    super::print_out(&text)
}
