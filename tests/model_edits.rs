//! Edit commands: schema checks, and exact undo/redo of every command,
//! including a property test over random edit sequences.

mod common;

use proptest::prelude::*;
use sayso::model::{
    AttrDef, DocStatus, Document, Edit, EditError, History, LabelDef, Project, Relation,
    RelationDef, ReviewState, Rgb, Span, SpanId,
};

fn ids(p: &Project) -> Vec<SpanId> {
    p.documents[0].spans.iter().map(|s| s.id).collect()
}

fn span_with_label(p: &Project, label: &str) -> SpanId {
    p.documents[0]
        .spans
        .iter()
        .find(|s| s.label == label)
        .unwrap()
        .id
}

#[test]
fn a_said_by_from_a_speaker_is_refused_with_a_clear_error() {
    let mut p = common::sample_project();
    let speaker = span_with_label(&p, "Speaker");
    let stance = span_with_label(&p, "Stance");
    let before = p.clone();
    let err = Edit::AddRelation {
        doc: 0,
        relation: Relation {
            from: speaker,
            kind: "said_by".into(),
            to: stance,
        },
    }
    .apply(&mut p)
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a said_by link goes from a Claim to a Speaker, not from a Speaker to a Stance"
    );
    assert_eq!(p, before);
}

#[test]
fn removing_a_span_removes_its_relations_and_undo_brings_both_back() {
    let mut p = common::sample_project();
    let original = p.clone();
    let speaker = span_with_label(&p, "Speaker");
    assert_eq!(p.documents[0].relations.len(), 2);
    let mut h = History::new();
    h.apply(
        &mut p,
        Edit::RemoveSpan {
            doc: 0,
            id: speaker,
        },
    )
    .unwrap();
    assert!(p.documents[0].span(speaker).is_none());
    assert!(p.documents[0].relations.is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    h.redo(&mut p).unwrap();
    assert!(p.documents[0].relations.is_empty());
}

#[test]
fn relabel_drops_attributes_and_links_that_no_longer_fit_and_undo_restores_them() {
    let mut p = common::sample_project();
    let original = p.clone();
    let stance = span_with_label(&p, "Stance");
    let mut h = History::new();
    h.apply(
        &mut p,
        Edit::RelabelSpan {
            doc: 0,
            id: stance,
            label: "Claim".into(),
        },
    )
    .unwrap();
    let s = p.documents[0].span(stance).unwrap();
    assert_eq!(s.label, "Claim");
    assert!(
        s.attrs.is_empty(),
        "polarity and target are not Claim attributes"
    );
    assert_eq!(
        p.documents[0].relations.len(),
        1,
        "held_by from a Claim is gone"
    );
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
}

#[test]
fn attribute_values_are_checked_against_the_schema() {
    let mut p = common::sample_project();
    let stance = span_with_label(&p, "Stance");
    let set = |v: &str| Edit::SetAttr {
        doc: 0,
        id: stance,
        key: "polarity".into(),
        value: Some(v.into()),
    };
    let err = set("maybe").apply(&mut p).unwrap_err();
    assert!(matches!(err, EditError::BadAttrValue { .. }));
    assert!(err.to_string().contains("favor, against, neutral"), "{err}");
    Edit::AddAttrValue {
        label: "Stance".into(),
        attr: "polarity".into(),
        at: 3,
        value: "maybe".into(),
    }
    .apply(&mut p)
    .unwrap();
    set("maybe").apply(&mut p).unwrap();
    let err = Edit::SetAttr {
        doc: 0,
        id: stance,
        key: "colour".into(),
        value: Some("x".into()),
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(matches!(err, EditError::UnknownAttribute { .. }));
}

#[test]
fn spans_must_lie_inside_the_text_and_may_overlap_and_nest() {
    let mut p = common::sample_project();
    let len = p.documents[0].text.len_chars();
    let id = p.new_span_id();
    let err = Edit::AddSpan {
        doc: 0,
        span: Span::manual(id, len - 1, len + 1, "Claim", "a"),
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(matches!(err, EditError::BadRange { .. }));
    let err = Edit::AddSpan {
        doc: 0,
        span: Span::manual(id, 5, 5, "Claim", "a"),
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(matches!(err, EditError::BadRange { .. }));
    // Same label, same characters, nested: all fine.
    for (start, end) in [(10, 20), (10, 20), (12, 15)] {
        let id = p.new_span_id();
        Edit::AddSpan {
            doc: 0,
            span: Span::manual(id, start, end, "Claim", "a"),
            relations: vec![],
        }
        .apply(&mut p)
        .unwrap();
    }
    let spans = &p.documents[0].spans;
    assert!(
        spans.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()),
        "kept in order"
    );
}

#[test]
fn a_failing_batch_changes_nothing() {
    let mut p = common::sample_project();
    let before = p.clone();
    let first = ids(&p)[0];
    let err = Edit::Batch {
        description: "x".into(),
        edits: vec![
            Edit::SetDocStatus {
                doc: 0,
                status: DocStatus::Done,
            },
            Edit::RemoveSpan { doc: 0, id: first },
            Edit::RemoveSpan {
                doc: 0,
                id: SpanId(999),
            },
        ],
    }
    .apply(&mut p)
    .unwrap_err();
    assert_eq!(err, EditError::NoSpan(SpanId(999)));
    assert_eq!(p, before);
}

#[test]
fn schema_can_grow_and_undo_shrinks_it_back() {
    let mut p = common::sample_project();
    let original = p.clone();
    let mut h = History::new();
    let source = LabelDef {
        name: "Source".into(),
        color: Rgb([1, 2, 3]),
        hotkey: 'o',
        description: String::new(),
        attributes: vec![AttrDef::text("url")],
    };
    h.apply(
        &mut p,
        Edit::AddLabel {
            at: 3,
            label: source.clone(),
        },
    )
    .unwrap();
    let clash = LabelDef {
        name: "Other".into(),
        hotkey: 'S',
        ..source.clone()
    };
    let err = Edit::AddLabel {
        at: 4,
        label: clash,
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(err.to_string().contains("hotkey"), "{err}");
    h.apply(
        &mut p,
        Edit::AddRelationType {
            at: 2,
            relation: RelationDef {
                name: "cites".into(),
                from: "Claim".into(),
                to: "Source".into(),
            },
        },
    )
    .unwrap();
    h.apply(
        &mut p,
        Edit::AddAttribute {
            label: "Speaker".into(),
            at: 1,
            attr: AttrDef::text("role"),
        },
    )
    .unwrap();
    let err = Edit::RemoveLabel {
        name: "Speaker".into(),
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(matches!(err, EditError::InUse { .. }));
    while h.can_undo() {
        h.undo(&mut p).unwrap();
    }
    assert_eq!(p, original);
}

#[test]
fn state_id_tells_when_undo_returns_to_the_saved_state() {
    let mut p = common::sample_project();
    let mut h = History::new();
    let saved = h.state_id();
    h.apply(
        &mut p,
        Edit::SetDocStatus {
            doc: 0,
            status: DocStatus::Done,
        },
    )
    .unwrap();
    assert_ne!(h.state_id(), saved);
    h.undo(&mut p).unwrap();
    assert_eq!(h.state_id(), saved);
    h.redo(&mut p).unwrap();
    assert_ne!(h.state_id(), saved);
    assert_eq!(h.undo_description(), Some("mark done"));
}

/// An edit described relative to the current project, so that random
/// sequences mostly make valid edits.
#[derive(Debug, Clone)]
enum Op {
    Add {
        doc: usize,
        a: usize,
        b: usize,
        label: usize,
    },
    Remove {
        doc: usize,
        span: usize,
    },
    Resize {
        doc: usize,
        span: usize,
        a: usize,
        b: usize,
    },
    Relabel {
        doc: usize,
        span: usize,
        label: usize,
    },
    SetAttr {
        doc: usize,
        span: usize,
        value: usize,
    },
    ClearAttr {
        doc: usize,
        span: usize,
    },
    Link {
        doc: usize,
        from: usize,
        to: usize,
    },
    Unlink {
        doc: usize,
        rel: usize,
    },
    Review {
        doc: usize,
        span: usize,
        state: usize,
    },
    Status {
        doc: usize,
        state: usize,
    },
    AddDoc,
    RemoveDoc {
        doc: usize,
    },
    AddDocs {
        at: usize,
        count: usize,
    },
    RemoveDocs {
        doc: usize,
        count: usize,
    },
    Reject {
        doc: usize,
        span: usize,
    },
    AddValue {
        value: usize,
    },
    Batch(Vec<Op>),
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let n = 0..64usize;
    let leaf = prop_oneof![
        4 => (n.clone(), n.clone(), n.clone(), n.clone()).prop_map(|(doc, a, b, label)| Op::Add { doc, a, b, label }),
        2 => (n.clone(), n.clone()).prop_map(|(doc, span)| Op::Remove { doc, span }),
        2 => (n.clone(), n.clone(), n.clone(), n.clone()).prop_map(|(doc, span, a, b)| Op::Resize { doc, span, a, b }),
        2 => (n.clone(), n.clone(), n.clone()).prop_map(|(doc, span, label)| Op::Relabel { doc, span, label }),
        2 => (n.clone(), n.clone(), n.clone()).prop_map(|(doc, span, value)| Op::SetAttr { doc, span, value }),
        1 => (n.clone(), n.clone()).prop_map(|(doc, span)| Op::ClearAttr { doc, span }),
        3 => (n.clone(), n.clone(), n.clone()).prop_map(|(doc, from, to)| Op::Link { doc, from, to }),
        1 => (n.clone(), n.clone()).prop_map(|(doc, rel)| Op::Unlink { doc, rel }),
        2 => (n.clone(), n.clone(), n.clone()).prop_map(|(doc, span, state)| Op::Review { doc, span, state }),
        1 => (n.clone(), n.clone()).prop_map(|(doc, state)| Op::Status { doc, state }),
        1 => Just(Op::AddDoc),
        1 => n.clone().prop_map(|doc| Op::RemoveDoc { doc }),
        1 => (n.clone(), 0..4usize).prop_map(|(at, count)| Op::AddDocs { at, count }),
        1 => (n.clone(), 0..3usize).prop_map(|(doc, count)| Op::RemoveDocs { doc, count }),
        2 => (n.clone(), n.clone()).prop_map(|(doc, span)| Op::Reject { doc, span }),
        1 => n.clone().prop_map(|value| Op::AddValue { value }),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop::collection::vec(inner, 1..4).prop_map(Op::Batch)
    })
}

const LABELS: [&str; 3] = ["Speaker", "Claim", "Stance"];
const TEXTS: [&str; 3] = [
    "Zoë said “ok” 😀 to 中文 and שלום.\nNext line.",
    "short",
    "a\u{301}b\u{302}c",
];

fn to_edit(p: &mut Project, op: &Op) -> Option<Edit> {
    let docs = p.documents.len();
    let doc_of = |d: usize| (docs > 0).then(|| d % docs);
    let span_of = |p: &Project, d: usize, s: usize| {
        let spans = &p.documents[d].spans;
        (!spans.is_empty()).then(|| spans[s % spans.len()].id)
    };
    Some(match op {
        Op::Add { doc, a, b, label } => {
            let doc = doc_of(*doc)?;
            let len = p.documents[doc].text.len_chars().max(1);
            let (a, b) = (a % (len + 1), b % (len + 1));
            let id = p.new_span_id();
            let span = Span::manual(id, a.min(b), a.max(b), LABELS[label % 3], "prop");
            Edit::AddSpan {
                doc,
                span,
                relations: vec![],
            }
        }
        Op::Remove { doc, span } => {
            let doc = doc_of(*doc)?;
            Edit::RemoveSpan {
                doc,
                id: span_of(p, doc, *span)?,
            }
        }
        Op::Resize { doc, span, a, b } => {
            let doc = doc_of(*doc)?;
            let len = p.documents[doc].text.len_chars().max(1);
            let (a, b) = (a % (len + 1), b % (len + 1));
            Edit::ResizeSpan {
                doc,
                id: span_of(p, doc, *span)?,
                start: a.min(b),
                end: a.max(b),
            }
        }
        Op::Relabel { doc, span, label } => {
            let doc = doc_of(*doc)?;
            Edit::RelabelSpan {
                doc,
                id: span_of(p, doc, *span)?,
                label: LABELS[label % 3].into(),
            }
        }
        Op::SetAttr { doc, span, value } => {
            let doc = doc_of(*doc)?;
            let id = span_of(p, doc, *span)?;
            let (key, values): (&str, &[&str]) = match p.documents[doc].span(id)?.label.as_str() {
                "Speaker" => ("entity", &["Zoë", "X"]),
                "Claim" => ("mode", &["direct", "indirect", "bogus"]),
                _ => ("polarity", &["favor", "against", "maybe"]),
            };
            Edit::SetAttr {
                doc,
                id,
                key: key.into(),
                value: Some(values[value % values.len()].into()),
            }
        }
        Op::ClearAttr { doc, span } => {
            let doc = doc_of(*doc)?;
            let id = span_of(p, doc, *span)?;
            let key = p.documents[doc].span(id)?.attrs.keys().next()?.clone();
            Edit::SetAttr {
                doc,
                id,
                key,
                value: None,
            }
        }
        Op::Link { doc, from, to } => {
            let doc = doc_of(*doc)?;
            let from = span_of(p, doc, *from)?;
            let to = span_of(p, doc, *to)?;
            let kind = if p.documents[doc].span(from)?.label == "Stance" {
                "held_by"
            } else {
                "said_by"
            };
            Edit::AddRelation {
                doc,
                relation: Relation {
                    from,
                    kind: kind.into(),
                    to,
                },
            }
        }
        Op::Unlink { doc, rel } => {
            let doc = doc_of(*doc)?;
            let rels = &p.documents[doc].relations;
            let relation = rels.get(rel % rels.len().max(1))?.clone();
            Edit::RemoveRelation { doc, relation }
        }
        Op::Review { doc, span, state } => {
            let doc = doc_of(*doc)?;
            let review = [
                ReviewState::Accepted,
                ReviewState::Suggested,
                ReviewState::Rejected,
            ][state % 3];
            Edit::SetReview {
                doc,
                id: span_of(p, doc, *span)?,
                review,
            }
        }
        Op::Status { doc, state } => {
            let status = [DocStatus::Todo, DocStatus::InProgress, DocStatus::Done][state % 3];
            Edit::SetDocStatus {
                doc: doc_of(*doc)?,
                status,
            }
        }
        Op::AddDoc => {
            let name = format!("doc{}", p.next_span_id);
            let text = TEXTS[p.documents.len() % TEXTS.len()];
            Edit::AddDocument {
                at: p.documents.len(),
                document: Box::new(Document::new(name, text)),
            }
        }
        Op::RemoveDoc { doc } => Edit::RemoveDocument { at: doc_of(*doc)? },
        Op::AddDocs { at, count } => {
            // No documents, or a name the project has: the edit fails.
            let mut documents: Vec<Document> = (0..*count)
                .map(|k| {
                    let text = TEXTS[(p.documents.len() + k) % TEXTS.len()];
                    Document::new(format!("docs{}-{k}", p.next_span_id), text)
                })
                .collect();
            if *count == 3
                && let Some(d) = p.documents.first()
            {
                documents[2].name = d.name.clone();
            }
            Edit::AddDocuments {
                at: at % (p.documents.len() + 1),
                documents,
            }
        }
        Op::RemoveDocs { doc, count } => Edit::RemoveDocuments {
            at: doc_of(*doc)?,
            count: *count,
        },
        Op::Reject { doc, span } => {
            let d = doc_of(*doc)?;
            Edit::set_review(p, d, span_of(p, d, *span)?, ReviewState::Rejected)
        }
        Op::AddValue { value } => Edit::AddAttrValue {
            label: "Claim".into(),
            attr: "mode".into(),
            at: *value,
            value: format!("mode{}", value % 4),
        },
        Op::Batch(ops) => {
            // Edits of a batch are planned against the state before it, so
            // some may fail; then the whole batch must change nothing.
            let edits = ops.iter().filter_map(|op| to_edit(p, op)).collect();
            Edit::Batch {
                description: "batch".into(),
                edits,
            }
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_edits_then_undo_all_returns_the_original(ops in prop::collection::vec(op_strategy(), 1..40)) {
        let mut p = common::sample_project();
        Edit::AddDocument { at: 1, document: Box::new(Document::new("second", TEXTS[0])) }
            .apply(&mut p)
            .unwrap();
        let original = p.clone();
        let mut h = History::new();
        let mut states = vec![p.clone()];
        for op in &ops {
            let Some(edit) = to_edit(&mut p, op) else { continue };
            let before = p.clone();
            match h.apply(&mut p, edit) {
                Ok(()) => states.push(p.clone()),
                Err(_) => prop_assert_eq!(&p, &before, "a failed edit changed the project"),
            }
        }
        let last = p.clone();
        // Undo walks back through every state, exactly.
        for expected in states.iter().rev().skip(1) {
            h.undo(&mut p).unwrap();
            prop_assert_eq!(&p.documents, &expected.documents);
            prop_assert_eq!(&p.schema, &expected.schema);
        }
        prop_assert!(!h.can_undo());
        prop_assert_eq!(&p.documents, &original.documents);
        prop_assert_eq!(&p.schema, &original.schema);
        while h.can_redo() {
            h.redo(&mut p).unwrap();
        }
        prop_assert_eq!(&p.documents, &last.documents);
        prop_assert_eq!(&p.schema, &last.schema);
    }
}
