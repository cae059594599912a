//! `sayso suggest --jsonl IN OUT`: streams native JSONL records through the
//! rules, one line out per good line in, memory flat on any input length. Bad
//! lines are reported with file and line number as they come (to a callback),
//! skipped and counted; the first [`MAX_KEPT_BAD_LINES`] are also kept in the
//! summary, so that millions of bad lines do not fill the memory.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::lexicon::FxHasher;
use std::io::{BufRead, Write};

use rayon::prelude::*;

use super::{RuleError, RuleSet, SuggestScratch, Suggestions};
use crate::io::record::{Record, RecordRelation, RecordSpan};

/// A line that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// How many bad lines a [`JsonlSummary`] keeps; the others are counted.
pub const MAX_KEPT_BAD_LINES: usize = 1_000;

/// What a streaming run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonlSummary {
    pub lines_read: usize,
    pub records_written: usize,
    pub blank_lines: usize,
    pub spans_suggested: usize,
    pub relations_suggested: usize,
    /// The first [`MAX_KEPT_BAD_LINES`] bad lines.
    pub bad_lines: Vec<BadLine>,
    /// All bad lines, kept or not.
    pub bad_count: usize,
}

impl JsonlSummary {
    /// Bad lines that were counted (and reported) but not kept.
    pub fn bad_lines_not_kept(&self) -> usize {
        self.bad_count - self.bad_lines.len()
    }
}

fn io_err(file: &str, error: std::io::Error) -> RuleError {
    RuleError::Io {
        file: file.to_string(),
        error,
    }
}

/// Adds suggestions to a record. Spans already in the record with any status
/// other than `suggested` stay; old `suggested` spans are replaced; a
/// suggestion with the same label and offsets as a kept span is not added
/// (accepted ones are not duplicated, rejected ones not suggested again);
/// relations to such a speaker go to the kept span.
pub fn suggest_record(rules: &RuleSet, rec: Record) -> (Record, usize, usize) {
    thread_local! {
        // Buffers and the last output of this thread, reused record after
        // record. JSONL spans have no explanation field: none is made.
        static BUFS: RefCell<(SuggestScratch, Suggestions)> =
            RefCell::new((SuggestScratch::without_explanations(), Suggestions::default()));
    }
    BUFS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => {
            let (sc, sugg) = &mut *b;
            rules.suggest_into(&rec.text, sc, sugg);
            merge(rec, sugg)
        }
        Err(_) => {
            let mut sugg = Suggestions::default();
            rules.suggest_into(
                &rec.text,
                &mut SuggestScratch::without_explanations(),
                &mut sugg,
            );
            merge(rec, &sugg)
        }
    })
}

/// Code point → byte offset.
type Offsets = HashMap<usize, usize, BuildHasherDefault<FxHasher>>;
/// Sets and maps of the merge: a record's ids and spans come from one local
/// file, so the fast hash (with its finalizer) is enough.
type FxSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;
type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Byte offsets of the code points `cps` in `text`, found in one pass over
/// the text; memory is proportional to the number of offsets asked for, not
/// to the text.
fn byte_offsets(text: &str, cps: impl IntoIterator<Item = usize>) -> Offsets {
    let mut wanted: Vec<usize> = cps.into_iter().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = Offsets::with_capacity_and_hasher(wanted.len(), Default::default());
    let mut want = wanted.into_iter().peekable();
    for (cp, (byte, _)) in text.char_indices().enumerate() {
        while let Some(w) = want.next_if(|&w| w <= cp) {
            out.insert(w, byte);
        }
        if want.peek().is_none() {
            break;
        }
    }
    // Offsets at or past the end of the text.
    for w in want {
        out.insert(w, text.len());
    }
    out
}

