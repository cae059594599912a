//! Drives the real workbench window headless with egui_kittest: no display,
//! no native dialogs (scripted answers), no user settings (a temporary
//! data folder), and asserts on the model.

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use sayso::app::{EXAMPLE_TEXT, example_project};
use sayso::model::{DocStatus, Document, Edit, Project};

/// Code point offset of the first `needle` in `text`.
fn char_offset(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

fn two_documents() -> Project {
    let mut project = example_project();
    let doc = Document::new(
        "second",
        "Erdogan said that talks must resume. He called it “urgent”.",
    );
    Edit::AddDocument {
        at: 1,
        document: Box::new(doc),
    }
    .apply(&mut project)
    .expect("add doc");
    project
}

#[test]
fn keyboard_selection_and_speaker_hotkey_make_a_span_in_code_points() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    assert!(
        f.app().view.selection().is_some(),
        "find selected the match"
    );
    f.key(Key::S);

    let doc = &f.app().project.documents[0];
    let start = char_offset(EXAMPLE_TEXT, "Dmitry Peskov");
    // Curly quotes and apostrophes come before: bytes and code points differ.
    assert_ne!(start, EXAMPLE_TEXT.find("Dmitry Peskov").unwrap_or(0));
    let span = doc
        .spans
        .iter()
        .find(|s| s.label == "Speaker")
        .expect("a Speaker span");
    assert_eq!(
        (span.start, span.end),
        (start, start + "Dmitry Peskov".chars().count())
    );
    assert_eq!(doc.span_text(span), "Dmitry Peskov");
    assert_eq!(doc.status, DocStatus::InProgress);
    assert!(f.app().is_dirty());
}

#[test]
fn mouse_drag_selects_whole_words_without_spaces() {
    let mut f = fixture(example_project(), None);
    let text = EXAMPLE_TEXT;
    let start = char_offset(text, "Vladimir Putin voiced");
    // Press inside "Vladimir", release inside "Putin": snapping makes it
    // "Vladimir Putin".
    let (a, b) = {
        let view = &mut f.harness.state_mut().view;
        let a = view.char_rect(start + 2).expect("visible");
        let b = view.char_rect(start + 12).expect("visible");
        (a.center(), b.center())
    };
    f.harness.hover_at(a);
    f.harness.run_steps(1);
    f.harness.drag_at(a);
    f.harness.run_steps(1);
    for k in 1..=5 {
        f.harness.hover_at(a + (b - a) * (k as f32 / 5.0));
        f.harness.run_steps(1);
    }
    f.harness.drop_at(b);
    f.settle();
    assert_eq!(f.app().view.selection(), Some((start, start + 14)));
    f.key(Key::S);
    let doc = &f.app().project.documents[0];
    assert_eq!(doc.spans.len(), 1);
    assert_eq!(doc.span_text(&doc.spans[0]), "Vladimir Putin");
}

#[test]
fn relabel_undo_and_redo() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    // The new span is selected: a label key relabels it.
    f.key(Key::C);
    let label = |f: &Fixture| {
        f.app().project.documents[0]
            .spans
            .first()
            .map(|s| s.label.clone())
    };
    assert_eq!(label(&f).as_deref(), Some("Claim"));
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(label(&f).as_deref(), Some("Speaker"));
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(label(&f).as_deref(), Some("Claim"));
    f.key_mod(Modifiers::COMMAND, Key::Z);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(f.app().project.documents[0].spans.is_empty());
    f.key_mod(Modifiers::COMMAND, Key::Y);
    assert_eq!(label(&f).as_deref(), Some("Speaker"));
    // Alt+Left pulls the end back one word.
    f.key_mod(Modifiers::ALT, Key::ArrowLeft);
    let doc = &f.app().project.documents[0];
    assert_eq!(doc.span_text(&doc.spans[0]), "Dmitry");
    // Delete removes the selected span.
    f.key(Key::Delete);
    assert!(f.app().project.documents[0].spans.is_empty());
}

