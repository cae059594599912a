//! The centre of the window: the document text with every span drawn over
//! it, the caret and the selection.
//!
//! Only the paragraphs in the viewport are laid out and painted (see
//! [`super::layout_cache`]). Spans are drawn as shapes from galley
//! geometry: a translucent background in the label's colour (overlaps
//! layer up), a border per span, and an underline per nesting depth, so
//! nested and overlapping spans stay apart. The selected span's linked
//! spans get a highlight and a connector line (or an arrow marker at the
//! edge of the view when they are scrolled away).
//!
//! Dragging from a span to another span asks for a link between them
//! ([`ViewEvent::Link`]); a line follows the pointer while dragging. A drag
//! released on plain text (or inside the span it started on) selects text
//! as usual, and Shift or Alt at the start always selects text.
//!
//! This widget changes only its own state (caret, selection, selected
//! span, scroll position); edits to the model are made by the app from
//! commands and from the [`ViewEvent`]s it takes with
//! [`TextView::take_event`].

use eframe::egui;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use egui::{
    Align2, Color32, CursorIcon, FontId, Galley, Id, Pos2, Rect, Sense, Shape, Stroke, StrokeKind,
    Ui, Vec2, pos2, text::CCursor, vec2,
};

use super::layout_cache::{LayoutCache, LayoutKey};
use super::text_nav;
use crate::model::{Document, Origin, ReviewState, Schema, Span, SpanId};

/// Identifies what the view shows: (project generation, document index).
pub type DocKey = (u64, usize);

/// What the view needs from the app for one frame.
pub struct ViewInput<'a> {
    pub doc: &'a Document,
    pub schema: &'a Schema,
    pub doc_key: DocKey,
    /// Changes whenever spans or relations may have changed.
    pub spans_rev: u64,
    pub font_size: f32,
    /// Draw pending suggestions (rejected ones are never drawn).
    pub show_pending: bool,
}

/// Spans per paragraph and the nesting depth of every span.
#[derive(Default)]
struct SpanIndex {
    per_paragraph: Vec<Vec<u32>>,
    depth: Vec<u8>,
}

impl SpanIndex {
    /// `collapsed`: spans not drawn because another span stands for them
    /// (curation mode's agreed duplicates).
    fn build(
        doc: &Document,
        layout: &LayoutCache,
        show_pending: bool,
        collapsed: &HashSet<SpanId>,
    ) -> Self {
        let mut per_paragraph = vec![Vec::new(); layout.paragraphs().len()];
        let mut depth = Vec::with_capacity(doc.spans.len());
        // Interval colouring: spans come sorted by start, longest first.
        let mut active: Vec<(usize, u8)> = Vec::new();
        for (i, span) in doc.spans.iter().enumerate() {
            active.retain(|&(end, _)| end > span.start);
            let mut level = 0u8;
            while active.iter().any(|&(_, l)| l == level) {
                level = level.saturating_add(1);
            }
            let hidden = span.review == ReviewState::Rejected
                || (!show_pending && span.review == ReviewState::Suggested)
                || collapsed.contains(&span.id);
            if hidden {
                depth.push(0);
                continue;
            }
            active.push((span.end, level));
            depth.push(level);
            for p in layout.paragraphs_of_range(span.start, span.end) {
                per_paragraph[p].push(i as u32);
            }
        }
        SpanIndex {
            per_paragraph,
            depth,
        }
    }

    /// The shown spans that reach into paragraph `p`, with their index.
    fn spans_in<'d>(
        &self,
        doc: &'d Document,
        p: usize,
    ) -> impl Iterator<Item = (usize, &'d Span)> + use<'_, 'd> {
        self.per_paragraph
            .get(p)
            .into_iter()
            .flatten()
            .filter_map(move |&i| doc.spans.get(i as usize).map(|s| (i as usize, s)))
    }
}

/// Something the user did in the view that the app carries out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewEvent {
    /// A drag from span `from` was released on span `to`: link them (the
    /// app picks the relation type from the two labels, either way round).
    Link { from: SpanId, to: SpanId },
}

/// A drag that started on a span and may end on another one as a link.
#[derive(Debug, Clone, Copy)]
struct LinkDrag {
    from: SpanId,
    /// Where the drag started and where the pointer is (screen).
    start: Pos2,
    pointer: Pos2,
    /// Another span under the pointer, and whether a relation type fits.
    target: Option<(SpanId, bool)>,
}

/// The relation type that links spans of labels `a` and `b`, either way
/// round: its name and whether `a` is its `from` end.
pub fn relation_for<'s>(schema: &'s Schema, a: &str, b: &str) -> Option<(&'s str, bool)> {
    if let Some(r) = schema.relation_between(a, b) {
        return Some((&r.name, true));
    }
    schema
        .relation_between(b, a)
        .map(|r| (r.name.as_str(), false))
}

/// Colour of a label from the schema (grey for an unknown label).
pub fn label_color(schema: &Schema, label: &str) -> Color32 {
    schema.label(label).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.color.0;
        Color32::from_rgb(r, g, b)
    })
}

pub struct TextView {
    id: Id,
    doc_key: Option<DocKey>,
    spans_rev: Option<u64>,
    shown_pending: bool,
    layout: Option<LayoutCache>,
    index: SpanIndex,
    sentences: Vec<usize>,
    /// Caret, in code points.
    pub caret: usize,
    /// The other end of the text selection, if any.
    pub anchor: Option<usize>,
    /// The span shown in the inspector.
    pub selected: Option<SpanId>,
    /// Snap mouse selections to words (off while Alt is held).
    snap: bool,
    reveal: Option<usize>,
    set_scroll: Option<f32>,
    /// The find bar's matches in this document, sorted by start: all are
    /// marked, not only the current one.
    pub find_matches: Vec<(usize, usize)>,
    /// Page Up/Down: where the caret goes once the new page is laid out
    /// (content x and y, in points from the text's origin).
    page_target: Option<Pos2>,
    scroll_adjust: f32,
    viewport: Rect,
    origin: Pos2,
    request_focus: bool,
    has_focus: bool,
    /// A drag from a span that may become a link.
    link_drag: Option<LinkDrag>,
    /// Spans drawn as one with another (see [`Self::set_collapsed`]).
    collapsed: Rc<HashSet<SpanId>>,
    /// The scroll area's id and content height as of the last frame.
    scroll_id: Option<Id>,
    content_height: f32,
    /// What the user asked for in the last frame (see [`Self::take_event`]).
    event: Option<ViewEvent>,
    /// Paragraphs laid out during the last frame (for the benchmark).
    pub laid_out_last_frame: usize,
}

