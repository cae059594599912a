//! Projects and files: opening (with the project's lock and its recovery
//! file), creating from text files, adding documents, saving (checking that
//! the file on disk is still the one the window read or wrote), restoring
//! and reloading, exporting, and asking for paths (the system dialog, or
//! Sayso's own [`super::path_dialog`] when none can open). Unsaved changes
//! are guarded: [`Then`] is what waits for the answer.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use eframe::egui;
use egui::ViewportCommand;

use super::{App, Modal, Then, autosave, curate_panel, dialogs, disk, export_dialog, path_dialog};
use crate::io::import::{ImportOptions, add_documents_edit, import_paths};
use crate::model::Project;
use crate::project;

impl App {
    /// Whether this window holds the lock of the project file at `path`.
    pub(super) fn holds_lock(&self, path: &Path) -> bool {
        self.lock
            .as_ref()
            .is_some_and(|l| l.path() == project::lock::lock_path(path))
    }

    /// The lock for writing the project at `path`: the one this window
    /// holds, or a new one (`Err`: why not, e.g. another Sayso holds it).
    pub(super) fn lock_for(&mut self, path: &Path) -> Result<project::ProjectLock, String> {
        if self.holds_lock(path)
            && let Some(lock) = self.lock.take()
        {
            return Ok(lock);
        }
        project::lock(path).map_err(|e| e.to_string())
    }

    pub(super) fn open_project(&mut self, path: PathBuf) {
        let lock = match self.lock_for(&path) {
            Ok(lock) => lock,
            Err(why) => {
                self.modal = Some(Modal::Locked(path, why));
                return;
            }
        };
        match disk::load(&path) {
            Ok((p, stamp)) => {
                let name = project_name(&path);
                self.settings.add_recent(&path);
                self.replace_project(p, Some(path.clone()), name);
                self.disk = Some(stamp);
                // Temporary files of killed saves go now, named, as in the CLI.
                let stale = project::Saved {
                    removed: project::remove_stale(&path),
                }
                .notice();
                let team = curate_panel::documents_to_curate(&self.project);
                let curation = (team > 0).then(|| {
                    format!(
                        "{team} document(s) hold several annotators' work: View › Curation mode (Ctrl+Shift+C) settles their disagreements"
                    )
                });
                let notes: Vec<String> = [lock.notice(), stale, curation]
                    .into_iter()
                    .flatten()
                    .collect();
                if notes.is_empty() {
                    self.info(format!("opened {}", path.display()));
                } else {
                    self.info(format!("opened {}; {}", path.display(), notes.join("; ")));
                }
                self.lock = Some(lock);
                if let Some(file) = autosave::pending_recovery(&path) {
                    self.modal = Some(Modal::Restore(file));
                }
            }
            Err(e) => {
                // Still the lock of the open project, if it was that one.
                if self.path.as_deref() == Some(path.as_path()) {
                    self.lock = Some(lock);
                }
                self.error(e.to_string());
            }
        }
    }

