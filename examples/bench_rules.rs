//! Benchmark of the whole suggestion pass (tokenize, split, match, resolve).
//!
//! Builds a corpus of at least 20 MB from copies and variations of the sample
//! article and our own test articles, writes it to `target/bench_corpus.jsonl`
//! (one `{"id", "text"}` per line, read by `benches/spacy_compare.py`), and
//! prints MB/s on one thread and with rayon over documents.
//!
//! `cargo run --release --example bench_rules [-- MB]`

use std::io::Write;
use std::time::Instant;

use rayon::prelude::*;
use sayso::rules::RuleSet;

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

    let t = Instant::now();
    let mut spans = 0usize;
    for d in &docs {
        spans += rules.suggest(d).spans.len();
    }
    let one = t.elapsed().as_secs_f64();
    println!(
        "one thread: {:.2} s, {:.1} MB/s, {spans} spans",
        one,
        bytes as f64 / 1e6 / one
    );

    let t = Instant::now();
    let spans_par: usize = docs.par_iter().map(|d| rules.suggest(d).spans.len()).sum();
    let all = t.elapsed().as_secs_f64();
    println!(
        "rayon ({} threads): {:.2} s, {:.1} MB/s, {spans_par} spans",
        rayon::current_num_threads(),
        all,
        bytes as f64 / 1e6 / all
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
