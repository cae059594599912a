//! The bottom bar: document position, span counts, the unsaved marker, the
//! last save time, and messages (errors in red).

use eframe::egui;
use std::time::SystemTime;

use egui::{Color32, RichText, Ui};

use super::App;
use crate::model::ReviewState;

/// "just now", "5 min ago", "2 h ago".
pub fn ago(t: SystemTime) -> String {
    let secs = SystemTime::now()
        .duration_since(t)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    match secs {
        0..=9 => "just now".into(),
        10..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

/// `1 span`, `2 spans`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The status bar; returns whether the annotator's name was clicked (to
/// change it).
pub fn status_bar_ui(ui: &mut Ui, app: &App) -> bool {
    let mut ask_name = false;
    ui.horizontal(|ui| {
        let n = app.project.documents.len();
        if let Some(doc) = app.project.documents.get(app.doc) {
            ui.label(format!("Document {} of {n}", app.doc + 1));
            ui.separator();
            // Rejected suggestions are kept (so that a rule run does not
            // bring them back) but are no spans of the annotation.
            let live = |s: &&crate::model::Span| s.review != ReviewState::Rejected;
            let per_label: Vec<String> = app
                .project
                .schema
                .labels
                .iter()
                .map(|l| {
                    let k = doc
                        .spans
                        .iter()
                        .filter(live)
                        .filter(|s| s.label == l.name)
                        .count();
                    format!("{k} {}", l.name)
                })
                .collect();
            ui.label(format!(
                "{} ({})",
                count(doc.spans.iter().filter(live).count(), "span", "spans"),
                per_label.join(", ")
            ));
            ui.label(count(doc.relations.len(), "link", "links"));
            let pending = doc.pending();
            if pending > 0 {
                ui.label(format!("{pending} pending"));
            }
        } else {
            ui.label("No documents");
        }
        ui.separator();
        if app.is_dirty() {
            ui.label(RichText::new("• Unsaved changes").color(Color32::from_rgb(0xd9, 0x77, 0x06)));
        } else if app.path.is_none() {
            ui.weak("Not saved yet");
        } else {
            ui.weak("All changes saved");
        }
        if let Some(t) = app.last_save {
            ui.weak(format!("saved {}", ago(t)));
        }
        ui.separator();
        ask_name = ui
            .add(egui::Button::new(format!("Annotator: {}", app.settings.annotator)).frame(false))
            .on_hover_text(
                "Stamped on every span you draw and every suggestion you accept or reject; click to change",
            )
            .clicked();
        if let Some(m) = &app.message {
            ui.separator();
            let mut text = RichText::new(&m.text);
            if m.error {
                text = text.color(ui.visuals().error_fg_color);
            }
            // A long message is cut to the bar; the tooltip has all of it.
            ui.add(egui::Label::new(text).truncate())
                .on_hover_text(&m.text);
        }
    });
    ask_name
}
