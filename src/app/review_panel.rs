//! The review panel: walks the pending suggestions of the current document
//! (reading order) or of the whole project, sorted by position or by
//! confidence, filtered by label and by rule, and decides them from the
//! keyboard.
//!
//! The panel being open is *review mode*: then (and only outside text
//! fields) `A`/`Enter` accept and go to the next, `X`/`Backspace` reject and
//! go to the next, `J`/`K` move without deciding, `Shift+A` accepts every
//! pending suggestion of the current one's rule in the document (one undo
//! step). `Alt+arrows` (resize) and the label keys (relabel) act on the
//! current suggestion because it is the selected span. Every decision is an
//! [`Edit`]; undo and redo work across them.

use std::rc::Rc;

use eframe::egui;
use egui::Ui;

use super::text_view::{displayable, label_color, shorten};
use super::{Action, App, UiCommand};
use crate::model::{Edit, Origin, Project, ReviewState, SpanId};

/// One pending suggestion in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub doc: usize,
    pub id: SpanId,
    pub start: usize,
    pub label: String,
    pub rule: String,
    pub confidence: f32,
}

/// What the queue holds and in which order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueOptions {
    pub whole_project: bool,
    pub by_confidence: bool,
    pub label: Option<String>,
    pub rule: Option<String>,
}

#[derive(Default)]
pub struct ReviewPanel {
    /// Open = review mode.
    pub open: bool,
    pub options: QueueOptions,
    cache: Option<QueueCache>,
}

/// The queue computed for (project generation, revision, document) and
/// these options.
type QueueCache = ((u64, u64, usize), QueueOptions, Rc<Vec<Item>>);

/// The pending suggestions of document `doc` (or of every document) that
/// pass the filters, in queue order.
pub fn queue(project: &Project, doc: usize, o: &QueueOptions) -> Vec<Item> {
    let mut out = Vec::new();
    for (d, document) in project.documents.iter().enumerate() {
        if !o.whole_project && d != doc {
            continue;
        }
        for s in &document.spans {
            if s.review != ReviewState::Suggested {
                continue;
            }
            let (rule, confidence) = match &s.origin {
                Origin::Rule {
                    rule, confidence, ..
                } => (rule.clone(), *confidence),
                _ => (String::new(), 1.0),
            };
            if o.label.as_ref().is_some_and(|l| *l != s.label)
                || o.rule.as_ref().is_some_and(|r| *r != rule)
            {
                continue;
            }
            out.push(Item {
                doc: d,
                id: s.id,
                start: s.start,
                label: s.label.clone(),
                rule,
                confidence,
            });
        }
    }
    if o.by_confidence {
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then((a.doc, a.start).cmp(&(b.doc, b.start)))
        });
    }
    out
}

impl App {
    /// The review queue (cached per model revision and options).
    pub fn review_queue(&mut self) -> Rc<Vec<Item>> {
        let key = (self.generation, self.revision, self.doc);
        if let Some((k, o, items)) = &self.review.cache
            && *k == key
            && *o == self.review.options
        {
            return items.clone();
        }
        let items = Rc::new(queue(&self.project, self.doc, &self.review.options));
        self.review.cache = Some((key, self.review.options.clone(), items.clone()));
        items
    }

    /// The suggestion under review: the selected span, if it is pending.
    pub fn review_current(&self) -> Option<(usize, SpanId)> {
        let id = self.view.selected?;
        let span = self.document()?.span(id)?;
        (span.review == ReviewState::Suggested).then_some((self.doc, id))
    }

    fn review_select(&mut self, item: Option<&Item>) {
        match item {
            Some(i) => self.apply(Action::SelectSpan {
                doc: i.doc,
                id: i.id,
            }),
            None => {
                self.view.selected = None;
                self.info("no pending suggestions left here (F5 runs the rules)");
            }
        }
    }

    /// J / K: the next or previous suggestion without deciding.
    pub fn review_step(&mut self, forward: bool) {
        let q = self.review_queue();
        if q.is_empty() {
            self.review_select(None);
            return;
        }
        let pos = self
            .review_current()
            .and_then(|(d, id)| q.iter().position(|i| i.doc == d && i.id == id));
        let next = match (pos, forward) {
            (Some(p), true) => (p + 1).min(q.len() - 1),
            (Some(p), false) => p.saturating_sub(1),
            (None, _) if self.review.options.by_confidence => 0,
            (None, true) => {
                let (doc, caret) = (self.doc, self.view.caret);
                q.iter()
                    .position(|i| (i.doc, i.start) >= (doc, caret))
                    .unwrap_or(0)
            }
            (None, false) => {
                let (doc, caret) = (self.doc, self.view.caret);
                q.iter()
                    .rposition(|i| (i.doc, i.start) < (doc, caret))
                    .unwrap_or(q.len() - 1)
            }
        };
        self.review_select(q.get(next));
    }

