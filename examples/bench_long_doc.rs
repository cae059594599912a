//! Measures one long document through `sayso suggest --jsonl` (the rules
//! and the merge of their suggestions into the record): a single JSONL
//! line of 1, 4 and 20 MB made of varied news sentences, streamed into
//! nothing. Prints the time and the process's peak memory after each size
//! (the peak only grows, so each row shows what its size needed at most),
//! and the times of the rules alone and of the merge of their suggestions
//! into the record alone (the total also reads and writes the JSON).
//!
//! Run: `cargo run --release --example bench_long_doc [MB...]`

use std::io::Cursor;
use std::time::Instant;

use sayso::io::record::Record;
use sayso::rules::jsonl::merge;
use sayso::rules::{RuleSet, suggest_jsonl};

/// Sentences of the kinds the rules look for: quotes with speakers,
/// reported speech, stances, and plain text.
const SENTENCES: [&str; 6] = [
    "“We will rebuild the bridge by spring,” said Mayor Ann Lee on Tuesday.",
    "Critics argued that the plan for district {} was far too costly.",
    "The council voted 7 to 2 in favour of the budget after a long debate.",
    "Minister Paul Okafor condemned the attack on the clinic in ward {}.",
    "According to the report, prices rose by {} percent in the last quarter.",
    "She said the talks would resume next week, but gave no details.",
];

fn document(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 200);
    let mut i = 0usize;
    while text.len() < bytes {
        text.push_str(&SENTENCES[i % SENTENCES.len()].replace("{}", &(i % 97).to_string()));
        text.push(if i % 7 == 6 { '\n' } else { ' ' });
        i += 1;
    }
    text
}

/// The process's peak resident memory in MB (Linux), if known.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let parsed: Result<Vec<usize>, _> = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>())
        .collect();
    let sizes = match parsed {
        Ok(v) if !v.is_empty() => v,
        _ => vec![1, 4, 20],
    };
    let rules = RuleSet::default_en_news();
    println!("  MB    total    rules alone    merge alone    suggestions    peak memory");
    for mb in sizes {
        let text = document(mb << 20);
        // The rules alone, then the merge of their suggestions alone.
        let t = Instant::now();
        let sugg = rules.suggest(&text);
        let rules_time = t.elapsed().as_secs_f64();
        let record = serde_json::json!({"id": "long", "text": text});
        let t = Instant::now();
        let (_, alone, _) = merge(
            Record {
                text,
                ..Record::default()
            },
            &sugg,
        );
        let merge_time = t.elapsed().as_secs_f64();
        drop(sugg);
        let line = format!("{record}\n");
        let t = Instant::now();
        let summary = suggest_jsonl(&rules, Cursor::new(line), std::io::sink(), "long.jsonl")
            .unwrap_or_else(|e| panic!("{e}"));
        let time = t.elapsed().as_secs_f64();
        assert_eq!(summary.records_written, 1, "{:?}", summary.bad_lines);
        assert_eq!(summary.spans_suggested, alone);
        println!(
            "{mb:>4} {time:>7.2} s {rules_time:>10.2} s {merge_time:>10.2} s {:>14}    {}",
            summary.spans_suggested,
            peak_mb().map_or_else(|| "?".into(), |m| format!("{m:.0} MB"))
        );
    }
}
