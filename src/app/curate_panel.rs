//! The curation panel: walks the disagreements between the annotators of a
//! merged project ([`crate::team::disagreements`]) in the current document
//! (reading order) or in the whole project, shows the current one's
//! versions side by side (each with its annotators and its spans' text,
//! label, attributes and links), and settles it from the keyboard.
//!
//! The panel being open is *curation mode* (never together with review
//! mode): then, outside text fields, `1`–`9` pick that version, `A` keeps
//! all, `N` or `0` keeps none, `J`/`K` move without deciding, and
//! `Alt+arrows` move the boundaries of the selected version's spans (the
//! span selected in the text, and the same span of every annotator of its
//! version) before deciding. Every decision and every boundary move is one
//! [`Edit`] ([`crate::team::settle`]), stamped with the window's annotator
//! as curator; `Ctrl+Z` brings a settled item back into the queue.
//!
//! In curation mode the text shows spans that several annotators agree on
//! (same offsets, label and attributes, outside every disagreement) once
//! ([`agreed_duplicates`]): the first stands for the others.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use eframe::egui;
use egui::Ui;

use super::text_view::{displayable, label_color, shorten};
use super::{Action, App, UiCommand};
use crate::model::{Document, Edit, Origin, Project, ReviewState, Schema, Span, SpanId};
use crate::team::{Disagreement, Pick, annotators_of, disagreements, settle};

/// Narrowest column a version gets beside the others; below it they are
/// stacked.
const VERSION_MIN_WIDTH: f32 = 150.0;

#[derive(Default)]
pub struct CuratePanel {
    /// Open = curation mode.
    pub open: bool,
    /// The queue holds the disagreements of every document, not only the
    /// current one's.
    pub whole_project: bool,
    /// The current item, by one of its spans (document and id).
    anchor: Option<(usize, SpanId)>,
    /// The selected version of the current item (its index).
    pub version: usize,
    cache: Option<(QueueKey, Rc<Vec<Disagreement>>)>,
    /// [`agreed_duplicates`] of the current document, by (generation,
    /// revision, document).
    agreed: Option<(DocKey, Rc<HashSet<SpanId>>)>,
}

/// (project generation, revision, document).
type DocKey = (u64, u64, usize);

/// (project generation, revision, document, whole project).
type QueueKey = (u64, u64, usize, bool);

/// The disagreements of document `doc`, or of every document, in order.
pub fn queue(
    project: &crate::model::Project,
    doc: usize,
    whole_project: bool,
) -> Vec<Disagreement> {
    if whole_project {
        (0..project.documents.len())
            .flat_map(|d| disagreements(project, d))
            .collect()
    } else {
        disagreements(project, doc)
    }
}

/// The spans of document `doc` that repeat an earlier span of another
/// annotator with the same offsets, label and attributes (those set), none
/// of them part of a disagreement: curation mode draws such a group once,
/// as its first span. Only accepted, not curated spans of a named
/// annotator count (as in [`crate::team::disagreements`]).
pub fn agreed_duplicates(project: &Project, doc: usize) -> HashSet<SpanId> {
    let mut hidden = HashSet::new();
    let Some(d) = project.documents.get(doc) else {
        return hidden;
    };
    let disputed: HashSet<SpanId> = disagreements(project, doc)
        .iter()
        .flat_map(|x| x.spans().collect::<Vec<_>>())
        .collect();
    type Key<'a> = (usize, usize, &'a str, Vec<(&'a str, &'a str)>);
    let mut first: HashMap<Key<'_>, &str> = HashMap::new();
    for s in &d.spans {
        let Some(who) = s.annotator() else { continue };
        if s.review != ReviewState::Accepted
            || matches!(s.origin, Origin::Curated { .. })
            || disputed.contains(&s.id)
        {
            continue;
        }
        let attrs = s
            .attrs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match first.entry((s.start, s.end, s.label.as_str(), attrs)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                if *e.get() != who {
                    hidden.insert(s.id);
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(who);
            }
        }
    }
    hidden
}

/// How many documents have the work of more than one annotator.
pub fn documents_to_curate(project: &crate::model::Project) -> usize {
    project
        .documents
        .iter()
        .filter(|d| annotators_of(d).len() > 1)
        .count()
}

