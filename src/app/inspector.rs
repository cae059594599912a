//! The right panel: the selected span's label, text, attributes (value
//! lists from the schema, free text where the schema says so), links
//! (`said_by` / `held_by`: pick a Speaker of the document, or the nearest
//! preceding one), origin, review state, and delete. Every change is an
//! [`Edit`] handed back as an [`Action`].

use eframe::egui;
use std::collections::HashMap;

use egui::{Id, RichText, Ui};

use super::text_nav;
use super::text_view::{TextView, label_color, origin_text, shorten};
use super::{Action, UiCommand};
use crate::model::{AttrKind, Edit, Project, Relation, ReviewState, SpanId};

#[derive(Default)]
pub struct InspectorState {
    /// Move the keyboard to the inspector's first field next frame.
    pub focus_next_frame: bool,
    /// Text attribute fields being edited, per (span, attribute).
    buffers: HashMap<(SpanId, String), String>,
    /// Which attribute's completions were shown last frame, and where: a
    /// click there is a choice, not the end of typing.
    completions_rect: Option<(String, egui::Rect)>,
}

/// How many completions a text attribute field offers.
const MAX_COMPLETIONS: usize = 6;

/// Values that spans of `label` already have for attribute `key` and that
/// contain `typed` (case-insensitive), other than `typed` itself: this
/// document's first, then the rest of the project's, each once.
pub fn completions(
    project: &Project,
    doc: usize,
    label: &str,
    key: &str,
    typed: &str,
) -> Vec<String> {
    let needle = typed.trim().to_lowercase();
    let mut out: Vec<String> = Vec::new();
    let here = project.documents.get(doc).into_iter();
    let others = project
        .documents
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != doc)
        .map(|(_, d)| d);
    for d in here.chain(others) {
        for v in d
            .spans
            .iter()
            .filter(|s| s.label == label && s.review != ReviewState::Rejected)
            .filter_map(|s| s.attrs.get(key))
        {
            if v.to_lowercase().contains(&needle) && v.trim() != typed.trim() && !out.contains(v) {
                out.push(v.clone());
                if out.len() == MAX_COMPLETIONS {
                    return out;
                }
            }
        }
    }
    out
}

