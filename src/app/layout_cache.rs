//! Per-paragraph text layout for the text view, so that a frame costs the
//! same on a 1 MB document as on a 1 KB one.
//!
//! A document is split once into paragraphs (its non-empty lines). Each
//! paragraph has a height: estimated from its length until it is first
//! laid out, exact after that. A running sum of heights gives every
//! paragraph's top, so the paragraphs in the viewport are found by binary
//! search. Galleys are laid out only for visible paragraphs and cached per
//! wrap width, font size and pixel density; far-away ones are evicted.
//! Edits never change a document's text, so nothing here depends on spans.

use eframe::egui;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::{Align, Color32, FontId, Galley, text::LayoutJob};

use crate::model::Text;

/// One non-empty line of the document, in code points (no `\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
}

/// What a layout depends on besides the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutKey {
    pub wrap_width: f32,
    pub font_size: f32,
    pub pixels_per_point: f32,
}

impl LayoutKey {
    /// Line height: room for stacked underlines below the text.
    pub fn line_height(&self) -> f32 {
        (self.font_size * 1.75).round()
    }

    /// Space between paragraphs.
    pub fn gap(&self) -> f32 {
        (self.font_size * 0.7).round()
    }
}

struct Cached {
    galley: Arc<Galley>,
    used: u64,
}

/// Keep at most this many galleys beyond those used in the last frame.
const MAX_IDLE_GALLEYS: usize = 256;
/// How many paragraphs beyond the viewport [`LayoutCache::prefetch`] looks at.
const PREFETCH_AHEAD: usize = 4;
/// How long a prefetched galley is kept before it must have been shown.
const PREFETCH_KEEP_FRAMES: u64 = 120;

pub struct LayoutCache {
    paragraphs: Vec<Paragraph>,
    heights: Vec<f32>,
    exact: Vec<bool>,
    /// `tops[i]` is the top of paragraph `i`; `tops[n]` the total height.
    tops: Vec<f32>,
    /// `tops` is valid up to and including this index.
    tops_valid: usize,
    galleys: HashMap<usize, Cached>,
    key: Option<LayoutKey>,
    avg_char_width: f32,
    frame: u64,
    atlas_fill: f32,
    text_options: Option<egui::epaint::text::TextOptions>,
    /// Paragraphs laid out since the last call to [`Self::take_laid_out`].
    laid_out: usize,
}

