//! Output check: writes every suggestion (full `Debug`, explanations
//! included) and the `suggest_jsonl` output for the given JSONL files, so
//! that two builds can be compared byte for byte.
//!
//! `cargo run --release --example check_output -- OUT_DIR FILE.jsonl...`

use std::io::{BufRead, BufReader, Write};

use sayso::rules::{RuleSet, suggest_jsonl, suggest_jsonl_parallel};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out_dir, files) = args.split_first().expect("OUT_DIR FILE...");
    let rules = RuleSet::default_en_news();
    for (k, f) in files.iter().enumerate() {
        let data = std::fs::read(f).expect("read");
        let out = std::fs::File::create(format!("{out_dir}/{k}.jsonl")).expect("create");
        let sum = suggest_jsonl(&rules, &data[..], std::io::BufWriter::new(out), f).expect("run");
        let out = std::fs::File::create(format!("{out_dir}/{k}.par.jsonl")).expect("create");
        let sum2 = suggest_jsonl_parallel(&rules, &data[..], std::io::BufWriter::new(out), f, 64)
            .expect("run");
        assert_eq!(sum, sum2);
        let mut dbg = std::io::BufWriter::new(
            std::fs::File::create(format!("{out_dir}/{k}.debug")).expect("create"),
        );
        let mut sc = sayso::rules::SuggestScratch::default();
        let mut out = sayso::rules::Suggestions::default();
        for line in BufReader::new(&data[..]).lines() {
            let line = line.expect("line");
            let v: serde_json::Value = serde_json::from_str(&line).expect("json");
            let text = v["text"].as_str().unwrap_or("");
            let plain = rules.suggest(text);
            rules.suggest_into(text, &mut sc, &mut out);
            assert_eq!(plain, out, "suggest_into differs from suggest");
            writeln!(dbg, "{plain:?}").expect("write");
        }
        println!("{f}: {sum:?}");
    }
}
