//! Curation mode draws agreed spans once (issue 12): spans that several
//! annotators have with the same offsets, label and attributes (and that
//! are in no disagreement) are drawn as one, their first; a click on them
//! selects it, Tab skips the others; disagreements are drawn as before.

#![cfg(feature = "gui")]

mod common;

use common::gui::fixture;
use common::{Mark, merged_team};

use eframe::egui::{self, Key, Modifiers};
use sayso::model::{Document, Edit, Project, Span, SpanId};

const TEXT: &str = "Ann Lee said the plan would fail. The minister said more.";

fn chars(needle: &str) -> (usize, usize) {
    let byte = TEXT.find(needle).expect("in the text");
    let start = TEXT[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// ana and ben both mark `Ann Lee` and the claim `the plan would fail`
/// (same mode, linked to her); only ana marks `more` and `The minister`.
fn team() -> Project {
    let mut base = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("budget", TEXT)),
    }
    .apply(&mut base)
    .expect("document");
    merged_team(&base, &["ana", "ben"], |who| {
        let mut marks: Vec<Mark> = vec![(0, "Ann Lee", Some(("the plan would fail", "indirect")))];
        if who == "ana" {
            marks.push((0, "The minister", Some(("more", "indirect"))));
        }
        marks
    })
}

/// The ids of the spans at `needle`, ana's first.
fn spans_at(project: &Project, needle: &str) -> Vec<SpanId> {
    let (s, e) = chars(needle);
    let doc = &project.documents[0];
    let mut v: Vec<&Span> = doc
        .spans
        .iter()
        .filter(|x| x.start == s && x.end == e)
        .collect();
    v.sort_by_key(|x| x.annotator().map(str::to_owned));
    v.into_iter().map(|x| x.id).collect()
}

#[test]
fn curation_mode_draws_agreed_spans_once_and_disagreements_as_before() {
    let mut f = fixture(team(), None);
    let project = f.app().project.clone();
    let ann = spans_at(&project, "Ann Lee");
    let plan = spans_at(&project, "the plan would fail");
    let minister = spans_at(&project, "The minister");
    assert_eq!((ann.len(), plan.len(), minister.len()), (2, 2, 1));
    // Outside curation mode every span is drawn.
    assert!(!ann.iter().any(|&id| f.app().view.is_collapsed(id)));

    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    assert!(f.app().curate.open);
    let doc = &f.app().project.documents[0];
    let collapsed = |f: &common::gui::Fixture, ids: &[SpanId]| {
        ids.iter()
            .filter(|&&id| f.app().view.is_collapsed(id))
            .count()
    };
    // One of each agreed pair is drawn; the disagreement is drawn as before.
    assert_eq!(collapsed(&f, &ann), 1);
    assert_eq!(collapsed(&f, &plan), 1);
    assert_eq!(collapsed(&f, &minister), 0);
    let shown_ann = ann
        .iter()
        .copied()
        .find(|&id| !f.app().view.is_collapsed(id))
        .expect("one drawn");
    // The innermost span under "Lee" is the one drawn, and a click selects it.
    let (a0, _) = chars("Ann Lee");
    assert_eq!(
        f.app().view.innermost_span(doc, a0 + 5).map(|s| s.id),
        Some(shown_ann)
    );
    let p = f
        .harness
        .state_mut()
        .view
        .char_rect(a0 + 5)
        .expect("visible")
        .center();
    f.harness.hover_at(p);
    f.harness.run_steps(1);
    for pressed in [true, false] {
        f.harness.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        f.harness.run_steps(1);
    }
    f.settle();
    assert_eq!(f.app().view.selected, Some(shown_ann));
    // Tab goes through the drawn spans only: the two agreed ones, the
    // minister and ana's `more`.
    f.key(Key::Escape);
    let mut seen = Vec::new();
    for _ in 0..4 {
        f.key(Key::Tab);
        seen.push(f.app().view.selected.expect("a span"));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.iter().all(|&id| !f.app().view.is_collapsed(id)));

    // Leaving curation mode draws every span again.
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    assert!(!f.app().curate.open);
    assert_eq!(collapsed(&f, &ann), 0);
}