impl LayoutCache {
    pub fn new(text: &Text) -> Self {
        let paragraphs = split_paragraphs(text.as_str());
        let n = paragraphs.len();
        LayoutCache {
            paragraphs,
            heights: vec![0.0; n],
            exact: vec![false; n],
            tops: vec![0.0; n + 1],
            tops_valid: 0,
            galleys: HashMap::new(),
            key: None,
            avg_char_width: 8.0,
            frame: 0,
            atlas_fill: 0.0,
            text_options: None,
            laid_out: 0,
        }
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    /// Starts a frame: a new key (wrap width, zoom, pixel density) drops
    /// every galley and exact height; a cleared font atlas drops galleys.
    pub fn begin_frame(&mut self, ctx: &egui::Context, key: LayoutKey) {
        self.frame += 1;
        self.check_fonts(ctx);
        if self.key != Some(key) {
            self.key = Some(key);
            self.galleys.clear();
            self.avg_char_width = measure_char_width(ctx, &key);
            for i in 0..self.paragraphs.len() {
                self.exact[i] = false;
                self.heights[i] = self.estimate(i);
            }
            self.tops_valid = 0;
        }
    }

    /// Galleys point into the font atlas. egui rebuilds the atlas when it
    /// fills up or when the text options change (a theme switch changes how
    /// glyph coverage becomes alpha); either drops our galleys. Call it at
    /// the start of a frame, before other text is laid out (the atlas fills
    /// again quickly), and again in [`Self::begin_frame`].
    pub fn check_fonts(&mut self, ctx: &egui::Context) {
        let (fill, options) = ctx.fonts(|f| (f.font_atlas_fill_ratio(), *f.options()));
        if fill < self.atlas_fill || self.text_options != Some(options) {
            self.galleys.clear();
        }
        self.atlas_fill = fill;
        self.text_options = Some(options);
    }

    /// Ends a frame: evicts galleys not used lately.
    pub fn end_frame(&mut self) {
        if self.galleys.len() > MAX_IDLE_GALLEYS {
            let frame = self.frame;
            self.galleys.retain(|_, c| c.used + 1 >= frame);
        }
    }

    fn estimate(&self, i: usize) -> f32 {
        let Some(key) = self.key else { return 0.0 };
        let p = self.paragraphs[i];
        let width = (p.end - p.start) as f32 * self.avg_char_width;
        let rows = (width / key.wrap_width.max(1.0)).ceil().max(1.0);
        rows * key.line_height() + key.gap()
    }

    fn ensure_tops(&mut self) {
        let n = self.paragraphs.len();
        if self.tops_valid >= n {
            return;
        }
        for i in self.tops_valid..n {
            self.tops[i + 1] = self.tops[i] + self.heights[i];
        }
        self.tops_valid = n;
    }

    /// Top of paragraph `i` (or the total height for `i == len`).
    pub fn top(&mut self, i: usize) -> f32 {
        self.ensure_tops();
        self.tops[i.min(self.paragraphs.len())]
    }

    pub fn total_height(&mut self) -> f32 {
        self.top(self.paragraphs.len())
    }

    /// Paragraphs that intersect `y0..y1` (content coordinates).
    pub fn visible(&mut self, y0: f32, y1: f32) -> Range<usize> {
        self.ensure_tops();
        let n = self.paragraphs.len();
        let first = self.tops[1..=n].partition_point(|&bottom| bottom <= y0);
        let last = self.tops[..n].partition_point(|&top| top < y1);
        first..last.max(first)
    }

    /// The paragraph at content height `y` (clamped to the first or last).
    pub fn paragraph_at_y(&mut self, y: f32) -> Option<usize> {
        self.ensure_tops();
        let n = self.paragraphs.len();
        if n == 0 {
            return None;
        }
        Some(
            self.tops[1..=n]
                .partition_point(|&bottom| bottom <= y)
                .min(n - 1),
        )
    }

    /// The paragraph that holds code point `pos`, or the next one after it.
    pub fn paragraph_of_char(&self, pos: usize) -> Option<usize> {
        let n = self.paragraphs.len();
        if n == 0 {
            return None;
        }
        Some(self.paragraphs.partition_point(|p| p.end < pos).min(n - 1))
    }

    /// Paragraphs that overlap the code point range `start..end`.
    pub fn paragraphs_of_range(&self, start: usize, end: usize) -> Range<usize> {
        let first = self.paragraphs.partition_point(|p| p.end <= start);
        let last = self.paragraphs.partition_point(|p| p.start < end);
        first..last.max(first)
    }

    /// The galley of paragraph `i`, laid out now if it is not cached. Its
    /// exact height replaces the estimate; returns the height change.
    pub fn galley(&mut self, ctx: &egui::Context, text: &Text, i: usize) -> (Arc<Galley>, f32) {
        let frame = self.frame;
        if let Some(c) = self.galleys.get_mut(&i) {
            c.used = frame;
            return (c.galley.clone(), 0.0);
        }
        let Some(key) = self.key else {
            let empty = ctx.fonts_mut(|f| f.layout_job(LayoutJob::default()));
            return (empty, 0.0);
        };
        let p = self.paragraphs[i];
        let galley = ctx.fonts_mut(|f| f.layout_job(job_for(text.slice(p.start, p.end), &key)));
        self.laid_out += 1;
        let height = galley.size().y + key.gap();
        let delta = height - self.heights[i];
        if delta != 0.0 {
            self.heights[i] = height;
            self.tops_valid = self.tops_valid.min(i);
        }
        self.exact[i] = true;
        self.galleys.insert(
            i,
            Cached {
                galley: galley.clone(),
                used: frame,
            },
        );
        (galley, delta)
    }

    /// Lays out the first paragraph in `order` that is not laid out yet,
    /// if any, and keeps it for a while even if it is not shown: called in
    /// frames that laid out nothing, so that scrolling finds the next
    /// paragraphs ready. Returns the paragraph and its height change.
    pub fn prefetch(
        &mut self,
        ctx: &egui::Context,
        text: &Text,
        order: impl IntoIterator<Item = usize>,
    ) -> Option<(usize, f32)> {
        let i = order
            .into_iter()
            .take(PREFETCH_AHEAD)
            .find(|i| *i < self.paragraphs.len() && !self.galleys.contains_key(i))?;
        let (_, delta) = self.galley(ctx, text, i);
        if let Some(c) = self.galleys.get_mut(&i) {
            c.used = self.frame + PREFETCH_KEEP_FRAMES;
        }
        Some((i, delta))
    }

    /// The cached galley of paragraph `i` without laying it out.
    pub fn cached(&self, i: usize) -> Option<Arc<Galley>> {
        self.galleys.get(&i).map(|c| c.galley.clone())
    }

    pub fn is_exact(&self, i: usize) -> bool {
        self.exact.get(i).copied().unwrap_or(false)
    }

    /// How many paragraphs were laid out since the last call.
    pub fn take_laid_out(&mut self) -> usize {
        std::mem::take(&mut self.laid_out)
    }
}

/// The layout job of one paragraph. The colour is a placeholder that the
/// painter replaces, so a theme change needs no new layout.
pub fn job_for(text: &str, key: &LayoutKey) -> LayoutJob {
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        egui::TextFormat {
            font_id: FontId::proportional(key.font_size),
            color: Color32::PLACEHOLDER,
            line_height: Some(key.line_height()),
            valign: Align::TOP,
            ..Default::default()
        },
    );
    job.wrap.max_width = key.wrap_width;
    job
}