    /// The item to go to once `decided` leave the queue.
    fn after(&mut self, q: &[Item], decided: &[(usize, SpanId)]) -> Option<Item> {
        let gone = |i: &Item| decided.contains(&(i.doc, i.id));
        let pos = q.iter().position(&gone)?;
        q[pos..]
            .iter()
            .find(|i| !gone(i))
            .or_else(|| q[..pos].iter().rev().find(|i| !gone(i)))
            .cloned()
    }

    /// A / Enter (accept) and X / Backspace (reject), then the next.
    pub fn review_decide(&mut self, accept: bool) {
        let Some((doc, id)) = self.review_current() else {
            self.info("no suggestion selected: J goes to the first pending one");
            self.review_step(true);
            return;
        };
        let q = self.review_queue();
        let review = if accept {
            ReviewState::Accepted
        } else {
            ReviewState::Rejected
        };
        let mut decided = vec![(doc, id)];
        // Rejecting takes the pending links of the suggestion along.
        let by = self.settings.annotator.clone();
        let mut edits = vec![Edit::review_by(&self.project, doc, id, review, &by)];
        if accept
            && self.settings.accept_links_speaker
            && let Some(d) = self.project.documents.get(doc)
        {
            for r in d.relations_of(id).filter(|r| r.from == id) {
                if d.span(r.to)
                    .is_some_and(|s| s.review == ReviewState::Suggested && s.label == "Speaker")
                {
                    decided.push((doc, r.to));
                    edits.push(Edit::review_by(&self.project, doc, r.to, review, &by));
                }
            }
        }
        let next = self.after(&q, &decided);
        let edit = if edits.len() == 1 {
            edits.remove(0)
        } else {
            Edit::Batch {
                description: format!("accept a suggestion and {} linked", edits.len() - 1),
                edits,
            }
        };
        if self.apply_edit(edit) {
            self.review_select(next.as_ref());
        }
    }

    /// Shift+A: accept every pending suggestion of the current one's rule
    /// in its document, as one undo step.
    pub fn review_accept_rule(&mut self) {
        let Some((doc, id)) = self.review_current() else {
            self.info("no suggestion selected: J goes to the first pending one");
            return;
        };
        let Some(d) = self.project.documents.get(doc) else {
            return;
        };
        let Some(Origin::Rule { rule, .. }) = d.span(id).map(|s| s.origin.clone()) else {
            self.info("this suggestion does not come from a rule");
            return;
        };
        let ids: Vec<SpanId> = d
            .spans
            .iter()
            .filter(|s| s.review == ReviewState::Suggested)
            .filter(|s| matches!(&s.origin, Origin::Rule { rule: r, .. } if *r == rule))
            .map(|s| s.id)
            .collect();
        let q = self.review_queue();
        let decided: Vec<(usize, SpanId)> = ids.iter().map(|&i| (doc, i)).collect();
        let next = self.after(&q, &decided);
        let n = ids.len();
        let by = &self.settings.annotator;
        let edit = Edit::Batch {
            description: format!("accept {n} suggestion(s) of {rule}"),
            edits: ids
                .into_iter()
                .map(|id| Edit::review_by(&self.project, doc, id, ReviewState::Accepted, by))
                .collect(),
        };
        if self.apply_edit(edit) {
            self.info(format!(
                "accepted {n} suggestion(s) of {rule} (one undo step)"
            ));
            self.review_select(next.as_ref());
        }
    }

    /// Opens or closes review mode; opening goes to the first suggestion.
    pub fn toggle_review(&mut self) {
        self.review.open = !self.review.open;
        if self.review.open && self.review_current().is_none() {
            self.review_step(true);
        }
        self.view.request_focus();
    }
}

