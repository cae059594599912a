//! The left panel: the project's documents with status and counts, a name
//! filter and a status filter. Clicking a document opens it.

use eframe::egui;
use egui::{RichText, Ui};

use super::Action;
use super::status_bar::count;
use crate::model::{DocStatus, Edit, Project, ReviewState};

#[derive(Default)]
pub struct DocListState {
    filter: String,
    status: Option<DocStatus>,
}

/// A small circle: empty (to do), half (in progress) or full (done).
fn status_icon(ui: &mut Ui, status: DocStatus) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    let c = rect.center();
    let color = ui.visuals().text_color();
    let painter = ui.painter();
    match status {
        DocStatus::Todo => {
            painter.circle_stroke(c, 4.5, egui::Stroke::new(1.2, color));
        }
        DocStatus::InProgress => {
            painter.circle_stroke(c, 4.5, egui::Stroke::new(1.2, color));
            painter.rect_filled(
                egui::Rect::from_min_max(c - egui::vec2(4.5, 4.5), c + egui::vec2(0.0, 4.5)),
                egui::CornerRadius {
                    nw: 5,
                    sw: 5,
                    ne: 0,
                    se: 0,
                },
                color,
            );
        }
        DocStatus::Done => {
            painter.circle_filled(c, 5.0, egui::Color32::from_rgb(0x16, 0xa3, 0x4a));
        }
    }
}

pub fn doc_list_ui(
    ui: &mut Ui,
    state: &mut DocListState,
    project: &Project,
    current: usize,
    actions: &mut Vec<Action>,
) {
    let done = project
        .documents
        .iter()
        .filter(|d| d.status == DocStatus::Done)
        .count();
    ui.add_space(4.0);
    ui.heading("Documents");
    ui.weak(format!(
        "{}, {done} done",
        count(project.documents.len(), "document", "documents")
    ));
    ui.add_space(4.0);
    let filter_label = ui.label("Filter by name");
    ui.add(
        egui::TextEdit::singleline(&mut state.filter)
            .hint_text("part of a name")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(filter_label.id);
    ui.horizontal(|ui| {
        let text = state.status.map_or("any status", DocStatus::as_str);
        egui::ComboBox::from_label("Status")
            .selected_text(text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.status, None, "any status");
                for s in [DocStatus::Todo, DocStatus::InProgress, DocStatus::Done] {
                    ui.selectable_value(&mut state.status, Some(s), s.as_str());
                }
            });
    });
    ui.separator();
    let needle = state.filter.to_lowercase();
    let keep = |doc: &crate::model::Document| {
        state.status.is_none_or(|s| s == doc.status)
            && (needle.is_empty() || doc.name.to_lowercase().contains(&needle))
    };
    if state.status.is_some() || !needle.is_empty() {
        let shown = project.documents.iter().filter(|d| keep(d)).count();
        ui.weak(format!("{shown} of {} shown", project.documents.len()));
    }
    egui::ScrollArea::vertical()
        .id_salt("sayso-doc-list")
        .auto_shrink(false)
        .show(ui, |ui| {
            let mut shown = 0;
            for (i, doc) in project.documents.iter().enumerate() {
                if !keep(doc) {
                    continue;
                }
                shown += 1;
                let pending = doc.pending();
                let live = doc
                    .spans
                    .iter()
                    .filter(|s| s.review != ReviewState::Rejected)
                    .count();
                let mut counts = count(live, "span", "spans");
                if pending > 0 {
                    counts.push_str(&format!(" · {pending} pending"));
                }
                let text = RichText::new(&doc.name);
                // Long names are elided to the panel's width; the tooltip
                // has the whole name.
                let response = ui
                    .horizontal(|ui| {
                        status_icon(ui, doc.status);
                        ui.add(egui::Button::selectable(i == current, text).truncate())
                    })
                    .inner
                    .on_hover_text(format!("{}\n{} · {counts}", doc.name, doc.status.as_str()));
                ui.add(egui::Label::new(RichText::new(format!("    {counts}")).weak()).truncate());
                if response.clicked() && i != current {
                    actions.push(Action::GoToDocument(i));
                }
                response.context_menu(|ui| {
                    for s in [DocStatus::Todo, DocStatus::InProgress, DocStatus::Done] {
                        let text = format!("Mark {}", s.as_str());
                        if ui
                            .add_enabled(doc.status != s, egui::Button::new(text))
                            .clicked()
                        {
                            actions.push(Action::Edit(Edit::SetDocStatus { doc: i, status: s }));
                            ui.close();
                        }
                    }
                });
            }
            if shown == 0 {
                ui.weak("No document matches the filter.");
            }
        });
}
