//! Instruction-count helper: one `suggest_into` pass over the first N
//! documents (default 1,500) of `target/bench_corpus.jsonl` (or of another
//! JSONL file given as an argument ending in `.jsonl`), the corpus pass
//! (no explanations) or with `--explained` the explained pass, with the
//! default rules or `--rules FILE`, for
//! `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='sayso::rules::RuleSet::suggest_into'`.
use std::io::BufRead;

use sayso::rules::{RuleSet, SuggestScratch, Suggestions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1500);
    let explained = args.iter().any(|a| a == "--explained");
    let path = args.iter().find(|a| a.ends_with(".jsonl")).map_or(
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench_corpus.jsonl"),
        |a| a.as_str(),
    );
    let f = std::io::BufReader::new(std::fs::File::open(path).expect("run bench_rules first"));
    let docs: Vec<String> = f
        .lines()
        .take(n)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l.expect("line")).expect("json");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    // `--rules FILE`: another rule file (to compare the cost of rules).
    let rules = match args.iter().position(|a| a == "--rules") {
        Some(i) => {
            let path = args.get(i + 1).expect("--rules FILE");
            RuleSet::load(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"))
        }
        None => RuleSet::default_en_news(),
    };
    let mut sc = if explained {
        SuggestScratch::default()
    } else {
        SuggestScratch::without_explanations()
    };
    let mut out = Suggestions::default();
    let mut spans = 0;
    for d in &docs {
        rules.suggest_into(d, &mut sc, &mut out);
        spans += out.spans.len();
    }
    println!("{} docs, {spans} spans", docs.len());
}