/// Merges the suggestions for a record's text into the record, as
/// [`suggest_record`] does (returns it with the numbers of spans and
/// relations added). Linear in the spans, suggestions
/// and relations (hash lookups, one pass over the text for offsets), so
/// that one long document costs time and memory in proportion to it.
pub fn merge(mut rec: Record, sugg: &Suggestions) -> (Record, usize, usize) {
    let old_suggested: FxSet<String> = rec
        .spans
        .iter()
        .filter(|s| s.status.as_deref() == Some("suggested"))
        .map(|s| s.id.clone())
        .collect();
    if !old_suggested.is_empty() {
        rec.spans.retain(|s| !old_suggested.contains(&s.id));
        rec.relations
            .retain(|r| !old_suggested.contains(&r.from) && !old_suggested.contains(&r.to));
    }
    let mut used: FxSet<String> = rec.spans.iter().map(|s| s.id.clone()).collect();
    // The first kept span of each label and offsets: its id, and whether it
    // was rejected.
    let mut kept: FxMap<(&str, usize, usize), (&str, bool)> = FxMap::default();
    for x in &rec.spans {
        kept.entry((x.label.as_str(), x.start, x.end))
            .or_insert((x.id.as_str(), x.status.as_deref() == Some("rejected")));
    }
    let fresh = |s: &&super::Suggestion| !kept.contains_key(&(s.label.as_str(), s.start, s.end));
    let bytes = byte_offsets(
        &rec.text,
        sugg.spans
            .iter()
            .filter(fresh)
            .flat_map(|s| [s.start, s.end]),
    );
    let byte = |cp: usize| bytes.get(&cp).copied().unwrap_or(rec.text.len());
    let mut ids: Vec<Option<String>> = Vec::with_capacity(sugg.spans.len());
    let mut next = 1usize;
    let (mut n_spans, mut n_rels) = (0, 0);
    let mut new_spans = Vec::new();
    for s in &sugg.spans {
        if let Some(&(id, rejected)) = kept.get(&(s.label.as_str(), s.start, s.end)) {
            ids.push((!rejected).then(|| id.to_string()));
            continue;
        }
        let id = loop {
            let c = format!("s{next}");
            next += 1;
            if used.insert(c.clone()) {
                break c;
            }
        };
        let text = rec
            .text
            .get(byte(s.start)..byte(s.end))
            .unwrap_or("")
            .to_string();
        new_spans.push(RecordSpan {
            id: id.clone(),
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            text,
            attrs: s.attrs.clone(),
            status: Some("suggested".into()),
            origin: Some(format!("rule:{}", s.rule_id)),
            confidence: Some((s.confidence as f64 * 1000.0).round() / 1000.0),
            ..RecordSpan::default()
        });
        n_spans += 1;
        ids.push(Some(id));
    }
    drop(kept);
    rec.spans.extend(new_spans);
    // `used` now holds the id of every span of the record.
    let mut links: FxSet<(String, String, String)> = rec
        .relations
        .iter()
        .map(|r| (r.kind.clone(), r.from.clone(), r.to.clone()))
        .collect();
    for r in &sugg.relations {
        if let (Some(Some(from)), Some(Some(to))) = (ids.get(r.from), ids.get(r.to))
            && used.contains(from)
            && links.insert((r.kind.clone(), from.clone(), to.clone()))
        {
            rec.relations.push(RecordRelation {
                kind: r.kind.clone(),
                from: from.clone(),
                to: to.clone(),
            });
            n_rels += 1;
        }
    }
    (rec, n_spans, n_rels)
}

enum LineOut {
    Blank,
    Bad(String),
    Good(String, usize, usize),
}

fn process_line(rules: &RuleSet, line: &str) -> LineOut {
    let t = line.trim();
    if t.is_empty() {
        return LineOut::Blank;
    }
    match serde_json::from_str::<Record>(t) {
        Err(e) => LineOut::Bad(format!("not a JSON record with a `text` field: {e}")),
        Ok(rec) => {
            let (rec, a, b) = suggest_record(rules, rec);
            match serde_json::to_string(&rec) {
                Ok(s) => LineOut::Good(s, a, b),
                Err(e) => LineOut::Bad(format!("cannot write the record: {e}")),
            }
        }
    }
}

/// Called with each bad line as it is found.
pub type OnBadLine<'a> = &'a mut dyn FnMut(&BadLine);

