//! The window on laptop screens (issue 13), headless with egui_kittest: at
//! 800×600, 1024×700 and 1280×800 no panel covers the text column, which
//! keeps at least 360 points; the review panel shares the right column with
//! the inspector; the current suggestion is in view in review mode; side
//! panels stay within their bounds when dragged, hide with Ctrl+B / Ctrl+I
//! and the View menu; long document names are elided.

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture_sized};

use eframe::egui::{self, Key, Modifiers, Rect};
use egui_kittest::kittest::Queryable as _;
use sayso::app::layout::{DOCUMENTS, RIGHT, TEXT_MIN};
use sayso::model::Project;

const LONG_NAME: &str =
    "huff-post_2016-09-16_black-lawmakers-rip-donald-trump-over-birther-remarks";
const SIZES: [(f32, f32); 3] = [(800.0, 600.0), (1024.0, 700.0), (1280.0, 800.0)];

/// The example article under a long name, and a second document.
fn project() -> Project {
    let mut project = common::gui::two_documents();
    project.documents[0].name = LONG_NAME.into();
    project
}

fn window(w: f32, h: f32) -> Fixture {
    fixture_sized(project(), None, None, egui::vec2(w, h))
}

/// The text column: wide enough, inside the window, and covered by no panel.
fn check_text_column(f: &Fixture, w: f32, what: &str) -> Rect {
    let rects = f.app().panel_rects;
    let text = rects.text.expect("the text column was drawn");
    assert!(
        text.width() >= TEXT_MIN,
        "{what} at {w}: the text column is {} wide",
        text.width()
    );
    assert!(text.max.x <= w + 0.5, "{what} at {w}: {text:?} runs off");
    let inner = text.shrink(1.0);
    for (name, panel) in [
        ("documents", rects.documents),
        ("right", rects.right),
        ("review", rects.review),
    ] {
        if let Some(p) = panel {
            assert!(
                !p.intersects(inner),
                "{what} at {w}: the {name} panel {p:?} covers the text {text:?}"
            );
            assert!(p.max.x <= w + 0.5, "{what} at {w}: {name} {p:?} runs off");
        }
    }
    // The text view itself (what AccessKit reports) is inside the column.
    let view = f.harness.get_by_label("Document text").rect();
    assert!(
        text.expand(1.0).contains_rect(view),
        "{what} at {w}: view {view:?} outside {text:?}"
    );
    // The header: the Tag buttons and the document's name are inside the
    // column and do not overlap.
    // (The list has a button of the same name.)
    let name = f
        .harness
        .query_all_by_label(LONG_NAME)
        .map(|n| n.rect())
        .find(|r| r.min.x >= text.min.x - 1.0)
        .expect("the name in the header");
    let tag = f.harness.get_by_label("Tag as:").rect();
    assert!(
        text.expand(1.0).contains_rect(name),
        "{what} at {w}: {name:?}"
    );
    assert!(
        text.expand(1.0).contains_rect(tag),
        "{what} at {w}: {tag:?}"
    );
    assert!(
        name.max.x <= tag.min.x,
        "{what} at {w}: the name {name:?} overlaps the Tag controls {tag:?}"
    );
    text
}

fn run_rules(f: &mut Fixture) {
    f.key(Key::F5);
    f.wait_until("the rules", |a| a.run.is_none());
}

