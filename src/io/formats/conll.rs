//! CoNLL-2003-style columns: one token per line, a blank line between
//! sentences, `-DOCSTART-` before each document, and IOB2 tags in one
//! column per label (spans of different labels overlap, so one column
//! could not hold them): `TOKEN<TAB>Speaker<TAB>Claim<TAB>Stance`.
//! A token is tagged when it shares a character with a span. Within one
//! label column, a span nested in or overlapping an earlier span of the
//! same label cannot be expressed and is left out (and counted). Tokens
//! and sentences are the rule engine's.

use std::io::Write;

use crate::io::record::Record;
use crate::rules::{default_sentences, tokenize};

pub fn write(
    records: &[Record],
    labels: &[String],
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<Vec<String>> {
    let mut left_out = 0;
    for (i, r) in records.iter().enumerate() {
        let chars: Vec<char> = r.text.chars().collect();
        let tokens: Vec<_> = tokenize(&r.text).iter().map(|t| t.start..t.end).collect();
        let sentences = default_sentences(&r.text);
        // tags[label][token]
        let mut tags = vec![vec!["O".to_string(); tokens.len()]; labels.len()];
        for (li, label) in labels.iter().enumerate() {
            let mut spans: Vec<_> = r.spans.iter().filter(|s| &s.label == label).collect();
            spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
            for s in spans {
                let first = tokens.partition_point(|t| t.end <= s.start);
                let last = tokens.partition_point(|t| t.start < s.end);
                if first >= last {
                    continue;
                }
                if tags[li][first..last].iter().any(|t| t != "O") {
                    left_out += 1;
                    continue;
                }
                for (k, tag) in tags[li][first..last].iter_mut().enumerate() {
                    *tag = format!("{}-{label}", if k == 0 { 'B' } else { 'I' });
                }
            }
        }
        write!(out, "-DOCSTART-")?;
        for _ in labels {
            write!(out, "\tO")?;
        }
        writeln!(out)?;
        let mut t = 0;
        for sentence in &sentences {
            let mut any = false;
            while t < tokens.len() && tokens[t].start < sentence.end {
                if !any {
                    writeln!(out)?;
                    any = true;
                }
                let word: String = chars[tokens[t].clone()].iter().collect();
                write!(out, "{word}")?;
                for col in &tags {
                    write!(out, "\t{}", col[t])?;
                }
                writeln!(out)?;
                t += 1;
            }
        }
        writeln!(out)?;
        progress(i + 1);
    }
    Ok(if left_out > 0 {
        vec![format!(
            "{left_out} span(s) nested in or overlapping a span of the same label (CoNLL has one tag per token and label)"
        )]
    } else {
        vec![]
    })
}
