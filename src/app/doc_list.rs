//! The left panel: the project's documents with status and counts, a name
//! filter and a status filter. Clicking a document opens it.
//!
//! Two views: two lines per document (name, then counts), or compact, one
//! line per document with the counts in columns (spans, pending, status),
//! sortable by a click on a column's header. Which one is shown is a
//! setting ([`super::Settings::compact_documents`]); the header's "Compact"
//! button and View › Compact document list switch it.

use eframe::egui;
use egui::{RichText, Ui};

use super::status_bar::count;
use super::{Action, UiCommand};
use crate::model::{DocStatus, Document, Edit, Project, ReviewState};

/// A column of the compact list to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Spans,
    Pending,
    Status,
}

impl SortBy {
    fn title(self) -> &'static str {
        match self {
            SortBy::Name => "Name",
            SortBy::Spans => "Spans",
            SortBy::Pending => "Pending",
            SortBy::Status => "Status",
        }
    }

    /// The first click sorts names A to Z and statuses from to do to done,
    /// counts from the most.
    fn first_descending(self) -> bool {
        matches!(self, SortBy::Spans | SortBy::Pending)
    }
}

#[derive(Default)]
pub struct DocListState {
    filter: String,
    status: Option<DocStatus>,
    /// The compact list's order: `None` is the project's order.
    pub sort: Option<SortBy>,
    pub descending: bool,
}

impl DocListState {
    /// A click on the header of `col`: sort by it; a second click reverses
    /// the order, a third goes back to the project's order.
    pub fn click_header(&mut self, col: SortBy) {
        match self.sort {
            Some(c) if c == col && self.descending != col.first_descending() => self.sort = None,
            Some(c) if c == col => self.descending = !self.descending,
            _ => {
                self.sort = Some(col);
                self.descending = col.first_descending();
            }
        }
    }

    /// The documents the list shows, in the order it shows them (the
    /// filters applied; sorted as chosen in the compact view).
    pub fn order(&self, project: &Project, compact: bool) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        let mut shown: Vec<usize> = project
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                self.status.is_none_or(|s| s == d.status)
                    && (needle.is_empty() || d.name.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect();
        let Some(col) = self.sort.filter(|_| compact) else {
            return shown;
        };
        let docs = &project.documents;
        // Stable: equal keys keep the project's order, either way.
        shown.sort_by(|&a, &b| {
            let (x, y) = (&docs[a], &docs[b]);
            let o = match col {
                SortBy::Name => x.name.to_lowercase().cmp(&y.name.to_lowercase()),
                SortBy::Spans => live_spans(x).cmp(&live_spans(y)),
                SortBy::Pending => x.pending().cmp(&y.pending()),
                SortBy::Status => status_rank(x.status).cmp(&status_rank(y.status)),
            };
            if self.descending { o.reverse() } else { o }
        });
        shown
    }
}

/// To do, in progress, done.
fn status_rank(s: DocStatus) -> u8 {
    match s {
        DocStatus::Todo => 0,
        DocStatus::InProgress => 1,
        DocStatus::Done => 2,
    }
}

