//! Helpers of the rule engine tests.

use sayso::eval::{EvalReport, evaluate};
use sayso::io::record::Record;
use sayso::rules::{RuleSet, suggest_record};

/// Reads a gold JSONL file from `tests/data/`; fails loudly when missing.
pub fn read_gold(rel: &str) -> Vec<Record> {
    let path = format!("{}/tests/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read gold file {path}: {e}"));
    let recs: Vec<Record> = src
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1)))
        .collect();
    assert!(!recs.is_empty(), "{path} has no records");
    recs
}

/// Runs the default rules over the gold texts and evaluates.
pub fn run(gold: &[Record]) -> EvalReport {
    let rules = RuleSet::default_en_news();
    let pred: Vec<Record> = gold
        .iter()
        .map(|g| {
            suggest_record(
                &rules,
                Record {
                    id: g.id.clone(),
                    text: g.text.clone(),
                    ..Record::default()
                },
            )
            .0
        })
        .collect();
    evaluate(gold, &pred)
}