impl App {
    /// The curation queue (cached per model revision and options).
    pub fn curate_queue(&mut self) -> Rc<Vec<Disagreement>> {
        let key = (
            self.generation,
            self.revision,
            self.doc,
            self.curate.whole_project,
        );
        if let Some((k, items)) = &self.curate.cache
            && *k == key
        {
            return items.clone();
        }
        let items = Rc::new(queue(&self.project, self.doc, self.curate.whole_project));
        self.curate.cache = Some((key, items.clone()));
        items
    }

    /// [`agreed_duplicates`] of the current document (cached per model
    /// revision).
    pub fn curate_agreed(&mut self) -> Rc<HashSet<SpanId>> {
        let key = (self.generation, self.revision, self.doc);
        if let Some((k, set)) = &self.curate.agreed
            && *k == key
        {
            return set.clone();
        }
        let set = Rc::new(agreed_duplicates(&self.project, self.doc));
        self.curate.agreed = Some((key, set.clone()));
        set
    }

    /// The disagreement being curated and its place in the queue: the one
    /// the span selected in the text belongs to (which also selects that
    /// span's version), else the last one gone to.
    pub fn curate_current(&mut self) -> Option<(usize, Disagreement)> {
        let q = self.curate_queue();
        let doc = self.doc;
        if let Some(id) = self.view.selected
            && let Some(pos) = q.iter().position(|i| i.doc == doc && i.contains(id))
        {
            let item = q[pos].clone();
            self.curate.anchor = Some((doc, id));
            if let Some(v) = item.version_of(id) {
                self.curate.version = v;
            }
            return Some((pos, item));
        }
        let (d, id) = self.curate.anchor?;
        let pos = q.iter().position(|i| i.doc == d && i.contains(id))?;
        Some((pos, q[pos].clone()))
    }

    /// Makes `item` current with its version `version` selected: that
    /// version's first span is selected in the text (or, for a version that
    /// marked nothing, the item's stretch of text), scrolled into view.
    fn curate_go(&mut self, item: Option<&Disagreement>, version: usize) {
        let Some(item) = item else {
            self.curate.anchor = None;
            self.view.selected = None;
            let what = if self.curate.whole_project {
                "in the project"
            } else {
                "in this document"
            };
            self.info(format!("no disagreements left {what}"));
            return;
        };
        let version = version.min(item.versions.len().saturating_sub(1));
        match item.versions.get(version).and_then(|v| v.spans.first()) {
            Some(&id) => {
                self.apply(Action::SelectSpan { doc: item.doc, id });
                self.curate.anchor = Some((item.doc, id));
            }
            None => {
                self.apply(Action::SelectRange {
                    doc: item.doc,
                    start: item.start,
                    end: item.end,
                });
                self.curate.anchor = item.spans().next().map(|id| (item.doc, id));
            }
        }
        self.curate.version = version;
    }

    /// J / K: the next or previous disagreement without deciding.
    pub fn curate_step(&mut self, forward: bool) {
        let q = self.curate_queue();
        if q.is_empty() {
            self.curate_go(None, 0);
            return;
        }
        let pos = self.curate_current().map(|(p, _)| p);
        let (doc, caret) = (self.doc, self.view.caret);
        let next = match (pos, forward) {
            (Some(p), true) => (p + 1).min(q.len() - 1),
            (Some(p), false) => p.saturating_sub(1),
            (None, true) => q
                .iter()
                .position(|i| (i.doc, i.end) > (doc, caret))
                .unwrap_or(0),
            (None, false) => q
                .iter()
                .rposition(|i| (i.doc, i.start) < (doc, caret))
                .unwrap_or(q.len() - 1),
        };
        self.curate_go(q.get(next), 0);
    }