impl Default for TextView {
    fn default() -> Self {
        Self::new()
    }
}

impl TextView {
    /// Notices a rebuilt font atlas before anything is laid out this frame.
    pub fn check_fonts(&mut self, ctx: &egui::Context) {
        if let Some(layout) = &mut self.layout {
            layout.check_fonts(ctx);
        }
    }

    pub fn new() -> Self {
        TextView {
            id: Id::unique("sayso-text-view"),
            doc_key: None,
            spans_rev: None,
            shown_pending: true,
            layout: None,
            index: SpanIndex::default(),
            sentences: vec![0],
            caret: 0,
            anchor: None,
            selected: None,
            snap: true,
            reveal: None,
            set_scroll: None,
            page_target: None,
            find_matches: Vec::new(),
            scroll_adjust: 0.0,
            viewport: Rect::NOTHING,
            origin: Pos2::ZERO,
            request_focus: true,
            has_focus: false,
            link_drag: None,
            collapsed: Rc::default(),
            scroll_id: None,
            content_height: 0.0,
            event: None,
            laid_out_last_frame: 0,
        }
    }

    pub fn id(&self) -> Id {
        self.id
    }

    /// The part of the text the last frame drew, in content coordinates
    /// (y from the top of the document).
    pub fn viewport(&self) -> Rect {
        self.viewport
    }

    /// The text's scroll area (for [`egui::scroll_area::State::load`]) and
    /// the height of its content, as of the last frame.
    pub fn scroll_area(&self) -> Option<(Id, f32)> {
        self.scroll_id.map(|id| (id, self.content_height))
    }

    /// Spans not to draw because another one stands for them: in curation
    /// mode, the copies of a span that several annotators agree on (same
    /// offsets, label and attributes) are drawn once, as their first. They
    /// cannot be clicked, and Tab skips them.
    pub fn set_collapsed(&mut self, collapsed: Rc<HashSet<SpanId>>) {
        if !Rc::ptr_eq(&self.collapsed, &collapsed) && *self.collapsed != *collapsed {
            self.collapsed = collapsed;
            // Rebuild the span index.
            self.spans_rev = None;
        }
    }

    /// Whether span `id` is drawn as one with another (see
    /// [`Self::set_collapsed`]).
    pub fn is_collapsed(&self, id: SpanId) -> bool {
        self.collapsed.contains(&id)
    }

    /// What the user asked for in the view during the last frame.
    pub fn take_event(&mut self) -> Option<ViewEvent> {
        self.event.take()
    }

    /// Resets caret, selection and scroll for another document.
    pub fn reset_position(&mut self) {
        self.caret = 0;
        self.anchor = None;
        self.selected = None;
        self.set_scroll = Some(0.0);
    }

    pub fn request_focus(&mut self) {
        self.request_focus = true;
    }

    pub fn has_focus(&self) -> bool {
        self.has_focus
    }

    /// Sentence starts of the shown document (see [`text_nav::sentence_starts`]).
    pub fn sentences(&self) -> &[usize] {
        &self.sentences
    }

    /// Scrolls so that code point `pos` is in view (next frame).
    pub fn reveal(&mut self, pos: usize) {
        self.reveal = Some(pos);
    }

    /// Page Down (`down`) or Page Up: scrolls by nine tenths of the view
    /// and moves the caret by as much, keeping its place on the screen.
    pub fn page(&mut self, down: bool) {
        let vp = self.viewport;
        if !vp.is_positive() {
            return;
        }
        let step = vp.height() * 0.9;
        let origin = self.origin;
        let caret = self
            .char_rect(self.caret)
            .map(|r| r.center() - origin.to_vec2())
            .filter(|p| p.y >= vp.min.y && p.y <= vp.max.y)
            .unwrap_or(pos2(0.0, vp.min.y + 1.0));
        let total = self.total_height();
        let dy = if down { step } else { -step };
        self.set_scroll = Some((vp.min.y + dy).clamp(0.0, (total - vp.height()).max(0.0)));
        self.page_target = Some(pos2(
            caret.x,
            (caret.y + dy).clamp(0.0, (total - 1.0).max(0.0)),
        ));
    }

    /// Sets the scroll offset (next frame); used by the benchmark.
    pub fn scroll_to_y(&mut self, y: f32) {
        self.set_scroll = Some(y);
    }

    pub fn total_height(&mut self) -> f32 {
        self.layout.as_mut().map_or(0.0, |l| l.total_height())
    }

    /// The text selection as a code point range, if it is not empty.
    pub fn selection(&self) -> Option<(usize, usize)> {
        let a = self.anchor?;
        (a != self.caret).then(|| (a.min(self.caret), a.max(self.caret)))
    }

    /// Selects `start..end` as text (not as a span) and reveals it.
    pub fn select_range(&mut self, start: usize, end: usize) {
        self.anchor = Some(start);
        self.caret = end;
        self.selected = None;
        self.reveal(start);
    }

    /// Selects a span and reveals it.
    pub fn select_span(&mut self, span: &Span) {
        self.selected = Some(span.id);
        self.anchor = None;
        self.caret = span.start;
        self.reveal(span.start);
    }

    /// Extends the selection (or starts one at the caret) to `to`, from the
    /// keyboard. A selection started inside a word takes the whole word,
    /// as mouse selections do, unless the caret was placed with Alt held.
    pub fn extend_to(&mut self, text: &crate::model::Text, to: usize) {
        if self.anchor.is_none() && self.snap {
            let at = self.caret;
            let snapped = if to >= at {
                text_nav::word_start(text, at)
            } else {
                text_nav::word_end(text, at)
            };
            self.anchor = Some(snapped);
        }
        self.move_caret(to, true);
    }

