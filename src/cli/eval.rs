//! `sayso eval --gold GOLD PRED`: scores predictions against a reference
//! annotation. Either side is a project (.sayso) or native JSONL; see
//! [`crate::eval`] for the definitions.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::eval::{EvalOptions, evaluate_with};
use crate::io::export::document_record;
use crate::io::formats::jsonl;
use crate::io::record::Record;
use crate::model::ReviewState;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The reference annotation: a project (.sayso; its accepted spans) or native JSONL.
    #[arg(long, value_name = "GOLD")]
    pub gold: PathBuf,
    /// The predictions: a project (.sayso; accepted and pending spans count) or native JSONL.
    #[arg(value_name = "PRED")]
    pub pred: PathBuf,
    /// Score spans labelled FROM as TO, gold and predicted (repeatable), e.g. --as Stance=Claim
    /// for a corpus that does not tell stances from claims.
    #[arg(long = "as", value_name = "FROM=TO", value_parser = parse_relabel)]
    pub relabel: Vec<(String, String)>,
    /// Also print each rule's right and wrong predictions per label, most wrong first.
    #[arg(long)]
    pub by_rule: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_relabel(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(format!(
            "{s:?} is not FROM=TO; write e.g. --as Stance=Claim"
        )),
    }
}

fn read_jsonl(path: &Path) -> anyhow::Result<Vec<Record>> {
    let src = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", super::shown_path(path)))?;
    let read = jsonl::read(&src);
    if let Some((line, reason)) = read.bad.first() {
        bail!("{}:{line}: {reason}", super::shown_path(path));
    }
    Ok(read.records.into_iter().map(|(_, r)| r).collect())
}

/// The records of a project, with the spans in `states` and the relations
/// between them.
fn read_project(path: &Path, states: &[ReviewState]) -> anyhow::Result<Vec<Record>> {
    let p = super::open_project(path)?;
    Ok(p.documents
        .iter()
        .map(|d| {
            let mut r = document_record(d);
            r.spans.retain(|s| {
                s.status
                    .as_deref()
                    .and_then(ReviewState::parse)
                    .is_some_and(|st| states.contains(&st))
            });
            let kept: HashSet<_> = r.spans.iter().map(|s| s.id.clone()).collect();
            r.relations
                .retain(|rel| kept.contains(&rel.from) && kept.contains(&rel.to));
            r
        })
        .collect())
}

fn is_project(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == crate::project::EXTENSION)
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let gold = if is_project(&args.gold) {
        read_project(&args.gold, &[ReviewState::Accepted])?
    } else {
        read_jsonl(&args.gold)?
    };
    let pred = if is_project(&args.pred) {
        read_project(&args.pred, &[ReviewState::Accepted, ReviewState::Suggested])?
    } else {
        read_jsonl(&args.pred)?
    };
    for (from, _) in &args.relabel {
        let any = gold
            .iter()
            .chain(&pred)
            .any(|r| r.spans.iter().any(|s| &s.label == from));
        if !any {
            super::note(format!(
                "--as {from}=…: no span, gold or predicted, is labelled {from:?}"
            ));
        }
    }
    let options = EvalOptions {
        relabel: args.relabel,
    };
    let report = evaluate_with(&gold, &pred, &options);
    let mut text = if args.json {
        super::shown_json(&serde_json::to_string_pretty(&report.to_json())?) + "\n"
    } else {
        report.to_string()
    };
    if args.by_rule && !args.json {
        text.push('\n');
        text.push_str(&report.by_rule_table());
    }
    super::print_out(&text)
}
