//! Editing from the text view's keys and mouse: tagging the selection (or
//! relabelling the selected span), tagging every find match, linking two
//! spans dragged together, undo and redo (selecting what they changed),
//! marking a document done (or to do again), the caret keys, Tab through the spans, Alt+arrows moving a
//! span's boundaries, and where the sentence keys move the caret. Every
//! change of the model is one [`Edit`] through [`App::apply_edit`].

use super::{App, Modal, UiCommand, inspector, text_nav, text_view};
use crate::model::{DocStatus, Edit, Span, SpanId};

impl App {
    /// Edit › Set back to to do: the open document is to do again.
    pub(super) fn mark_todo(&mut self) {
        let Some(doc) = self.document() else { return };
        if doc.status == DocStatus::Todo {
            self.info("this document is to do already");
            return;
        }
        let name = doc.name.clone();
        let edit = Edit::SetDocStatus {
            doc: self.doc,
            status: DocStatus::Todo,
        };
        if self.apply_edit(edit) {
            self.info(format!("“{name}” is to do again (Ctrl+Z undoes)"));
        }
    }

    /// The caret keys: by word, by sentence, to the start or end of the
    /// document, a page; the Shift ones extend the selection.
    pub(super) fn navigate(&mut self, cmd: UiCommand) {
        use UiCommand::*;
        let len = self.document().map_or(0, |d| d.text.len_chars());
        match cmd {
            WordRight | WordLeft | ExtendWordRight | ExtendWordLeft => {
                let Some(doc) = self.project.documents.get(self.doc) else {
                    return;
                };
                let to = if matches!(cmd, WordRight | ExtendWordRight) {
                    text_nav::next_word(&doc.text, self.view.caret)
                } else {
                    text_nav::prev_word(&doc.text, self.view.caret)
                };
                if matches!(cmd, ExtendWordRight | ExtendWordLeft) {
                    self.view.extend_to(&doc.text, to);
                } else {
                    self.view.move_caret(to, false);
                }
            }
            SentenceNext | SentencePrevious | ExtendSentenceNext | ExtendSentencePrevious => {
                let Some(doc) = self.project.documents.get(self.doc) else {
                    return;
                };
                let to = sentence_target(&doc.text, self.view.sentences(), self.view.caret, cmd);
                if matches!(cmd, ExtendSentenceNext | ExtendSentencePrevious) {
                    self.view.extend_to(&doc.text, to);
                } else {
                    self.view.move_caret(to, false);
                }
            }
            DocumentStart => self.view.move_caret(0, false),
            DocumentEnd => self.view.move_caret(len, false),
            PageDown => self.view.page(true),
            PageUp => self.view.page(false),
            _ => {}
        }
    }

