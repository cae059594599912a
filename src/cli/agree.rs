//! `sayso agree FILES... [--json] [--by-doc]`: agreement between
//! annotators, from their files or one merged project; see
//! [`crate::eval::agree`] for the definitions.

use std::path::PathBuf;

use clap::Args;

use crate::eval::agree::agree;
use crate::team::merge;

#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The annotators' project files, or one merged project.
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also per document, lowest agreement first: which documents need discussion.
    #[arg(long)]
    pub by_doc: bool,
}

pub fn run(args: AgreeArgs) -> anyhow::Result<()> {
    let team = super::merge::read_team(&args.files)?;
    let merged = merge(&team)?;
    for n in &merged.notices {
        super::note(n);
    }
    let report = agree(&merged.project);
    if report.total.shared == 0 {
        super::note(
            "no document was had by two or more annotators, so there is no agreement to measure; hand documents out with `sayso assign --overlap`",
        );
    }
    let text = if args.json {
        super::shown_json(&serde_json::to_string_pretty(&report.to_json(args.by_doc))?) + "\n"
    } else {
        let mut t = report.total.table();
        if args.by_doc {
            t.push('\n');
            t.push_str(&report.by_doc_table());
        }
        t
    };
    super::print_out(&text)
}
