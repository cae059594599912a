//! Help beyond the shortcuts: the bundled annotation guide (the schema's
//! labels, attributes and links, with the conventions for real news), an
//! About window, the hint shown on the first start, and the question of
//! who is annotating (asked at the first start: the name is stamped on
//! every span drawn and every suggestion decided).

use eframe::egui;
use egui::RichText;

use super::{Action, App, Choice, UiCommand, commands};
use crate::model::Schema;

/// The annotation guide, as shipped in `assets/ANNOTATION_GUIDE.md`.
pub const GUIDE: &str = include_str!("../../assets/ANNOTATION_GUIDE.md");

/// Shown in the status bar on the first start, over the bundled example.
pub const FIRST_START_HINT: &str =
    "Welcome: select words, press S, C or T to tag; F1 lists the keys, Help the annotation guide.";

/// Which help windows are open.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HelpWindows {
    pub guide: bool,
    pub about: bool,
    /// "Who is annotating?": asked at the first start, and from the status bar.
    pub name: bool,
    /// The name window has not yet given its field the keyboard (it does
    /// once when it opens, with the name selected, so that typing replaces it).
    pub name_unfocused: bool,
}

/// A guide line as shown: no code or bold marks, and arrows the bundled fonts
/// lack written out.
fn plain(s: &str) -> String {
    s.replace('`', "").replace("**", "").replace('→', "->")
}

/// The guide's Markdown as egui widgets: headings, bullets, and paragraphs
/// (lines joined so that they wrap to the window).
fn guide_ui(ui: &mut egui::Ui) {
    let mut para = String::new();
    let flush = |ui: &mut egui::Ui, para: &mut String| {
        if !para.is_empty() {
            ui.label(plain(para.trim()));
            para.clear();
        }
    };
    for line in GUIDE.lines() {
        let t = line.trim_end();
        if let Some(h) = t.strip_prefix("# ") {
            flush(ui, &mut para);
            ui.heading(plain(h));
        } else if let Some(h) = t.strip_prefix("## ").or_else(|| t.strip_prefix("### ")) {
            flush(ui, &mut para);
            ui.add_space(6.0);
            ui.label(RichText::new(plain(h)).strong().size(16.0));
        } else if let Some(item) = t.strip_prefix("- ") {
            flush(ui, &mut para);
            para.push_str("• ");
            para.push_str(item);
        } else if t.is_empty() {
            flush(ui, &mut para);
            ui.add_space(4.0);
        } else {
            para.push(' ');
            para.push_str(t.trim_start());
        }
    }
    flush(ui, &mut para);
}

impl App {
    pub(super) fn help_ui(&mut self, ctx: &egui::Context) {
        if self.help.guide {
            let mut open = true;
            egui::Window::new("Annotation guide")
                .open(&mut open)
                .default_width(560.0)
                .default_height(520.0)
                .show(ctx, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("guide-scroll")
                        .show(ui, guide_ui);
                });
            self.help.guide = open;
        }
        if self.help.about {
            let mut open = true;
            egui::Window::new("About Sayso")
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.heading(format!("Sayso {}", env!("CARGO_PKG_VERSION")));
                    ui.label("Who said what, and where do they stand on what: a desktop workbench");
                    ui.label("for marking up Speakers, Claims and Stances in news articles.");
                    ui.add_space(6.0);
                    ui.weak("No server: projects are files, offsets count Unicode code points.");
                    ui.weak("The README that comes with Sayso describes every command and format.");
                });
            self.help.about = open;
        }
        if self.help.name {
            let mut open = true;
            let mut done = false;
            egui::Window::new("Who is annotating?")
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.set_max_width(380.0);
                    ui.label(
                        "Your name is stamped on every span you draw and every suggestion you \
                         accept or reject, so that a team can merge its files and measure \
                         agreement (see Working as a team in the README).",
                    );
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        let label = ui.label("Your name");
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(&mut self.settings.annotator)
                                    .desired_width(180.0),
                            )
                            .labelled_by(label.id);
                        if self.help.name_unfocused {
                            self.help.name_unfocused = false;
                            field.request_focus();
                            let all = egui::text::CCursorRange::two(
                                egui::text::CCursor::new(0),
                                egui::text::CCursor::new(self.settings.annotator.chars().count()),
                            );
                            if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), field.id)
                            {
                                state.cursor.set_char_range(Some(all));
                                state.store(ui.ctx(), field.id);
                            }
                        }
                        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                            done = true;
                        }
                    });
                    if ui.button("Start annotating").clicked() {
                        done = true;
                    }
                });
            if self.settings.annotator.trim().is_empty() && (done || !open) {
                self.settings.annotator = crate::cli::default_annotator();
            }
            self.help.name = open && !done;
        }
    }
}

/// The keyboard shortcuts window (F1): the label keys of `schema`, every
/// [`UiCommand`] with a shortcut, and the mouse.
pub fn shortcuts_ui(ctx: &egui::Context, schema: &Schema, actions: &mut Vec<Action>) {
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .default_width(460.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .max_height(560.0)
                .show(ui, |ui| {
                    egui::Grid::new("shortcuts-grid")
                        .striped(true)
                        .show(ui, |ui| {
                            for label in &schema.labels {
                                ui.monospace(label.hotkey.to_ascii_uppercase().to_string());
                                ui.label(format!(
                                    "Tag selection as {} (or relabel the selected span)",
                                    label.name
                                ));
                                ui.end_row();
                            }
                            for &cmd in UiCommand::ALL {
                                let keys: Vec<String> = cmd
                                    .shortcuts()
                                    .iter()
                                    .map(commands::format_shortcut)
                                    .collect();
                                if keys.is_empty() {
                                    continue;
                                }
                                // The nine pick keys are one row.
                                match cmd {
                                    UiCommand::CuratePick(1) => {
                                        ui.monospace("1 … 9");
                                        ui.label("Curation: pick that version");
                                        ui.end_row();
                                        continue;
                                    }
                                    UiCommand::CuratePick(_) => continue,
                                    _ => {}
                                }
                                ui.monospace(keys.join("  "));
                                ui.label(cmd.text());
                                ui.end_row();
                            }
                            ui.monospace("Drag / double-click");
                            ui.label("Select text (snaps to words; hold Alt for exact)");
                            ui.end_row();
                            ui.monospace("Shift+click");
                            ui.label("Extend the selection");
                            ui.end_row();
                            ui.monospace("Drag span to span");
                            ui.label("Link a Claim or Stance and a Speaker");
                            ui.end_row();
                        });
                });
        });
    if !open {
        actions.push(Action::Resolve(Choice::CloseShortcuts));
    }
}
