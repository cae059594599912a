//! Benchmark of the whole suggestion pass (tokenize, split, match, resolve).
//!
//! `cargo run --release --example bench_rules [-- MB | FILE.jsonl]`: with a
//! JSONL file, measures on its texts (e.g. the PolNeAR texts) instead.
//!
//! Builds a corpus of at least 20 MB from copies and variations of the sample
//! article and our own test articles, writes it to `target/bench_corpus.jsonl`
//! (one `{"id", "text"}` per line, read by `benches/spacy_compare.py`), and
//! prints MB/s on one thread (the corpus pass of `sayso suggest --jsonl`,
//! the explained pass of a project run, and plain `suggest`) and with rayon
//! over documents.
//!
//! `cargo run --release --example bench_rules [-- MB]`

use std::io::Write;
use std::time::Instant;

use rayon::prelude::*;
use sayso::rules::{RuleSet, SuggestScratch, Suggestions};

const SOURCES: &[&str] = &[
    include_str!("../tests/data/dev/putin-gaza.txt"),
    include_str!("../tests/data/own/port-strike.txt"),
    include_str!("../tests/data/own/water-plan.txt"),
    include_str!("../tests/data/own/corridor-talks.txt"),
    include_str!("../tests/data/own/rate-rise.txt"),
];

/// Deterministic variations: paragraphs shuffled and mixed across articles,
/// names swapped, so that the corpus is not one text repeated.
fn corpus(target_bytes: usize) -> Vec<String> {
    let paras: Vec<&str> = SOURCES
        .iter()
        .flat_map(|s| s.split("\n\n"))
        .filter(|p| !p.trim().is_empty())
        .collect();
    let swaps = [
        ("Putin", "Macron"),
        ("Erdogan", "Scholz"),
        ("Peskov", "Attal"),
        ("Brandt", "Novak"),
        ("Osei", "Mensah"),
    ];
    let mut docs = Vec::new();
    let mut total = 0;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    while total < target_bytes {
        let k = 3 + (next() % 8) as usize;
        let mut doc = String::new();
        for _ in 0..k {
            let p = paras[(next() % paras.len() as u64) as usize].trim();
            doc.push_str(p);
            doc.push_str("\n\n");
        }
        if next() % 2 == 0 {
            let (a, b) = swaps[(next() % swaps.len() as u64) as usize];
            doc = doc.replace(a, b);
        }
        total += doc.len();
        docs.push(doc);
    }
    docs
}

/// MB/s of the runs of one pass: per CPU second of the thread and wall.
#[derive(Default)]
struct Pass {
    cpu: Vec<f64>,
    wall: Vec<f64>,
}

impl Pass {
    /// Times `f` (which returns the number of spans) over `bytes` of text.
    fn run(&mut self, bytes: usize, f: impl FnOnce() -> usize) -> usize {
        let c = thread_cpu_ns();
        let t = Instant::now();
        let n = f();
        let wall = bytes as f64 / 1e6 / t.elapsed().as_secs_f64();
        self.wall.push(wall);
        self.cpu.push(match (c, thread_cpu_ns()) {
            (Some(a), Some(b)) if b > a => bytes as f64 / 1e6 / ((b - a) as f64 / 1e9),
            _ => wall,
        });
        n
    }

