//! The modal questions of the window: unsaved changes, restoring
//! recovered work, a project in use by another Sayso, a project file changed
//! on disk, pending suggestions before marking a document done. Each answer
//! is an [`Action::Resolve`] with a [`Choice`]; [`super::App`] carries it out.

use std::path::PathBuf;

use eframe::egui;

use super::{Action, App, autosave, status_bar};

/// What the user answered in a modal dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Save,
    DontSave,
    Cancel,
    Restore,
    Discard,
    CloseShortcuts,
    /// Open a project that another Sayso is changing as a copy that is not
    /// saved to its file (Save asks for a new name).
    OpenReadOnly,
    /// The project file changed on disk: save under another name…
    SaveAsInstead,
    /// …load the file as it is now, dropping the window's changes…
    Reload,
    /// …or write over it anyway.
    Overwrite,
    /// The document has pending suggestions: open review mode…
    ReviewFirst,
    /// …or mark it done anyway.
    MarkDoneAnyway,
}

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone)]
pub enum Then {
    Quit,
    Open(PathBuf),
    OpenDialog,
    NewFromFiles,
}

/// A modal question.
#[derive(Debug, Clone)]
pub enum Modal {
    Unsaved(Then),
    Restore(PathBuf),
    /// The project at the path cannot be opened for writing (the reason):
    /// another Sayso holds its lock.
    Locked(PathBuf, String),
    /// The project file changed on disk (or is gone) since the window read
    /// or wrote it last; a save was asked for, and `then` waits for it.
    ChangedOnDisk {
        path: PathBuf,
        why: String,
        missing: bool,
        then: Option<Then>,
    },
    /// Ctrl+Enter on a document with this many pending suggestions.
    PendingBeforeDone(usize),
}

/// The open question as a modal window (`name`: the project's).
pub fn modal_ui(ctx: &egui::Context, modal: &Modal, name: &str, actions: &mut Vec<Action>) {
    egui::Modal::new(egui::Id::unique("sayso-modal")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        match &modal {
            Modal::Unsaved(then) => {
                ui.heading("Save changes?");
                let what = match then {
                    Then::Quit => "before quitting",
                    Then::Open(_) | Then::OpenDialog => "before opening another project",
                    Then::NewFromFiles => "before starting a new project",
                };
                ui.label(format!("“{}” has unsaved changes. Save them {what}?", name));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        actions.push(Action::Resolve(Choice::Save));
                    }
                    if ui.button("Don't save").clicked() {
                        actions.push(Action::Resolve(Choice::DontSave));
                    }
                    if ui.button("Cancel").clicked() {
                        actions.push(Action::Resolve(Choice::Cancel));
                    }
                });
            }
            Modal::Locked(path, why) => {
                ui.heading("Project in use");
                ui.label(format!("{} cannot be opened for writing: {why}.", path.display()));
                ui.label("A read-only copy shows it as it is now; Save then asks for a new name.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Open read-only").clicked() {
                        actions.push(Action::Resolve(Choice::OpenReadOnly));
                    }
                    if ui.button("Cancel").clicked() {
                        actions.push(Action::Resolve(Choice::Cancel));
                    }
                });
            }
            Modal::ChangedOnDisk {
                path, why, missing, ..
            } => {
                ui.heading("The project file changed on disk");
                ui.label(format!(
                    "{} is no longer the file this window opened or saved last: {why}. Another program (an editor, a sync client, git) may have written it. Saving now would replace that version.",
                    path.display()
                ));
                ui.add_space(8.0);
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .button("Save as…")
                        .on_hover_text("Keep both: save this window's project under another name")
                        .clicked()
                    {
                        actions.push(Action::Resolve(Choice::SaveAsInstead));
                    }
                    if ui
                        .add_enabled(!missing, egui::Button::new("Reload from disk"))
                        .on_hover_text("Open the file as it is now; the changes made here are dropped")
                        .clicked()
                    {
                        actions.push(Action::Resolve(Choice::Reload));
                    }
                    if ui
                        .button("Overwrite")
                        .on_hover_text("Replace the file on disk with this window's project (the old one is kept as .bak)")
                        .clicked()
                    {
                        actions.push(Action::Resolve(Choice::Overwrite));
                    }
                    if ui.button("Cancel").clicked() {
                        actions.push(Action::Resolve(Choice::Cancel));
                    }
                });
            }
            Modal::PendingBeforeDone(n) => {
                ui.heading("Suggestions are still pending");
                ui.label(format!(
                    "This document has {n} pending suggestion(s), neither accepted nor rejected. Review them first, or mark it done anyway? (Pending suggestions are not exported by default.)"
                ));
                ui.add_space(8.0);
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Review them").clicked() {
                        actions.push(Action::Resolve(Choice::ReviewFirst));
                    }
                    if ui.button("Mark done anyway").clicked() {
                        actions.push(Action::Resolve(Choice::MarkDoneAnyway));
                    }
                    if ui.button("Cancel").clicked() {
                        actions.push(Action::Resolve(Choice::Cancel));
                    }
                });
            }
            Modal::Restore(file) => {
                ui.heading("Restore unsaved work?");
                let when = std::fs::metadata(file)
                    .and_then(|m| m.modified())
                    .map(status_bar::ago)
                    .unwrap_or_default();
                ui.label(format!(
                    "Sayso did not close cleanly last time. Unsaved work was kept in {} ({when}).",
                    file.display()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        actions.push(Action::Resolve(Choice::Restore));
                    }
                    if ui.button("Discard").clicked() {
                        actions.push(Action::Resolve(Choice::Discard));
                    }
                });
            }
        }
    });
}

impl App {
    /// Carries out the answer to the open question.
    pub(super) fn resolve(&mut self, choice: Choice) {
        match (self.modal.take(), choice) {
            (_, Choice::CloseShortcuts) => self.show_shortcuts = false,
            (Some(Modal::Unsaved(then)), Choice::Save) => {
                self.save(false, false, Some(then));
            }
            (Some(Modal::ChangedOnDisk { then, .. }), Choice::SaveAsInstead) => {
                self.save(true, false, then);
            }
            (Some(Modal::ChangedOnDisk { then, .. }), Choice::Overwrite) => {
                self.save(false, true, then);
            }
            (Some(Modal::ChangedOnDisk { path, .. }), Choice::Reload) => self.reload(&path),
            (Some(Modal::PendingBeforeDone(_)), Choice::MarkDoneAnyway) => {
                self.mark_done_next(true)
            }
            (Some(Modal::PendingBeforeDone(_)), Choice::ReviewFirst) => {
                if !self.review.open {
                    self.toggle_review();
                }
            }
            (Some(Modal::Unsaved(then)), Choice::DontSave) => {
                autosave::remove_recovery(
                    self.path.as_deref(),
                    self.data_dir.as_deref(),
                    &self.recovery_slot,
                );
                // Forget the changes so that the guard does not ask again.
                self.saved_state = self.history.state_id();
                self.proceed(then);
            }
            (Some(Modal::Restore(file)), Choice::Restore) => self.restore(&file),
            (Some(Modal::Restore(file)), Choice::Discard) => {
                let _ = std::fs::remove_file(&file);
                self.info("discarded the recovered work");
                // The next recovery file of a window that is gone, if any.
                self.offer_recovery();
            }
            (Some(Modal::Locked(path, _)), Choice::OpenReadOnly) => self.open_read_only(&path),
            (_, Choice::Cancel) => {}
            (modal, _) => self.modal = modal,
        }
        self.view.request_focus();
    }
}
