//! The seam to native file dialogs. The app asks a [`FileDialogs`] for
//! paths; the window uses [`NativeDialogs`] (rfd), tests use
//! [`ScriptedDialogs`], so no test ever opens a native dialog.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub trait FileDialogs {
    /// A `.sayso` project to open.
    fn open_project(&mut self) -> Option<PathBuf>;
    /// Where to save the project; `suggested` is a file name.
    fn save_project(&mut self, suggested: &str) -> Option<PathBuf>;
    /// Text or JSONL files to import (empty when cancelled).
    fn pick_documents(&mut self) -> Vec<PathBuf>;
    /// Where to write an export (a file, or a folder for brat).
    fn export_path(&mut self, suggested: &str) -> Option<PathBuf>;
    /// A rule file to open in the rule editor.
    fn open_rules(&mut self) -> Option<PathBuf>;
    /// Where to save the edited rule file.
    fn save_rules(&mut self, suggested: &str) -> Option<PathBuf>;
}

/// Native dialogs through `rfd` (blocking; they are modal anyway).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open_project(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a Sayso project")
            .add_filter("Sayso project", &["sayso"])
            .pick_file()
    }

    fn save_project(&mut self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Save the Sayso project")
            .add_filter("Sayso project", &["sayso"])
            .set_file_name(suggested)
            .save_file()
    }

    fn pick_documents(&mut self) -> Vec<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Choose documents")
            .add_filter("Text and JSONL", &["txt", "jsonl", "ndjson"])
            .pick_files()
            .unwrap_or_default()
    }

    fn export_path(&mut self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export the dataset")
            .set_file_name(suggested)
            .save_file()
    }

    fn open_rules(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a rule file")
            .add_filter("Sayso rules", &["ron"])
            .pick_file()
    }

    fn save_rules(&mut self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Save the rule file")
            .add_filter("Sayso rules", &["ron"])
            .set_file_name(suggested)
            .save_file()
    }
}

/// Answers queued by a test. Clones share the queues, so a test keeps one
/// clone and hands the other to the app. An empty queue answers "cancel".
#[derive(Clone, Default)]
pub struct ScriptedDialogs {
    inner: Arc<Mutex<Answers>>,
}

#[derive(Default)]
struct Answers {
    open: VecDeque<PathBuf>,
    save: VecDeque<PathBuf>,
    documents: VecDeque<Vec<PathBuf>>,
    asked: usize,
}

impl ScriptedDialogs {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<R>(&self, f: impl FnOnce(&mut Answers) -> R) -> R {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    pub fn answer_open(&self, path: impl Into<PathBuf>) {
        self.with(|a| a.open.push_back(path.into()));
    }

    pub fn answer_save(&self, path: impl Into<PathBuf>) {
        self.with(|a| a.save.push_back(path.into()));
    }

    pub fn answer_documents(&self, paths: Vec<PathBuf>) {
        self.with(|a| a.documents.push_back(paths));
    }

    /// How many dialogs the app asked for.
    pub fn asked(&self) -> usize {
        self.with(|a| a.asked)
    }
}

impl FileDialogs for ScriptedDialogs {
    fn open_project(&mut self) -> Option<PathBuf> {
        self.with(|a| {
            a.asked += 1;
            a.open.pop_front()
        })
    }

    fn save_project(&mut self, _suggested: &str) -> Option<PathBuf> {
        self.with(|a| {
            a.asked += 1;
            a.save.pop_front()
        })
    }

    fn pick_documents(&mut self) -> Vec<PathBuf> {
        self.with(|a| {
            a.asked += 1;
            a.documents.pop_front().unwrap_or_default()
        })
    }

    /// Answered from the same queue as [`ScriptedDialogs::answer_open`].
    fn open_rules(&mut self) -> Option<PathBuf> {
        self.with(|a| {
            a.asked += 1;
            a.open.pop_front()
        })
    }

    /// Answered from the same queue as [`ScriptedDialogs::answer_save`].
    fn save_rules(&mut self, _suggested: &str) -> Option<PathBuf> {
        self.with(|a| {
            a.asked += 1;
            a.save.pop_front()
        })
    }

    /// Answered from the same queue as [`ScriptedDialogs::answer_save`].
    fn export_path(&mut self, _suggested: &str) -> Option<PathBuf> {
        self.with(|a| {
            a.asked += 1;
            a.save.pop_front()
        })
    }
}
