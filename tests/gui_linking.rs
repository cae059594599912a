//! Drawing links with the mouse (issue 13): a drag from a Claim to a
//! Speaker links them with `said_by` (one undo step), a drag from a
//! Speaker to a Claim too (the type comes from the labels at both ends), and
//! a drag between two spans that no link type connects is refused with a
//! message.

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture};

use eframe::egui::{Key, Modifiers};
use sayso::app::{EXAMPLE_TEXT, example_project};
use sayso::model::{Relation, SpanId};

fn char_offset(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

/// Tags the first occurrence of `needle` with the label key `key`.
fn tag(f: &mut Fixture, needle: &str, key: Key) -> SpanId {
    f.find_and_select(needle);
    f.key(key);
    let start = char_offset(EXAMPLE_TEXT, needle);
    let doc = &f.app().project.documents[0];
    doc.spans
        .iter()
        .find(|s| s.start == start && doc.span_text(s) == needle)
        .expect("the new span")
        .id
}

/// Presses the pointer on code point `from`, moves in steps and releases
/// on code point `to`.
fn drag_text(f: &mut Fixture, from: usize, to: usize) {
    let (a, b) = {
        let view = &mut f.harness.state_mut().view;
        let a = view.char_rect(from).expect("visible").center();
        let b = view.char_rect(to).expect("visible").center();
        (a, b)
    };
    f.harness.hover_at(a);
    f.harness.run_steps(1);
    f.harness.drag_at(a);
    f.harness.run_steps(1);
    for k in 1..=6 {
        f.harness.hover_at(a + (b - a) * (k as f32 / 6.0));
        f.harness.run_steps(1);
    }
    f.harness.drop_at(b);
    f.settle();
}

fn relations(f: &Fixture) -> Vec<Relation> {
    f.app().project.documents[0].relations.clone()
}

#[test]
fn dragging_from_a_claim_to_a_speaker_links_them_and_undo_unlinks() {
    let mut f = fixture(example_project(), None);
    // The Claim first: with no Speaker yet it links to nothing by itself.
    let claim = tag(&mut f, "deep concern", Key::C);
    let speaker = tag(&mut f, "Vladimir Putin", Key::S);
    assert!(relations(&f).is_empty());
    let c = char_offset(EXAMPLE_TEXT, "deep concern") + 2;
    let s = char_offset(EXAMPLE_TEXT, "Vladimir Putin") + 3;
    drag_text(&mut f, c, s);
    assert_eq!(
        relations(&f),
        vec![Relation {
            from: claim,
            kind: "said_by".into(),
            to: speaker
        }]
    );
    // A link, not a text selection; the Claim is selected, so its
    // connector shows.
    assert_eq!(f.app().view.selection(), None);
    assert_eq!(f.app().view.selected, Some(claim));
    let msg = f.app().message.clone().expect("a message");
    assert!(msg.text.starts_with("linked: Claim"), "{msg:?}");
    // One undo step.
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(relations(&f).is_empty());
    f.key_mod(Modifiers::COMMAND, Key::Y);
    assert_eq!(relations(&f).len(), 1);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(relations(&f).is_empty());

    // From the Speaker to the Claim: the same link (the type is chosen by
    // the labels at both ends).
    drag_text(&mut f, s, c);
    assert_eq!(
        relations(&f),
        vec![Relation {
            from: claim,
            kind: "said_by".into(),
            to: speaker
        }]
    );
}

#[test]
fn a_drag_between_spans_no_link_type_connects_is_refused() {
    let mut f = fixture(example_project(), None);
    tag(&mut f, "Vladimir Putin", Key::S);
    tag(&mut f, "Recep Tayyip Erdogan", Key::S);
    let a = char_offset(EXAMPLE_TEXT, "Vladimir Putin") + 3;
    let b = char_offset(EXAMPLE_TEXT, "Recep Tayyip Erdogan") + 3;
    drag_text(&mut f, a, b);
    assert!(relations(&f).is_empty());
    let msg = f.app().message.clone().expect("a message");
    assert!(
        msg.error && msg.text.contains("no link between Speaker and Speaker"),
        "{msg:?}"
    );
}

#[test]
fn a_drag_from_a_span_released_on_plain_text_still_selects_text() {
    let mut f = fixture(example_project(), None);
    tag(&mut f, "Vladimir Putin", Key::S);
    let start = char_offset(EXAMPLE_TEXT, "Vladimir Putin voiced");
    // From inside "Putin" to inside "voiced": a selection, snapped to words.
    drag_text(&mut f, start + 11, start + 17);
    assert!(relations(&f).is_empty());
    assert_eq!(f.app().view.selection(), Some((start + 9, start + 21)));
}
