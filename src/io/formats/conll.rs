//! CoNLL-2003-style columns: one token per line, a blank line between
//! sentences, and the CoNLL-2003 separator `-DOCSTART- -X- O O` before each
//! document (the line `spacy convert` splits documents on).
//!
//! The main file has IOB2 tags in one column per label (spans of different
//! labels overlap, so one column could not hold them):
//! `TOKEN<TAB>Speaker<TAB>Claim<TAB>Stance`. With `--per-label`, each label
//! also gets a file of its own beside it (`OUT.Speaker.conll`, …) in the
//! four-column CoNLL-2003 layout `TOKEN -X- O TAG` that `spacy convert` and
//! Hugging Face loaders read (they take the last column as the tags).
//!
//! A token is tagged when it shares a character with a span. What CoNLL
//! cannot hold is taken out before writing by [`fit`], so that the export
//! summary counts each span once: a span nested in or overlapping a span of
//! the same label (one tag per token and label), and a span that covers no
//! token. A sentence never ends inside a span: sentences that a span
//! crosses are written as one, and [`write`] counts the breaks so dropped.
//! Tokens and sentences are the rule engine's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::io::record::Record;
use crate::rules::{default_sentences, tokenize};

/// The document separator of CoNLL-2003, as `spacy convert` expects it.
pub const DOCSTART: &str = "-DOCSTART- -X- O O";

/// How the tag columns are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `TOKEN<TAB>TAG<TAB>TAG…`, one column per label.
    Columns,
    /// `TOKEN -X- O TAG`: CoNLL-2003's four columns, for one label.
    Conll2003,
}

/// The token ranges (code points) of a text.
fn token_ranges(text: &str) -> Vec<Range<usize>> {
    tokenize(text).iter().map(|t| t.start..t.end).collect()
}

/// The tokens `first..last` (exclusive) that share a character with
/// `start..end`; empty when none do.
fn covered(tokens: &[Range<usize>], start: usize, end: usize) -> Range<usize> {
    let first = tokens.partition_point(|t| t.end <= start);
    let last = tokens.partition_point(|t| t.start < end);
    first..last.max(first)
}

/// What [`fit`] took out.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Fitted {
    pub records: Vec<Record>,
    /// Spans nested in or overlapping a span of the same label, per label.
    pub nested: BTreeMap<String, usize>,
    /// Spans that cover no token (whitespace only).
    pub no_token: usize,
    /// Spans whose label is not among the written labels.
    pub other_label: usize,
}

/// The records with only the spans that CoNLL can tag: per label, spans
/// are taken longest first at each start, and one that shares a token with
/// a span already taken is left out. Relations are kept (the caller decides
/// what to say about them).
pub fn fit(records: &[Record], labels: &[String]) -> Fitted {
    let mut out = Fitted::default();
    for r in records {
        let tokens = token_ranges(&r.text);
        let mut r = r.clone();
        let mut order: Vec<usize> = (0..r.spans.len()).collect();
        order.sort_by_key(|&k| (r.spans[k].start, std::cmp::Reverse(r.spans[k].end)));
        let mut taken: BTreeMap<&str, Vec<bool>> = BTreeMap::new();
        let mut keep = vec![false; r.spans.len()];
        for k in order {
            let s = &r.spans[k];
            if !labels.contains(&s.label) {
                out.other_label += 1;
                continue;
            }
            let range = covered(&tokens, s.start, s.end);
            if range.is_empty() {
                out.no_token += 1;
                continue;
            }
            let used = taken
                .entry(s.label.as_str())
                .or_insert_with(|| vec![false; tokens.len()]);
            if used[range.clone()].iter().any(|&u| u) {
                *out.nested.entry(s.label.clone()).or_default() += 1;
                continue;
            }
            used[range].iter_mut().for_each(|u| *u = true);
            keep[k] = true;
        }
        let mut k = 0;
        r.spans.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        let ids: BTreeSet<&str> = r.spans.iter().map(|s| s.id.as_str()).collect();
        let relations = r
            .relations
            .iter()
            .filter(|rel| ids.contains(rel.from.as_str()) && ids.contains(rel.to.as_str()))
            .cloned()
            .collect();
        r.relations = relations;
        out.records.push(r);
    }
    out
}

