//! Rule suggestions in a project: pending spans with their rule, re-runs
//! that never duplicate accepted spans nor resurrect rejected ones, one
//! undo step, and the `suggest` / `eval` commands.

mod common;

use std::process::Command;

use sayso::model::{Edit, History, Origin, Project, ReviewState};
use sayso::rules::RuleSet;
use sayso::rules::project::suggest_edit;

fn count(p: &Project, state: ReviewState) -> usize {
    p.documents[0]
        .spans
        .iter()
        .filter(|s| s.review == state)
        .count()
}

#[test]
fn suggestions_are_pending_spans_that_name_their_rule_and_undo_in_one_step() {
    let mut p = common::sample_text_project();
    let original = p.clone();
    let rules = RuleSet::default_en_news();
    let mut h = History::new();
    let (edit, summary) = suggest_edit(&mut p, &rules, &[0]);
    h.apply(&mut p, edit).unwrap();
    assert!(summary.added > 20, "{summary:?}");
    assert_eq!(count(&p, ReviewState::Suggested), summary.added);
    for s in &p.documents[0].spans {
        let Origin::Rule {
            rule,
            confidence,
            explanation,
            ..
        } = &s.origin
        else {
            panic!("{s:?}")
        };
        assert!(!rule.is_empty() && *confidence > 0.0 && !explanation.is_empty());
    }
    assert!(!p.documents[0].relations.is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p.documents, original.documents);
}

#[test]
fn reruns_keep_decisions() {
    let mut p = common::sample_text_project();
    let rules = RuleSet::default_en_news();
    let (edit, _) = suggest_edit(&mut p, &rules, &[0]);
    edit.apply(&mut p).unwrap();
    let spans = p.documents[0].spans.clone();
    let speaker = spans.iter().find(|s| s.label == "Speaker").unwrap().id;
    let claim = spans.iter().find(|s| s.label == "Claim").unwrap().id;
    Edit::SetReview {
        doc: 0,
        id: speaker,
        review: ReviewState::Accepted,
    }
    .apply(&mut p)
    .unwrap();
    Edit::SetReview {
        doc: 0,
        id: claim,
        review: ReviewState::Rejected,
    }
    .apply(&mut p)
    .unwrap();
    let before = p.documents.clone();
    let (edit, summary) = suggest_edit(&mut p, &rules, &[0]);
    edit.apply(&mut p).unwrap();
    assert_eq!((summary.added, summary.withdrawn), (0, 0), "{summary:?}");
    assert_eq!(
        p.documents, before,
        "nothing duplicated, nothing rejected comes back"
    );
    assert_eq!(count(&p, ReviewState::Rejected), 1);
}

#[test]
fn a_new_suggestion_links_to_the_speaker_the_user_already_drew() {
    let mut p = common::sample_text_project();
    let (a, b) = common::find_chars(common::SAMPLE, "Vladimir Putin", 0);
    let id = p.new_span_id();
    let manual = sayso::model::Span::manual(id, a, b, "Speaker", "ana");
    Edit::AddSpan {
        doc: 0,
        span: manual,
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap();
    let (edit, _) = suggest_edit(&mut p, &RuleSet::default_en_news(), &[0]);
    edit.apply(&mut p).unwrap();
    let doc = &p.documents[0];
    assert_eq!(
        doc.spans
            .iter()
            .filter(|s| (s.start, s.end) == (a, b) && s.label == "Speaker")
            .count(),
        1
    );
    assert!(
        doc.relations.iter().any(|r| r.to == id),
        "the stance after the name links to the manual speaker"
    );
}

fn sayso(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn suggest_and_eval_commands() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("examples/putin-gaza.sayso"),
        dir.path().join("p.sayso"),
    )
    .unwrap();
    let out = sayso(&["suggest", "p.sayso"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("new suggestion(s)"));
    let gold = root.join("tests/data/dev/putin-gaza.gold.jsonl");
    let out = sayso(
        &["eval", "--gold", gold.to_str().unwrap(), "p.sayso"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    for word in ["Speaker", "Claim", "Stance", "attribution"] {
        assert!(table.contains(word), "{table}");
    }

    std::fs::write(dir.path().join("in.jsonl"), "{\"id\": \"x\", \"text\": \"“We will win,” said Ann Lee, the mayor.\", \"source\": \"AP\"}\nnot json\n").unwrap();
    let out = sayso(&["suggest", "--jsonl", "in.jsonl", "out.jsonl"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("in.jsonl:2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(v["source"], "AP", "other fields come back as they were");
    assert!(
        v["spans"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["label"] == "Claim" && s["text"] == "We will win"),
        "{v}"
    );
}