    /// Moves the caret; `extend` keeps (or starts) the selection.
    pub fn move_caret(&mut self, to: usize, extend: bool) {
        if extend {
            if self.anchor.is_none() {
                self.anchor = Some(self.caret);
            }
            self.selected = None;
        } else {
            self.anchor = None;
            self.selected = None;
        }
        self.caret = to;
        self.reveal(to);
    }

    /// Screen rectangle of code point `pos` as of the last frame, if it was
    /// visible (used by tests to drag over text).
    pub fn char_rect(&mut self, pos: usize) -> Option<Rect> {
        let origin = self.origin;
        let layout = self.layout.as_mut()?;
        let i = layout.paragraph_of_char(pos)?;
        let p = layout.paragraphs()[i];
        let galley = layout.cached(i)?;
        let top = layout.top(i);
        let local = pos.saturating_sub(p.start).min(p.end - p.start);
        let r = galley.pos_from_cursor(CCursor::new(local));
        Some(r.translate(origin.to_vec2() + vec2(0.0, top)))
    }

    fn sync_document(&mut self, ctx: &egui::Context, input: &ViewInput<'_>) {
        if self.doc_key != Some(input.doc_key) || self.layout.is_none() {
            self.doc_key = Some(input.doc_key);
            self.layout = Some(LayoutCache::new(&input.doc.text));
            self.sentences = text_nav::sentence_starts(input.doc.text.as_str());
            self.spans_rev = None;
            let len = input.doc.text.len_chars();
            self.caret = self.caret.min(len);
            self.anchor = self.anchor.map(|a| a.min(len));
            ctx.request_repaint();
        }
        if (self.spans_rev != Some(input.spans_rev) || self.shown_pending != input.show_pending)
            && let Some(layout) = &self.layout
        {
            self.spans_rev = Some(input.spans_rev);
            self.shown_pending = input.show_pending;
            self.index = SpanIndex::build(input.doc, layout, input.show_pending, &self.collapsed);
            if let Some(id) = self.selected
                && input.doc.span(id).is_none()
            {
                self.selected = None;
            }
        }
    }

