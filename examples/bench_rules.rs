//! Benchmark of the whole suggestion pass (tokenize, split, match, resolve).
//!
//! Builds a corpus of at least 20 MB from copies and variations of the sample
//! article and our own test articles, writes it to `target/bench_corpus.jsonl`
//! (one `{"id", "text"}` per line, read by `benches/spacy_compare.py`), and
//! prints MB/s on one thread (wall and per CPU second of the thread, with
//! reused buffers through `suggest_into`, and through plain `suggest`) and
//! with rayon over documents.
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

/// CPU time of this thread in ns (Linux `schedstat`), if available.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let docs = corpus(mb * 1_000_000);
    let bytes: usize = docs.iter().map(String::len).sum();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench_corpus.jsonl");
    if let Ok(f) = std::fs::File::create(path) {
        let mut w = std::io::BufWriter::new(f);
        for (i, d) in docs.iter().enumerate() {
            let line = serde_json::json!({"id": format!("d{i}"), "text": d});
            let _ = writeln!(w, "{line}");
        }
        println!("corpus written to {path}");
    }
    let rules = RuleSet::default_en_news();
    println!(
        "corpus: {} documents, {:.1} MB",
        docs.len(),
        bytes as f64 / 1e6
    );

    // Median of several runs: other work on the machine skews single runs.
    // The pass is `suggest_into` with buffers and output reused from one
    // document to the next (what `suggest_jsonl` does); `suggest`, which
    // returns a fresh `Suggestions` each time, is measured after it.
    const RUNS: usize = 5;
    let mut one = Vec::new();
    let mut cpu = Vec::new();
    let mut spans = 0usize;
    let mut scratch = SuggestScratch::default();
    let mut out = Suggestions::default();
    for _ in 0..RUNS {
        let c = thread_cpu_ns();
        let t = Instant::now();
        spans = 0;
        for d in &docs {
            rules.suggest_into(d, &mut scratch, &mut out);
            spans += out.spans.len();
        }
        one.push(bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, thread_cpu_ns()) {
            cpu.push(bytes as f64 / 1e6 / ((b - a) as f64 / 1e9));
        }
    }
    one.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let one_mbs = one[RUNS / 2];
    println!(
        "one thread (suggest_into): {one_mbs:.1} MB/s wall (median of {RUNS}; min {:.1}, max {:.1}), {spans} spans",
        one[0],
        one[RUNS - 1]
    );
    let cpu_mbs = cpu.get(cpu.len() / 2).copied();
    if let Some(c) = cpu_mbs {
        println!(
            "one thread (suggest_into) per CPU second of the thread: {c:.1} MB/s (median; min {:.1}, max {:.1})",
            cpu[0],
            cpu[cpu.len() - 1]
        );
    }
    let mut plain = Vec::new();
    for _ in 0..3 {
        let c = thread_cpu_ns();
        let t = Instant::now();
        let mut n = 0usize;
        for d in &docs {
            n += rules.suggest(d).spans.len();
        }
        assert_eq!(n, spans);
        let wall = bytes as f64 / 1e6 / t.elapsed().as_secs_f64();
        let per_cpu = match (c, thread_cpu_ns()) {
            (Some(a), Some(b)) => bytes as f64 / 1e6 / ((b - a) as f64 / 1e9),
            _ => wall,
        };
        plain.push((per_cpu, wall));
    }
    plain.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!(
        "one thread (suggest, fresh output per document): {:.1} MB/s wall, {:.1} MB/s per CPU second (median of 3)",
        plain[1].1, plain[1].0
    );

    let mut all = Vec::new();
    let mut spans_par = 0usize;
    for _ in 0..RUNS {
        let t = Instant::now();
        spans_par = docs
            .par_iter()
            .map_init(
                || (SuggestScratch::default(), Suggestions::default()),
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
        "rayon ({} threads): {:.1} MB/s wall (median of {RUNS}), {spans_par} spans",
        rayon::current_num_threads(),
        all[RUNS / 2]
    );
    // Measured with benches/spacy_compare.py on the same corpus (one core).
    const SPACY_MBS: f64 = 1.19;
    println!(
        "spaCy reference (benches/spacy_compare.py, one core): {SPACY_MBS} MB/s; one thread here is {:.0}x that (wall), {:.0}x per CPU second",
        one_mbs / SPACY_MBS,
        cpu_mbs.unwrap_or(one_mbs) / SPACY_MBS
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
