//! Profiling helper: phase timings of the suggestion pass over the sample.
use sayso::rules::matcher::{Scratch, find_all};
use sayso::rules::{RuleSet, analyse};
use std::time::Instant;
fn main() {
    let text = include_str!("../tests/data/dev/putin-gaza.txt");
    let rules = RuleSet::default_en_news();
    let eng = rules.engine();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mb = (text.len() * n) as f64 / 1e6;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(analyse(text, eng));
    }
    println!("doc {:.1} MB/s", mb / t.elapsed().as_secs_f64());
    let doc = analyse(text, eng);
    let mut sc = Scratch::default();
    let t = Instant::now();
    for _ in 0..n {
        for r in &eng.rules {
            std::hint::black_box(find_all(&doc, eng, r, &mut sc));
        }
    }
    println!("match {:.1} MB/s", mb / t.elapsed().as_secs_f64());
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(rules.suggest(text));
    }
    println!("suggest {:.1} MB/s", mb / t.elapsed().as_secs_f64());
}