    /// Draws the view and handles the mouse.
    pub fn ui(&mut self, ui: &mut Ui, input: &ViewInput<'_>) {
        let ctx = ui.ctx().clone();
        self.sync_document(&ctx, input);
        let margin = 24.0;
        let avail = ui.available_width();
        let max_width = input.font_size * 40.0;
        let wrap_width = (avail - 2.0 * margin - 14.0).clamp(120.0, max_width.max(120.0));
        let key = LayoutKey {
            wrap_width: wrap_width.round(),
            font_size: input.font_size,
            pixels_per_point: ctx.pixels_per_point(),
        };
        let Some(mut layout) = self.layout.take() else {
            return;
        };
        layout.begin_frame(&ctx, key);

        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("sayso-text-scroll")
            .auto_shrink(false);
        if let Some(y) = self.set_scroll.take() {
            scroll = scroll.vertical_scroll_offset(y.max(0.0));
        } else if let Some(pos) = self.reveal.take() {
            if let Some(i) = layout.paragraph_of_char(pos) {
                let top = layout.top(i);
                let bottom = layout.top(i + 1);
                let vp = self.viewport;
                let visible = vp.is_positive() && top >= vp.min.y && bottom <= vp.max.y;
                let near_top = vp.is_positive() && top < vp.max.y && bottom > vp.min.y;
                if !(visible || near_top && bottom - top > vp.height()) {
                    let h = if vp.is_positive() { vp.height() } else { 400.0 };
                    // The paragraphs from the target down, a screen's worth,
                    // are laid out first: their estimated heights could put
                    // the end of the document elsewhere, and a target past
                    // the end would be drawn once before egui clamps it.
                    let mut below = 0.0;
                    for k in i..layout.paragraphs().len().min(i + 200) {
                        if below > h {
                            break;
                        }
                        layout.galley(&ctx, &input.doc.text, k);
                        below += layout.top(k + 1) - layout.top(k);
                    }
                    let top = layout.top(i);
                    let last = (layout.total_height() + margin - h).max(0.0);
                    scroll = scroll.vertical_scroll_offset((top - h * 0.3).clamp(0.0, last));
                }
            }
        } else if self.scroll_adjust != 0.0 && self.viewport.is_positive() {
            scroll =
                scroll.vertical_scroll_offset((self.viewport.min.y + self.scroll_adjust).max(0.0));
        }
        self.scroll_adjust = 0.0;

        let doc = input.doc;
        let schema = input.schema;
        let output = scroll.show_viewport(ui, |ui, viewport| {
            self.viewport = viewport;
            let total = layout.total_height();
            ui.set_min_height(total + margin);
            ui.set_min_width(ui.available_width());
            let content = ui.max_rect();
            let column_x = content.min.x + ((content.width() - wrap_width) / 2.0).max(margin);
            let origin = pos2(column_x, content.min.y + margin * 0.5);
            self.origin = origin;

            // Lay out what is visible; a changed height moves the rest, so
            // repeat until stable (twice at most in practice).
            let mut visible = 0..0;
            for _ in 0..4 {
                visible = layout.visible(viewport.min.y - margin, viewport.max.y);
                let mut changed = false;
                for i in visible.clone() {
                    let top = layout.top(i);
                    let (_, delta) = layout.galley(&ctx, &doc.text, i);
                    if delta != 0.0 {
                        changed = true;
                        if top + margin * 0.5 < viewport.min.y {
                            self.scroll_adjust += delta;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            if let Some(t) = self.page_target.take() {
                // The caret of Page Up/Down, on the page now laid out.
                let i = layout.visible(t.y, t.y + 1.0).start;
                if i < layout.paragraphs().len() {
                    let top = layout.top(i);
                    let (galley, _) = layout.galley(&ctx, &doc.text, i);
                    let c = galley.cursor_from_pos(vec2(t.x, t.y - top));
                    let p = layout.paragraphs()[i];
                    self.caret = p.start + c.index.0.min(p.end - p.start);
                    self.anchor = None;
                    self.selected = None;
                }
            }
            self.laid_out_last_frame = layout.take_laid_out();
            if self.laid_out_last_frame == 0 {
                // An idle frame: get the next paragraphs below (then above)
                // ready, one per frame, so scrolling rarely has to lay out.
                let below = visible.end..;
                let above = (0..visible.start).rev();
                let fetched = layout
                    .prefetch(&ctx, &doc.text, below)
                    .or_else(|| layout.prefetch(&ctx, &doc.text, above));
                if let Some((i, delta)) = fetched
                    && i < visible.start
                {
                    self.scroll_adjust += delta;
                }
                layout.take_laid_out();
            }

            let view_rect =
                Rect::from_min_size(content.min + viewport.min.to_vec2(), viewport.size());
            let response = ui.interact(view_rect, self.id, Sense::click_and_drag());
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Document, true, "Document text")
            });
            if self.request_focus {
                response.request_focus();
                self.request_focus = false;
            }
            self.has_focus = response.has_focus();
            if self.has_focus {
                ui.memory_mut(|m| {
                    m.set_focus_lock_filter(
                        self.id,
                        egui::EventFilter {
                            tab: true,
                            horizontal_arrows: true,
                            vertical_arrows: true,
                            escape: true,
                        },
                    )
                });
            }

            let mut paras: Vec<(usize, Pos2, Arc<Galley>)> = Vec::with_capacity(visible.len());
            for i in visible.clone() {
                let top = layout.top(i);
                let (galley, _) = layout.galley(&ctx, &doc.text, i);
                paras.push((i, origin + vec2(0.0, top), galley));
            }
            let geo = Geometry {
                layout: &layout,
                paras: &paras,
            };

            self.handle_pointer(ui, &response, &geo, doc, schema);
            self.paint(ui, &geo, doc, schema, view_rect);
            // Where the keyboard is: label keys tag only while the text
            // view has it, and this outline says so.
            if self.has_focus {
                ui.painter().rect_stroke(
                    view_rect.shrink(1.0),
                    2.0,
                    ui.visuals().selection.stroke,
                    egui::StrokeKind::Inside,
                );
            }
        });
        self.scroll_id = Some(output.id);
        self.content_height = output.content_size.y;
        layout.end_frame();
        self.layout = Some(layout);
    }

    fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        geo: &Geometry<'_>,
        doc: &Document,
        schema: &Schema,
    ) {
        let modifiers = ui.input(|i| i.modifiers);
        let text = &doc.text;
        if response.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }
        if response.drag_started() {
            let origin = ui.input(|i| i.pointer.press_origin());
            // A drag from a span that can be linked may become a link;
            // Shift or Alt select text.
            self.link_drag = origin
                .filter(|_| !modifiers.shift && !modifiers.alt)
                .and_then(|p| {
                    let span = geo
                        .char_hit(p)
                        .and_then(|c| innermost_in(&self.index, geo.layout, doc, c))?;
                    let linkable = schema
                        .relations
                        .iter()
                        .any(|r| r.from == span.label || r.to == span.label);
                    linkable.then_some(LinkDrag {
                        from: span.id,
                        start: p,
                        pointer: p,
                        target: None,
                    })
                });
            if let Some(c) = origin.and_then(|p| geo.char_at(p)) {
                if modifiers.shift {
                    if self.anchor.is_none() {
                        self.anchor = Some(self.caret);
                    }
                } else {
                    self.anchor = Some(c);
                }
                self.caret = c;
                self.selected = None;
                self.snap = !modifiers.alt;
            }
            response.request_focus();
        } else if response.dragged() {
            if let Some(c) = response.interact_pointer_pos().and_then(|p| geo.char_at(p)) {
                self.caret = c;
            }
            self.snap &= !modifiers.alt;
        }
        if (response.dragged() || response.drag_stopped())
            && let Some(pos) = ui.input(|i| i.pointer.latest_pos())
        {
            self.update_link_target(pos, geo, doc, schema);
        }
        if response.drag_stopped() {
            match self.link_drag.take() {
                Some(LinkDrag {
                    from,
                    target: Some((to, _)),
                    ..
                }) => {
                    // Released on another span: a link, not a selection.
                    self.anchor = None;
                    self.snap = true;
                    self.event = Some(ViewEvent::Link { from, to });
                }
                _ => self.snap_selection(doc),
            }
        }
        if response.double_clicked() {
            if let Some(c) = response.interact_pointer_pos().and_then(|p| geo.char_at(p))
                && let Some((s, e)) = text_nav::word_range_at(text, c)
            {
                self.anchor = Some(s);
                self.caret = e;
                self.selected = None;
            }
        } else if response.clicked() {
            response.request_focus();
            if let Some(pos) = response.interact_pointer_pos() {
                if modifiers.shift {
                    if let Some(c) = geo.char_at(pos) {
                        if self.anchor.is_none() {
                            self.anchor = Some(self.caret);
                        }
                        self.caret = c;
                        self.snap = !modifiers.alt;
                        self.snap_selection(doc);
                    }
                } else {
                    if let Some(c) = geo.char_at(pos) {
                        self.caret = c;
                    }
                    // Alt+click places the caret for an exact keyboard
                    // selection; otherwise they snap to words.
                    self.snap = !modifiers.alt;
                    self.anchor = None;
                    self.selected = geo
                        .char_hit(pos)
                        .and_then(|c| innermost_in(&self.index, geo.layout, doc, c))
                        .map(|s| s.id);
                }
            }
        }
        if let Some(pos) = response.hover_pos()
            && !response.dragged()
            && let Some(c) = geo.char_hit(pos)
            && let Some(span) = innermost_in(&self.index, geo.layout, doc, c)
        {
            let span = span.clone();
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| span_tooltip(ui, doc, schema, &span));
        }
    }

    /// Follows the pointer of a link drag: the span under it (other than
    /// the one the drag started on), and whether a relation type fits.
    fn update_link_target(
        &mut self,
        pos: Pos2,
        geo: &Geometry<'_>,
        doc: &Document,
        schema: &Schema,
    ) {
        let Some(drag) = &mut self.link_drag else {
            return;
        };
        drag.pointer = pos;
        let from = doc.span(drag.from);
        drag.target = geo
            .char_hit(pos)
            .and_then(|c| innermost_in(&self.index, geo.layout, doc, c))
            .filter(|s| s.id != drag.from)
            .map(|s| {
                let fits = from.is_some_and(|f| relation_for(schema, &f.label, &s.label).is_some());
                (s.id, fits)
            });
    }

    /// The innermost (shortest) span that covers code point `c`.
    pub fn innermost_span<'d>(&self, doc: &'d Document, c: usize) -> Option<&'d Span> {
        innermost_in(&self.index, self.layout.as_ref()?, doc, c)
    }

    fn snap_selection(&mut self, doc: &Document) {
        let Some(a) = self.anchor else { return };
        if a == self.caret {
            self.anchor = None;
            return;
        }
        match text_nav::snap_selection(&doc.text, a, self.caret, self.snap) {
            Some((s, e)) => {
                if a <= self.caret {
                    self.anchor = Some(s);
                    self.caret = e;
                } else {
                    self.anchor = Some(e);
                    self.caret = s;
                }
            }
            None => self.anchor = None,
        }
        self.snap = true;
    }

    fn paint(&self, ui: &Ui, geo: &Geometry<'_>, doc: &Document, schema: &Schema, view_rect: Rect) {
        let painter = ui
            .painter()
            .with_clip_rect(view_rect.intersect(ui.clip_rect()));
        let visuals = ui.visuals();
        let dark = visuals.dark_mode;
        let text_color = visuals.strong_text_color();
        let fill_alpha = if dark { 0.28 } else { 0.16 };

        let linked: Vec<(SpanId, String)> = self
            .selected
            .map(|id| {
                doc.relations_of(id)
                    .map(|r| (if r.from == id { r.to } else { r.from }, r.kind.clone()))
                    .collect()
            })
            .unwrap_or_default();

        // Backgrounds, outermost (lowest depth) first.
        for (i, pos, galley) in geo.paras {
            let p = geo.layout.paragraphs()[*i];
            for (_, span) in self.index.spans_in(doc, *i) {
                let color = label_color(schema, &span.label);
                let alpha = match span.review {
                    ReviewState::Accepted => fill_alpha,
                    ReviewState::Suggested => fill_alpha * 0.6,
                    ReviewState::Rejected => fill_alpha * 0.25,
                };
                for r in segments(galley, span.start, span.end, p.start) {
                    painter.rect_filled(
                        r.translate(pos.to_vec2()),
                        2.0,
                        color.gamma_multiply(alpha),
                    );
                }
            }
            // Every find match, outlined.
            let from = self.find_matches.partition_point(|&(_, e)| e <= p.start);
            for &(s, e) in self.find_matches[from..]
                .iter()
                .take_while(|&&(s, _)| s < p.end)
            {
                for r in segments(galley, s, e, p.start) {
                    painter.rect_stroke(
                        r.translate(pos.to_vec2()).expand(1.0),
                        2.0,
                        Stroke::new(1.5, Color32::from_rgb(0xd9, 0x9a, 0x06)),
                        egui::StrokeKind::Outside,
                    );
                }
            }
            // The text selection (not while a drag points at a span to link).
            let linking = self.link_drag.is_some_and(|d| d.target.is_some());
            if let Some((s, e)) = self.selection().filter(|_| !linking) {
                for r in segments(galley, s, e, p.start) {
                    painter.rect_filled(r.translate(pos.to_vec2()), 0.0, visuals.selection.bg_fill);
                }
            }
        }
        // Text.
        for (_, pos, galley) in geo.paras {
            painter.galley(*pos, galley.clone(), text_color);
        }
        // Borders and underlines.
        for (i, pos, galley) in geo.paras {
            let p = geo.layout.paragraphs()[*i];
            for (si, span) in self.index.spans_in(doc, *i) {
                let color = label_color(schema, &span.label);
                let depth = self.index.depth.get(si).copied().unwrap_or(0) as f32;
                let selected = self.selected == Some(span.id);
                let is_linked = linked.iter().any(|(id, _)| *id == span.id);
                let faded = span.review == ReviewState::Rejected;
                let c = if faded {
                    color.gamma_multiply(0.4)
                } else {
                    color
                };
                for r in segments(galley, span.start, span.end, p.start) {
                    let r = r.translate(pos.to_vec2());
                    let y = r.bottom() + 2.0 + depth * 3.5;
                    let underline = [pos2(r.left(), y), pos2(r.right(), y)];
                    if span.review == ReviewState::Suggested {
                        painter.extend(Shape::dashed_line(
                            &underline,
                            Stroke::new(2.0, c),
                            4.0,
                            3.0,
                        ));
                    } else {
                        painter.line_segment(underline, Stroke::new(2.0, c));
                    }
                    let border = if selected {
                        Stroke::new(2.0, text_color)
                    } else if is_linked {
                        Stroke::new(2.0, c)
                    } else {
                        Stroke::new(1.0, c.gamma_multiply(0.8))
                    };
                    painter.rect_stroke(r.expand(1.0), 2.0, border, StrokeKind::Outside);
                    if is_linked {
                        painter.rect_filled(r.expand(1.0), 2.0, c.gamma_multiply(0.15));
                    }
                }
            }
        }
        // Caret.
        if self.has_focus
            && let Some(r) = geo.cursor_rect(self.caret)
        {
            let top = r.top();
            let bottom = r.top()
                + ui.text_style_height(&egui::TextStyle::Body)
                    .max(r.height() * 0.6);
            painter.line_segment(
                [pos2(r.left(), top), pos2(r.left(), bottom)],
                Stroke::new(2.0, visuals.text_cursor.stroke.color),
            );
        }
        // Connectors from the selected span to its linked spans.
        if let Some(sel) = self.selected.and_then(|id| doc.span(id)) {
            let from = geo.first_rect(sel);
            // Labels already placed, so that the next one goes beside them.
            let mut placed: Vec<Rect> = Vec::new();
            for (id, kind) in &linked {
                let Some(other) = doc.span(*id) else { continue };
                let color = label_color(schema, &other.label);
                let label = format!("{kind}: {}", shorten(doc.span_text(other), 30));
                match (from, geo.first_rect(other)) {
                    (Some(a), Some(b)) => {
                        let style = (color, text_color);
                        connector(&painter, view_rect, (a, b), style, &label, &mut placed)
                    }
                    (Some(a), None) => {
                        let up = other.start < sel.start;
                        let y = if up {
                            view_rect.top() + 4.0
                        } else {
                            view_rect.bottom() - 4.0
                        };
                        let arrow = if up { "(above)" } else { "(below)" };
                        let anchor = if up {
                            Align2::LEFT_TOP
                        } else {
                            Align2::LEFT_BOTTOM
                        };
                        painter.line_segment(
                            [a.center_top(), pos2(a.center().x, y)],
                            Stroke::new(1.5, color.gamma_multiply(0.6)),
                        );
                        marker(
                            &painter,
                            pos2(a.center().x + 4.0, y),
                            anchor,
                            &format!("{arrow} {label}"),
                            color,
                            text_color,
                        );
                    }
                    _ => {}
                }
            }
        }
        self.paint_link_drag(&painter, geo, doc, schema, text_color);
    }

    /// The line of a link drag, from where it started to the pointer, and
    /// the span under the pointer outlined (in the source's colour when a
    /// link type fits, red with the reason when none does).
    fn paint_link_drag(
        &self,
        painter: &egui::Painter,
        geo: &Geometry<'_>,
        doc: &Document,
        schema: &Schema,
        text_color: Color32,
    ) {
        let Some(drag) = self.link_drag else { return };
        let Some(from) = doc.span(drag.from) else {
            return;
        };
        // Nothing while the pointer is still on the span it started on.
        let on_source = geo
            .char_hit(drag.pointer)
            .is_some_and(|c| from.start <= c && c < from.end);
        if drag.target.is_none() && on_source {
            return;
        }
        let color = label_color(schema, &from.label);
        let refused = Color32::from_rgb(0xdc, 0x26, 0x26);
        let (line, label) = match drag
            .target
            .and_then(|(id, fits)| Some((doc.span(id)?, fits)))
        {
            Some((to, true)) => {
                let kind = relation_for(schema, &from.label, &to.label).map_or("", |(k, _)| k);
                (color, format!("{kind}: {}", shorten(doc.span_text(to), 30)))
            }
            Some((to, false)) => (
                refused,
                format!("no link between {} and {}", from.label, to.label),
            ),
            None => (color.gamma_multiply(0.7), String::new()),
        };
        if let Some((to, _)) = drag
            .target
            .and_then(|(id, fits)| Some((doc.span(id)?, fits)))
        {
            for (i, origin, galley) in geo.paras {
                let p = geo.layout.paragraphs()[*i];
                for r in segments(galley, to.start, to.end, p.start) {
                    painter.rect_stroke(
                        r.translate(origin.to_vec2()).expand(2.0),
                        2.0,
                        Stroke::new(2.5, line),
                        StrokeKind::Outside,
                    );
                }
            }
        }
        painter.line_segment([drag.start, drag.pointer], Stroke::new(2.0, line));
        painter.circle_filled(drag.start, 3.5, line);
        painter.circle_filled(drag.pointer, 3.5, line);
        if !label.is_empty() {
            marker(
                painter,
                drag.pointer + vec2(10.0, -10.0),
                Align2::LEFT_BOTTOM,
                &label,
                line,
                text_color,
            );
        }
    }
}