#[test]
fn claims_link_to_the_nearest_speaker_and_in_the_inspector() {
    let mut f = fixture(example_project(), None);
    // Auto-link: a Claim after its Speaker in the same sentence.
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.find_and_select("the Kremlin has been in contact with both sides");
    f.key(Key::C);
    let doc = &f.app().project.documents[0];
    assert_eq!(doc.relations.len(), 1, "the claim was linked automatically");
    let speaker = doc
        .spans
        .iter()
        .find(|s| s.label == "Speaker")
        .expect("speaker")
        .id;
    assert_eq!(doc.relations[0].to, speaker);
    assert_eq!(doc.relations[0].kind, "said_by");

    // A claim with no speaker nearby stays unlinked; link it by hand.
    f.find_and_select("necessary");
    f.key(Key::C);
    let claim = f.app().view.selected.expect("new claim selected");
    assert_eq!(f.app().project.documents[0].relations.len(), 1);
    f.harness.get_by_label("said_by").click();
    f.settle();
    let start = char_offset(EXAMPLE_TEXT, "Dmitry Peskov");
    f.harness
        .get_by_label(&format!("Dmitry Peskov · {start}"))
        .click();
    f.settle();
    let doc = &f.app().project.documents[0];
    assert!(
        doc.relations
            .iter()
            .any(|r| r.from == claim && r.to == speaker && r.kind == "said_by"),
        "linked in the inspector: {:?}",
        doc.relations
    );
    // One undo takes the link away again.
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(
        !f.app().project.documents[0]
            .relations
            .iter()
            .any(|r| r.from == claim)
    );
}

#[test]
fn mark_done_goes_to_the_next_document_not_done() {
    let mut f = fixture(two_documents(), None);
    assert_eq!(f.app().doc, 0);
    f.key_mod(Modifiers::COMMAND, Key::Enter);
    assert_eq!(f.app().project.documents[0].status, DocStatus::Done);
    assert_eq!(f.app().doc, 1);
    f.key_mod(Modifiers::COMMAND, Key::PageUp);
    assert_eq!(f.app().doc, 0);
    f.key_mod(Modifiers::COMMAND, Key::PageDown);
    assert_eq!(f.app().doc, 1);
    // The document list switches too.
    f.harness.get_by_label_contains("putin-gaza").click();
    f.settle();
    assert_eq!(f.app().doc, 0);
}

#[test]
fn save_and_reload_give_the_same_project() {
    let mut f = fixture(two_documents(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.find_and_select("necessary");
    f.key(Key::C);
    let path = f.dir.path().join("saved.sayso");
    f.dialogs.answer_save(&path);
    f.key_mod(Modifiers::COMMAND, Key::S);
    assert!(!f.app().is_dirty(), "{:?}", f.app().message);
    assert_eq!(f.app().path.as_deref(), Some(path.as_path()));
    let back = sayso::project::load(&path).expect("reload");
    assert_eq!(back, f.app().project);
    // Nothing was asked of a real dialog, only of the scripted one.
    assert_eq!(f.dialogs.asked(), 1);
}

#[test]
fn opening_another_project_with_unsaved_changes_asks_first() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.key_mod(Modifiers::COMMAND, Key::O);
    assert!(f.app().modal.is_some(), "asks to save");
    assert_eq!(f.dialogs.asked(), 0);
    f.harness.get_by_label("Cancel").click();
    f.settle();
    assert!(f.app().modal.is_none());
    assert_eq!(f.app().project.documents[0].spans.len(), 1);
    // Don't save: the open dialog comes (and is cancelled here).
    f.key_mod(Modifiers::COMMAND, Key::O);
    f.harness.get_by_label("Don't save").click();
    f.settle();
    assert_eq!(f.dialogs.asked(), 1);
}

#[test]
fn tab_cycles_spans_and_find_tags_all_matches_in_one_step() {
    let mut f = fixture(example_project(), None);
    f.key_mod(Modifiers::COMMAND, Key::F);
    f.harness.get_by_label("Find").type_text("Putin");
    f.settle();
    let count = EXAMPLE_TEXT.matches("Putin").count();
    f.harness.get_by_label(&format!("Tag {count}")).click();
    f.settle();
    let n = f.app().project.documents[0].spans.len();
    assert_eq!(n, count, "{:?}", f.app().message);
    assert!(
        f.app().project.documents[0]
            .spans
            .iter()
            .all(|s| s.label == "Speaker")
    );
    f.key(Key::Escape);
    f.key(Key::Tab);
    let first = f.app().project.documents[0].spans[0].id;
    assert_eq!(f.app().view.selected, Some(first));
    f.key(Key::Tab);
    assert_eq!(
        f.app().view.selected,
        Some(f.app().project.documents[0].spans[1].id)
    );
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(
        f.app().project.documents[0].spans.is_empty(),
        "one undo step"
    );
}

#[test]
fn shortcuts_window_opens_with_f1() {
    let mut f = fixture(example_project(), None);
    f.key(Key::F1);
    assert!(f.app().show_shortcuts);
    assert!(f.harness.query_all_by_label("Keyboard shortcuts").count() >= 1);
    f.key(Key::Escape);
    assert!(!f.app().show_shortcuts);
}

#[test]
fn enter_opens_the_inspector_and_typing_sets_an_attribute() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.key(Key::Enter);
    f.harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "entity")
        .type_text("Dmitry Peskov");
    f.settle();
    f.key(Key::Enter);
    let doc = &f.app().project.documents[0];
    assert_eq!(
        doc.spans[0].attrs.get("entity").map(String::as_str),
        Some("Dmitry Peskov")
    );
    // Undo takes the attribute back off.
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(f.app().project.documents[0].spans[0].attrs.is_empty());
}

