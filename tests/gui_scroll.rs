//! Ctrl+End on a long document (issue 13): the first frame after the key
//! already draws the end of the document, never past it. The target was
//! computed from estimated paragraph heights and not clamped, so the first
//! frame scrolled beyond the end and egui corrected it a frame later.

#![cfg(feature = "gui")]

mod common;

use common::gui::fixture;

use eframe::egui::{self, Key, Modifiers};
use sayso::model::{Document, Edit, Project};

/// A long document: paragraphs of very different lengths, so that the
/// estimated heights are off.
fn long_project() -> Project {
    let mut text = String::new();
    for k in 0..600 {
        let words = [3, 80, 12, 1, 40][k % 5];
        for w in 0..words {
            text.push_str(if w % 7 == 0 { "Erdogan " } else { "said " });
        }
        text.push_str(&format!("paragraph {k}.\n"));
    }
    let mut project = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("long", &text)),
    }
    .apply(&mut project)
    .expect("add doc");
    project
}

#[test]
fn ctrl_end_draws_the_end_on_its_first_frame_never_past_it() {
    let mut f = fixture(long_project(), None);
    let len = f.app().project.documents[0].text.len_chars();
    f.harness.key_press_modifiers(Modifiers::COMMAND, Key::End);
    // The frame that handles the key, then the first that scrolls.
    for frame in 1..=4 {
        f.harness.step();
        let view = &f.app().view;
        let (id, content) = view.scroll_area().expect("the text's scroll area");
        let vp = view.viewport();
        let state = egui::scroll_area::State::load(&f.harness.ctx, id).expect("scroll state");
        let max = content - vp.height();
        assert!(
            vp.max.y <= content + 0.5,
            "frame {frame}: drew {vp:?} of {content} points of text"
        );
        assert!(
            state.unclamped_offset().y <= max + 0.5,
            "frame {frame}: offset {} past {max}",
            state.unclamped_offset().y
        );
    }
    assert_eq!(f.app().view.caret, len);
    let vp = f.app().view.viewport();
    let (_, content) = f.app().view.scroll_area().expect("scroll area");
    assert!(
        (vp.max.y - content).abs() < 1.0,
        "the end is shown: {vp:?} of {content}"
    );
}