/// Above the text: the document's name (elided, whole in its tooltip), its
/// status, and a Tag button per label (without their keys in a narrow
/// column).
pub fn doc_header_ui(
    ui: &mut Ui,
    doc: &Document,
    schema: &Schema,
    actions: &mut Vec<super::Action>,
) {
    // Label buttons above the text, at the right; the document's name
    // takes the room left of them, elided (full name in the tooltip).
    ui.horizontal(|ui| {
        // Narrow columns get the labels without their keys.
        let compact = ui.available_width() < 560.0;
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for label in schema.labels.iter().rev() {
                let color = label_color(schema, &label.name);
                let key = label.hotkey.to_ascii_uppercase();
                let text = if compact {
                    egui::RichText::new(&label.name)
                } else {
                    egui::RichText::new(format!("{} ({key})", label.name))
                };
                let button = egui::Button::new(text).stroke(egui::Stroke::new(1.5, color));
                let tip = format!("Tag the selection as {} — key {key}", label.name);
                if ui.add(button).on_hover_text(tip).clicked() {
                    actions.push(super::Action::Tag(label.name.clone()));
                }
            }
            ui.weak("Tag as:");
            ui.separator();
            ui.weak(doc.status.as_str());
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(egui::RichText::new(&doc.name).strong()).truncate())
                    .on_hover_text(&doc.name);
            });
        });
    });
}

