//! Details that cost analysts time (issue 13), headless with egui_kittest:
//! spans of punctuation alone are refused, Ctrl+Enter warns about pending
//! suggestions, a done document can be set back to to do, and keyboard
//! selections snap to whole words (Alt+click for exact).

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture, two_documents};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use sayso::app::{EXAMPLE_TEXT, Modal, example_project};
use sayso::model::{DocStatus, Edit};

fn char_offset(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

fn status(f: &Fixture, doc: usize) -> DocStatus {
    f.app().project.documents[doc].status
}

#[test]
fn spans_of_punctuation_alone_are_refused_with_a_message() {
    let mut f = fixture(example_project(), None);
    f.find_and_select(",");
    assert!(f.app().view.selection().is_some());
    f.key(Key::C);
    assert!(f.app().project.documents[0].spans.is_empty());
    let msg = f.app().message.clone().expect("a message");
    assert!(
        msg.error && msg.text.contains("no letter or digit"),
        "{msg:?}"
    );
    // "Tag all" skips them and says so.
    f.key_mod(Modifiers::COMMAND, Key::F);
    f.harness.get_by_label("Find").type_text("’");
    f.settle();
    let n = EXAMPLE_TEXT.matches('’').count();
    assert!(n > 0);
    f.harness.get_by_label(&format!("Tag {n}")).click();
    f.settle();
    assert!(f.app().project.documents[0].spans.is_empty());
    let msg = f.app().message.clone().expect("a message");
    assert!(msg.text.contains("have no letter or digit"), "{msg:?}");
}

#[test]
fn ctrl_enter_warns_about_pending_suggestions() {
    let mut f = fixture(two_documents(), None);
    f.key(Key::F5);
    f.wait_until("the rules", |a| a.run.is_none());
    let pending = f.app().project.documents[0].pending();
    assert!(pending > 0);
    f.key_mod(Modifiers::COMMAND, Key::Enter);
    assert!(
        matches!(f.app().modal, Some(Modal::PendingBeforeDone(n)) if n == pending),
        "{:?}",
        f.app().modal
    );
    f.harness
        .get_by_label_contains(&format!("has {pending} pending suggestion(s)"));
    f.harness.get_by_label("Cancel").click();
    f.settle();
    assert_ne!(status(&f, 0), DocStatus::Done);
    assert_eq!(f.app().doc, 0);
    // Review them: review mode opens on this document.
    f.key_mod(Modifiers::COMMAND, Key::Enter);
    f.harness.get_by_label("Review them").click();
    f.settle();
    assert!(f.app().review.open);
    assert_ne!(status(&f, 0), DocStatus::Done);
    // Mark done anyway.
    f.key_mod(Modifiers::COMMAND, Key::Enter);
    f.harness.get_by_label("Mark done anyway").click();
    f.settle();
    assert_eq!(status(&f, 0), DocStatus::Done);
    assert_eq!(f.app().doc, 1, "went to the next document not done");
}

#[test]
fn a_done_document_can_be_set_back_to_to_do() {
    let mut f = fixture(two_documents(), None);
    f.key_mod(Modifiers::COMMAND, Key::Enter);
    assert_eq!(status(&f, 0), DocStatus::Done);
    f.key_mod(Modifiers::COMMAND, Key::PageUp);
    assert_eq!(f.app().doc, 0);
    // Edit menu.
    f.harness.get_by_label("Edit").click();
    f.settle();
    f.harness.get_by_label("Set back to to do").click();
    f.settle();
    assert_eq!(status(&f, 0), DocStatus::Todo);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(status(&f, 0), DocStatus::Done, "one undo step");
    // The document list's context menu, on another document.
    f.harness.get_by_label("second").click_secondary();
    f.settle();
    f.harness.get_by_label("Mark done").click();
    f.settle();
    assert_eq!(status(&f, 1), DocStatus::Done);
    f.harness.get_by_label("second").click_secondary();
    f.settle();
    f.harness.get_by_label("Mark to do").click();
    f.settle();
    assert_eq!(status(&f, 1), DocStatus::Todo);
}

/// Clicks the text at code point `pos`, with `modifiers` held.
fn click_text(f: &mut Fixture, pos: usize, modifiers: Modifiers) {
    let p = f
        .harness
        .state_mut()
        .view
        .char_rect(pos)
        .expect("visible")
        .center();
    f.harness.event(egui::Event::ModifiersChanged(modifiers));
    f.harness.hover_at(p);
    f.harness.run_steps(1);
    for pressed in [true, false] {
        f.harness.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
        f.harness.run_steps(1);
    }
    f.harness
        .event(egui::Event::ModifiersChanged(Modifiers::NONE));
    f.settle();
}

#[test]
fn keyboard_selections_snap_to_whole_words_and_alt_click_keeps_them_exact() {
    let mut f = fixture(example_project(), None);
    let start = char_offset(EXAMPLE_TEXT, "Vladimir Putin voiced");
    // Caret inside "Vladimir" (Vla|dimir), Shift+→ twice.
    click_text(&mut f, start + 3, Modifiers::NONE);
    assert_eq!(f.app().view.caret, start + 3);
    f.key_mod(Modifiers::SHIFT, Key::ArrowRight);
    f.key_mod(Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(f.app().view.selection(), Some((start, start + 14)));
    f.key(Key::S);
    let doc = &f.app().project.documents[0];
    assert_eq!(doc.span_text(&doc.spans[0]), "Vladimir Putin");
    f.key_mod(Modifiers::COMMAND, Key::Z);

    // Leftwards from inside a word takes that word's end too.
    click_text(&mut f, start + 12, Modifiers::NONE);
    f.key_mod(Modifiers::SHIFT, Key::ArrowLeft);
    assert_eq!(f.app().view.selection(), Some((start + 9, start + 14)));

    // Alt+click: the selection starts exactly at the caret.
    click_text(&mut f, start + 3, Modifiers::ALT);
    f.key_mod(Modifiers::SHIFT, Key::ArrowRight);
    f.key_mod(Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(f.app().view.selection(), Some((start + 3, start + 14)));
}

#[test]
fn the_status_bar_counts_in_words_and_says_what_is_saved() {
    let mut f = fixture(example_project(), None);
    // The bundled example was never saved: no claim that it was.
    f.harness.get_by_label("Not saved yet");
    f.harness.get_by_label("1 document, 0 done");
    f.find_and_select("Putin");
    f.key(Key::S);
    assert_eq!(f.app().project.documents[0].spans.len(), 1);
    f.harness.get_by_label_contains("1 span (");
    f.harness.get_by_label("0 links");
    // A rejected span is no span of the annotation.
    let id = f.app().project.documents[0].spans[0].id;
    assert!(f.harness.state_mut().apply_edit(Edit::SetReview {
        doc: 0,
        id,
        review: sayso::model::ReviewState::Rejected,
    }));
    f.settle();
    f.harness.get_by_label_contains("0 spans (");
}

#[test]
fn bundled_rules_ask_before_dropping_edits_and_take_the_rule_error_off_the_status_bar() {
    let mut f = fixture(example_project(), None);
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    f.harness.state_mut().rule_editor.text = "RuleFile(rules: [".into();
    f.harness.get_by_label("Apply").click();
    f.settle();
    f.wait_rule_check();
    let msg = f.app().message.clone().expect("a message");
    assert!(msg.error && msg.text.contains("has an error"), "{msg:?}");
    // The edits are neither applied nor saved: the editor asks first.
    f.harness.get_by_label("Bundled rules").click();
    f.settle();
    assert_eq!(f.app().rule_editor.text, "RuleFile(rules: [");
    f.harness.get_by_label("Keep my edits").click();
    f.settle();
    assert_eq!(f.app().rule_editor.text, "RuleFile(rules: [");
    f.harness.get_by_label("Bundled rules").click();
    f.settle();
    f.harness
        .get_by_label("Replace them with the bundled rules")
        .click();
    f.settle();
    assert_ne!(f.app().rule_editor.text, "RuleFile(rules: [");
    assert!(
        f.app().message.as_ref().is_none_or(|m| !m.error),
        "{:?}",
        f.app().message
    );
}

#[test]
fn help_shows_the_bundled_annotation_guide_and_about() {
    let mut f = fixture(example_project(), None);
    f.harness.get_by_label("Help").click();
    f.settle();
    f.harness.get_by_label("Annotation guide").click();
    f.settle();
    assert!(f.app().help.guide);
    // The guide's own words, in the window.
    f.harness
        .get_by_label("Annotation guide: speakers, claims and stances");
    f.harness.get_by_label("Help").click();
    f.settle();
    f.harness.get_by_label("About Sayso").click();
    f.settle();
    f.harness
        .get_by_label(&format!("Sayso {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn escape_in_an_inspector_field_keeps_what_was_typed_and_the_span() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    let selected = f.app().view.selected;
    assert!(selected.is_some());
    f.key(Key::Enter);
    f.harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "entity")
        .type_text("Dmitry Peskov");
    f.settle();
    f.key(Key::Escape);
    let doc = &f.app().project.documents[0];
    assert_eq!(
        doc.spans[0].attrs.get("entity").map(String::as_str),
        Some("Dmitry Peskov"),
        "Escape keeps the value, as Enter and Tab do"
    );
    assert_eq!(f.app().view.selected, selected, "the span stays selected");
}

#[test]
fn escape_in_the_find_field_closes_the_find_bar() {
    let mut f = fixture(example_project(), None);
    f.key_mod(Modifiers::COMMAND, Key::F);
    f.harness.get_by_label("Find").type_text("Putin");
    f.settle();
    assert!(f.harness.query_by_label("Find").is_some());
    f.key(Key::Escape);
    assert!(
        f.harness.query_by_label("Find").is_none(),
        "the find bar closed"
    );
}

#[test]
fn page_down_and_up_scroll_a_screen_and_take_the_caret_along() {
    // A small window, so that the example is several screens long.
    let mut f =
        common::gui::fixture_sized(example_project(), None, None, egui::vec2(1000.0, 420.0));
    assert_eq!(f.app().view.caret, 0);
    f.key(Key::PageDown);
    let after_one = f.app().view.caret;
    assert!(after_one > 0, "the caret went down with the page");
    f.key(Key::PageDown);
    let after_two = f.app().view.caret;
    assert!(after_two > after_one, "{after_two} > {after_one}");
    f.key(Key::PageUp);
    let back = f.app().view.caret;
    assert!(back < after_two, "{back} < {after_two}");
    // The caret is where the page shows it: Ctrl+Home still goes back up.
    f.key_mod(Modifiers::COMMAND, Key::Home);
    assert_eq!(f.app().view.caret, 0);
}

#[test]
fn find_marks_every_match_while_the_bar_is_open() {
    let mut f = fixture(example_project(), None);
    f.key_mod(Modifiers::COMMAND, Key::F);
    f.harness.get_by_label("Find").type_text("Putin");
    f.settle();
    let n = EXAMPLE_TEXT.matches("Putin").count();
    assert!(n > 2);
    let marked = f.app().view.find_matches.clone();
    assert_eq!(
        marked.len(),
        n,
        "all matches are marked, not only the current one"
    );
    let first = char_offset(EXAMPLE_TEXT, "Putin");
    assert_eq!(marked[0], (first, first + 5));
    f.key(Key::Escape);
    f.settle();
    assert!(f.app().view.find_matches.is_empty());
}

#[test]
fn label_keys_do_nothing_while_a_panel_widget_has_the_keyboard() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    assert_eq!(f.app().project.documents[0].spans[0].label, "Speaker");
    // Enter gives the inspector the keyboard; Tab on to a widget of it
    // that is no text field (a list or a button).
    f.key(Key::Enter);
    let view_id = f.app().view.id();
    for _ in 0..8 {
        if !f.harness.ctx.text_edit_focused() {
            break;
        }
        f.key(Key::Tab);
    }
    assert!(!f.harness.ctx.text_edit_focused());
    assert!(
        f.harness
            .ctx
            .memory(|m| m.focused())
            .is_some_and(|id| id != view_id)
    );
    f.key(Key::C);
    assert_eq!(
        f.app().project.documents[0].spans[0].label,
        "Speaker",
        "C went to the inspector, not to the text"
    );
}