    /// 1–9, A, N / 0: settles the current disagreement, then goes to the
    /// next one.
    pub fn curate_decide(&mut self, pick: Pick) {
        let Some((_, item)) = self.curate_current() else {
            self.info("no disagreement selected: J goes to the first one");
            self.curate_step(true);
            return;
        };
        let curator = self.settings.annotator.clone();
        let edit = match settle(&mut self.project, &item, pick, &curator) {
            Ok(edit) => edit,
            Err(e) => {
                self.error(e.to_string());
                return;
            }
        };
        let what = edit.describe();
        if !self.apply_edit(edit) {
            return;
        }
        // The next item from where this one was (the queue has changed).
        let q = self.curate_queue();
        let next = q
            .iter()
            .position(|i| (i.doc, i.start) >= (item.doc, item.start))
            .or_else(|| q.len().checked_sub(1));
        self.curate_go(next.and_then(|n| q.get(n)), 0);
        self.info(format!(
            "{what}; {} left (Ctrl+Z brings it back)",
            super::status_bar::count(q.len(), "disagreement", "disagreements")
        ));
    }

    /// Alt+arrows in curation mode: moves a boundary of the selected
    /// version's span, for every annotator of the version (one undo step).
    /// False when curation mode has nothing to move and the ordinary
    /// resize should run.
    pub fn curate_resize(&mut self, cmd: UiCommand) -> bool {
        if !self.curate.open {
            return false;
        }
        let Some((_, item)) = self.curate_current() else {
            return false;
        };
        let Some(version) = item.versions.get(self.curate.version) else {
            return false;
        };
        let target = match self.view.selected {
            Some(id) if version.spans.contains(&id) => id,
            _ => match version.spans.first() {
                Some(&id) => id,
                None => {
                    self.info(format!(
                        "version {} marked nothing here: there is no boundary to move",
                        self.curate.version + 1
                    ));
                    return true;
                }
            },
        };
        let Some((start, end)) = self.resized(target, cmd) else {
            return true;
        };
        let Some(doc) = self.project.documents.get(item.doc) else {
            return true;
        };
        let Some(span) = doc.span(target) else {
            return true;
        };
        let same = |s: &&Span| (s.start, s.end, &s.label) == (span.start, span.end, &span.label);
        let edits: Vec<Edit> = version
            .spans
            .iter()
            .filter_map(|&id| doc.span(id))
            .filter(same)
            .map(|s| Edit::ResizeSpan {
                doc: item.doc,
                id: s.id,
                start,
                end,
            })
            .collect();
        let n = edits.len();
        let edit = Edit::Batch {
            description: format!("move the boundary of version {}", self.curate.version + 1),
            edits,
        };
        if self.apply_edit(edit) {
            if let Some(span) = self.document().and_then(|d| d.span(target)).cloned() {
                self.view.select_span(&span);
            }
            self.curate.anchor = Some((item.doc, target));
            let still = self
                .curate_queue()
                .iter()
                .any(|i| i.doc == item.doc && i.contains(target));
            if still {
                self.info(format!(
                    "moved the boundary of {n} span(s), one per annotator of the version"
                ));
            } else {
                self.info("moved the boundary: the annotators agree here now, so the item left the queue (curation by majority settles it)");
            }
        }
        true
    }

    /// Opens or closes curation mode (closing review mode); opening goes
    /// to the first disagreement.
    pub fn toggle_curation(&mut self) {
        self.curate.open = !self.curate.open;
        if !self.curate.open {
            self.info("curation mode off");
            self.view.request_focus();
            return;
        }
        self.review.open = false;
        if documents_to_curate(&self.project) == 0 {
            self.info("curation mode: no document here has the work of more than one annotator (sayso merge brings annotators' files together)");
        } else if self.curate_current().is_none() {
            self.curate_step(true);
            if self.curate_current().is_some() {
                let n = self.curate_queue().len();
                self.info(format!(
                    "curation mode: {}; keys 1–9 pick a version, A keeps all, N none, J/K move",
                    super::status_bar::count(n, "disagreement", "disagreements")
                ));
            } else if !self.curate.whole_project {
                let all = queue(&self.project, self.doc, true).len();
                self.info(format!(
                    "curation mode: no disagreements in this document, {all} in the project (choose Whole project in the panel)"
                ));
            }
        }
        self.view.request_focus();
    }
}

