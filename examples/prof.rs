//! Profiling helper: time of the analysis stage and of each rule's matching
//! over a corpus (the sample article repeated, or the texts of a JSONL file),
//! so that a rule author sees what a rule costs.
//!
//! `cargo run --release --example prof [-- FILE.jsonl]`
use sayso::rules::matcher::{Scratch, find_all};
use sayso::rules::{RuleSet, analyse};
use std::time::Instant;

fn main() {
    let texts: Vec<String> = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_string))
            .collect(),
        None => vec![include_str!("../tests/data/dev/putin-gaza.txt").to_string(); 3000],
    };
    let rules = RuleSet::default_en_news();
    let eng = rules.engine();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let t = Instant::now();
    for text in &texts {
        std::hint::black_box(analyse(text, eng));
    }
    println!("analysis {:.1} MB/s", mb / t.elapsed().as_secs_f64());
    let docs: Vec<_> = texts.iter().map(|t| analyse(t, eng)).collect();
    let mut sc = Scratch::default();
    let mut per_rule: Vec<(f64, &str)> = eng
        .rules
        .iter()
        .map(|r| {
            let t = Instant::now();
            for doc in &docs {
                std::hint::black_box(find_all(doc, eng, r, &mut sc));
            }
            (t.elapsed().as_secs_f64(), r.id.as_str())
        })
        .collect();
    let total: f64 = per_rule.iter().map(|r| r.0).sum();
    println!("matching {:.1} MB/s", mb / total);
    per_rule.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (secs, id) in per_rule {
        println!("  {:>6.1} ms  {id}", secs * 1e3);
    }
    let t = Instant::now();
    for text in &texts {
        std::hint::black_box(rules.suggest(text));
    }
    println!("suggest {:.1} MB/s", mb / t.elapsed().as_secs_f64());
}
