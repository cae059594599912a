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

#[test]
fn bad_lines_are_reported_as_they_come_and_only_the_first_are_kept() {
    use sayso::rules::jsonl::{
        MAX_KEPT_BAD_LINES, suggest_jsonl_parallel_reporting, suggest_jsonl_reporting,
    };
    let rules = RuleSet::default_en_news();
    let bad = MAX_KEPT_BAD_LINES * 3;
    let mut input = String::new();
    for i in 0..bad {
        input.push_str(&format!("bad line {i}\n"));
    }
    input.push_str(r#"{"id": "a", "text": "Anna Berg said that prices rose."}"#);
    input.push('\n');
    for parallel in [false, true] {
        let mut seen = Vec::new();
        let mut report = |b: &sayso::rules::BadLine| seen.push(b.line);
        let mut out = Vec::new();
        let summary = if parallel {
            suggest_jsonl_parallel_reporting(
                &rules,
                Cursor::new(&input),
                &mut out,
                "in.jsonl",
                64,
                &mut report,
            )
        } else {
            suggest_jsonl_reporting(
                &rules,
                Cursor::new(&input),
                &mut out,
                "in.jsonl",
                &mut report,
            )
        }
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            seen,
            (1..=bad).collect::<Vec<_>>(),
            "every bad line, in order"
        );
        assert_eq!(summary.bad_count, bad);
        assert_eq!(summary.bad_lines.len(), MAX_KEPT_BAD_LINES);
        assert_eq!(summary.bad_lines_not_kept(), bad - MAX_KEPT_BAD_LINES);
        assert_eq!(summary.bad_lines[0].line, 1);
        assert_eq!(summary.records_written, 1);
    }
}

#[test]
fn the_command_reports_every_bad_line_and_says_how_many_were_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut input = String::new();
    for i in 0..1_500 {
        input.push_str(&format!("bad line {i}\n"));
    }
    input.push_str(r#"{"id": "a", "text": "Anna Berg said that prices rose."}"#);
    input.push('\n');
    std::fs::write(dir.path().join("in.jsonl"), input).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(["suggest", "--jsonl", "in.jsonl", "out.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err.matches("sayso: skipped in.jsonl:").count(),
        1_500,
        "{err}"
    );
    assert!(err.contains("sayso: skipped in.jsonl:1500: "), "{err}");
    let summary = err.lines().last().unwrap_or_default();
    assert!(
        summary.contains("1 document(s) written")
            && summary.contains("1500 bad line(s) skipped")
            && summary.contains("500 of them beyond the first 1000 were counted, not kept"),
        "{summary}"
    );
}

#[test]
fn merged_spans_carry_the_text_at_their_code_point_offsets() {
    let rules = RuleSet::default_en_news();
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!(
            "“Wir gewinnen 🎉 Ünïcode {i},” said Anna Berg. 東京 Critics argued that the plan was too costly. "
        ));
    }
    let rec = Record {
        text: text.clone(),
        ..Record::default()
    };
    let (rec, spans, relations) = sayso::rules::suggest_record(&rules, rec);
    assert!(spans > 400 && relations > 200, "{spans} {relations}");
    let chars: Vec<char> = text.chars().collect();
    for s in &rec.spans {
        let at: String = chars[s.start..s.end].iter().collect();
        assert_eq!(s.text, at, "{s:?}");
    }
    let ids: std::collections::HashSet<&str> = rec.spans.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), rec.spans.len(), "span ids are unique");
    for r in &rec.relations {
        assert!(ids.contains(r.from.as_str()) && ids.contains(r.to.as_str()));
    }
    // Merging the same suggestions into the output again adds nothing: every
    // suggestion meets its own earlier span (now a kept one once accepted).
    let mut again = rec.clone();
    for s in &mut again.spans {
        s.status = Some("accepted".into());
    }
    let (again, added, linked) = sayso::rules::suggest_record(&rules, again);
    assert_eq!((added, linked), (0, 0));
    assert_eq!(again.spans.len(), rec.spans.len());
}