/// Writes the records in the [`Layout::Columns`] layout, one column per
/// label; returns notes (sentence breaks dropped inside spans).
pub fn write(
    records: &[Record],
    labels: &[String],
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<Vec<String>> {
    let joined = write_layout(records, labels, Layout::Columns, out, progress)?;
    Ok(joined_note(joined).into_iter().collect())
}

/// The note for sentence breaks dropped inside spans, if any.
pub fn joined_note(joined: usize) -> Option<String> {
    (joined > 0).then(|| {
        format!(
            "{joined} sentence break(s) fell inside a span and were dropped: the sentences around each are written as one, so that no sentence ends inside a span"
        )
    })
}

/// The token indices before which a sentence starts (never 0), without
/// those that fall inside a span of `r`; and how many were dropped so.
fn sentence_breaks(r: &Record, tokens: &[Range<usize>]) -> (BTreeSet<usize>, usize) {
    let mut breaks: BTreeSet<usize> = default_sentences(&r.text)
        .iter()
        .map(|s| tokens.partition_point(|t| t.start < s.end))
        .filter(|&b| b > 0 && b < tokens.len())
        .collect();
    let before = breaks.len();
    for s in &r.spans {
        let range = covered(tokens, s.start, s.end);
        if range.len() > 1 {
            let inside: Vec<usize> = breaks.range(range.start + 1..range.end).copied().collect();
            for b in inside {
                breaks.remove(&b);
            }
        }
    }
    let dropped = before - breaks.len();
    (breaks, dropped)
}

/// Writes the records in `layout` with a column per label of `labels`
/// (for [`Layout::Conll2003`], the tags of all of `labels` share its one
/// tag column: give one label). Returns the number of sentence breaks
/// dropped because they fell inside a span.
pub fn write_layout(
    records: &[Record],
    labels: &[String],
    layout: Layout,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<usize> {
    let mut joined = 0;
    for (i, r) in records.iter().enumerate() {
        let chars: Vec<char> = r.text.chars().collect();
        let tokens = token_ranges(&r.text);
        let (breaks, dropped) = sentence_breaks(r, &tokens);
        joined += dropped;
        // tags[column][token]
        let columns = match layout {
            Layout::Columns => labels.len(),
            Layout::Conll2003 => 1,
        };
        let mut tags = vec![vec!["O".to_string(); tokens.len()]; columns];
        let mut spans: Vec<_> = r.spans.iter().collect();
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        for s in spans {
            let Some(li) = labels.iter().position(|l| *l == s.label) else {
                continue;
            };
            let col = if layout == Layout::Columns { li } else { 0 };
            let range = covered(&tokens, s.start, s.end);
            if tags[col][range.clone()].iter().any(|t| t != "O") {
                continue; // `fit` takes these out first
            }
            for (k, tag) in tags[col][range].iter_mut().enumerate() {
                *tag = format!("{}-{}", if k == 0 { 'B' } else { 'I' }, s.label);
            }
        }
        writeln!(out, "{DOCSTART}")?;
        for (t, token) in tokens.iter().enumerate() {
            if t == 0 || breaks.contains(&t) {
                writeln!(out)?;
            }
            let word: String = chars[token.clone()].iter().collect();
            match layout {
                Layout::Columns => {
                    write!(out, "{word}")?;
                    for col in &tags {
                        write!(out, "\t{}", col[t])?;
                    }
                    writeln!(out)?;
                }
                Layout::Conll2003 => writeln!(out, "{word} -X- O {}", tags[0][t])?,
            }
        }
        writeln!(out)?;
        progress(i + 1);
    }
    Ok(joined)
}

/// Where `--per-label` writes a label's file: beside `out`, `data.conll` →
/// `data.Speaker.conll` (characters other than letters, digits, `_` and `-`
/// in the label become `_`).
pub fn per_label_path(out: &Path, label: &str) -> PathBuf {
    let safe: String = label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map_or_else(|| "conll".into(), |e| e.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}.{safe}.{ext}"))
}