#[test]
fn entity_field_offers_the_spellings_other_spans_have() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Vladimir Putin");
    f.key(Key::S);
    f.key(Key::Enter);
    f.harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "entity")
        .type_text("Vladimir Putin");
    f.settle();
    f.key(Key::Enter);
    // A second mention: typing part of the name offers the first spelling.
    f.find_and_select("Putin also");
    f.key(Key::S);
    f.key(Key::Enter);
    f.harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "entity")
        .type_text("putin");
    f.settle();
    f.harness.get_by_label("use “Vladimir Putin”").click();
    f.settle();
    let doc = &f.app().project.documents[0];
    let entities: Vec<Option<&str>> = doc
        .spans
        .iter()
        .map(|s| s.attrs.get("entity").map(String::as_str))
        .collect();
    assert_eq!(entities, [Some("Vladimir Putin"), Some("Vladimir Putin")]);
    // The choice is one edit, and the partial `putin` was never set.
    f.key_mod(Modifiers::COMMAND, Key::Z);
    let doc = &f.app().project.documents[0];
    assert_eq!(doc.spans.iter().filter(|s| s.attrs.is_empty()).count(), 1);
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    let mut f = fixture(example_project(), None);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    f.harness.step();
    assert!(f.app().modal.is_some(), "asks to save instead of closing");
}

#[test]
fn file_export_writes_the_chosen_review_states_where_the_user_says() {
    let mut project = example_project();
    let text = EXAMPLE_TEXT;
    let start = char_offset(text, "Vladimir Putin");
    let mut spans = Vec::new();
    for (i, review) in [
        sayso::model::ReviewState::Accepted,
        sayso::model::ReviewState::Suggested,
    ]
    .into_iter()
    .enumerate()
    {
        let id = project.new_span_id();
        let mut span = sayso::model::Span::manual(id, start + i, start + 14, "Speaker", "tester");
        span.review = review;
        spans.push(Edit::AddSpan {
            doc: 0,
            span,
            relations: vec![],
        });
    }
    Edit::Batch {
        description: "fixture".into(),
        edits: spans,
    }
    .apply(&mut project)
    .expect("spans");
    let mut f = fixture(project, None);
    f.key_mod(Modifiers::COMMAND, Key::E);
    assert!(f.app().export.open, "Ctrl+E opens the export window");
    let out = f.dir.path().join("out.jsonl");
    f.dialogs.answer_save(&out);
    f.harness.get_by_label("Export…").click();
    f.settle();
    let written = std::fs::read_to_string(&out).expect("export written");
    let record: serde_json::Value = serde_json::from_str(written.lines().next().unwrap()).unwrap();
    let spans = record["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 1, "accepted only by default");
    assert_eq!(spans[0]["text"], "Vladimir Putin");
    assert!(
        f.harness
            .query_all_by_label_contains("exported 1 document(s)")
            .next()
            .is_some()
    );

    // With pending suggestions too, into a new file.
    f.harness.get_by_label("pending").click();
    f.settle();
    let out2 = f.dir.path().join("all.jsonl");
    f.dialogs.answer_save(&out2);
    f.harness.get_by_label("Export…").click();
    f.settle();
    let written = std::fs::read_to_string(&out2).expect("second export written");
    let record: serde_json::Value = serde_json::from_str(written.lines().next().unwrap()).unwrap();
    assert_eq!(record["spans"].as_array().unwrap().len(), 2);

    // An existing file is not replaced without asking.
    f.dialogs.answer_save(&out2);
    f.harness.get_by_label("Export…").click();
    f.settle();
    assert!(
        f.app()
            .message
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("exists already"))
    );
}

