//! Measures one long document through `sayso suggest --jsonl` (the rules
//! and the merge of their suggestions into the record): a single JSONL
//! line of 1, 4 and 20 MB made of varied news sentences, streamed into
//! nothing. Prints the stream's time and peak memory, and the times of the
//! rules alone (as a project run makes them: with explanations) and of the
//! merge of their suggestions into the record alone (written as the stream
//! writes it). The total also reads and writes the JSON.
//!
//! The peak is the process's peak resident memory during the stream (Linux:
//! reset before it through `/proc/self/clear_refs`), which includes the
//! input line and the text this program holds (about twice the document);
//! "above" is what the stream added to the memory in use before it.
//!
//! Run: `cargo run --release --no-default-features --example bench_long_doc [MB...]`

use std::io::Cursor;
use std::time::Instant;

use sayso::io::record::Record;
use sayso::rules::jsonl::write_merged;
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

/// A field of `/proc/self/status` in MB (Linux), if known.
fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Sets the peak resident memory back to the current (Linux); false if it cannot.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
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
    println!("  MB    total    rules alone    merge alone    suggestions    peak memory (above)");
    for mb in sizes {
        let text = document(mb << 20);
        let line = format!("{}\n", serde_json::json!({"id": "long", "text": text}));
        // The stream, with the peak memory reset before it.
        let resets = reset_peak();
        let before = status_mb("VmRSS:");
        let t = Instant::now();
        let summary = suggest_jsonl(&rules, Cursor::new(line), std::io::sink(), "long.jsonl")
            .unwrap_or_else(|e| panic!("{e}"));
        let time = t.elapsed().as_secs_f64();
        let peak = status_mb("VmHWM:");
        assert_eq!(summary.records_written, 1, "{:?}", summary.bad_lines);
        // The rules alone, then the merge of their suggestions alone.
        let t = Instant::now();
        let sugg = rules.suggest(&text);
        let rules_time = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (alone, _) = write_merged(
            Record {
                text,
                ..Record::default()
            },
            &sugg,
            std::io::sink(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let merge_time = t.elapsed().as_secs_f64();
        drop(sugg);
        assert_eq!(summary.spans_suggested, alone);
        let memory = match (peak, before) {
            (Some(p), Some(b)) if resets => format!("{p:.0} MB ({:.0} MB)", p - b),
            (Some(p), _) => format!("{p:.0} MB (peak of the process so far)"),
            _ => "?".into(),
        };
        println!(
            "{mb:>4} {time:>7.2} s {rules_time:>10.2} s {merge_time:>10.2} s {:>14}    {memory}",
            summary.spans_suggested,
        );
    }
}