    /// Opens the project at `path` without its lock, as an unsaved copy:
    /// Save then asks for a new name, so the file is never written.
    pub(super) fn open_read_only(&mut self, path: &Path) {
        match project::load(path) {
            Ok(p) => {
                let name = format!("{} (read-only copy)", project_name(path));
                self.replace_project(p, None, name);
                self.info(format!(
                    "opened a read-only copy of {}: another Sayso is changing it; Save asks for a new name",
                    path.display()
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn new_from_files(&mut self, paths: &[PathBuf]) {
        let imported = import_paths(paths, ImportOptions::default());
        let mut problems: Vec<String> = imported.warnings.clone();
        problems.extend(imported.skipped.iter().map(|s| format!("skipped {s}")));
        if imported.documents.is_empty() {
            self.error(format!(
                "no documents could be read. {}",
                problems.join("; ")
            ));
            return;
        }
        let mut project = Project::default();
        let name = imported
            .documents
            .first()
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "untitled".into());
        let count = imported.documents.len();
        if let Err(e) = add_documents_edit(&project, imported.documents).apply(&mut project) {
            self.error(format!("cannot add the documents: {e}"));
            return;
        }
        self.replace_project(project, None, name);
        if problems.is_empty() {
            self.info(format!("new unsaved project of {count} document(s)"));
        } else {
            self.error(problems.join("; "));
        }
    }

    pub(super) fn add_files(&mut self, paths: &[PathBuf]) {
        let imported = import_paths(paths, ImportOptions::default());
        let mut problems: Vec<String> = imported.warnings.clone();
        problems.extend(imported.skipped.iter().map(|s| format!("skipped {s}")));
        let count = imported.documents.len();
        if count == 0 {
            self.error(format!(
                "no documents could be read. {}",
                problems.join("; ")
            ));
            return;
        }
        let first_new = self.project.documents.len();
        let edit = add_documents_edit(&self.project, imported.documents);
        if self.apply_edit(edit) {
            self.go_to_document(first_new);
            if problems.is_empty() {
                self.info(format!("added {count} document(s)"));
            } else {
                self.error(problems.join("; "));
            }
        }
    }

    /// Saves to the known path, or asks for one (then saves when the
    /// answer comes, from the system dialog or Sayso's own path dialog);
    /// goes on with `then` once saved. True when saved now.
    pub(super) fn save(&mut self, ask: bool, overwrite: bool, then: Option<Then>) -> bool {
        match (&self.path, ask) {
            (Some(p), false) => {
                let p = p.clone();
                self.save_to(p, overwrite, then)
            }
            _ => {
                self.pick(path_dialog::Purpose::SaveProject { then });
                !self.is_dirty() && self.modal.is_none() && self.path_dialog.is_none()
            }
        }
    }

    /// Saves to `path`, then goes on with `then`. True when saved.
    ///
    /// Before writing over the file this window read or wrote last, checks
    /// that it is still that file ([`disk::check`]); if not, asks
    /// ([`Modal::ChangedOnDisk`], which keeps `then`) and returns false.
    /// `overwrite` skips the check (the user chose to write over it). A save
    /// that fails with `then` waiting asks the unsaved-changes question again.
    pub(super) fn save_to(&mut self, path: PathBuf, overwrite: bool, then: Option<Then>) -> bool {
        let path = if path.extension().is_none() {
            path.with_extension(project::EXTENSION)
        } else {
            path
        };
        if !overwrite
            && self.path.as_deref() == Some(path.as_path())
            && let Some(stamp) = &self.disk
        {
            let (why, missing) = match disk::check(&path, stamp) {
                disk::DiskCheck::Same => (None, false),
                disk::DiskCheck::Changed(why) => (Some(why), false),
                disk::DiskCheck::Missing => {
                    (Some("it was moved away or deleted".to_string()), true)
                }
            };
            if let Some(why) = why {
                self.error(format!(
                    "not saved: {} changed on disk since it was opened or saved here",
                    path.display()
                ));
                self.modal = Some(Modal::ChangedOnDisk {
                    path,
                    why,
                    missing,
                    then,
                });
                return false;
            }
        }
        let lock = match self.lock_for(&path) {
            Ok(lock) => lock,
            Err(why) => {
                self.error(format!("not saved: {why}"));
                if let Some(then) = then {
                    self.modal = Some(Modal::Unsaved(then));
                }
                return false;
            }
        };
        let result = project::save(&self.project, &path);
        // The lock of the file this window writes from now on; a failed
        // first save to a new name keeps the old one.
        if result.is_ok() || self.path.as_deref() == Some(path.as_path()) {
            self.lock = Some(lock);
        }
        match result {
            Ok(saved) => {
                // This window's unsaved slot (new project) or the old
                // recovery file, and any of the new name.
                let slot = &self.recovery_slot;
                autosave::remove_recovery(self.path.as_deref(), self.data_dir.as_deref(), slot);
                autosave::remove_recovery(Some(&path), None, slot);
                self.disk = disk::DiskStamp::of(&path).ok();
                self.saved_state = self.history.state_id();
                self.name = project_name(&path);
                self.settings.add_recent(&path);
                self.path = Some(path.clone());
                self.last_save = Some(SystemTime::now());
                self.autosave.reset(Instant::now());
                match saved.notice() {
                    Some(n) => self.info(format!("saved {}; {n}", path.display())),
                    None => self.info(format!("saved {}", path.display())),
                }
                if let Some(then) = then {
                    self.proceed(then);
                }
                true
            }
            Err(e) => {
                self.error(e.to_string());
                if let Some(then) = then {
                    self.modal = Some(Modal::Unsaved(then));
                }
                false
            }
        }
    }

    /// Asks for the path(s) `purpose` needs with the system dialog, and
    /// goes on with them ([`Self::picked`]). When the system dialog cannot
    /// open, Sayso's own path dialog asks instead (the status bar says why)
    /// and the flow goes on when it is answered.
    pub(super) fn pick(&mut self, purpose: path_dialog::Purpose) {
        use dialogs::Picked;
        use path_dialog::Purpose as P;
        let one = |p: Picked<PathBuf>| match p {
            Picked::Chosen(p) => Picked::Chosen(vec![p]),
            Picked::Cancelled => Picked::Cancelled,
            Picked::Unavailable(why) => Picked::Unavailable(why),
        };
        let suggested = self.suggested_name(&purpose);
        let name = suggested.clone().unwrap_or_default();
        let picked = match &purpose {
            P::OpenProject => one(self.env_dialogs.open_project()),
            P::SaveProject { .. } => one(self.env_dialogs.save_project(&name)),
            P::NewFromFiles | P::AddDocuments => self.env_dialogs.pick_documents(),
            P::Export(_) => one(self.env_dialogs.export_path(&name)),
            P::OpenRules => one(self.env_dialogs.open_rules()),
            P::SaveRules => one(self.env_dialogs.save_rules(&name)),
        };
        match picked {
            Picked::Chosen(paths) => self.picked(purpose, paths),
            Picked::Cancelled => self.pick_cancelled(purpose),
            Picked::Unavailable(why) => {
                let folder = self.start_folder();
                self.info(format!(
                    "{why}; Sayso's own path dialog asks instead ({})",
                    purpose.title()
                ));
                let recent = self.settings.recent_folders();
                self.path_dialog = Some(path_dialog::PathDialog::new(
                    purpose, why, folder, suggested, recent,
                ));
            }
        }
    }

    /// The file name a save dialog suggests.
    pub(super) fn suggested_name(&self, purpose: &path_dialog::Purpose) -> Option<String> {
        use path_dialog::Purpose as P;
        match purpose {
            P::SaveProject { .. } => Some(format!("{}.{}", self.name, project::EXTENSION)),
            P::Export(_) => Some(self.export.suggested_name(&self.name)),
            P::SaveRules => Some(
                self.rule_editor
                    .path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "rules.ron".into()),
            ),
            _ => None,
        }
    }

    /// Where Sayso's path dialog starts: the most recent folder, the
    /// project's, the home folder.
    pub(super) fn start_folder(&self) -> Option<PathBuf> {
        self.settings
            .recent_folders()
            .into_iter()
            .next()
            .or_else(|| {
                self.path
                    .as_deref()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
            })
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
    }

    /// The user chose no path: a save that a quit or an open waited for
    /// asks the unsaved-changes question again.
    pub(super) fn pick_cancelled(&mut self, purpose: path_dialog::Purpose) {
        if let path_dialog::Purpose::SaveProject { then: Some(then) } = purpose {
            self.modal = Some(Modal::Unsaved(then));
        }
    }

    /// Goes on with the path(s) chosen for `purpose`.
    pub(super) fn picked(&mut self, purpose: path_dialog::Purpose, paths: Vec<PathBuf>) {
        use path_dialog::Purpose as P;
        let Some(first) = paths.first().cloned() else {
            return self.pick_cancelled(purpose);
        };
        match purpose {
            P::OpenProject => self.open_project(first),
            P::SaveProject { then } => {
                self.save_to(first, false, then);
            }
            P::NewFromFiles => self.new_from_files(&paths),
            P::AddDocuments => self.add_files(&paths),
            P::Export(request) => self.export_to_path(*request, first),
            P::OpenRules => self.open_rules_file(first),
            P::SaveRules => self.save_rules_file(first),
        }
    }

    /// An answer of Sayso's own path dialog.
    pub(super) fn path_dialog_answer(&mut self, answer: path_dialog::PathAnswer) {
        let Some(mut dialog) = self.path_dialog.take() else {
            return;
        };
        match answer {
            path_dialog::PathAnswer::Cancel => self.pick_cancelled(dialog.purpose),
            path_dialog::PathAnswer::Ok => match dialog.check() {
                Ok(paths) => {
                    for p in &paths {
                        let folder = if p.is_dir() {
                            Some(p.as_path())
                        } else {
                            p.parent()
                        };
                        if let Some(f) = folder {
                            self.settings.add_recent_folder(f);
                        }
                    }
                    self.picked(dialog.purpose, paths);
                }
                Err(e) => {
                    dialog.error = Some(e);
                    dialog.focus_field();
                    self.path_dialog = Some(dialog);
                }
            },
        }
    }

    /// Restores the recovery file `file`: the open project's own (the
    /// project stays at its path), or one of an unsaved project whose
    /// window is gone, which becomes this window's (renamed to its slot
    /// first, so no other window takes it too) as an unsaved project.
    pub(super) fn restore(&mut self, file: &Path) {
        let own = self
            .path
            .as_deref()
            .is_some_and(|p| project::recovery_path(p) == file);
        let mut from = file.to_path_buf();
        if !own && let Some(dir) = self.data_dir.as_deref() {
            let mine = dir.join(self.recovery_slot.file_name());
            if let Err(e) = autosave::claim(file, &mine) {
                self.error(format!(
                    "cannot restore {}: {e} (another window may have restored it)",
                    file.display()
                ));
                return;
            }
            from = mine;
        }
        match project::load(&from) {
            Ok(p) => {
                if own {
                    let (path, name) = (self.path.clone(), self.name.clone());
                    let (lock, stamp) = (self.lock.take(), self.disk.take());
                    self.replace_project(p, path, name);
                    self.lock = lock;
                    self.disk = stamp;
                } else {
                    self.replace_project(p, None, "recovered".into());
                }
                // Restored work is unsaved work.
                self.saved_state = u64::MAX;
                self.info(format!("restored unsaved work from {}", file.display()));
            }
            Err(e) => self.error(format!("cannot restore: {e}")),
        }
    }

    /// Loads the project file at `path` (this window's) again as it is on
    /// disk now, dropping the window's unsaved changes.
    pub(super) fn reload(&mut self, path: &Path) {
        match disk::load(path) {
            Ok((p, stamp)) => {
                let lock = self.lock.take();
                let name = project_name(path);
                self.replace_project(p, Some(path.to_path_buf()), name);
                self.lock = lock;
                self.disk = Some(stamp);
                autosave::remove_recovery(Some(path), None, &self.recovery_slot);
                self.info(format!(
                    "reloaded {} as it is on disk; the changes made here were dropped",
                    path.display()
                ));
            }
            Err(e) => self.error(format!("cannot reload: {e}")),
        }
    }

    /// Writes the export to `path` and shows the summary.
    pub(super) fn export_to_path(
        &mut self,
        request: export_dialog::ExportRequest,
        mut path: PathBuf,
    ) {
        if request.zip && path.extension().is_none_or(|e| e != "zip") {
            path.set_extension("zip");
        }
        let split = request
            .split
            .as_ref()
            .map(|(p, seed)| (p.as_slice(), *seed));
        let mut options = request.options.clone();
        options.project_file = self.path.clone();
        match crate::io::export::export(&self.project, &options, &path, split, &mut |_, _| {}) {
            Ok(summary) => {
                self.info(format!(
                    "exported {} document(s) to {}",
                    summary.documents,
                    path.display()
                ));
                self.export.outcome = Some((summary.to_string(), false));
            }
            Err(e) => {
                self.error(e.to_string());
                self.export.outcome = Some((e.to_string(), true));
            }
        }
    }

    /// Runs `then` now, or first asks what to do with unsaved changes.
    pub(super) fn guard(&mut self, then: Then) {
        if self.is_dirty() {
            self.modal = Some(Modal::Unsaved(then));
        } else {
            self.proceed(then);
        }
    }

    pub(super) fn proceed(&mut self, then: Then) {
        match then {
            Then::Quit => {
                self.allow_close = true;
                self.pending_viewport.push(ViewportCommand::Close);
            }
            Then::Open(p) => self.open_project(p),
            Then::OpenDialog => self.pick(path_dialog::Purpose::OpenProject),
            Then::NewFromFiles => self.pick(path_dialog::Purpose::NewFromFiles),
        }
    }
}

/// A project's name from its file (`a/b/news.sayso` → `news`).
pub(super) fn project_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into())
}

pub(super) fn is_project_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(project::EXTENSION))
}
