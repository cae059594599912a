//! A project for the Label Studio and INCEpTION round trips: the sample
//! article of `examples/` with its full gold annotation, and documents with emoji, CJK, combining marks,
//! CRLF line ends kept as they are, tabs, and nested, overlapping, pending
//! and rejected spans with relations and attributes; and the annotations
//! of a document as comparable sets.

use std::collections::BTreeSet;
use std::path::Path;

use sayso::io::annotated;
use sayso::io::export::{ExportOptions, ExportSummary, export};
use sayso::io::formats::Format;
use sayso::model::{Document, Edit, Origin, Project, Relation, ReviewState, Span};

use super::find_chars;

/// The emoji document: astral characters before and inside spans.
pub const EMOJI: &str = "💩 Zoë’s “plan” 😀👩‍👩‍👧 works,\r\n\tsaid Ame\u{301}lie in 東京 🇯🇵.\r\nShe doubts it: “no <way> & \"never\".”";

pub fn mixed_project() -> Project {
    // The sample article of `examples/`, annotated in full (42 spans, 26 relations).
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev/putin-gaza.gold.jsonl");
    let (mut p, skipped, _) = import_from(Format::Jsonl, &gold);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(p.documents[0].spans.len(), 42);
    let at = p.documents.len();
    Edit::AddDocument {
        at,
        document: Box::new(Document::new("emoji & CJK", EMOJI)),
    }
    .apply(&mut p)
    .unwrap();
    let find = |needle: &str| find_chars(EMOJI, needle, 0);
    let add = |p: &mut Project, (a, b): (usize, usize), label: &str, state: ReviewState| {
        let id = p.new_span_id();
        let mut span = Span::manual(id, a, b, label, "ana");
        span.review = state;
        if state != ReviewState::Accepted {
            span.origin = Origin::Rule {
                rule: "r1".into(),
                confidence: 0.7,
                explanation: "x".into(),
                edited: false,
            };
        }
        Edit::AddSpan {
            doc: at,
            span,
            relations: vec![],
        }
        .apply(p)
        .unwrap();
        id
    };
    let claim = add(
        &mut p,
        (find("Zoë").0, find("works").1),
        "Claim",
        ReviewState::Accepted,
    );
    let _nested = add(&mut p, find("“plan” 😀👩‍👩‍👧"), "Claim", ReviewState::Accepted);
    let crossing = add(
        &mut p,
        (find("works").0, find("Ame\u{301}lie").1),
        "Stance",
        ReviewState::Accepted,
    );
    let speaker = add(
        &mut p,
        find("Ame\u{301}lie"),
        "Speaker",
        ReviewState::Accepted,
    );
    let flag = add(&mut p, find("東京 🇯🇵"), "Speaker", ReviewState::Suggested);
    let doubt = add(
        &mut p,
        find("“no <way> & \"never\".”"),
        "Claim",
        ReviewState::Suggested,
    );
    let _rejected = add(&mut p, find("She"), "Speaker", ReviewState::Rejected);
    for (from, kind, to) in [
        (claim, "said_by", speaker),
        (crossing, "held_by", speaker),
        (doubt, "said_by", flag),
    ] {
        Edit::AddRelation {
            doc: at,
            relation: Relation {
                from,
                kind: kind.into(),
                to,
            },
        }
        .apply(&mut p)
        .unwrap();
    }
    for (id, key, value) in [
        (speaker, "entity", "Amélie \"Zoë\" <A&B>\r\nline two"),
        (crossing, "polarity", "favor"),
        (crossing, "target", "the plan 😀"),
        (claim, "mode", "indirect"),
        (doubt, "mode", "direct"),
    ] {
        Edit::SetAttr {
            doc: at,
            id,
            key: key.into(),
            value: Some(value.into()),
        }
        .apply(&mut p)
        .unwrap();
    }
    p
}

pub type SpanKey = (usize, usize, String);
pub type SpanSet = BTreeSet<(SpanKey, Vec<(String, String)>, String)>;
pub type RelationSet = BTreeSet<(SpanKey, String, SpanKey)>;

/// The spans of `states` with their non-empty attributes and review state,
/// and the relations between them.
pub fn annotations(doc: &Document, states: &[ReviewState]) -> (SpanSet, RelationSet) {
    let key = |s: &Span| (s.start, s.end, s.label.clone());
    let keep = |s: &Span| states.contains(&s.review);
    let spans = doc
        .spans
        .iter()
        .filter(|s| keep(s))
        .map(|s| {
            let attrs = s
                .attrs
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (key(s), attrs, s.review.as_str().to_string())
        })
        .collect();
    let relations = doc
        .relations
        .iter()
        .filter_map(|r| {
            let (a, b) = (doc.span(r.from)?, doc.span(r.to)?);
            (keep(a) && keep(b)).then(|| (key(a), r.kind.clone(), key(b)))
        })
        .collect();
    (spans, relations)
}

/// Exports `p` in `format` to `out` with the review states `states`.
pub fn export_to(p: &Project, format: Format, out: &Path, states: &[ReviewState]) -> ExportSummary {
    let mut options = ExportOptions::new(format);
    options.states = states.to_vec();
    export(p, &options, out, None, &mut |_, _| {}).unwrap()
}

/// Imports `path` into a new project; returns it, what was skipped and
/// the notices.
pub fn import_from(format: Format, path: &Path) -> (Project, Vec<String>, Vec<String>) {
    let mut p = Project::default();
    let read = annotated::read_with(format, &[path.to_path_buf()], &Default::default());
    let notices = read.notices.clone();
    let plan = annotated::plan(&mut p, read.sources, read.skipped);
    let skipped = plan.skipped.iter().map(|s| s.to_string()).collect();
    plan.edit.apply(&mut p).unwrap();
    (p, skipped, notices)
}

/// Python's `text[start:end]`.
pub fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}
