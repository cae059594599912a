//! Benchmark of the text view: runs the real [`TextView`] headless in a bare
//! `egui::Context` for a few hundred frames while scrolling (steady wheel
//! scrolling plus a jump to a random place every 25 frames, like dragging
//! the scroll bar), on generated documents of 10 KB, 100 KB and 1 MB with
//! 20 spans per KB (20,000 at 1 MB). Prints the CPU time per frame (layout,
//! painting and tessellation), median and p95. Beside it, egui's own
//! read-only `Label` and `TextEdit` showing the same 1 MB text without
//! spans, scrolled the same way, as the baseline to beat. The last column
//! is the p95 over the frames that laid out no new paragraph: a 10 KB
//! document is fully laid out after the first pass, a long one keeps
//! revealing new text, so this column compares like with like. Each figure is the
//! middle of three runs (by p95), as the machine may be shared.
//!
//! Run with `cargo run --release --example bench_textview`.

use std::time::{Duration, Instant};

use eframe::egui;
use sayso::app::text_view::{TextView, ViewInput};
use sayso::model::{Document, Origin, Relation, ReviewState, Schema, Span, SpanId, Timestamp};

const FRAMES: usize = 300;
/// Repetitions of each measurement; the middle one is reported.
const RUNS: usize = 3;

thread_local! {
    /// Vertices tessellated, to check that every run draws a full screen.
    static VERTICES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn take_vertices() -> usize {
    VERTICES.with(|v| v.replace(0))
}
const SCREEN: egui::Vec2 = egui::vec2(1280.0, 820.0);

/// A tiny deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "that",
    "talks",
    "would",
    "resume",
    "after",
    "ceasefire",
    "Putin",
    "Erdogan",
    "Kremlin",
    "stressed",
    "“necessary”",
    "policy",
    "of",
    "in",
    "and",
    "civilian",
    "casualties",
    "region’s",
    "future",
    "argued",
    "Palestinian",
    "state",
    "concern",
    "over",
    "United",
    "Nations",
    "peace",
    "process",
    "Moscow",
    "Ankara",
    "négociations",
    "will",
    "not",
    "endorse",
    "such",
    "actions",
    "deep",
    "regret",
    "support",
    "for",
    "a",
    "two-state",
    "solution",
];

/// A document of about `bytes` bytes with 20 spans per KB, some nested.
fn generate(bytes: usize, seed: u64) -> (Document, Schema) {
    let mut rng = Rng(seed);
    let mut text = String::with_capacity(bytes + 200);
    while text.len() < bytes {
        let sentences = 3 + rng.below(5);
        for _ in 0..sentences {
            let n = 8 + rng.below(20);
            for w in 0..n {
                let word = WORDS[rng.below(WORDS.len())];
                if w == 0 {
                    let mut c = word.chars();
                    if let Some(f) = c.next() {
                        text.extend(f.to_uppercase());
                        text.push_str(c.as_str());
                    }
                } else {
                    text.push(' ');
                    text.push_str(word);
                }
            }
            text.push_str(". ");
        }
        text.push('\n');
        text.push('\n');
    }
    // Word boundaries, in code points.
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let schema = Schema::default();
    let mut doc = Document::new("bench", text);
    let n_spans = bytes / 1024 * 20;
    let labels = ["Speaker", "Claim", "Stance"];
    let step = (words.len() / n_spans.max(1)).max(1);
    let mut spans = Vec::with_capacity(n_spans);
    for k in 0..n_spans {
        let w = (k * step).min(words.len().saturating_sub(1));
        let len = 1 + rng.below(if k % 7 == 0 { 12 } else { 3 });
        let end_w = (w + len).min(words.len() - 1);
        spans.push(Span {
            id: SpanId(k as u64 + 1),
            start: words[w].0,
            end: words[end_w].1,
            label: labels[k % 3].into(),
            attrs: Default::default(),
            origin: Origin::Manual {
                annotator: "bench".into(),
            },
            review: if k % 11 == 0 {
                ReviewState::Suggested
            } else {
                ReviewState::Accepted
            },
            created: Timestamp(0),
            annotator: None,
        });
    }
    spans.sort_by_key(|s| s.sort_key());
    let mut relations = Vec::new();
    let mut last_speaker = None;
    for s in &spans {
        match s.label.as_str() {
            "Speaker" => last_speaker = Some(s.id),
            "Claim" | "Stance" => {
                if let Some(to) = last_speaker {
                    let kind = if s.label == "Claim" {
                        "said_by"
                    } else {
                        "held_by"
                    };
                    relations.push(Relation {
                        from: s.id,
                        kind: kind.into(),
                        to,
                    });
                }
            }
            _ => {}
        }
    }
    relations.sort();
    relations.dedup();
    doc.spans = spans;
    doc.relations = relations;
    (doc, schema)
}

