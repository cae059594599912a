//! Test fixtures shared by the integration tests.
#![allow(dead_code)]

pub mod cli;
pub mod formats;
#[cfg(feature = "gui")]
pub mod gui;
pub mod rules;

use sayso::model::{Document, Edit, Origin, Project, Relation, ReviewState, Span};

pub const SAMPLE: &str = include_str!("../../examples/putin-gaza.txt");

/// Finds the `nth` occurrence of `needle` in `text`, in code points.
pub fn find_chars(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        .0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// A project with the sample article and no annotations.
pub fn sample_text_project() -> Project {
    let mut p = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("putin-gaza", SAMPLE)),
    }
    .apply(&mut p)
    .unwrap();
    p
}

/// A project with the sample article and a few annotations: a Speaker, a
/// Stance held by it, a Claim said by it, and a pending rule suggestion.
pub fn sample_project() -> Project {
    let mut p = sample_text_project();
    let (s0, s1) = find_chars(SAMPLE, "Vladimir Putin", 0);
    let (t0, t1) = find_chars(SAMPLE, "voiced his deep concern over", 0);
    let (c0, c1) = find_chars(SAMPLE, "it had failed to address", 0);
    let speaker = p.new_span_id();
    let stance = p.new_span_id();
    let claim = p.new_span_id();
    let suggestion = p.new_span_id();
    let mut sp = Span::manual(speaker, s0, s1, "Speaker", "ana");
    sp.attrs.insert("entity".into(), "Vladimir Putin".into());
    let mut st = Span::manual(stance, t0, t1, "Stance", "ana");
    st.attrs.insert("polarity".into(), "against".into());
    st.attrs
        .insert("target".into(), "civilian casualties".into());
    let mut cl = Span::manual(claim, c0, c1, "Claim", "bo");
    cl.attrs.insert("mode".into(), "indirect".into());
    let (g0, g1) = find_chars(SAMPLE, "Putin", 1);
    let mut sg = Span::manual(suggestion, g0, g1, "Speaker", "");
    sg.origin = Origin::Rule {
        rule: "speaker.name".into(),
        confidence: 0.8,
        explanation: "capitalised name before a reporting verb".into(),
        edited: false,
    };
    sg.review = ReviewState::Suggested;
    let edits = vec![
        Edit::AddSpan {
            doc: 0,
            span: sp,
            relations: vec![],
        },
        Edit::AddSpan {
            doc: 0,
            span: st,
            relations: vec![],
        },
        Edit::AddSpan {
            doc: 0,
            span: cl,
            relations: vec![],
        },
        Edit::AddSpan {
            doc: 0,
            span: sg,
            relations: vec![],
        },
        Edit::AddRelation {
            doc: 0,
            relation: Relation {
                from: stance,
                kind: "held_by".into(),
                to: speaker,
            },
        },
        Edit::AddRelation {
            doc: 0,
            relation: Relation {
                from: claim,
                kind: "said_by".into(),
                to: speaker,
            },
        },
    ];
    Edit::Batch {
        description: "fixture".into(),
        edits,
    }
    .apply(&mut p)
    .unwrap();
    p
}

/// What one annotator marks: (document, speaker words, and the claim's
/// words with its mode, linked to the speaker). Words are found by their
/// first occurrence in the document.
pub type Mark = (usize, &'static str, Option<(&'static str, &'static str)>);

/// The merged project of `annotators`, each of whom annotated a copy of
/// `base` with `marks(annotator)` (through `team::merge`, as the command
/// line does).
pub fn merged_team(
    base: &Project,
    annotators: &[&str],
    marks: impl Fn(&str) -> Vec<Mark>,
) -> Project {
    let files: Vec<sayso::team::TeamFile> = annotators
        .iter()
        .map(|&who| {
            let mut p = base.clone();
            for (doc, speaker, claim) in marks(who) {
                let text = p.documents[doc].text.as_str().to_string();
                let (s0, s1) = find_chars(&text, speaker, 0);
                let sid = p.new_span_id();
                Edit::AddSpan {
                    doc,
                    span: Span::manual(sid, s0, s1, "Speaker", who),
                    relations: vec![],
                }
                .apply(&mut p)
                .expect("speaker");
                if let Some((words, mode)) = claim {
                    let (c0, c1) = find_chars(&text, words, 0);
                    let cid = p.new_span_id();
                    let mut c = Span::manual(cid, c0, c1, "Claim", who);
                    c.attrs.insert("mode".into(), mode.into());
                    Edit::AddSpan {
                        doc,
                        span: c,
                        relations: vec![Relation {
                            from: cid,
                            kind: "said_by".into(),
                            to: sid,
                        }],
                    }
                    .apply(&mut p)
                    .expect("claim");
                }
            }
            sayso::team::TeamFile {
                path: format!("{who}.sayso"),
                annotator: who.into(),
                project: p,
            }
        })
        .collect();
    sayso::team::merge(&files).expect("merges").project
}