/// Draws the panel.
pub fn review_panel_ui(ui: &mut Ui, app: &mut App, actions: &mut Vec<Action>) {
    let q = app.review_queue();
    let current = app.review_current();
    ui.horizontal(|ui| {
        ui.heading("Review");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Close")
                .on_hover_text("Leave review mode (Ctrl+R)")
                .clicked()
            {
                actions.push(Action::Command(UiCommand::ReviewPanel));
            }
        });
    });
    // The queue's options fold away, so that in a short window the
    // current suggestion and the queue keep the room.
    let roomy = ui.available_height() > 400.0;
    egui::CollapsingHeader::new("Queue, filters, settings")
        .id_salt("review-options")
        .default_open(roomy)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let o = &mut app.review.options;
                ui.selectable_value(&mut o.whole_project, false, "This document");
                ui.selectable_value(&mut o.whole_project, true, "Whole project");
            });
            ui.horizontal_wrapped(|ui| {
                let o = &mut app.review.options;
                ui.label("Sort:");
                ui.selectable_value(&mut o.by_confidence, false, "Position");
                ui.selectable_value(&mut o.by_confidence, true, "Confidence");
            });
            let labels: Vec<String> = app
                .project
                .schema
                .labels
                .iter()
                .map(|l| l.name.clone())
                .collect();
            let rules: Vec<String> = app.rules.rules().into_iter().map(|r| r.id).collect();
            egui::Grid::new("review-filters").show(ui, |ui| {
                let o = &mut app.review.options;
                ui.label("Label");
                filter_combo(ui, "review-label", &mut o.label, &labels);
                ui.end_row();
                ui.label("Rule");
                filter_combo(ui, "review-rule", &mut o.rule, &rules);
                ui.end_row();
            });
            ui.checkbox(
                &mut app.settings.accept_links_speaker,
                "Accepting a Claim/Stance also accepts its Speaker",
            );
            ui.horizontal_wrapped(|ui| {
                if ui.button("Run rules (F5)").clicked() {
                    actions.push(Action::Command(UiCommand::RunRulesDocument));
                }
                if ui.button("On project (Shift+F5)").clicked() {
                    actions.push(Action::Command(UiCommand::RunRulesProject));
                }
            });
        });
    ui.separator();
    let pos = current.and_then(|(d, id)| q.iter().position(|i| i.doc == d && i.id == id));
    ui.label(match pos {
        Some(p) => format!("{} of {} pending", p + 1, q.len()),
        None => format!("{} pending", q.len()),
    });
    if let Some((d, id)) = current
        && let Some(doc) = app.project.documents.get(d)
        && let Some(span) = doc.span(id)
    {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            // Wrapped to the column: a long suggestion never widens it.
            let color = label_color(&app.project.schema, &span.label);
            ui.label(egui::RichText::new(&span.label).strong().color(color));
            ui.add(
                egui::Label::new(displayable(
                    ui,
                    &format!("“{}”", shorten(doc.span_text(span), 160)),
                ))
                .wrap(),
            );
            if let Origin::Rule {
                rule,
                confidence,
                explanation,
                edited,
            } = &span.origin
            {
                ui.label(format!(
                    "rule {rule} · confidence {:.0}%{}",
                    confidence * 100.0,
                    if *edited { " · edited" } else { "" }
                ));
                ui.weak(displayable(ui, explanation));
            }
            ui.horizontal_wrapped(|ui| {
                for (text, cmd) in [
                    ("Accept (A)", UiCommand::ReviewAccept),
                    ("Reject (X)", UiCommand::ReviewReject),
                    ("Prev (K)", UiCommand::ReviewPrevious),
                    ("Next (J)", UiCommand::ReviewNext),
                    ("Accept rule (Shift+A)", UiCommand::ReviewAcceptRule),
                ] {
                    if ui.button(text).clicked() {
                        actions.push(Action::Command(cmd));
                    }
                }
            });
            ui.weak("Alt+arrows: boundaries · label keys: relabel");
        });
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, 18.0, q.len(), |ui, range| {
            for i in &q[range] {
                let Some(doc) = app.project.documents.get(i.doc) else {
                    continue;
                };
                let Some(span) = doc.span(i.id) else { continue };
                let text = format!(
                    "{}{} {:.0}% {}",
                    if app.review.options.whole_project {
                        format!("{}: ", shorten(&doc.name, 12))
                    } else {
                        String::new()
                    },
                    i.label,
                    i.confidence * 100.0,
                    shorten(doc.span_text(span), 40)
                );
                let text = displayable(ui, &text);
                let selected = current == Some((i.doc, i.id));
                if ui
                    .add(egui::Button::selectable(selected, text).truncate())
                    .on_hover_text(&i.rule)
                    .clicked()
                {
                    actions.push(Action::SelectSpan {
                        doc: i.doc,
                        id: i.id,
                    });
                }
            }
        });
}

fn filter_combo(ui: &mut Ui, id: &str, value: &mut Option<String>, choices: &[String]) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(value.clone().unwrap_or_else(|| "all".into()))
        .width(170.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "all");
            for c in choices {
                ui.selectable_value(value, Some(c.clone()), c);
            }
        });
}
