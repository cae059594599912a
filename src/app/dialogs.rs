//! The seam to native file dialogs. The app asks a [`FileDialogs`] for
//! paths; the window uses [`NativeDialogs`] (rfd), tests use
//! [`ScriptedDialogs`], so no test ever opens a native dialog. A dialog
//! that cannot open says so ([`Picked::Unavailable`]) and the window asks
//! with its own path dialog instead.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a file dialog came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked<T> {
    Chosen(T),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown (why, for the status bar): the window then
    /// asks with its own path dialog ([`super::path_dialog`]).
    Unavailable(String),
}

impl<T> Picked<T> {
    fn from_option(o: Option<T>) -> Self {
        o.map_or(Picked::Cancelled, Picked::Chosen)
    }
}

pub trait FileDialogs {
    /// A `.sayso` project to open.
    fn open_project(&mut self) -> Picked<PathBuf>;
    /// Where to save the project; `suggested` is a file name.
    fn save_project(&mut self, suggested: &str) -> Picked<PathBuf>;
    /// Text or JSONL files to import.
    fn pick_documents(&mut self) -> Picked<Vec<PathBuf>>;
    /// Where to write an export (a file, or a folder for brat).
    fn export_path(&mut self, suggested: &str) -> Picked<PathBuf>;
    /// A rule file to open in the rule editor.
    fn open_rules(&mut self) -> Picked<PathBuf>;
    /// Where to save the edited rule file.
    fn save_rules(&mut self, suggested: &str) -> Picked<PathBuf>;
}

/// A dialog that comes back without a choice faster than this did not
/// open: no one cancels a file dialog in a third of a second. (rfd reports
/// no error when no XDG desktop portal, zenity or kdialog answers.)
const NOT_SHOWN: Duration = Duration::from_millis(350);

/// Native dialogs through `rfd` (blocking; they are modal anyway). When one
/// cannot open, this and every later request answer
/// [`Picked::Unavailable`], so the window uses its own path dialog. The
/// environment variable `SAYSO_FILE_DIALOG=builtin` skips the native
/// dialogs from the start.
#[derive(Default)]
pub struct NativeDialogs {
    unavailable: Option<String>,
}

impl NativeDialogs {
    pub fn new() -> Self {
        let builtin = std::env::var("SAYSO_FILE_DIALOG").is_ok_and(|v| v == "builtin");
        NativeDialogs {
            unavailable: builtin.then(|| "SAYSO_FILE_DIALOG=builtin is set".to_string()),
        }
    }

    fn run<T>(&mut self, show: impl FnOnce() -> Option<T>) -> Picked<T> {
        if let Some(why) = &self.unavailable {
            return Picked::Unavailable(why.clone());
        }
        let started = Instant::now();
        // rfd may panic where no back end can start at all.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(show));
        match result {
            Ok(Some(v)) => Picked::Chosen(v),
            Ok(None) if started.elapsed() >= NOT_SHOWN => Picked::Cancelled,
            Ok(None) => {
                let why = "the system file dialog did not open (no XDG desktop portal, zenity or kdialog answered)".to_string();
                self.unavailable = Some(why.clone());
                Picked::Unavailable(why)
            }
            Err(_) => {
                let why = "the system file dialog failed to start".to_string();
                self.unavailable = Some(why.clone());
                Picked::Unavailable(why)
            }
        }
    }
}

impl FileDialogs for NativeDialogs {
    fn open_project(&mut self) -> Picked<PathBuf> {
        self.run(|| {
            rfd::FileDialog::new()
                .set_title("Open a Sayso project")
                .add_filter("Sayso project", &["sayso"])
                .pick_file()
        })
    }

    fn save_project(&mut self, suggested: &str) -> Picked<PathBuf> {
        self.run(|| {
            rfd::FileDialog::new()
                .set_title("Save the Sayso project")
                .add_filter("Sayso project", &["sayso"])
                .set_file_name(suggested)
                .save_file()
        })
    }

    fn pick_documents(&mut self) -> Picked<Vec<PathBuf>> {
        self.run(|| {
            rfd::FileDialog::new()
                .set_title("Choose documents")
                .add_filter("Text and JSONL", &["txt", "jsonl", "ndjson"])
                .pick_files()
                .filter(|v| !v.is_empty())
        })
    }

    fn export_path(&mut self, suggested: &str) -> Picked<PathBuf> {
        self.run(|| {
            rfd::FileDialog::new()
                .set_title("Export the dataset")
                .set_file_name(suggested)
                .save_file()
        })
    }

    fn open_rules(&mut self) -> Picked<PathBuf> {
        self.run(|| {
            rfd::FileDialog::new()
                .set_title("Open a rule file")
                .add_filter("Sayso rules", &["ron"])
                .pick_file()
        })
    }

    fn save_rules(&mut self, suggested: &str) -> Picked<PathBuf> {
        self.run(|| {
            rfd::FileDialog::new()
                .set_title("Save the rule file")
                .add_filter("Sayso rules", &["ron"])
                .set_file_name(suggested)
                .save_file()
        })
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
    /// Every dialog answers "could not open" with this reason.
    unavailable: Option<String>,
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

    /// From now on no dialog "can open" (as without a desktop portal): the
    /// window falls back to its own path dialog.
    pub fn set_unavailable(&self, why: &str) {
        self.with(|a| a.unavailable = Some(why.to_string()));
    }

    /// How many dialogs the app asked for.
    pub fn asked(&self) -> usize {
        self.with(|a| a.asked)
    }
}

impl ScriptedDialogs {
    fn answer<T>(&self, take: impl FnOnce(&mut Answers) -> Option<T>) -> Picked<T> {
        self.with(|a| {
            a.asked += 1;
            match &a.unavailable {
                Some(why) => Picked::Unavailable(why.clone()),
                None => Picked::from_option(take(a)),
            }
        })
    }
}

impl FileDialogs for ScriptedDialogs {
    fn open_project(&mut self) -> Picked<PathBuf> {
        self.answer(|a| a.open.pop_front())
    }

    fn save_project(&mut self, _suggested: &str) -> Picked<PathBuf> {
        self.answer(|a| a.save.pop_front())
    }

    fn pick_documents(&mut self) -> Picked<Vec<PathBuf>> {
        self.answer(|a| a.documents.pop_front().filter(|v| !v.is_empty()))
    }

    /// Answered from the same queue as [`ScriptedDialogs::answer_open`].
    fn open_rules(&mut self) -> Picked<PathBuf> {
        self.answer(|a| a.open.pop_front())
    }

    /// Answered from the same queue as [`ScriptedDialogs::answer_save`].
    fn save_rules(&mut self, _suggested: &str) -> Picked<PathBuf> {
        self.answer(|a| a.save.pop_front())
    }

    /// Answered from the same queue as [`ScriptedDialogs::answer_save`].
    fn export_path(&mut self, _suggested: &str) -> Picked<PathBuf> {
        self.answer(|a| a.save.pop_front())
    }
}