/// Geometry of the paragraphs painted this frame.
struct Geometry<'a> {
    layout: &'a LayoutCache,
    paras: &'a [(usize, Pos2, Arc<Galley>)],
}

impl Geometry<'_> {
    /// The paragraph (index into `paras`) at a screen height.
    fn para_at_y(&self, y: f32) -> Option<usize> {
        if self.paras.is_empty() {
            return None;
        }
        let k = self.paras.partition_point(|(_, pos, _)| pos.y <= y);
        Some(k.saturating_sub(1))
    }

    /// The caret position nearest to a screen point.
    fn char_at(&self, pos: Pos2) -> Option<usize> {
        let k = self.para_at_y(pos.y)?;
        let (i, origin, galley) = &self.paras[k];
        let p = self.layout.paragraphs()[*i];
        let c = galley.cursor_from_pos(pos - *origin);
        Some(p.start + c.index.0.min(p.end - p.start))
    }

    /// The code point whose glyph is under a screen point, if any.
    fn char_hit(&self, pos: Pos2) -> Option<usize> {
        let k = self.para_at_y(pos.y)?;
        let (i, origin, galley) = &self.paras[k];
        let p = self.layout.paragraphs()[*i];
        let local = pos - *origin;
        let mut start = 0;
        for row in &galley.rows {
            let n = row.glyphs.len();
            if local.y >= row.pos.y && local.y < row.pos.y + row.size.y {
                for (j, g) in row.glyphs.iter().enumerate() {
                    let x0 = row.pos.x + g.pos.x;
                    if local.x >= x0 && local.x < x0 + g.advance_width {
                        return Some(p.start + start + j);
                    }
                }
                return None;
            }
            start += n + row.ends_with_newline as usize;
        }
        None
    }

    /// Screen rectangle of the caret at code point `pos`, if visible.
    fn cursor_rect(&self, pos: usize) -> Option<Rect> {
        self.paras.iter().find_map(|(i, origin, galley)| {
            let p = self.layout.paragraphs()[*i];
            (p.start <= pos && pos <= p.end).then(|| {
                galley
                    .pos_from_cursor(CCursor::new(pos - p.start))
                    .translate(origin.to_vec2())
            })
        })
    }

    /// Screen rectangle of the first visible piece of a span.
    fn first_rect(&self, span: &Span) -> Option<Rect> {
        self.paras.iter().find_map(|(i, origin, galley)| {
            let p = self.layout.paragraphs()[*i];
            segments(galley, span.start, span.end, p.start)
                .next()
                .map(|r| r.translate(origin.to_vec2()))
        })
    }
}