    /// Links spans `a` and `b` of document `doc` with the relation type
    /// that fits their labels (either way round), replacing the links of
    /// that type from the same span (one per Claim or Stance), as one undo
    /// step; refuses with a message when no type fits.
    pub(super) fn link_spans(&mut self, doc_index: usize, a: SpanId, b: SpanId) {
        let Some(doc) = self.project.documents.get(doc_index) else {
            return;
        };
        let (Some(sa), Some(sb)) = (doc.span(a), doc.span(b)) else {
            return;
        };
        let Some((kind, forward)) =
            text_view::relation_for(&self.project.schema, &sa.label, &sb.label)
        else {
            self.error(format!(
                "not linked: the schema has no link between {} and {} (drag from a Claim or Stance to a Speaker)",
                sa.label, sb.label
            ));
            return;
        };
        let (from, to) = if forward { (sa, sb) } else { (sb, sa) };
        let relation = crate::model::Relation {
            from: from.id,
            kind: kind.to_owned(),
            to: to.id,
        };
        let what = format!(
            "{} “{}” {kind} “{}”",
            from.label,
            text_view::shorten(doc.span_text(from), 30),
            text_view::shorten(doc.span_text(to), 30)
        );
        let source = from.clone();
        if doc.relations.contains(&relation) {
            self.view.select_span(&source);
            self.info(format!("already linked: {what}"));
            return;
        }
        let current: Vec<crate::model::Relation> = doc
            .relations
            .iter()
            .filter(|r| r.from == relation.from && r.kind == relation.kind)
            .cloned()
            .collect();
        let replaced = !current.is_empty();
        let edit = inspector::relink(doc_index, &current, relation);
        if self.apply_edit(edit) {
            // The Claim or Stance, so that its connector shows.
            self.view.select_span(&source);
            let replaced = if replaced { ", replacing its link" } else { "" };
            self.info(format!("linked: {what}{replaced} (Ctrl+Z undoes)"));
        }
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
        // Spans before, to select the one the step brought back or changed.
        let before_doc = self.doc;
        let before: Vec<Span> = self.document().map(|d| d.spans.clone()).unwrap_or_default();
        let result = if undo {
            self.history.undo(&mut self.project)
        } else {
            self.history.redo(&mut self.project)
        };
        match result {
            Ok(Some(done)) => {
                self.revision += 1;
                if let Some(doc) = done.document
                    && doc < self.project.documents.len()
                {
                    self.go_to_document(doc);
                }
                if self.doc >= self.project.documents.len() {
                    self.doc = self.project.documents.len().saturating_sub(1);
                    self.view.reset_position();
                }
                let changed = self
                    .document()
                    .filter(|_| self.doc == before_doc)
                    .and_then(|d| {
                        let old: std::collections::HashMap<SpanId, &Span> =
                            before.iter().map(|s| (s.id, s)).collect();
                        d.spans.iter().find(|s| old.get(&s.id) != Some(s)).cloned()
                    });
                match changed {
                    Some(span) => self.view.select_span(&span),
                    None => self.view.selected = None,
                }
                let what = if undo { "undone" } else { "redone" };
                self.info(format!("{what}: {}", done.description));
            }
            Ok(None) => self.info(if undo {
                "nothing to undo"
            } else {
                "nothing to redo"
            }),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Tags the selection (or the word at the caret) as `label`, or
    /// relabels the selected span when there is no text selection.
    pub(super) fn tag(&mut self, label: &str) {
        let doc_index = self.doc;
        let Some(doc) = self.project.documents.get(doc_index) else {
            self.error("the project has no documents; add some with File › Add documents…");
            return;
        };
        if self.project.schema.label(label).is_none() {
            self.error(format!("the schema has no label {label:?}"));
            return;
        }
        let range = match self.view.selection() {
            Some((a, b)) => text_nav::snap_selection(&doc.text, a, b, false),
            None => {
                if let Some(id) = self.view.selected {
                    if doc.span(id).is_some_and(|s| s.label != label) {
                        self.apply_edit(Edit::RelabelSpan {
                            doc: doc_index,
                            id,
                            label: label.into(),
                        });
                    }
                    return;
                }
                text_nav::word_range_at(&doc.text, self.view.caret)
            }
        };
        let Some((start, end)) = range else {
            self.info("select some text first (drag, double-click, or Shift+arrows)");
            return;
        };
        if !has_word(doc.text.slice(start, end)) {
            self.error(format!(
                "not tagged: “{}” has no letter or digit, and a span needs one",
                text_view::shorten(doc.text.slice(start, end), 30)
            ));
            return;
        }
        if let Some(existing) = doc
            .spans
            .iter()
            .find(|s| s.start == start && s.end == end && s.label == label)
        {
            let existing = existing.clone();
            self.view.select_span(&existing);
            self.info(format!("that text is already a {label}"));
            return;
        }
        let todo = doc.status == DocStatus::Todo;
        let id = self.project.new_span_id();
        let doc = &self.project.documents[doc_index];
        let mut span = Span::manual(id, start, end, label, &self.settings.annotator);
        span.created = crate::model::Timestamp::now();
        let relations: Vec<_> = text_nav::nearest_preceding_link(
            &self.project.schema,
            doc,
            self.view.sentences(),
            id,
            label,
            start,
            Some(1),
        )
        .into_iter()
        .collect();
        let linked = relations
            .first()
            .and_then(|r| doc.span(r.to))
            .map(|s| doc.span_text(s).to_owned());
        let add = Edit::AddSpan {
            doc: doc_index,
            span,
            relations,
        };
        let edit = if todo {
            Edit::Batch {
                description: add.describe(),
                edits: vec![
                    add,
                    Edit::SetDocStatus {
                        doc: doc_index,
                        status: DocStatus::InProgress,
                    },
                ],
            }
        } else {
            add
        };
        if self.apply_edit(edit) {
            self.view.selected = Some(id);
            self.view.anchor = None;
            self.view.caret = end;
            match linked {
                Some(t) => self.info(format!("added {label}, linked to “{t}”")),
                None => self.info(format!("added {label}")),
            }
        }
    }

    pub(super) fn tag_all_matches(&mut self, label: &str) {
        let matches = self.find.matches().to_vec();
        let mut edits = Vec::new();
        let mut skipped = 0;
        let mut no_word = 0;
        for m in &matches {
            let Some(doc) = self.project.documents.get(m.doc) else {
                continue;
            };
            let exists = doc
                .spans
                .iter()
                .any(|s| s.start == m.start && s.end == m.end && s.label == label);
            if exists {
                skipped += 1;
                continue;
            }
            if !has_word(doc.text.slice(m.start, m.end)) {
                no_word += 1;
                continue;
            }
            let id = self.project.new_span_id();
            let span = Span::manual(id, m.start, m.end, label, &self.settings.annotator);
            edits.push(Edit::AddSpan {
                doc: m.doc,
                span,
                relations: Vec::new(),
            });
        }
        let mut why = Vec::new();
        if skipped > 0 {
            why.push(format!("{skipped} are {label} already"));
        }
        if no_word > 0 {
            why.push(format!("{no_word} have no letter or digit"));
        }
        let why = why.join(", ");
        if edits.is_empty() {
            self.info(format!(
                "nothing to tag of {} match(es): {why}",
                matches.len()
            ));
            return;
        }
        let n = edits.len();
        let edit = Edit::Batch {
            description: format!("tag {n} match(es) as {label}"),
            edits,
        };
        if self.apply_edit(edit) {
            if why.is_empty() {
                self.info(format!("tagged {n} match(es) as {label} (one undo step)"));
            } else {
                self.info(format!(
                    "tagged {n} of {} match(es) as {label} (one undo step); skipped: {why}",
                    matches.len()
                ));
            }
        }
    }

    /// Marks the document done and goes to the next one not done; with
    /// pending suggestions it asks first, unless `confirmed`.
    pub(super) fn mark_done_next(&mut self, confirmed: bool) {
        let n = self.project.documents.len();
        let Some(doc) = self.document() else { return };
        let pending = doc.pending();
        if doc.status != DocStatus::Done && pending > 0 && !confirmed {
            self.modal = Some(Modal::PendingBeforeDone(pending));
            return;
        }
        if doc.status != DocStatus::Done {
            let edit = Edit::SetDocStatus {
                doc: self.doc,
                status: DocStatus::Done,
            };
            if !self.apply_edit(edit) {
                return;
            }
        }
        let next = (1..n)
            .map(|k| (self.doc + k) % n)
            .find(|&i| self.project.documents[i].status != DocStatus::Done);
        match next {
            Some(i) => {
                self.go_to_document(i);
                self.info("marked done; here is the next document not done");
            }
            None => self.info("marked done; every document is done"),
        }
    }

    pub(super) fn cycle_span(&mut self, forward: bool) {
        let Some(doc) = self.document() else { return };
        // Only spans that are drawn: never rejected ones, pending ones
        // only while suggestions are shown.
        let show_pending = self.show_pending || self.review.open;
        let spans: Vec<&Span> = doc
            .spans
            .iter()
            .filter(|s| !self.view.is_collapsed(s.id))
            .filter(|s| match s.review {
                crate::model::ReviewState::Accepted => true,
                crate::model::ReviewState::Suggested => show_pending,
                crate::model::ReviewState::Rejected => false,
            })
            .collect();
        if spans.is_empty() {
            self.info("this document has no spans yet");
            return;
        }
        let n = spans.len();
        let current = self
            .view
            .selected
            .and_then(|id| spans.iter().position(|s| s.id == id));
        let caret = self.view.caret;
        let next = match (current, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => spans.partition_point(|s| s.start < caret) % n,
            (None, false) => spans
                .partition_point(|s| s.start < caret)
                .checked_sub(1)
                .unwrap_or(n - 1),
        };
        let span = spans[next].clone();
        self.view.select_span(&span);
    }

    pub(super) fn resize_selected(&mut self, cmd: UiCommand) {
        let Some(id) = self.view.selected else {
            self.info("select a span first (Tab or click), then Alt+arrows resize it");
            return;
        };
        let Some((start, end)) = self.resized(id, cmd) else {
            return;
        };
        let edit = Edit::ResizeSpan {
            doc: self.doc,
            id,
            start,
            end,
        };
        if self.apply_edit(edit) {
            self.view.reveal(start);
        }
    }

    /// Where the resize command `cmd` moves the boundaries of span `id` of
    /// the current document, a word at a time; `None` when they stay (a
    /// message says why, if there is a reason to tell).
    pub(super) fn resized(&mut self, id: SpanId, cmd: UiCommand) -> Option<(usize, usize)> {
        let doc = self.document()?;
        let span = doc.span(id)?;
        let text = &doc.text;
        let (mut start, mut end) = (span.start, span.end);
        match cmd {
            UiCommand::GrowEnd => end = text_nav::next_word(text, end),
            UiCommand::ShrinkEnd => end = text_nav::prev_word(text, end),
            UiCommand::GrowStart => start = text_nav::prev_word(text, start),
            UiCommand::ShrinkStart => start = text_nav::next_word(text, start),
            _ => return None,
        }
        let Some((start, end)) = text_nav::snap_selection(text, start, end, false) else {
            self.info("a span cannot get any shorter; Delete removes it");
            return None;
        };
        if start >= end || (start, end) == (span.start, span.end) {
            return None;
        }
        if !has_word(text.slice(start, end)) {
            self.error("a span needs a letter or digit; Delete removes it");
            return None;
        }
        Some((start, end))
    }
}

/// Where a sentence command moves the caret.
fn sentence_target(
    text: &crate::model::Text,
    starts: &[usize],
    caret: usize,
    cmd: UiCommand,
) -> usize {
    let len = text.len_chars();
    let i = text_nav::sentence_index(starts, caret);
    let start_of = |k: usize| starts.get(k).copied().unwrap_or(len);
    // The end of sentence k without the whitespace after it.
    let end_of = |k: usize| {
        let s = start_of(k);
        let e = start_of(k + 1);
        text_nav::snap_selection(text, s, e, false).map_or(e, |(_, e)| e)
    };
    match cmd {
        UiCommand::SentenceNext => start_of(i + 1).min(len),
        UiCommand::SentencePrevious => {
            if caret > start_of(i) {
                start_of(i)
            } else {
                start_of(i.saturating_sub(1))
            }
        }
        UiCommand::ExtendSentenceNext => {
            if caret < end_of(i) {
                end_of(i)
            } else {
                end_of(i + 1)
            }
        }
        UiCommand::ExtendSentencePrevious => {
            if caret > start_of(i) {
                start_of(i)
            } else {
                start_of(i.saturating_sub(1))
            }
        }
        _ => caret,
    }
}

/// Whether a span's text has a letter or a digit (spans of punctuation or
/// space alone are refused).
pub(super) fn has_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}