fn measure_char_width(ctx: &egui::Context, key: &LayoutKey) -> f32 {
    const SAMPLE: &str = "The quick brown fox jumps over the lazy dog, said Putin. ";
    let mut k = *key;
    k.wrap_width = f32::INFINITY;
    let galley = ctx.fonts_mut(|f| f.layout_job(job_for(SAMPLE, &k)));
    (galley.size().x / SAMPLE.chars().count() as f32).max(1.0)
}

/// The non-empty lines of `text`, in code points.
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        let len = if line.is_ascii() {
            line.len()
        } else {
            line.chars().count()
        };
        if !line.trim().is_empty() {
            out.push(Paragraph {
                start: pos,
                end: pos + len,
            });
        }
        pos += len + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefetch_lays_out_the_next_paragraph_not_yet_laid_out() {
        let ctx = egui::Context::default();
        let text = Text::new("One.\n\nTwo.\n\nThree.\n\nFour.");
        let mut cache = LayoutCache::new(&text);
        let key = LayoutKey {
            wrap_width: 400.0,
            font_size: 16.0,
            pixels_per_point: 1.0,
        };
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            cache.begin_frame(ui.ctx(), key);
            cache.galley(ui.ctx(), &text, 0);
            assert_eq!(cache.prefetch(ui.ctx(), &text, 1..).map(|p| p.0), Some(1));
            assert_eq!(cache.prefetch(ui.ctx(), &text, 1..).map(|p| p.0), Some(2));
            assert!(cache.is_exact(2));
            assert_eq!(cache.prefetch(ui.ctx(), &text, (0..1).rev()), None);
            assert_eq!(cache.prefetch(ui.ctx(), &text, 9..), None, "past the end");
        });
        out.textures_delta.clear();
    }

    #[test]
    fn a_theme_switch_drops_galleys_that_point_into_the_old_font_atlas() {
        let ctx = egui::Context::default();
        ctx.set_theme(egui::Theme::Light);
        let text = Text::new("Hello world.\n\nSecond paragraph.");
        let mut cache = LayoutCache::new(&text);
        let key = LayoutKey {
            wrap_width: 400.0,
            font_size: 16.0,
            pixels_per_point: 1.0,
        };
        let frame = |cache: &mut LayoutCache| {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                cache.check_fonts(ui.ctx());
                cache.begin_frame(ui.ctx(), key);
                cache.galley(ui.ctx(), &text, 0);
            });
            out.textures_delta.clear();
        };
        frame(&mut cache);
        frame(&mut cache);
        let before = cache.cached(0).expect("laid out");
        ctx.set_theme(egui::Theme::Dark);
        frame(&mut cache);
        frame(&mut cache);
        let after = cache.cached(0).expect("laid out again");
        assert!(!Arc::ptr_eq(&before, &after), "the old galley was dropped");
    }

    #[test]
    fn paragraphs_skip_blank_lines_and_count_code_points() {
        let p = split_paragraphs("“a”\n\nbc\n  \nd");
        assert_eq!(
            p,
            vec![
                Paragraph { start: 0, end: 3 },
                Paragraph { start: 5, end: 7 },
                Paragraph { start: 11, end: 12 }
            ]
        );
    }
}