/// The innermost (shortest) span that covers code point `c`.
fn innermost_in<'d>(
    index: &SpanIndex,
    layout: &LayoutCache,
    doc: &'d Document,
    c: usize,
) -> Option<&'d Span> {
    let p = layout.paragraph_of_char(c)?;
    index
        .spans_in(doc, p)
        .map(|(_, s)| s)
        .filter(|s| s.start <= c && c < s.end)
        .min_by_key(|s| s.end - s.start)
}

/// Rectangles (galley coordinates) covering code points `start..end` of
/// the document in a paragraph galley whose first code point is `base`:
/// one per row, spanning the text's height.
pub fn segments(
    galley: &Galley,
    start: usize,
    end: usize,
    base: usize,
) -> impl Iterator<Item = Rect> + '_ {
    let a = start.saturating_sub(base);
    let b = end.saturating_sub(base);
    let mut row_start = 0;
    galley.rows.iter().filter_map(move |row| {
        let n = row.glyphs.len();
        let (rs, re) = (row_start, row_start + n);
        row_start = re + row.ends_with_newline as usize;
        let (s, e) = (a.max(rs), b.min(re));
        if s >= e || end <= base {
            return None;
        }
        let g0 = &row.glyphs[s - rs];
        let g1 = &row.glyphs[e - 1 - rs];
        let top = row.pos.y + g0.pos.y - g0.font_ascent;
        Some(Rect::from_min_max(
            pos2(row.pos.x + g0.pos.x, top),
            pos2(row.pos.x + g1.max_x(), top + g0.font_height),
        ))
    })
}

/// Where a connector's label goes: centred between the two spans, in the
/// line gap above the upper one (its bottom a few points above that span's
/// glyphs), or below the lower one (past its underlines) when there is no
/// room above in the view; never over the linked words. `size` is the
/// label's box.
pub fn connector_label_rect(view: Rect, (a, b): (Rect, Rect), size: Vec2) -> Rect {
    const GAP: f32 = 1.5;
    // Below the glyphs: the nesting underlines (up to three levels).
    const UNDERLINES: f32 = 12.0;
    let x = ((a.center().x + b.center().x) / 2.0).clamp(
        view.left() + size.x / 2.0,
        (view.right() - size.x / 2.0).max(view.left() + size.x / 2.0),
    );
    let top = a.top().min(b.top());
    if top - GAP - size.y >= view.top() {
        Rect::from_center_size(pos2(x, top - GAP - size.y / 2.0), size)
    } else {
        let bottom = a.bottom().max(b.bottom()) + UNDERLINES + GAP;
        Rect::from_center_size(pos2(x, bottom + size.y / 2.0), size)
    }
}

/// `rect` moved sideways, along its line gap, until it overlaps none of the
/// labels `placed` before it (to the right, or to the left when the view
/// has no room there).
pub fn beside_placed(view: Rect, rect: Rect, placed: &[Rect]) -> Rect {
    let clash = |r: &Rect| placed.iter().find(|p| p.intersects(*r)).copied();
    let mut right = rect;
    while let Some(p) = clash(&right) {
        right = right.translate(vec2(p.right() + 4.0 - right.left(), 0.0));
    }
    if right.right() <= view.right() {
        return right;
    }
    let mut left = rect;
    while let Some(p) = clash(&left) {
        left = left.translate(vec2(p.left() - 4.0 - left.right(), 0.0));
    }
    if left.left() >= view.left() {
        left
    } else {
        right
    }
}

/// A curved connector from span `a` to span `b` with the relation name:
/// the curve leaves both spans towards its label, which sits clear of the
/// linked words ([`connector_label_rect`]).
fn connector(
    painter: &egui::Painter,
    view: Rect,
    (a, b): (Rect, Rect),
    (color, text): (Color32, Color32),
    label: &str,
    placed: &mut Vec<Rect>,
) {
    // Small enough for the gap between two lines of text: at most the
    // descenders of the line above are covered.
    let galley = painter.layout_no_wrap(label.to_owned(), FontId::proportional(10.0), text);
    let rect = connector_label_rect(view, (a, b), galley.size() + vec2(8.0, 1.0));
    let rect = beside_placed(view, rect, placed);
    placed.push(rect);
    let above = rect.bottom() <= a.top().min(b.top());
    let (p0, p3, y) = if above {
        (a.center_top(), b.center_top(), rect.bottom())
    } else {
        (a.center_bottom(), b.center_bottom(), rect.top())
    };
    let mid = rect.center().x;
    for (p, dir) in [(p0, -1.0), (p3, 1.0)] {
        // From the span up (or down) to the label's edge, ending at its side.
        let end = pos2(mid + dir * rect.width().min(24.0) / 2.0, y);
        let curve = egui::epaint::CubicBezierShape::from_points_stroke(
            [p, pos2(p.x, y), pos2(p.x, y), end],
            false,
            Color32::TRANSPARENT,
            Stroke::new(1.5, color),
        );
        painter.add(curve);
    }
    painter.circle_filled(p3, 3.5, color);
    label_box(painter, rect, galley, color, text);
}

