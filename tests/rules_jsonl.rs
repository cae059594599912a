//! Streaming JSONL in and out.

use std::io::Cursor;

use sayso::io::record::Record;
use sayso::rules::{RuleSet, suggest_jsonl, suggest_jsonl_parallel};

const INPUT: &str = concat!(
    r#"{"id": "a", "text": "“We will win,” said Anna Berg.", "source": "wire"}"#,
    "\n",
    "not json\n",
    "\n",
    r#"{"id": "b", "text": "Anna Berg said that prices rose. She condemned the tax.", "spans": [{"id": "x1", "start": 20, "end": 31, "label": "Claim", "text": "prices rose", "status": "rejected"}]}"#,
    "\n",
);

fn run(parallel: bool) -> (Vec<Record>, sayso::rules::JsonlSummary) {
    let rules = RuleSet::default_en_news();
    let mut out = Vec::new();
    let summary = if parallel {
        suggest_jsonl_parallel(&rules, Cursor::new(INPUT), &mut out, "in.jsonl", 2)
    } else {
        suggest_jsonl(&rules, Cursor::new(INPUT), &mut out, "in.jsonl")
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(out).unwrap_or_default();
    let recs = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (recs, summary)
}

#[test]
fn streams_records_and_reports_bad_lines() {
    let (recs, summary) = run(false);
    assert_eq!(recs.len(), 2);
    assert_eq!(summary.lines_read, 4);
    assert_eq!(summary.blank_lines, 1);
    assert_eq!(summary.bad_lines.len(), 1);
    assert_eq!(summary.bad_lines[0].line, 2);
    assert!(summary.bad_lines[0].to_string().starts_with("in.jsonl:2:"));

    let a = &recs[0];
    assert_eq!(a.extra.get("source").and_then(|v| v.as_str()), Some("wire"));
    let claim = a
        .spans
        .iter()
        .find(|s| s.label == "Claim")
        .unwrap_or_else(|| panic!("no claim in {a:?}"));
    assert_eq!(claim.text, "We will win");
    assert_eq!(claim.status.as_deref(), Some("suggested"));
    assert!(
        claim
            .origin
            .as_deref()
            .is_some_and(|o| o.starts_with("rule:"))
    );
    assert!(claim.id.starts_with('s'));
    let rel = a
        .relations
        .iter()
        .find(|r| r.from == claim.id)
        .unwrap_or_else(|| panic!("no relation"));
    let sp = a
        .spans
        .iter()
        .find(|s| s.id == rel.to)
        .unwrap_or_else(|| panic!("no speaker"));
    assert_eq!(
        (sp.text.as_str(), sp.attrs.get("entity").map(String::as_str)),
        ("Anna Berg", Some("Anna Berg"))
    );

    // The rejected claim is kept and not suggested again.
    let b = &recs[1];
    let claims: Vec<_> = b
        .spans
        .iter()
        .filter(|s| s.label == "Claim" && s.start == 20)
        .collect();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].status.as_deref(), Some("rejected"));
    assert!(
        b.spans
            .iter()
            .any(|s| s.label == "Stance" && s.text == "condemned the tax")
    );
}

#[test]
fn parallel_output_is_identical() {
    assert_eq!(run(false), run(true));
}