/// Spans that count (rejected suggestions do not).
fn live_spans(doc: &Document) -> usize {
    doc.spans
        .iter()
        .filter(|s| s.review != ReviewState::Rejected)
        .count()
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
    compact: bool,
    actions: &mut Vec<Action>,
) {
    let done = project
        .documents
        .iter()
        .filter(|d| d.status == DocStatus::Done)
        .count();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Documents");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let tip = if compact {
                "One line per document, counts in columns (click again for two lines)"
            } else {
                "One line per document, counts in columns, sortable"
            };
            if ui
                .add(egui::Button::selectable(compact, "Compact"))
                .on_hover_text(tip)
                .clicked()
            {
                actions.push(Action::Command(UiCommand::CompactDocuments));
            }
        });
    });
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
    let order = state.order(project, compact);
    if state.status.is_some() || !state.filter.is_empty() {
        ui.weak(format!(
            "{} of {} shown",
            order.len(),
            project.documents.len()
        ));
    }
    if compact {
        header_ui(ui, state);
    }
    egui::ScrollArea::vertical()
        .id_salt("sayso-doc-list")
        .auto_shrink(false)
        .show(ui, |ui| {
            for &i in &order {
                let Some(doc) = project.documents.get(i) else {
                    continue;
                };
                let pending = doc.pending();
                let live = live_spans(doc);
                let mut counts = count(live, "span", "spans");
                if pending > 0 {
                    counts.push_str(&format!(" · {pending} pending"));
                }
                let tip = format!("{}\n{} · {counts}", doc.name, doc.status.as_str());
                let response = if compact {
                    compact_row_ui(ui, doc, i == current, live, pending).on_hover_text(tip)
                } else {
                    let text = RichText::new(&doc.name);
                    // Long names are elided to the panel's width; the
                    // tooltip has the whole name.
                    let response = ui
                        .horizontal(|ui| {
                            status_icon(ui, doc.status);
                            ui.add(egui::Button::selectable(i == current, text).truncate())
                        })
                        .inner
                        .on_hover_text(tip);
                    ui.add(
                        egui::Label::new(RichText::new(format!("    {counts}")).weak()).truncate(),
                    );
                    response
                };
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
            if order.is_empty() {
                ui.weak("No document matches the filter.");
            }
        });
}

/// Widths of the compact list's count columns: spans, pending, status.
const COLUMNS: [f32; 3] = [34.0, 44.0, 38.0];

/// The compact list's header: a button per column that sorts by it.
fn header_ui(ui: &mut Ui, state: &mut DocListState) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        let name_w = (ui.available_width() - COLUMNS.iter().sum::<f32>() - 8.0).max(40.0);
        let cols = [
            (SortBy::Name, name_w),
            (SortBy::Spans, COLUMNS[0]),
            (SortBy::Pending, COLUMNS[1]),
            (SortBy::Status, COLUMNS[2]),
        ];
        for (col, w) in cols {
            let arrow = match state.sort {
                Some(c) if c == col && state.descending => " v",
                Some(c) if c == col => " ^",
                _ => "",
            };
            let text = RichText::new(format!("{}{arrow}", col.title())).small();
            let button = egui::Button::new(text).frame(false).truncate();
            let r = ui.add_sized([w, 18.0], button).on_hover_text(format!(
                "Sort by {} (click again to reverse, a third time for the project's order)",
                col.title().to_lowercase()
            ));
            if r.clicked() {
                state.click_header(col);
            }
        }
    });
    ui.separator();
}

/// One line of the compact list: the name (elided), then the counts and the
/// status mark in columns. The response is the name's.
fn compact_row_ui(
    ui: &mut Ui,
    doc: &Document,
    selected: bool,
    spans: usize,
    pending: usize,
) -> egui::Response {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        let name_w = (ui.available_width() - COLUMNS.iter().sum::<f32>() - 8.0).max(40.0);
        let h = ui.spacing().interact_size.y;
        let name = ui
            .allocate_ui_with_layout(
                egui::vec2(name_w, h),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_max_width(name_w);
                    ui.add(egui::Button::selectable(selected, &doc.name).truncate())
                },
            )
            .inner;
        let right = egui::Layout::right_to_left(egui::Align::Center);
        let pending_text = if pending > 0 {
            pending.to_string()
        } else {
            String::new()
        };
        for (w, text) in [(COLUMNS[0], spans.to_string()), (COLUMNS[1], pending_text)] {
            ui.allocate_ui_with_layout(egui::vec2(w, h), right, |ui| {
                ui.set_min_width(w);
                ui.label(RichText::new(text).weak());
            });
        }
        ui.allocate_ui_with_layout(
            egui::vec2(COLUMNS[2], h),
            egui::Layout::centered_and_justified(egui::Direction::LeftToRight),
            |ui| {
                ui.set_min_width(COLUMNS[2]);
                status_icon(ui, doc.status);
            },
        );
        name
    })
    .inner
}