fn account(
    out: &mut impl Write,
    file: &str,
    s: &mut JsonlSummary,
    line_no: usize,
    r: LineOut,
    on_bad: OnBadLine,
) -> Result<(), RuleError> {
    match r {
        LineOut::Blank => s.blank_lines += 1,
        LineOut::Bad(message) => {
            let bad = BadLine {
                file: file.to_string(),
                line: line_no,
                message,
            };
            on_bad(&bad);
            s.bad_count += 1;
            if s.bad_lines.len() < MAX_KEPT_BAD_LINES {
                s.bad_lines.push(bad);
            }
        }
        LineOut::Good(text, a, b) => {
            out.write_all(text.as_bytes())
                .map_err(|e| io_err("<output>", e))?;
            out.write_all(b"\n").map_err(|e| io_err("<output>", e))?;
            s.records_written += 1;
            s.spans_suggested += a;
            s.relations_suggested += b;
        }
    }
    Ok(())
}

fn read_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    file: &str,
) -> Result<Option<String>, RuleError> {
    buf.clear();
    let n = input.read_until(b'\n', buf).map_err(|e| io_err(file, e))?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(buf).into_owned()))
}

/// Streams records from `input` to `output`, one at a time.
pub fn suggest_jsonl(
    rules: &RuleSet,
    input: impl BufRead,
    output: impl Write,
    file_name: &str,
) -> Result<JsonlSummary, RuleError> {
    suggest_jsonl_reporting(rules, input, output, file_name, &mut |_| {})
}

/// Like [`suggest_jsonl`], calling `on_bad` with each bad line as it comes.
pub fn suggest_jsonl_reporting(
    rules: &RuleSet,
    mut input: impl BufRead,
    mut output: impl Write,
    file_name: &str,
    on_bad: OnBadLine,
) -> Result<JsonlSummary, RuleError> {
    let mut s = JsonlSummary::default();
    let mut buf = Vec::new();
    while let Some(line) = read_line(&mut input, &mut buf, file_name)? {
        s.lines_read += 1;
        let line_no = s.lines_read;
        let r = if std::str::from_utf8(&buf).is_err() {
            LineOut::Bad("the line is not valid UTF-8".into())
        } else {
            process_line(rules, &line)
        };
        account(&mut output, file_name, &mut s, line_no, r, on_bad)?;
    }
    output.flush().map_err(|e| io_err("<output>", e))?;
    Ok(s)
}

/// Like [`suggest_jsonl`], with batches of `batch` lines processed on all
/// cores; output order is the input order; memory is bounded by the batch.
pub fn suggest_jsonl_parallel(
    rules: &RuleSet,
    input: impl BufRead,
    output: impl Write,
    file_name: &str,
    batch: usize,
) -> Result<JsonlSummary, RuleError> {
    suggest_jsonl_parallel_reporting(rules, input, output, file_name, batch, &mut |_| {})
}

/// Like [`suggest_jsonl_parallel`], calling `on_bad` with each bad line as
/// it comes (in input order).
pub fn suggest_jsonl_parallel_reporting(
    rules: &RuleSet,
    mut input: impl BufRead,
    mut output: impl Write,
    file_name: &str,
    batch: usize,
    on_bad: OnBadLine,
) -> Result<JsonlSummary, RuleError> {
    let batch = batch.max(1);
    let mut s = JsonlSummary::default();
    let mut buf = Vec::new();
    loop {
        let mut lines = Vec::with_capacity(batch);
        while lines.len() < batch {
            match read_line(&mut input, &mut buf, file_name)? {
                Some(l) => {
                    let valid = std::str::from_utf8(&buf).is_ok();
                    lines.push((l, valid));
                }
                None => break,
            }
        }
        if lines.is_empty() {
            break;
        }
        let results: Vec<LineOut> = lines
            .par_iter()
            .map(|(l, valid)| {
                if *valid {
                    process_line(rules, l)
                } else {
                    LineOut::Bad("the line is not valid UTF-8".into())
                }
            })
            .collect();
        for r in results {
            s.lines_read += 1;
            let line_no = s.lines_read;
            account(&mut output, file_name, &mut s, line_no, r, &mut *on_bad)?;
        }
    }
    output.flush().map_err(|e| io_err("<output>", e))?;
    Ok(s)
}
