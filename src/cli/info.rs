//! `sayso info P.sayso`: what a project holds. Everything it prints that
//! comes from the user's data (the file name, labels, document names) has
//! its control characters escaped, so that a document name cannot send
//! escape sequences to the terminal.

use std::path::PathBuf;

use clap::Args;

use crate::model::{DocStatus, Project, ReviewState};

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The project file.
    #[arg(value_name = "P.sayso")]
    pub project: PathBuf,
}

pub fn run(args: InfoArgs) -> anyhow::Result<()> {
    let project = super::open_project(&args.project)?;
    super::print_out(&report(&project, &args.project.display().to_string()))
}

pub use super::output::shown;

/// The text `sayso info` prints.
pub fn report(project: &Project, name: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let name = shown(name);
    let docs = &project.documents;
    let status_count = |s: DocStatus| docs.iter().filter(|d| d.status == s).count();
    let _ = writeln!(
        out,
        "{name}: {} document(s): {} to do, {} in progress, {} done",
        docs.len(),
        status_count(DocStatus::Todo),
        status_count(DocStatus::InProgress),
        status_count(DocStatus::Done),
    );
    let _ = writeln!(
        out,
        "\n{:<16} {:>9} {:>9} {:>9}",
        "LABEL", "ACCEPTED", "PENDING", "REJECTED"
    );
    for c in project.label_counts() {
        let _ = writeln!(
            out,
            "{:<16} {:>9} {:>9} {:>9}",
            shown(&c.label),
            c.accepted,
            c.suggested,
            c.rejected
        );
    }
    let names: Vec<String> = docs.iter().map(|d| shown(&d.name)).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 48);
    let _ = writeln!(
        out,
        "\n{:<width$} {:<12} {:>8} {:>6} {:>8} {:>9}",
        "DOCUMENT", "STATUS", "CHARS", "SPANS", "PENDING", "RELATIONS"
    );
    for (d, name) in docs.iter().zip(&names) {
        let accepted = d
            .spans
            .iter()
            .filter(|s| s.review == ReviewState::Accepted)
            .count();
        let _ = writeln!(
            out,
            "{:<width$} {:<12} {:>8} {:>6} {:>8} {:>9}",
            name,
            d.status.as_str(),
            d.text.len_chars(),
            accepted,
            d.pending(),
            d.relations.len()
        );
    }
    out
}