/// The spans of a version as one annotator has them (all its annotators
/// have the same), in text order.
fn version_spans<'d>(doc: &'d Document, spans: &[SpanId], annotators: &[String]) -> Vec<&'d Span> {
    let first = annotators.first().map(String::as_str);
    let mut out: Vec<&Span> = spans
        .iter()
        .filter_map(|&id| doc.span(id))
        .filter(|s| s.annotator() == first)
        .collect();
    out.sort_by_key(|s| s.sort_key());
    out
}

/// One span of a version: label, offsets, text, attributes, links.
fn span_ui(ui: &mut Ui, doc: &Document, schema: &Schema, span: &Span) {
    ui.horizontal_wrapped(|ui| {
        let color = label_color(schema, &span.label);
        ui.label(egui::RichText::new(&span.label).strong().color(color));
        ui.weak(format!("{}–{}", span.start, span.end));
    });
    ui.add(
        egui::Label::new(displayable(
            ui,
            &format!("“{}”", shorten(doc.span_text(span), 120)),
        ))
        .wrap(),
    );
    for (k, v) in span.attrs.iter().filter(|(_, v)| !v.is_empty()) {
        ui.add(egui::Label::new(format!("{k}: {v}")).wrap());
    }
    for r in doc.relations.iter().filter(|r| r.from == span.id) {
        if let Some(to) = doc.span(r.to) {
            let text = format!("{} to “{}”", r.kind, shorten(doc.span_text(to), 30));
            ui.add(egui::Label::new(displayable(ui, &text)).wrap());
        }
    }
}

/// One version: its number and annotators, Pick, its spans.
fn version_ui(
    ui: &mut Ui,
    app: &App,
    item: &Disagreement,
    k: usize,
    actions: &mut Vec<Action>,
    select: &mut Option<usize>,
) {
    let Some(v) = item.versions.get(k) else {
        return;
    };
    let Some(doc) = app.project.documents.get(item.doc) else {
        return;
    };
    let selected = app.curate.version == k;
    let mut frame = egui::Frame::group(ui.style());
    if selected {
        frame = frame.stroke(ui.visuals().selection.stroke);
    }
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let head = format!("{} · {}", k + 1, v.annotators.join(", "));
            if ui
                .add(egui::Button::selectable(
                    selected,
                    egui::RichText::new(head).strong(),
                ))
                .on_hover_text("Select this version: Alt+arrows move its boundaries")
                .clicked()
            {
                *select = Some(k);
            }
            if k < 9 {
                let pick = ui.button(format!("Pick {}", k + 1)).on_hover_text(format!(
                    "Keep this version as the curated one (key {})",
                    k + 1
                ));
                if pick.clicked() {
                    actions.push(Action::Command(UiCommand::CuratePick(k as u8 + 1)));
                }
            }
        });
        let spans = version_spans(doc, &v.spans, &v.annotators);
        if spans.is_empty() {
            ui.weak("marked nothing here");
        }
        for (n, span) in spans.into_iter().enumerate() {
            if n > 0 {
                ui.separator();
            }
            span_ui(ui, doc, &app.project.schema, span);
        }
    });
}