#[test]
fn tab_moves_between_inspector_widgets_instead_of_spans() {
    let mut f = fixture(example_project(), None);
    // Two spans, so that cycling spans would change the selection.
    f.find_and_select("Vladimir Putin");
    f.key(Key::S);
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    assert_eq!(f.app().project.documents[0].spans.len(), 2);
    let speaker = f.app().view.selected;
    assert!(speaker.is_some());
    f.key(Key::Enter);
    let view_id = f.app().view.id();
    let focus = |f: &Fixture| f.harness.ctx.memory(|m| m.focused());
    let first = focus(&f);
    assert!(
        first.is_some_and(|id| id != view_id),
        "the inspector has the keyboard"
    );
    f.key(Key::Tab);
    let second = focus(&f);
    assert!(
        second.is_some_and(|id| id != view_id && Some(id) != first),
        "Tab went to the next widget"
    );
    f.key(Key::Tab);
    assert_eq!(
        f.app().view.selected,
        speaker,
        "Tab in the inspector does not cycle spans"
    );
}

#[test]
fn a_locked_project_opens_as_a_read_only_copy_and_the_window_locks_what_it_writes() {
    let mut f = fixture(example_project(), None);
    let dir = f.dir.path().to_path_buf();
    let locked = dir.join("locked.sayso");
    sayso::project::save(&two_documents(), &locked).expect("save");
    let on_disk = std::fs::read(&locked).expect("read");
    // Another Sayso holds it: a running process (this test's) of this host.
    let lock_text = format!(
        "pid: {}\nhost: {}\n",
        std::process::id(),
        sayso::project::lock::host_name()
    );
    std::fs::write(dir.join("locked.sayso.lock"), &lock_text).expect("lock");

    f.dialogs.answer_open(&locked);
    f.key_mod(Modifiers::COMMAND, Key::O);
    assert!(
        matches!(f.app().modal, Some(sayso::app::Modal::Locked(..))),
        "{:?}",
        f.app().message
    );
    f.harness
        .get_by_label_contains("is being changed by another Sayso");
    f.harness.get_by_label("Open read-only").click();
    f.settle();
    assert_eq!(f.app().path, None, "not opened for writing");
    assert_eq!(
        f.app().project,
        sayso::project::load(&locked).expect("load")
    );

    // Saving asks for a name; the locked file itself is refused.
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.dialogs.answer_save(&locked);
    f.key_mod(Modifiers::COMMAND, Key::S);
    let msg = f.app().message.clone().expect("a message");
    assert!(msg.error && msg.text.contains("not saved"), "{msg:?}");
    assert!(f.app().is_dirty());
    assert_eq!(std::fs::read(&locked).expect("read"), on_disk);
    let copy = dir.join("copy.sayso");
    f.dialogs.answer_save(&copy);
    f.key_mod(Modifiers::COMMAND, Key::S);
    assert!(!f.app().is_dirty(), "{:?}", f.app().message);
    assert_eq!(f.app().path.as_deref(), Some(copy.as_path()));
    assert_eq!(
        std::fs::read_to_string(dir.join("locked.sayso.lock")).expect("lock"),
        lock_text,
        "the other Sayso's lock stays"
    );

    // The window holds the lock of the file it writes: a command that
    // would change it is refused while it is open.
    let held = std::fs::read_to_string(dir.join("copy.sayso.lock")).expect("window's lock");
    assert!(
        held.contains(&format!("pid: {}", std::process::id())),
        "{held}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(["suggest", "copy.sayso"])
        .current_dir(&dir)
        .output()
        .expect("sayso runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is being changed by another Sayso"));

    // Opening another project lets go of it.
    let other = dir.join("other.sayso");
    sayso::project::save(&example_project(), &other).expect("save");
    f.dialogs.answer_open(&other);
    f.key_mod(Modifiers::COMMAND, Key::O);
    assert_eq!(f.app().path.as_deref(), Some(other.as_path()));
    assert!(!dir.join("copy.sayso.lock").exists());
    assert!(dir.join("other.sayso.lock").exists());
}

#[test]
fn a_filtered_document_list_says_how_many_it_shows() {
    let mut f = fixture(common::gui::two_documents(), None);
    assert!(f.harness.query_by_label_contains("of 2 shown").is_none());
    let field = f.harness.get_by_label("Filter by name");
    field.focus();
    field.type_text("sec");
    f.settle();
    f.harness.get_by_label("1 of 2 shown");
    f.harness.get_by_label("Filter by name").type_text("zzz");
    f.settle();
    f.harness.get_by_label("0 of 2 shown");
}
