//! `sayso eval --gold GOLD.jsonl PRED`: scores predictions (a project or
//! native JSONL) against a reference annotation.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::eval::evaluate;
use crate::io::export::document_record;
use crate::io::formats::jsonl;
use crate::io::record::Record;
use crate::model::ReviewState;
use crate::project;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The reference annotation, native JSONL (one document per line).
    #[arg(long, value_name = "GOLD.jsonl")]
    pub gold: PathBuf,
    /// The predictions: a project (.sayso; accepted and pending spans count) or native JSONL.
    #[arg(value_name = "PRED")]
    pub pred: PathBuf,
}

fn read_jsonl(path: &Path) -> anyhow::Result<Vec<Record>> {
    let src =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let read = jsonl::read(&src);
    if let Some((line, reason)) = read.bad.first() {
        anyhow::bail!("{}:{line}: {reason}", path.display());
    }
    Ok(read.records.into_iter().map(|(_, r)| r).collect())
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let gold = read_jsonl(&args.gold)?;
    let pred = if args
        .pred
        .extension()
        .is_some_and(|e| e == crate::project::EXTENSION)
    {
        let p = project::load(&args.pred)?;
        p.documents
            .iter()
            .map(|d| {
                let mut r = document_record(d);
                let rejected = ReviewState::Rejected.as_str();
                r.spans.retain(|s| s.status.as_deref() != Some(rejected));
                let kept: std::collections::HashSet<_> =
                    r.spans.iter().map(|s| s.id.clone()).collect();
                r.relations
                    .retain(|rel| kept.contains(&rel.from) && kept.contains(&rel.to));
                r
            })
            .collect()
    } else {
        read_jsonl(&args.pred)?
    };
    print!("{}", evaluate(&gold, &pred));
    Ok(())
}
