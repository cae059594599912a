//! The window under test: the real [`App`] driven headless by egui_kittest.

use std::path::PathBuf;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use sayso::app::example_project;
use sayso::app::{App, AppEnv, ScriptedDialogs, Settings};
use sayso::model::{Document, Edit, Project};

/// The real app in a headless harness, with scripted file dialogs and a
/// temporary data folder (never the user's settings or files).
pub struct Fixture {
    pub harness: Harness<'static, App>,
    pub dialogs: ScriptedDialogs,
    pub dir: tempfile::TempDir,
}

pub fn fixture(project: Project, path: Option<PathBuf>) -> Fixture {
    fixture_sized(project, path, None, egui::vec2(1300.0, 820.0))
}

/// A window whose data folder is `data_dir` (shared with other windows)
/// instead of its own temporary folder, at `size`.
pub fn fixture_sized(
    project: Project,
    path: Option<PathBuf>,
    data_dir: Option<&std::path::Path>,
    size: egui::Vec2,
) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::new();
    let env = AppEnv {
        dialogs: Box::new(dialogs.clone()),
        data_dir: Some(data_dir.unwrap_or(dir.path()).to_path_buf()),
        settings: Settings {
            annotator: "tester".into(),
            ..Settings::default()
        },
    };
    let harness = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| App::with_project(cc, project, path, env));
    let mut f = Fixture {
        harness,
        dialogs,
        dir,
    };
    f.settle();
    f
}

impl Fixture {
    pub fn settle(&mut self) {
        self.harness.run_steps(3);
    }

    /// Steps frames until `done` holds (at most 60 s).
    pub fn wait_until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let t = std::time::Instant::now();
        while !done(self.app()) {
            assert!(
                t.elapsed() < std::time::Duration::from_secs(60),
                "waited 60 s for {what}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
            self.harness.step();
        }
        self.settle();
    }

    /// Waits for the rule editor's background parse (Preview, Apply).
    pub fn wait_rule_check(&mut self) {
        self.wait_until("the rule check", |a| a.rule_editor.parsing.is_none());
    }

    pub fn app(&self) -> &App {
        self.harness.state()
    }

    pub fn key(&mut self, key: Key) {
        self.harness.key_press(key);
        self.settle();
    }

    pub fn key_mod(&mut self, modifiers: Modifiers, key: Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.settle();
    }

    /// Selects the first occurrence of `needle` through Find (Ctrl+F,
    /// type, Enter), then gives the keyboard back to the text (Escape).
    pub fn find_and_select(&mut self, needle: &str) {
        self.key_mod(Modifiers::COMMAND, Key::F);
        let field = self.harness.get_by_label("Find");
        field.type_text(needle);
        self.settle();
        self.key(Key::Enter);
        self.key(Key::Escape);
    }
}

/// The bundled example and a short second document.
pub fn two_documents() -> Project {
    let mut project = example_project();
    Edit::AddDocument {
        at: 1,
        document: Box::new(Document::new(
            "second",
            "Erdogan said that talks must resume.",
        )),
    }
    .apply(&mut project)
    .expect("add doc");
    project
}