    fn sorted(v: &[f64]) -> Vec<f64> {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    fn median(&self) -> f64 {
        let v = Self::sorted(&self.cpu);
        v[v.len() / 2]
    }

    fn best(&self) -> f64 {
        Self::sorted(&self.cpu).last().copied().unwrap_or(0.0)
    }

    fn print(&self, what: &str, spans: usize) {
        let w = Self::sorted(&self.wall);
        println!(
            "{what}: {:.1} MB/s per CPU second (median of {}; best {:.1}), {:.1} MB/s wall (median), {spans} spans",
            self.median(),
            self.cpu.len(),
            self.best(),
            w[w.len() / 2]
        );
    }
}

/// CPU time of this thread in ns (Linux `schedstat`), if available.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// The `text` of every line of a JSONL file (a real corpus to measure on,
/// e.g. the PolNeAR texts, instead of the generated one).
fn texts_of(path: &str) -> Vec<String> {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    src.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn main() {
    let arg = std::env::args().nth(1);
    let docs = match arg.as_deref() {
        Some(p) if std::path::Path::new(p).is_file() => {
            println!("corpus read from {p}");
            texts_of(p)
        }
        _ => {
            let mb: usize = arg.and_then(|a| a.parse().ok()).unwrap_or(20);
            let docs = corpus(mb * 1_000_000);
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench_corpus.jsonl");
            if let Ok(f) = std::fs::File::create(path) {
                let mut w = std::io::BufWriter::new(f);
                for (i, d) in docs.iter().enumerate() {
                    let line = serde_json::json!({"id": format!("d{i}"), "text": d});
                    let _ = writeln!(w, "{line}");
                }
                println!("corpus written to {path}");
            }
            docs
        }
    };
    let bytes: usize = docs.iter().map(String::len).sum();
    let rules = RuleSet::default_en_news();
    println!(
        "corpus: {} documents, {:.1} MB",
        docs.len(),
        bytes as f64 / 1e6
    );

    // Two one-thread passes, run alternately so that drift in the machine's
    // load hits both alike, each `suggest_into` with buffers and output
    // reused from one document to the next:
    // - corpus: what `sayso suggest --jsonl` runs (no explanation text: the
    //   JSONL output has no place for it);
    // - explained: what a project run does (every suggestion explained).
    // Figures are per CPU second of the thread (read from schedstat; other
    // jobs on a shared machine skew them much less than wall time), median
    // and best of RUNS; wall time is printed too.
    const RUNS: usize = 7;
    let mut corpus = Pass::default();
    let mut explained = Pass::default();
    let mut spans = 0usize;
    let (mut sc_corpus, mut sc_explained) = (
        SuggestScratch::without_explanations(),
        SuggestScratch::default(),
    );
    let mut out = Suggestions::default();
    for _ in 0..RUNS {
        spans = corpus.run(bytes, || {
            docs.iter()
                .map(|d| {
                    rules.suggest_into(d, &mut sc_corpus, &mut out);
                    out.spans.len()
                })
                .sum()
        });
        let n = explained.run(bytes, || {
            docs.iter()
                .map(|d| {
                    rules.suggest_into(d, &mut sc_explained, &mut out);
                    out.spans.len()
                })
                .sum()
        });
        assert_eq!(n, spans);
    }
    corpus.print("one thread, corpus pass (as `suggest --jsonl`)", spans);
    explained.print("one thread, explained pass (as a project run)", spans);

    let mut plain = Pass::default();
    for _ in 0..3 {
        let n = plain.run(bytes, || {
            docs.iter().map(|d| rules.suggest(d).spans.len()).sum()
        });
        assert_eq!(n, spans);
    }
    plain.print(
        "one thread, `suggest` (fresh output and buffers per document)",
        spans,
    );

    let mut all = Vec::new();
    let mut spans_par = 0usize;
    for _ in 0..RUNS {
        let t = Instant::now();
        spans_par = docs
            .par_iter()
            .map_init(
                || {
                    (
                        SuggestScratch::without_explanations(),
                        Suggestions::default(),
                    )
                },
                |(sc, out), d| {
                    rules.suggest_into(d, sc, out);
                    out.spans.len()
                },
            )
            .sum();
        all.push(bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    all.sort_by(f64::total_cmp);
    println!(
        "rayon ({} threads), corpus pass: {:.1} MB/s wall (median of {RUNS}; best {:.1}), {spans_par} spans",
        rayon::current_num_threads(),
        all[RUNS / 2],
        all[RUNS - 1]
    );
    // Measured with benches/spacy_compare.py on the same corpus (one core).
    const SPACY_MBS: f64 = 1.19;
    println!(
        "spaCy reference (benches/spacy_compare.py, one core): {SPACY_MBS} MB/s; \
         the corpus pass is {:.0}x that (median), {:.0}x (best); the explained pass {:.0}x (median)",
        corpus.median() / SPACY_MBS,
        corpus.best() / SPACY_MBS,
        explained.median() / SPACY_MBS
    );

    // Where the time goes: tokenizing alone.
    let t = Instant::now();
    let mut toks = 0usize;
    for d in &docs {
        toks += sayso::rules::tokenize(d).len();
    }
    let tk = t.elapsed().as_secs_f64();
    println!(
        "tokenize only: {:.1} MB/s ({toks} tokens)",
        bytes as f64 / 1e6 / tk
    );
}