#[test]
fn no_panel_covers_the_text_at_laptop_sizes_and_the_suggestion_is_in_view() {
    for (w, h) in SIZES {
        let mut f = window(w, h);
        check_text_column(&f, w, "start");
        let rects = f.app().panel_rects;
        assert!(rects.documents.is_some() && rects.right.is_some(), "at {w}");
        // The long name does not widen the list.
        let docs = rects.documents.expect("documents");
        assert!(docs.width() <= DOCUMENTS.default + 1.0, "{docs:?} at {w}");

        run_rules(&mut f);
        f.key_mod(Modifiers::COMMAND, Key::R);
        assert!(f.app().review.open);
        let text = check_text_column(&f, w, "review mode");
        let rects = f.app().panel_rects;
        let (review, right) = (rects.review.expect("review"), rects.right.expect("right"));
        assert!(
            right.expand(1.0).contains_rect(review),
            "the review panel shares the right column at {w}"
        );
        // Step through a few suggestions: each is selected and in view.
        for _ in 0..4 {
            let id = f.app().view.selected.expect("a current suggestion");
            let span = f.app().project.documents[0].span(id).expect("span").clone();
            assert_eq!(span.review, sayso::model::ReviewState::Suggested);
            let r = f
                .harness
                .state_mut()
                .view
                .char_rect(span.start)
                .expect("laid out");
            let view = f.harness.get_by_label("Document text").rect();
            assert!(
                view.contains_rect(r) && text.contains_rect(r),
                "at {w}: suggestion at {r:?} not in view {view:?}"
            );
            f.key(Key::J);
        }
        // Review mode without the inspector: the review panel alone.
        f.key_mod(Modifiers::COMMAND, Key::I);
        check_text_column(&f, w, "review without inspector");
        assert!(f.app().panel_rects.review.is_some());
    }
}

#[test]
fn side_panels_hide_with_keys_and_the_view_menu_and_stay_within_bounds() {
    let (w, h) = (1280.0, 800.0);
    let mut f = window(w, h);
    let before = check_text_column(&f, w, "start").width();
    f.key_mod(Modifiers::COMMAND, Key::B);
    assert!(!f.app().settings.show_documents);
    assert!(f.app().panel_rects.documents.is_none());
    let wider = check_text_column(&f, w, "no list").width();
    assert!(
        wider > before,
        "the text re-wraps wider: {before} → {wider}"
    );
    f.key_mod(Modifiers::COMMAND, Key::I);
    assert!(f.app().panel_rects.right.is_none());
    check_text_column(&f, w, "no panels");
    // Back through the View menu.
    f.harness.get_by_label("View").click();
    f.settle();
    f.harness.get_by_label_contains("Document list").click();
    f.settle();
    assert!(f.app().settings.show_documents);
    f.harness.get_by_label("View").click();
    f.settle();
    f.harness.get_by_label_contains("Inspector").click();
    f.settle();
    assert!(f.app().settings.show_inspector);
    check_text_column(&f, w, "both back");

    // Dragging the list's edge far out stops at its maximum, and far in at
    // its minimum; the text keeps its width.
    let docs = f.app().panel_rects.documents.expect("documents");
    let edge = egui::pos2(docs.max.x, docs.center().y);
    for to in [w - 100.0, 10.0] {
        let edge_now = {
            let d = f.app().panel_rects.documents.expect("documents");
            egui::pos2(d.max.x, edge.y)
        };
        f.harness.hover_at(edge_now);
        f.harness.run_steps(1);
        f.harness.drag_at(edge_now);
        f.harness.run_steps(1);
        for k in 1..=5 {
            let x = edge_now.x + (to - edge_now.x) * k as f32 / 5.0;
            f.harness.hover_at(egui::pos2(x, edge.y));
            f.harness.run_steps(1);
        }
        f.harness.drop_at(egui::pos2(to, edge.y));
        f.settle();
        let d = f.app().panel_rects.documents.expect("documents");
        assert!(
            d.width() >= DOCUMENTS.min - 1.0 && d.width() <= DOCUMENTS.max + 1.0,
            "dragged to {to}: {d:?}"
        );
        if to > edge.x {
            assert!(d.width() > docs.width() + 50.0, "it did get wider: {d:?}");
        } else {
            assert!(d.width() < docs.width(), "it did get narrower: {d:?}");
        }
        check_text_column(&f, w, "after a drag");
    }
    let right = f.app().panel_rects.right.expect("right");
    assert!(right.width() <= RIGHT.max + 1.0);
}

#[test]
fn a_narrow_window_gives_way_with_the_document_list_first() {
    let (w, h) = (640.0, 480.0);
    let mut f = window(w, h);
    check_text_column(&f, w, "narrow");
    assert!(f.app().panel_rects.documents.is_none());
    assert!(f.app().layout_budget.documents_squeezed);
    assert!(f.app().panel_rects.right.is_some());
    f.harness.get_by_label("View").click();
    f.settle();
    f.harness
        .get_by_label_contains("no room at this window width");
}