/// A boxed label at `rect` with a background that hides what is under it.
fn label_box(
    painter: &egui::Painter,
    rect: Rect,
    galley: Arc<Galley>,
    color: Color32,
    text: Color32,
) {
    let bg = if text.r() > 128 {
        Color32::from_black_alpha(220)
    } else {
        Color32::from_white_alpha(235)
    };
    painter.rect_filled(rect, 3.0, bg);
    painter.rect_stroke(rect, 3.0, Stroke::new(1.0, color), StrokeKind::Inside);
    let pad = (rect.size() - galley.size()) / 2.0;
    painter.galley(rect.min + pad, galley, text);
}

/// A small boxed label.
fn marker(
    painter: &egui::Painter,
    at: Pos2,
    anchor: Align2,
    label: &str,
    color: Color32,
    text: Color32,
) {
    let galley = painter.layout_no_wrap(label.to_owned(), FontId::proportional(11.0), text);
    let rect = anchor.anchor_size(at, galley.size() + vec2(8.0, 4.0));
    label_box(painter, rect, galley, color, text);
}

pub fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let head: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", head.trim_end())
    }
}

/// The hover tooltip of a span: label, text, attributes, origin, review.
pub fn span_tooltip(ui: &mut Ui, doc: &Document, schema: &Schema, span: &Span) {
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
        ui.painter()
            .rect_filled(r, 2.0, label_color(schema, &span.label));
        ui.strong(&span.label);
        ui.weak(format!("{}–{}", span.start, span.end));
    });
    ui.label(format!("“{}”", shorten(doc.span_text(span), 80)));
    for (k, v) in &span.attrs {
        ui.label(format!("{k}: {v}"));
    }
    for r in doc.relations_of(span.id) {
        let (dir, other) = if r.from == span.id {
            ("to", r.to)
        } else {
            ("from", r.from)
        };
        if let Some(o) = doc.span(other) {
            ui.label(format!(
                "{} {dir} {}",
                r.kind,
                shorten(doc.span_text(o), 30)
            ));
        }
    }
    ui.weak(format!(
        "{} · {}",
        origin_text(&span.origin),
        span.review.as_str()
    ));
    if let Origin::Rule { explanation, .. } = &span.origin
        && !explanation.is_empty()
    {
        ui.weak(displayable(ui, &shorten(explanation, 300)));
    }
}

pub fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::Manual { annotator } => format!("manual, by {annotator}"),
        Origin::Rule {
            rule, confidence, ..
        } => format!("rule {rule} ({:.0}%)", confidence * 100.0),
        Origin::Import { source } => format!("imported from {source}"),
        Origin::Curated { annotators } => format!("curated from {}", annotators.join(", ")),
    }
}

/// `s` with characters the body font cannot draw replaced (`∈` → `in`,
/// others → `?`), for rule explanations and other engine text.
pub fn displayable(ui: &Ui, s: &str) -> String {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.fonts_mut(|f| {
        if f.has_glyphs(&font, s) {
            return s.to_owned();
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c == '∈' {
                out.push_str("in");
            } else if c.is_whitespace() || f.has_glyph(&font, c) {
                out.push(c);
            } else {
                out.push('?');
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, w: f32) -> Rect {
        Rect::from_min_size(pos2(x, y), vec2(w, 20.0))
    }

    #[test]
    fn connector_labels_never_cover_the_linked_words() {
        let view = Rect::from_min_size(pos2(0.0, 0.0), vec2(700.0, 600.0));
        let size = vec2(160.0, 16.0);
        let cases = [
            // One line, side by side; one line apart; far apart; the
            // upper span at the view's top (no room above); at the edges.
            (rect(100.0, 200.0, 80.0), rect(300.0, 200.0, 120.0)),
            (rect(400.0, 226.0, 80.0), rect(60.0, 200.0, 200.0)),
            (rect(100.0, 300.0, 80.0), rect(500.0, 100.0, 60.0)),
            (rect(100.0, 4.0, 80.0), rect(200.0, 4.0, 80.0)),
            (rect(0.0, 100.0, 40.0), rect(650.0, 126.0, 50.0)),
        ];
        for (a, b) in cases {
            let r = connector_label_rect(view, (a, b), size);
            assert!(
                !r.intersects(a) && !r.intersects(b),
                "{r:?} over {a:?} or {b:?}"
            );
            assert!(view.contains_rect(r), "{r:?} inside the view");
        }
    }

    #[test]
    fn labels_of_one_span_s_links_go_side_by_side() {
        let view = Rect::from_min_size(pos2(0.0, 0.0), vec2(700.0, 600.0));
        let size = vec2(150.0, 14.0);
        let speaker = rect(300.0, 200.0, 60.0);
        let mut placed = Vec::new();
        // Four claims below the speaker link to it: their labels share the
        // gap above it.
        for k in 0..4 {
            let claim = rect(100.0 + 10.0 * k as f32, 260.0, 80.0);
            let r = beside_placed(
                view,
                connector_label_rect(view, (claim, speaker), size),
                &placed,
            );
            assert!(!r.intersects(speaker) && !r.intersects(claim));
            assert!(
                placed.iter().all(|p: &Rect| !p.intersects(r)),
                "{r:?} over {placed:?}"
            );
            assert!(view.contains_rect(r), "{r:?}");
            placed.push(r);
        }
    }
}
