//! Files without a desktop portal (issue 13), headless with egui_kittest:
//! when the system file dialog cannot open (the dialogs seam answers
//! "unavailable", as rfd does without an XDG portal, zenity or kdialog), the
//! window asks with its own path dialog, says why in the status bar, and
//! goes on with the same flow: save a never-saved project, open, add
//! documents, a save that a quit waits for.

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture};

use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use sayso::app::{Modal, example_project};

const SAVE_FIELD: &str = "Path (the project file to write (.sayso is added))";
const OPEN_FIELD: &str = "Path (a .sayso project file)";
const DOCS_FIELD: &str = "Path (a .txt or .jsonl file, or a folder of them)";

fn set_field(f: &mut Fixture, text: String) {
    f.harness
        .state_mut()
        .path_dialog
        .as_mut()
        .expect("the path dialog is open")
        .field = text;
    f.settle();
}

fn field(f: &Fixture) -> String {
    f.app()
        .path_dialog
        .as_ref()
        .expect("the path dialog is open")
        .field
        .clone()
}

#[test]
fn without_a_desktop_portal_the_window_asks_with_its_own_path_dialog() {
    let mut f = fixture(example_project(), None);
    let dir = f.dir.path().to_path_buf();
    std::fs::create_dir(dir.join("projects")).expect("mkdir");
    std::fs::write(
        dir.join("press.txt"),
        "The minister said that taxes would rise.",
    )
    .expect("write");
    f.dialogs.set_unavailable("no XDG desktop portal (test)");

    // Save a never-saved project.
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.key_mod(Modifiers::COMMAND, Key::S);
    assert!(f.app().path_dialog.is_some(), "{:?}", f.app().message);
    let msg = f.app().message.clone().expect("a message");
    assert!(
        msg.text.contains("no XDG desktop portal (test)") && msg.text.contains("own path dialog"),
        "the status bar says why: {msg:?}"
    );
    f.harness
        .get_by_label_contains("Sayso's own path dialog, because no XDG");
    // Type the start of a folder's name: its entries complete it.
    set_field(&mut f, format!("{}/", dir.display()));
    f.harness
        .get_by_role_and_label(Role::TextInput, SAVE_FIELD)
        .type_text("pro");
    f.settle();
    assert_eq!(field(&f), format!("{}/pro", dir.display()));
    f.harness.get_by_label("projects/").click();
    f.settle();
    assert_eq!(field(&f), format!("{}/projects/", dir.display()));
    // A folder is no file name: refused inline, as a native dialog would.
    f.harness.get_by_label("Save").click();
    f.settle();
    f.harness
        .get_by_label_contains("is a folder; add a file name");
    assert!(f.app().is_dirty());
    f.harness
        .get_by_role_and_label(Role::TextInput, SAVE_FIELD)
        .type_text("mine");
    f.settle();
    f.harness.get_by_label("Save").click();
    f.settle();
    let saved = dir.join("projects").join("mine.sayso");
    assert!(
        f.app().path_dialog.is_none(),
        "{:?}",
        f.app().path_dialog.as_ref().map(|d| (&d.field, &d.error))
    );
    assert_eq!(f.app().path.as_deref(), Some(saved.as_path()));
    assert!(!f.app().is_dirty(), "{:?}", f.app().message);
    assert_eq!(
        sayso::project::load(&saved).expect("saved"),
        f.app().project
    );

    // Open: a file that is no project is refused; the recent folder and its
    // entries lead to the project.
    f.key_mod(Modifiers::COMMAND, Key::O);
    assert!(f.app().path_dialog.is_some());
    set_field(&mut f, format!("{}/press.txt", dir.display()));
    f.harness.get_by_label("Open").click();
    f.settle();
    f.harness.get_by_label_contains("is not a .sayso file");
    assert!(f.app().path_dialog.is_some());
    f.harness.get_by_label("projects").click();
    f.settle();
    let projects = std::fs::canonicalize(dir.join("projects")).expect("canonical");
    assert_eq!(field(&f), format!("{}/", projects.display()));
    f.harness.get_by_label("mine.sayso").click();
    f.settle();
    f.harness
        .get_by_role_and_label(Role::TextInput, OPEN_FIELD)
        .focus();
    f.harness.get_by_label("Open").click();
    f.settle();
    assert!(f.app().path_dialog.is_none(), "{:?}", f.app().message);
    assert_eq!(
        f.app().path.as_deref(),
        Some(projects.join("mine.sayso").as_path())
    );

    // Add documents: Cancel changes nothing; a text file by path.
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    f.harness.get_by_label("Cancel").click();
    f.settle();
    assert!(f.app().path_dialog.is_none());
    assert_eq!(f.app().project.documents.len(), 1);
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    set_field(&mut f, format!("{}/nothing.txt", dir.display()));
    f.harness.get_by_label("Add").click();
    f.settle();
    f.harness.get_by_label_contains("does not exist");
    set_field(&mut f, String::new());
    f.harness
        .get_by_role_and_label(Role::TextInput, DOCS_FIELD)
        .type_text(&format!("{}/press.txt", dir.display()));
    f.key(Key::Enter);
    assert!(f.app().path_dialog.is_none(), "Enter chooses");
    assert_eq!(f.app().project.documents.len(), 2);
    assert_eq!(f.app().project.documents[1].name, "press");
    // Nothing went to a native dialog but the seam's.
    assert!(f.dialogs.asked() >= 4);
}

#[test]
fn a_quit_waiting_for_a_save_goes_on_through_the_path_dialog() {
    let mut f = fixture(example_project(), None);
    f.dialogs.set_unavailable("no XDG desktop portal (test)");
    f.find_and_select("Dmitry Peskov");
    f.key(Key::S);
    f.key_mod(Modifiers::COMMAND, Key::Q);
    f.harness.get_by_label("Save").click();
    f.settle();
    assert!(f.app().path_dialog.is_some());
    // Cancel: back to the question, nothing lost.
    f.harness.get_by_label("Cancel").click();
    f.settle();
    assert!(matches!(f.app().modal, Some(Modal::Unsaved(_))));
    assert!(f.app().is_dirty());
    f.harness.get_by_label("Save").click();
    f.settle();
    let path = f.dir.path().join("quit.sayso");
    set_field(&mut f, path.display().to_string());
    f.harness.get_by_label("Save").click();
    f.settle();
    assert!(!f.app().is_dirty(), "{:?}", f.app().message);
    assert_eq!(sayso::project::load(&path).expect("saved"), f.app().project);
}