fn raw_input(frame: usize) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
        time: Some(frame as f64 / 60.0),
        predicted_dt: 1.0 / 60.0,
        ..Default::default()
    }
}

/// Scroll offset of frame `i`: steady scrolling with a random jump every
/// 25 frames.
fn offsets(total: f32, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    let mut y = 0.0f32;
    (0..FRAMES)
        .map(|i| {
            if i > 0 && i % 25 == 0 {
                y = (rng.below(1000) as f32 / 1000.0) * (total - SCREEN.y).max(0.0);
            } else {
                y += 40.0;
            }
            y.min((total - SCREEN.y).max(0.0))
        })
        .collect()
}

struct Figures {
    vertices_per_frame: usize,
    /// p95 over the frames that laid out no new paragraph.
    p95_cached: Option<Duration>,
    median: Duration,
    p95: Duration,
    first: Duration,
}

fn stats(mut times: Vec<Duration>, first: Duration, cached: Option<Vec<Duration>>) -> Figures {
    let p95_cached = cached.filter(|c| !c.is_empty()).map(|mut c| {
        c.sort();
        c[((c.len() as f64 - 1.0) * 0.95).round() as usize]
    });
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    let n = times.len();
    Figures {
        vertices_per_frame: take_vertices() / (n + 5),
        p95_cached,
        median: at(0.5),
        p95: at(0.95),
        first,
    }
}

/// Runs one frame and tessellates its output: the CPU work of a frame.
fn frame(ctx: &egui::Context, i: usize, mut ui_fn: impl FnMut(&mut egui::Ui)) -> Duration {
    let t = Instant::now();
    let out = ctx.run_ui(raw_input(i), |ui| {
        egui::CentralPanel::default().show(ui, |ui| ui_fn(ui));
    });
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    let elapsed = t.elapsed();
    let vertices: usize = prims
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum();
    VERTICES.with(|v| v.set(v.get() + vertices));
    elapsed
}

fn bench_view(doc: &Document, schema: &Schema) -> Figures {
    let ctx = egui::Context::default();
    let mut view = TextView::new();
    let input = ViewInput {
        doc,
        schema,
        doc_key: (1, 0),
        spans_rev: 1,
        font_size: 17.0,
        show_pending: true,
    };
    // Warm-up: fonts, the paragraph index and the span index.
    let first = frame(&ctx, 0, |ui| view.ui(ui, &input));
    for i in 1..5 {
        frame(&ctx, i, |ui| view.ui(ui, &input));
    }
    let total = view.total_height();
    let mut times = Vec::with_capacity(FRAMES);
    let mut cached = Vec::with_capacity(FRAMES);
    for (i, y) in offsets(total, 7).into_iter().enumerate() {
        view.scroll_to_y(y);
        let t = frame(&ctx, i + 5, |ui| view.ui(ui, &input));
        times.push(t);
        if view.laid_out_last_frame == 0 {
            cached.push(t);
        }
    }
    stats(times, first, Some(cached))
}