/// Draws the panel.
pub fn curate_panel_ui(ui: &mut Ui, app: &mut App, actions: &mut Vec<Action>) {
    let q = app.curate_queue();
    let current = app.curate_current();
    ui.horizontal(|ui| {
        ui.heading("Curation");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Close")
                .on_hover_text("Leave curation mode (Ctrl+Shift+C)")
                .clicked()
            {
                actions.push(Action::Command(UiCommand::CurationMode));
            }
        });
    });
    ui.horizontal_wrapped(|ui| {
        let c = &mut app.curate;
        ui.selectable_value(&mut c.whole_project, false, "This document");
        ui.selectable_value(&mut c.whole_project, true, "Whole project");
    });
    ui.label(match &current {
        Some((p, _)) => format!("{} of {} disagreements", p + 1, q.len()),
        None => status_count(q.len()),
    });
    let mut select = None;
    if let Some((_, item)) = &current {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            let doc_name = app
                .project
                .documents
                .get(item.doc)
                .map(|d| d.name.as_str())
                .unwrap_or_default();
            let place = if app.curate.whole_project {
                format!("{}: ", shorten(doc_name, 24))
            } else {
                String::new()
            };
            ui.add(
                egui::Label::new(format!(
                    "{place}{}–{} · differs in: {}",
                    item.start,
                    item.end,
                    item.differs_in.join(", ")
                ))
                .wrap(),
            );
            ui.horizontal_wrapped(|ui| {
                for (text, tip, cmd) in [
                    (
                        "Keep all",
                        "Keep every version's spans, equal ones once (A)",
                        UiCommand::CurateKeepAll,
                    ),
                    (
                        "None",
                        "Keep none: remove all the item's spans (N or 0)",
                        UiCommand::CurateNone,
                    ),
                    (
                        "Previous",
                        "The previous disagreement (K)",
                        UiCommand::CuratePrevious,
                    ),
                    ("Next", "The next disagreement (J)", UiCommand::CurateNext),
                ] {
                    if ui.button(text).on_hover_text(tip).clicked() {
                        actions.push(Action::Command(cmd));
                    }
                }
            });
            // The versions scroll when they are taller than most of the
            // panel, so that the queue keeps some room below.
            let max_height = (ui.available_height() * 0.7).max(120.0);
            let n = item.versions.len();
            let app_ref: &App = app;
            egui::ScrollArea::vertical()
                .id_salt("curate-versions")
                .max_height(max_height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    let side_by_side = ui.available_width() / n as f32 >= VERSION_MIN_WIDTH;
                    if side_by_side {
                        ui.columns(n, |cols| {
                            for (k, col) in cols.iter_mut().enumerate() {
                                version_ui(col, app_ref, item, k, actions, &mut select);
                            }
                        });
                    } else {
                        for k in 0..n {
                            version_ui(ui, app_ref, item, k, actions, &mut select);
                        }
                    }
                });
            ui.add(
                egui::Label::new(
                    egui::RichText::new(
                        "1–9 pick · A keep all · N none · J/K next/previous · Alt+arrows: the selected version's boundaries",
                    )
                    .weak(),
                )
                .wrap(),
            );
        });
    } else if !q.is_empty()
        && ui
            .button("Next")
            .on_hover_text("The first disagreement (J)")
            .clicked()
    {
        actions.push(Action::Command(UiCommand::CurateNext));
    }
    if let (Some(k), Some((_, item))) = (select, &current) {
        app.curate.version = k;
        match item.versions.get(k).and_then(|v| v.spans.first()) {
            Some(&id) => actions.push(Action::SelectSpan { doc: item.doc, id }),
            None => actions.push(Action::SelectRange {
                doc: item.doc,
                start: item.start,
                end: item.end,
            }),
        }
    }
    ui.separator();
    let current_pos = current.as_ref().map(|(p, _)| *p);
    egui::ScrollArea::vertical()
        .id_salt("curate-queue")
        .auto_shrink([false, false])
        .show_rows(ui, 18.0, q.len(), |ui, range| {
            for (k, i) in q.iter().enumerate().skip(range.start).take(range.len()) {
                let Some(doc) = app.project.documents.get(i.doc) else {
                    continue;
                };
                let label = i
                    .versions
                    .iter()
                    .flat_map(|v| &v.spans)
                    .find_map(|&id| doc.span(id))
                    .map(|s| s.label.as_str())
                    .unwrap_or_default();
                let text = format!(
                    "{}{label} {} · {}",
                    if app.curate.whole_project {
                        format!("{}: ", shorten(&doc.name, 12))
                    } else {
                        String::new()
                    },
                    shorten(doc.text.slice(i.start, i.end), 40),
                    i.differs_in.join(", ")
                );
                let text = displayable(ui, &text);
                let selected = current_pos == Some(k);
                let tip = format!("{} version(s)", i.versions.len());
                if ui
                    .add(egui::Button::selectable(selected, text).truncate())
                    .on_hover_text(tip)
                    .clicked()
                    && let Some(id) = i.spans().next()
                {
                    actions.push(Action::SelectSpan { doc: i.doc, id });
                }
            }
        });
}

fn status_count(n: usize) -> String {
    if n == 0 {
        "no disagreements here".into()
    } else {
        super::status_bar::count(n, "disagreement", "disagreements")
    }
}
