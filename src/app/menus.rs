//! The menu bar: File, Edit, View, Rules, Help. Every entry is a [`UiCommand`]
//! (so it shows the same shortcut the handler listens to), except the
//! recent projects and the annotator name.

use eframe::egui;
use egui::Ui;

use super::{Action, App, UiCommand};

/// A menu entry for `cmd`; pushes the command when clicked.
fn item(ui: &mut Ui, cmd: UiCommand, enabled: bool, actions: &mut Vec<Action>) {
    let mut button = egui::Button::new(cmd.text());
    if let Some(s) = cmd.shortcut_text() {
        button = button.shortcut_text(s);
    }
    if ui.add_enabled(enabled, button).clicked() {
        actions.push(Action::Command(cmd));
        ui.close();
    }
}

/// A menu entry that shows or hides something, highlighted while shown.
fn toggle(ui: &mut Ui, cmd: UiCommand, shown: bool, actions: &mut Vec<Action>) {
    let mut button = egui::Button::new(cmd.text()).selected(shown);
    if let Some(s) = cmd.shortcut_text() {
        button = button.shortcut_text(s);
    }
    if ui.add(button).clicked() {
        actions.push(Action::Command(cmd));
        ui.close();
    }
}

pub fn menu_bar_ui(ui: &mut Ui, app: &mut App, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item(ui, UiCommand::NewFromFiles, true, actions);
            item(ui, UiCommand::Open, true, actions);
            ui.menu_button("Recent projects", |ui| {
                if app.settings.recent.is_empty() {
                    ui.weak("none yet");
                }
                for p in app.settings.recent.clone() {
                    if ui.button(p.display().to_string()).clicked() {
                        actions.push(Action::OpenProject(p));
                        ui.close();
                    }
                }
            });
            ui.separator();
            item(ui, UiCommand::Save, true, actions);
            item(ui, UiCommand::SaveAs, true, actions);
            ui.separator();
            item(ui, UiCommand::AddDocuments, true, actions);
            item(
                ui,
                UiCommand::Export,
                !app.project.documents.is_empty(),
                actions,
            );
            ui.separator();
            item(ui, UiCommand::Quit, true, actions);
        });
        ui.menu_button("Edit", |ui| {
            let undo = app.history.undo_description().map(|d| format!("Undo {d}"));
            let redo = app.history.redo_description().map(|d| format!("Redo {d}"));
            item(ui, UiCommand::Undo, undo.is_some(), actions);
            if let Some(d) = undo {
                ui.weak(d);
            }
            item(ui, UiCommand::Redo, redo.is_some(), actions);
            if let Some(d) = redo {
                ui.weak(d);
            }
            ui.separator();
            item(ui, UiCommand::Find, true, actions);
            item(ui, UiCommand::FindInProject, true, actions);
            ui.separator();
            item(ui, UiCommand::MarkDoneNext, true, actions);
            let not_todo = app
                .project
                .documents
                .get(app.doc)
                .is_some_and(|d| d.status != crate::model::DocStatus::Todo);
            item(ui, UiCommand::MarkTodo, not_todo, actions);
            item(
                ui,
                UiCommand::DeleteSpan,
                app.view.selected.is_some(),
                actions,
            );
        });
        ui.menu_button("View", |ui| {
            item(ui, UiCommand::ZoomIn, true, actions);
            item(ui, UiCommand::ZoomOut, true, actions);
            item(ui, UiCommand::ZoomReset, true, actions);
            ui.weak(format!("Text zoom: {:.0}%", app.settings.zoom * 100.0));
            ui.separator();
            item(ui, UiCommand::ThemeLight, app.settings.dark, actions);
            item(ui, UiCommand::ThemeDark, !app.settings.dark, actions);
            ui.separator();
            let budget = app.layout_budget;
            for (cmd, shown, squeezed) in [
                (
                    UiCommand::ToggleDocuments,
                    app.settings.show_documents,
                    budget.documents_squeezed,
                ),
                (
                    UiCommand::ToggleInspector,
                    app.settings.show_inspector,
                    budget.right_squeezed,
                ),
            ] {
                toggle(ui, cmd, shown, actions);
                if squeezed {
                    ui.weak("  (no room at this window width)");
                }
            }
            toggle(
                ui,
                UiCommand::CompactDocuments,
                app.settings.compact_documents,
                actions,
            );
            ui.separator();
            toggle(ui, UiCommand::CurationMode, app.curate.open, actions);
            ui.separator();
            item(ui, UiCommand::PreviousDocument, true, actions);
            item(ui, UiCommand::NextDocument, true, actions);
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label("Annotator");
                ui.add(
                    egui::TextEdit::singleline(&mut app.settings.annotator).desired_width(140.0),
                )
                .labelled_by(label.id);
            });
        });
        ui.menu_button("Rules", |ui| {
            let idle = app.run.is_none();
            item(ui, UiCommand::RunRulesDocument, idle, actions);
            item(ui, UiCommand::RunRulesProject, idle, actions);
            ui.separator();
            item(ui, UiCommand::ReviewPanel, true, actions);
            item(ui, UiCommand::ToggleSuggestions, true, actions);
            ui.separator();
            item(ui, UiCommand::RulesPanel, true, actions);
            item(ui, UiCommand::RuleEditor, true, actions);
        });
        ui.menu_button("Help", |ui| {
            item(ui, UiCommand::Shortcuts, true, actions);
            item(ui, UiCommand::AnnotationGuide, true, actions);
            ui.separator();
            item(ui, UiCommand::About, true, actions);
        });
    });
}