fn bench_egui(text: &str, text_edit: bool) -> Figures {
    let ctx = egui::Context::default();
    let show = |ui: &mut egui::Ui, y: Option<f32>| {
        let mut area = egui::ScrollArea::vertical().auto_shrink(false);
        if let Some(y) = y {
            area = area.vertical_scroll_offset(y);
        }
        area.show(ui, |ui| {
            if text_edit {
                let mut s: &str = text;
                ui.add(egui::TextEdit::multiline(&mut s).desired_width(f32::INFINITY));
            } else {
                ui.label(text);
            }
        });
    };
    let first = frame(&ctx, 0, |ui| show(ui, None));
    for i in 1..5 {
        frame(&ctx, i, |ui| show(ui, None));
    }
    // The content height, from the scroll area's state.
    let total = text.len() as f32 / 100.0 * 22.0;
    let mut times = Vec::with_capacity(FRAMES);
    for (i, y) in offsets(total, 7).into_iter().enumerate() {
        times.push(frame(&ctx, i + 5, |ui| show(ui, Some(y))));
    }
    stats(times, first, None)
}

fn ms(d: Duration) -> String {
    format!("{:7.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let release = !cfg!(debug_assertions);
    println!(
        "Sayso text view benchmark ({} build), {FRAMES} frames of {}x{} while scrolling",
        if release { "release" } else { "debug" },
        SCREEN.x,
        SCREEN.y
    );
    println!(
        "{:<38} {:>10} {:>10} {:>10} {:>8} {:>14}",
        "", "median", "p95", "1st frame", "vertices", "p95 no layout"
    );
    let mut ten_kb_p95 = Duration::ZERO;
    let mut one_mb_text = String::new();
    let docs: Vec<(usize, (Document, Schema))> = [(10usize, 1u64), (100, 2), (1024, 3)]
        .into_iter()
        .map(|(kb, seed)| (kb, generate(kb * 1024, seed)))
        .collect();
    // One unreported run on the largest document first: the allocator's
    // heap (glibc raises its mmap and trim thresholds after large frees)
    // then starts every measured run in the same state. Without it the
    // first measured run, whichever it is, is about 3x slower.
    if let Some((_, (doc, schema))) = docs.last() {
        bench_view(doc, schema);
    }
    for (kb, (doc, schema)) in &docs {
        let (kb, doc, schema) = (*kb, doc, schema);
        // The machine is shared: run three times, report the middle run
        // (by p95).
        let mut runs: Vec<Figures> = (0..RUNS).map(|_| bench_view(doc, schema)).collect();
        runs.sort_by_key(|f| f.p95);
        let f = runs.swap_remove(RUNS / 2);
        let name = format!(
            "Sayso view, {} KB, {} spans",
            doc.text.as_str().len() / 1024,
            doc.spans.len()
        );
        println!(
            "{name:<38} {} {} {} {:>8}    {}",
            ms(f.median),
            ms(f.p95),
            ms(f.first),
            f.vertices_per_frame,
            f.p95_cached.map(ms).unwrap_or_default()
        );
        if kb == 10 {
            ten_kb_p95 = f.p95;
        }
        if kb == 1024 {
            println!(
                "{:<38} p95 ratio 1 MB / 10 KB = {:.2}",
                "",
                f.p95.as_secs_f64() / ten_kb_p95.as_secs_f64().max(1e-9)
            );
            one_mb_text = doc.text.as_str().to_owned();
        }
    }
    let middle = |text_edit: bool| {
        let mut runs: Vec<Figures> = (0..RUNS)
            .map(|_| bench_egui(&one_mb_text, text_edit))
            .collect();
        runs.sort_by_key(|f| f.p95);
        runs.swap_remove(RUNS / 2)
    };
    let label = middle(false);
    println!(
        "{:<38} {} {} {} {:>8}",
        "egui Label, 1 MB, no spans",
        ms(label.median),
        ms(label.p95),
        ms(label.first),
        label.vertices_per_frame
    );
    let edit = middle(true);
    println!(
        "{:<38} {} {} {} {:>8}",
        "egui TextEdit (read-only), 1 MB",
        ms(edit.median),
        ms(edit.p95),
        ms(edit.first),
        edit.vertices_per_frame
    );
}