pub fn inspector_ui(
    ui: &mut Ui,
    state: &mut InspectorState,
    project: &Project,
    doc_index: usize,
    view: &TextView,
    annotator: &str,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    ui.heading("Inspector");
    let Some(doc) = project.documents.get(doc_index) else {
        ui.weak("No document.");
        return;
    };
    if let Some((a, b)) = view.selection() {
        ui.add(
            egui::Label::new(format!(
                "Selection: “{}”",
                shorten(doc.text.slice(a, b), 80)
            ))
            .wrap(),
        );
        ui.weak(format!(
            "code points {a}–{b}; press a label key or a Tag button"
        ));
        ui.separator();
    }
    let Some(span) = view.selected.and_then(|id| doc.span(id)) else {
        ui.weak("No span selected. Click a span, or press Tab to go through them.");
        state.focus_next_frame = false;
        return;
    };
    let span = span.clone();
    let schema = &project.schema;
    let edit = |e: Edit| Action::Edit(e);
    let mut focus_target: Option<Id> = None;

    egui::ScrollArea::vertical()
        .id_salt("sayso-inspector")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width());
            egui::Grid::new("sayso-inspector-grid")
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    // Label.
                    let label_label = ui.label("Label");
                    let color = label_color(schema, &span.label);
                    let combo = egui::ComboBox::from_id_salt("sayso-span-label")
                        .selected_text(RichText::new(&span.label).color(color).strong())
                        .show_ui(ui, |ui| {
                            for l in &schema.labels {
                                let text =
                                    format!("{} ({})", l.name, l.hotkey.to_ascii_uppercase());
                                if ui.selectable_label(l.name == span.label, text).clicked()
                                    && l.name != span.label
                                {
                                    actions.push(edit(Edit::RelabelSpan {
                                        doc: doc_index,
                                        id: span.id,
                                        label: l.name.clone(),
                                    }));
                                }
                            }
                        });
                    let combo = combo.response.labelled_by(label_label.id);
                    ui.end_row();

                    ui.label("Text");
                    ui.add(
                        egui::Label::new(format!("“{}”", shorten(doc.span_text(&span), 160)))
                            .wrap(),
                    );
                    ui.end_row();

                    ui.label("Position");
                    ui.weak(format!("code points {}–{}", span.start, span.end));
                    ui.end_row();

                    // Attributes.
                    if let Some(def) = schema.label(&span.label) {
                        for attr in &def.attributes {
                            let name_label = ui.label(&attr.name);
                            let current = span.attrs.get(&attr.name).cloned().unwrap_or_default();
                            match &attr.kind {
                                AttrKind::Choice(values) => {
                                    let shown = if current.is_empty() {
                                        "(not set)".to_owned()
                                    } else {
                                        current.clone()
                                    };
                                    let r =
                                        egui::ComboBox::from_id_salt(("sayso-attr", &attr.name))
                                            .selected_text(shown)
                                            .show_ui(ui, |ui| {
                                                if ui
                                                    .selectable_label(
                                                        current.is_empty(),
                                                        "(not set)",
                                                    )
                                                    .clicked()
                                                    && !current.is_empty()
                                                {
                                                    actions.push(edit(Edit::SetAttr {
                                                        doc: doc_index,
                                                        id: span.id,
                                                        key: attr.name.clone(),
                                                        value: None,
                                                    }));
                                                }
                                                for v in values {
                                                    if ui
                                                        .selectable_label(*v == current, v)
                                                        .clicked()
                                                        && *v != current
                                                    {
                                                        actions.push(edit(Edit::SetAttr {
                                                            doc: doc_index,
                                                            id: span.id,
                                                            key: attr.name.clone(),
                                                            value: Some(v.clone()),
                                                        }));
                                                    }
                                                }
                                            });
                                    r.response.labelled_by(name_label.id);
                                }
                                AttrKind::Text => {
                                    let id = Id::unique(("sayso-attr-text", span.id, &attr.name));
                                    let key = (span.id, attr.name.clone());
                                    // Escape takes the focus before the frame (egui):
                                    // the field that had it keeps what was typed.
                                    let focused = ui
                                        .memory(|m| m.has_focus(id) || m.had_focus_last_frame(id));
                                    // The pointer is on last frame's completions: a click
                                    // there chooses one (the list stays until it is released).
                                    let on_completions =
                                        state.completions_rect.as_ref().is_some_and(|(k, rect)| {
                                            *k == attr.name
                                                && ui.input(|i| {
                                                    i.pointer
                                                        .interact_pos()
                                                        .is_some_and(|p| rect.contains(p))
                                                })
                                        });
                                    let buffer = state
                                        .buffers
                                        .entry(key.clone())
                                        .or_insert_with(|| current.clone());
                                    if !focused && !on_completions {
                                        buffer.clone_from(&current);
                                    }
                                    let mut chosen: Option<String> = None;
                                    let r = ui
                                        .vertical(|ui| {
                                            let r = ui
                                                .add(
                                                    egui::TextEdit::singleline(buffer)
                                                        .id(id)
                                                        .hint_text("(not set)")
                                                        .desired_width(170.0),
                                                )
                                                .labelled_by(name_label.id);
                                            // Values other spans of this label have, so that
                                            // one person keeps one spelling.
                                            let offer =
                                                if focused || r.has_focus() || on_completions {
                                                    completions(
                                                        project,
                                                        doc_index,
                                                        &span.label,
                                                        &attr.name,
                                                        buffer,
                                                    )
                                                } else {
                                                    Vec::new()
                                                };
                                            if !offer.is_empty() {
                                                let list = ui.vertical(|ui| {
                                                    for v in &offer {
                                                        if ui
                                                            .small_button(format!("use “{v}”"))
                                                            .clicked()
                                                        {
                                                            chosen = Some(v.clone());
                                                        }
                                                    }
                                                });
                                                state.completions_rect =
                                                    Some((attr.name.clone(), list.response.rect));
                                            } else if state
                                                .completions_rect
                                                .as_ref()
                                                .is_some_and(|(k, _)| *k == attr.name)
                                            {
                                                state.completions_rect = None;
                                            }
                                            r
                                        })
                                        .inner;
                                    if focus_target.is_none() {
                                        focus_target = Some(id);
                                    }
                                    if let Some(v) = chosen {
                                        buffer.clone_from(&v);
                                        state.completions_rect = None;
                                        if v != current {
                                            actions.push(edit(Edit::SetAttr {
                                                doc: doc_index,
                                                id: span.id,
                                                key: attr.name.clone(),
                                                value: Some(v),
                                            }));
                                        }
                                    } else if r.lost_focus()
                                        && *buffer != current
                                        && !on_completions
                                    {
                                        let value = buffer.trim().to_owned();
                                        actions.push(edit(Edit::SetAttr {
                                            doc: doc_index,
                                            id: span.id,
                                            key: attr.name.clone(),
                                            value: (!value.is_empty()).then_some(value),
                                        }));
                                    }
                                }
                            }
                            ui.end_row();
                        }
                    }
                    if focus_target.is_none() {
                        focus_target = Some(combo.id);
                    }

                    ui.label("Origin");
                    ui.label(origin_text(&span.origin));
                    ui.end_row();
                    if let crate::model::Origin::Rule {
                        explanation,
                        edited,
                        ..
                    } = &span.origin
                    {
                        ui.label("Why");
                        let why = super::text_view::displayable(ui, explanation);
                        ui.add(egui::Label::new(egui::RichText::new(why).weak()).wrap());
                        ui.end_row();
                        if *edited {
                            ui.label("");
                            ui.weak("edited before accepting");
                            ui.end_row();
                        }
                    }

                    ui.label("Review");
                    ui.horizontal_wrapped(|ui| {
                        for r in [
                            ReviewState::Accepted,
                            ReviewState::Suggested,
                            ReviewState::Rejected,
                        ] {
                            if ui.selectable_label(span.review == r, r.as_str()).clicked()
                                && span.review != r
                            {
                                actions.push(edit(Edit::review_by(
                                    project, doc_index, span.id, r, annotator,
                                )));
                            }
                        }
                    });
                    ui.end_row();
                });

            // Links from this span.
            let outgoing: Vec<_> = schema
                .relations
                .iter()
                .filter(|r| r.from == span.label)
                .collect();
            if !outgoing.is_empty() {
                ui.separator();
                ui.strong("Links");
            }
            for def in outgoing {
                let current: Vec<Relation> = doc
                    .relations
                    .iter()
                    .filter(|r| r.from == span.id && r.kind == def.name)
                    .cloned()
                    .collect();
                let targets: Vec<_> = doc.spans.iter().filter(|s| s.label == def.to).collect();
                let shown = match current.first().and_then(|r| doc.span(r.to)) {
                    Some(t) => format!("{} · {}", shorten(doc.span_text(t), 28), t.start),
                    None => "(none)".into(),
                };
                ui.horizontal_wrapped(|ui| {
                    let name = ui.label(&def.name);
                    let r = egui::ComboBox::from_id_salt(("sayso-link", &def.name))
                        .selected_text(shown)
                        .width((ui.available_width() - 70.0).clamp(120.0, 240.0))
                        .show_ui(ui, |ui| {
                            if targets.is_empty() {
                                ui.weak(format!("no {} in this document yet", def.to));
                            }
                            for t in &targets {
                                let text =
                                    format!("{} · {}", shorten(doc.span_text(t), 28), t.start);
                                let is_current = current.iter().any(|r| r.to == t.id);
                                if ui.selectable_label(is_current, text).clicked() && !is_current {
                                    let relation = Relation {
                                        from: span.id,
                                        kind: def.name.clone(),
                                        to: t.id,
                                    };
                                    actions.push(edit(relink(doc_index, &current, relation)));
                                }
                            }
                        });
                    r.response.labelled_by(name.id);
                });
                ui.horizontal_wrapped(|ui| {
                    let nearest = text_nav::nearest_preceding_link(
                        schema,
                        doc,
                        view.sentences(),
                        span.id,
                        &span.label,
                        span.start,
                        None,
                    );
                    let enabled = nearest.as_ref().is_some_and(|n| !current.contains(n));
                    let text = format!("Nearest preceding {}", def.to.to_lowercase());
                    if ui.add_enabled(enabled, egui::Button::new(text)).clicked()
                        && let Some(n) = nearest
                    {
                        actions.push(edit(relink(doc_index, &current, n)));
                    }
                    if !current.is_empty() && ui.button(format!("Unlink {}", def.name)).clicked() {
                        actions.push(edit(Edit::Batch {
                            description: format!("unlink {}", def.name),
                            edits: current
                                .iter()
                                .map(|r| Edit::RemoveRelation {
                                    doc: doc_index,
                                    relation: r.clone(),
                                })
                                .collect(),
                        }));
                    }
                });
            }
            // Links to this span.
            let incoming: Vec<&Relation> =
                doc.relations.iter().filter(|r| r.to == span.id).collect();
            if !incoming.is_empty() {
                ui.separator();
                ui.strong("Linked from");
                for r in incoming {
                    if let Some(from) = doc.span(r.from) {
                        let text = format!(
                            "{} “{}” ({} this)",
                            from.label,
                            shorten(doc.span_text(from), 40),
                            r.kind
                        );
                        if ui.link(text).clicked() {
                            actions.push(Action::SelectSpan {
                                doc: doc_index,
                                id: from.id,
                            });
                        }
                    }
                }
            }
            ui.separator();
            if ui.button("Delete span").clicked() {
                actions.push(Action::Command(UiCommand::DeleteSpan));
            }
        });
    if state.focus_next_frame {
        state.focus_next_frame = false;
        if let Some(id) = focus_target {
            ui.memory_mut(|m| m.request_focus(id));
        }
    }
    if state.buffers.len() > 64 {
        state.buffers.retain(|(id, _), _| *id == span.id);
    }
}

/// One undo step that replaces the links in `current` by `relation`.
pub(super) fn relink(doc: usize, current: &[Relation], relation: Relation) -> Edit {
    let description = format!("link {}", relation.kind);
    let mut edits: Vec<Edit> = current
        .iter()
        .map(|r| Edit::RemoveRelation {
            doc,
            relation: r.clone(),
        })
        .collect();
    edits.push(Edit::AddRelation { doc, relation });
    Edit::Batch { description, edits }
}
