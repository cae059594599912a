//! Rule suggestions in a project: pending spans with their rule, re-runs
//! that never duplicate accepted spans nor resurrect rejected ones, one
//! undo step, and the `suggest` / `eval` commands.

mod common;
use common::cli::sayso;

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

const LINKED: &str = "Tom Baker spoke first. “We will win,” said Ann Lee, the mayor.";

/// A project of [`LINKED`] with the Claim `We will win` drawn by hand and
/// linked by hand to the Speaker `Tom Baker`; returns the project and the
/// Claim's and the Speaker's ids.
fn hand_linked() -> (Project, sayso::model::SpanId, sayso::model::SpanId) {
    use sayso::model::{Document, Relation, Span};
    let mut p = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("linked", LINKED)),
    }
    .apply(&mut p)
    .unwrap();
    let (s0, s1) = common::find_chars(LINKED, "Tom Baker", 0);
    let (c0, c1) = common::find_chars(LINKED, "We will win", 0);
    let (speaker, claim) = (p.new_span_id(), p.new_span_id());
    Edit::Batch {
        description: "by hand".into(),
        edits: vec![
            Edit::AddSpan {
                doc: 0,
                span: Span::manual(speaker, s0, s1, "Speaker", "ana"),
                relations: vec![],
            },
            Edit::AddSpan {
                doc: 0,
                span: Span::manual(claim, c0, c1, "Claim", "ana"),
                relations: vec![Relation {
                    from: claim,
                    kind: "said_by".into(),
                    to: speaker,
                }],
            },
        ],
    }
    .apply(&mut p)
    .unwrap();
    (p, claim, speaker)
}

fn spans_over(p: &Project, needle: &str, label: &str) -> Vec<sayso::model::SpanId> {
    let (a, b) = common::find_chars(LINKED, needle, 0);
    p.documents[0]
        .spans
        .iter()
        .filter(|s| (s.start, s.end) == (a, b) && s.label == label)
        .map(|s| s.id)
        .collect()
}

#[test]
fn a_rule_run_never_gives_a_linked_claim_a_second_link_nor_a_speaker_for_it() {
    let rules = RuleSet::default_en_news();
    // Without the hand link the rules link the Claim to a new Speaker `Ann Lee`.
    let mut bare = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(sayso::model::Document::new("linked", LINKED)),
    }
    .apply(&mut bare)
    .unwrap();
    let (edit, _) = suggest_edit(&mut bare, &rules, &[0]);
    edit.apply(&mut bare).unwrap();
    let claim = spans_over(&bare, "We will win", "Claim");
    let ann = spans_over(&bare, "Ann Lee", "Speaker");
    assert_eq!((claim.len(), ann.len()), (1, 1), "{:?}", bare.documents[0]);
    assert!(
        bare.documents[0]
            .relations
            .iter()
            .any(|r| r.from == claim[0] && r.to == ann[0] && r.kind == "said_by"),
        "{:?}",
        bare.documents[0].relations
    );

    // With the hand link: one said_by from the Claim (the user's), and no
    // pending Speaker whose only purpose was the second link; re-runs too.
    let (mut p, claim, speaker) = hand_linked();
    for run in 0..2 {
        let (edit, summary) = suggest_edit(&mut p, &rules, &[0]);
        edit.apply(&mut p).unwrap();
        let links: Vec<_> = p.documents[0]
            .relations
            .iter()
            .filter(|r| r.from == claim)
            .collect();
        assert_eq!(links.len(), 1, "run {run}: {links:?} {summary:?}");
        assert_eq!(links[0].to, speaker);
        assert!(spans_over(&p, "Ann Lee", "Speaker").is_empty(), "run {run}");
        assert_eq!(spans_over(&p, "We will win", "Claim"), vec![claim]);
    }

    // A pending Claim of an earlier run that the user linked elsewhere by
    // hand keeps that one link at the next run.
    let (claim, ann) = (claim_of(&bare), ann[0]);
    let (a, b) = common::find_chars(LINKED, "Tom Baker", 0);
    let tom = bare.new_span_id();
    let relink = |to| sayso::model::Relation {
        from: claim,
        kind: "said_by".into(),
        to,
    };
    Edit::Batch {
        description: "relink".into(),
        edits: vec![
            Edit::AddSpan {
                doc: 0,
                span: sayso::model::Span::manual(tom, a, b, "Speaker", "ana"),
                relations: vec![],
            },
            Edit::RemoveRelation {
                doc: 0,
                relation: relink(ann),
            },
            Edit::AddRelation {
                doc: 0,
                relation: relink(tom),
            },
        ],
    }
    .apply(&mut bare)
    .unwrap();
    let (edit, _) = suggest_edit(&mut bare, &rules, &[0]);
    edit.apply(&mut bare).unwrap();
    let links: Vec<_> = bare.documents[0]
        .relations
        .iter()
        .filter(|r| r.from == claim)
        .collect();
    assert_eq!(links, vec![&relink(tom)]);
}

fn claim_of(p: &Project) -> sayso::model::SpanId {
    spans_over(p, "We will win", "Claim")[0]
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
