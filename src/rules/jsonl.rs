//! `sayso suggest --jsonl IN OUT`: streams native JSONL records through the
//! rules, one line out per good line in, memory flat on any input length. Bad
//! lines are reported with file and line number as they come (to a callback),
//! skipped and counted; the first [`MAX_KEPT_BAD_LINES`] are also kept in the
//! summary, so that millions of bad lines do not fill the memory.
//!
//! One long document costs memory in proportion to it: the line is parsed
//! from the buffer it was read into, the suggestions are written into the
//! record's JSON as it is written (no copy of the record with its new
//! spans), and a record of [`LONG_DOCUMENT`] bytes or more goes straight
//! into the output, after which the suggestion pass gives up its buffers.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::Range;

use super::lexicon::FxHasher;
use super::output::packed_attrs;
use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

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

/// Text lengths (bytes) from which a record counts as a long document: the
/// buffers of the suggestion pass are not kept for the next record (a 20 MB
/// document leaves hundreds of MB in them), and the record is written
/// straight into the output rather than into a line in memory first.
pub const LONG_DOCUMENT: usize = 1 << 20;

/// A batch of the parallel stream also ends after this many bytes of input,
/// so that long lines are not held (with their suggestions) many at a time.
const BATCH_BYTES: usize = 16 << 20;

thread_local! {
    // Buffers and the last output of this thread, reused record after
    // record. JSONL spans have no explanation field: none is made, and the
    // attributes are packed (no map per span), as the writer here reads them.
    static BUFS: RefCell<(SuggestScratch, Suggestions)> =
        RefCell::new((SuggestScratch::packed_for_jsonl(), Suggestions::default()));
}

/// Runs the rules over the record's text in this thread's buffers and
/// gives the record and its suggestions to `f`. After a long document (see
/// [`LONG_DOCUMENT`]) the buffers are given up and `f` gets the suggestions
/// to keep.
fn with_suggestions<R>(
    rules: &RuleSet,
    rec: Record,
    f: impl FnOnce(Record, &mut Suggestions) -> R,
) -> R {
    BUFS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => {
            let (sc, sugg) = &mut *b;
            rules.suggest_into(&rec.text, sc, sugg);
            if rec.text.len() >= LONG_DOCUMENT {
                *sc = SuggestScratch::packed_for_jsonl();
                let mut own = std::mem::take(sugg);
                return f(rec, &mut own);
            }
            f(rec, sugg)
        }
        Err(_) => {
            let mut sugg = Suggestions::default();
            rules.suggest_into(
                &rec.text,
                &mut SuggestScratch::packed_for_jsonl(),
                &mut sugg,
            );
            f(rec, &mut sugg)
        }
    })
}

/// Adds suggestions to a record. Spans already in the record with any status
/// other than `suggested` stay; old `suggested` spans are replaced; a
/// suggestion with the same label and offsets as a kept span is not added
/// (accepted ones are not duplicated, rejected ones not suggested again);
/// relations to such a speaker go to the kept span.
pub fn suggest_record(rules: &RuleSet, rec: Record) -> (Record, usize, usize) {
    with_suggestions(rules, rec, |rec, sugg| merge(rec, sugg))
}

/// Sets and maps of the merge: a record's ids and spans come from one local
/// file, so the fast hash (with its finalizer) is enough.
type FxSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;
type FxMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// What became of one suggestion in a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The record's span with this index has its label and offsets.
    Kept(usize),
    /// A rejected span of the record has its label and offsets: dropped.
    Rejected,
    /// A new span, id `s{n}`.
    New(u64),
}

/// A span id as relations compare them: `s` and a number written as
/// `format!("s{n}")` writes it is that number (the ids the merge gives),
/// any other id is its text. Two ids are equal exactly when their texts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum IdKey<'a> {
    Num(u64),
    Text(&'a str),
}

fn id_key(id: &str) -> IdKey<'_> {
    if let Some(d) = id.strip_prefix('s')
        && !d.is_empty()
        && d.bytes().all(|b| b.is_ascii_digit())
        && (d == "0" || !d.starts_with('0'))
        && let Ok(n) = d.parse::<u64>()
    {
        return IdKey::Num(n);
    }
    IdKey::Text(id)
}

/// A new span of a merge: its suggestion, id number and byte range.
#[derive(Debug, Clone)]
struct NewSpan {
    sugg: usize,
    id: u64,
    bytes: Range<usize>,
}

/// A merge of suggestions into a record, without copies of their strings:
/// what becomes of each suggestion, the new spans and the new relations
/// (indices into the suggested relations). The record itself has had its
/// old suggested spans removed by [`plan`].
#[derive(Debug, Default)]
struct Plan {
    slots: Vec<Slot>,
    spans: Vec<NewSpan>,
    relations: Vec<usize>,
}

/// Byte offsets of the code points `cps` in `text`, found in one pass over
/// the text: the sorted code points and their byte offsets (memory in
/// proportion to the offsets asked for, not to the text).
fn byte_offsets(text: &str, cps: impl IntoIterator<Item = usize>) -> (Vec<usize>, Vec<usize>) {
    let mut wanted: Vec<usize> = cps.into_iter().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut bytes = Vec::with_capacity(wanted.len());
    let mut want = wanted.iter().copied().peekable();
    for (cp, (byte, _)) in text.char_indices().enumerate() {
        while want.next_if(|&w| w <= cp).is_some() {
            bytes.push(byte);
        }
        if want.peek().is_none() {
            break;
        }
    }
    // Offsets at or past the end of the text.
    bytes.resize(wanted.len(), text.len());
    (wanted, bytes)
}

/// Plans the merge of `sugg` into `rec` (see [`suggest_record`]): removes
/// the record's old suggested spans and their relations, then decides each
/// suggestion and relation. Linear in the spans, suggestions and relations
/// (hash lookups, one pass over the text for offsets).
fn plan(rec: &mut Record, sugg: &Suggestions) -> Plan {
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
    drop(old_suggested);
    let rec: &Record = rec;
    // Ids `s<n>` the record's spans already have.
    let used: FxSet<u64> = rec
        .spans
        .iter()
        .filter_map(|s| match id_key(&s.id) {
            IdKey::Num(n) => Some(n),
            IdKey::Text(_) => None,
        })
        .collect();
    // The first kept span of each label and offsets: its index, and whether
    // it was rejected.
    let mut kept: FxMap<(&str, usize, usize), (usize, bool)> = FxMap::default();
    for (i, x) in rec.spans.iter().enumerate() {
        kept.entry((x.label.as_str(), x.start, x.end))
            .or_insert((i, x.status.as_deref() == Some("rejected")));
    }
    let mut slots = Vec::with_capacity(sugg.spans.len());
    let mut spans = Vec::new();
    let mut next = 1u64;
    for (k, s) in sugg.spans.iter().enumerate() {
        if let Some(&(i, rejected)) = kept.get(&(s.label.as_str(), s.start, s.end)) {
            slots.push(if rejected {
                Slot::Rejected
            } else {
                Slot::Kept(i)
            });
            continue;
        }
        while used.contains(&next) {
            next += 1;
        }
        slots.push(Slot::New(next));
        spans.push(NewSpan {
            sugg: k,
            id: next,
            bytes: 0..0,
        });
        next += 1;
    }
    drop(kept);
    drop(used);
    let (cps, bytes) = byte_offsets(
        &rec.text,
        spans.iter().flat_map(|n| {
            let s = &sugg.spans[n.sugg];
            [s.start, s.end]
        }),
    );
    let byte = |cp: usize| match cps.binary_search(&cp) {
        Ok(k) => bytes[k],
        Err(_) => rec.text.len(),
    };
    for n in &mut spans {
        let s = &sugg.spans[n.sugg];
        n.bytes = byte(s.start)..byte(s.end);
    }
    drop((cps, bytes));
    let key = |slot: Slot| match slot {
        Slot::Kept(i) => Some(id_key(&rec.spans[i].id)),
        Slot::New(n) => Some(IdKey::Num(n)),
        Slot::Rejected => None,
    };
    let mut links: FxSet<(&str, IdKey, IdKey)> = rec
        .relations
        .iter()
        .map(|r| (r.kind.as_str(), id_key(&r.from), id_key(&r.to)))
        .collect();
    let mut relations = Vec::new();
    for (k, r) in sugg.relations.iter().enumerate() {
        let from = slots.get(r.from).copied().and_then(key);
        let to = slots.get(r.to).copied().and_then(key);
        if let (Some(from), Some(to)) = (from, to)
            && links.insert((r.kind.as_str(), from, to))
        {
            relations.push(k);
        }
    }
    Plan {
        slots,
        spans,
        relations,
    }
}

/// The id a slot of a plan gives a span (`None` for a dropped one).
fn slot_id(rec: &Record, slot: Slot) -> Option<std::borrow::Cow<'_, str>> {
    match slot {
        Slot::Kept(i) => Some(rec.spans[i].id.as_str().into()),
        Slot::New(n) => Some(format!("s{n}").into()),
        Slot::Rejected => None,
    }
}

fn confidence(c: f32) -> f64 {
    (c as f64 * 1000.0).round() / 1000.0
}

/// Merges the suggestions for a record's text into the record, as
/// [`suggest_record`] does (returns it with the numbers of spans and
/// relations added). Linear in the spans, suggestions and relations
/// (hash lookups, one pass over the text for offsets), so that one long
/// document costs time and memory in proportion to it. The stream writes
/// the same record without making it ([`write_merged`]).
pub fn merge(mut rec: Record, sugg: &Suggestions) -> (Record, usize, usize) {
    let p = plan(&mut rec, sugg);
    let mut new_spans = Vec::with_capacity(p.spans.len());
    for n in &p.spans {
        let s = &sugg.spans[n.sugg];
        new_spans.push(RecordSpan {
            id: format!("s{}", n.id),
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            text: rec.text.get(n.bytes.clone()).unwrap_or("").to_string(),
            attrs: if sugg.packed_attrs {
                packed_attrs(&s.explanation)
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            } else {
                s.attrs.clone()
            },
            status: Some("suggested".into()),
            origin: Some(format!("rule:{}", s.rule_id)),
            confidence: Some(confidence(s.confidence)),
            ..RecordSpan::default()
        });
    }
    let mut new_relations = Vec::with_capacity(p.relations.len());
    for &k in &p.relations {
        let r = &sugg.relations[k];
        if let (Some(from), Some(to)) =
            (slot_id(&rec, p.slots[r.from]), slot_id(&rec, p.slots[r.to]))
        {
            new_relations.push(RecordRelation {
                kind: r.kind.clone(),
                from: from.into_owned(),
                to: to.into_owned(),
            });
        }
    }
    let (n_spans, n_rels) = (new_spans.len(), new_relations.len());
    rec.spans.extend(new_spans);
    rec.relations.extend(new_relations);
    (rec, n_spans, n_rels)
}

/// A string written as the concatenation of two parts (an id `s12`, an
/// origin `rule:x`), without putting it together first.
struct Joined<'a, T: std::fmt::Display>(&'a str, T);

impl<T: std::fmt::Display> Serialize for Joined<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}{}", self.0, self.1))
    }
}

/// A new span as [`RecordSpan`] writes it (same fields, same order).
#[derive(Serialize)]
struct NewSpanOut<'a> {
    id: Joined<'a, u64>,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    attrs: AttrsOut<'a>,
    status: &'a str,
    origin: Joined<'a, &'a str>,
    confidence: f64,
}

/// A suggestion's attributes: its map, or packed into its explanation.
enum AttrsOut<'a> {
    Map(&'a BTreeMap<String, String>),
    Packed(&'a str),
}

impl Serialize for AttrsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrsOut::Map(m) => m.serialize(s),
            AttrsOut::Packed(p) => {
                // As a map writes itself: its length first (`{}` when empty).
                let mut map = s.serialize_map(Some(packed_attrs(p).count()))?;
                for (k, v) in packed_attrs(p) {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// An id of a relation's end as a string.
enum IdOut<'a> {
    Text(&'a str),
    Num(u64),
}

impl Serialize for IdOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IdOut::Text(t) => s.serialize_str(t),
            IdOut::Num(n) => Joined("s", n).serialize(s),
        }
    }
}

/// A new relation as [`RecordRelation`] writes it.
#[derive(Serialize)]
struct RelationOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    from: IdOut<'a>,
    to: IdOut<'a>,
}

/// A record with the suggestions of a [`Plan`] merged in, written as
/// `serde_json` writes the [`Record`] that [`merge`] makes, byte for byte.
struct MergedOut<'a> {
    rec: &'a Record,
    sugg: &'a Suggestions,
    plan: &'a Plan,
}

struct SpansOut<'a>(&'a MergedOut<'a>);
struct RelationsOut<'a>(&'a MergedOut<'a>);

impl MergedOut<'_> {
    fn id_out(&self, slot: Slot) -> IdOut<'_> {
        match slot {
            Slot::Kept(i) => IdOut::Text(&self.rec.spans[i].id),
            Slot::New(n) => IdOut::Num(n),
            // Relations of the plan have no dropped end.
            Slot::Rejected => IdOut::Text(""),
        }
    }
}

impl Serialize for SpansOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut seq = s.serialize_seq(Some(m.rec.spans.len() + m.plan.spans.len()))?;
        for x in &m.rec.spans {
            seq.serialize_element(x)?;
        }
        for n in &m.plan.spans {
            let x = &m.sugg.spans[n.sugg];
            seq.serialize_element(&NewSpanOut {
                id: Joined("s", n.id),
                start: x.start,
                end: x.end,
                label: &x.label,
                text: m.rec.text.get(n.bytes.clone()).unwrap_or(""),
                attrs: if m.sugg.packed_attrs {
                    AttrsOut::Packed(&x.explanation)
                } else {
                    AttrsOut::Map(&x.attrs)
                },
                status: "suggested",
                origin: Joined("rule:", &x.rule_id),
                confidence: confidence(x.confidence),
            })?;
        }
        seq.end()
    }
}

impl Serialize for RelationsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut seq = s.serialize_seq(Some(m.rec.relations.len() + m.plan.relations.len()))?;
        for r in &m.rec.relations {
            seq.serialize_element(r)?;
        }
        for &k in &m.plan.relations {
            let r = &m.sugg.relations[k];
            seq.serialize_element(&RelationOut {
                kind: &r.kind,
                from: m.id_out(m.plan.slots[r.from]),
                to: m.id_out(m.plan.slots[r.to]),
            })?;
        }
        seq.end()
    }
}

impl Serialize for MergedOut<'_> {
    /// The fields of [`Record`] in its order, with its rules for leaving
    /// them out, and the unknown fields last (`#[serde(flatten)]`).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rec = self.rec;
        let mut map = s.serialize_map(None)?;
        if let Some(id) = &rec.id {
            map.serialize_entry("id", id)?;
        }
        map.serialize_entry("text", &rec.text)?;
        if !rec.meta.is_empty() {
            map.serialize_entry("meta", &rec.meta)?;
        }
        map.serialize_entry("spans", &SpansOut(self))?;
        map.serialize_entry("relations", &RelationsOut(self))?;
        for (k, v) in &rec.extra {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Writes `rec` with `sugg` merged in as one JSON object (no line break),
/// exactly as `serde_json` writes what [`merge`] returns, without making
/// that record: no copies of span texts, labels and attributes. Returns the
/// numbers of spans and relations added.
pub fn write_merged(
    mut rec: Record,
    sugg: &Suggestions,
    out: impl Write,
) -> Result<(usize, usize), serde_json::Error> {
    let plan = plan(&mut rec, sugg);
    serde_json::to_writer(
        out,
        &MergedOut {
            rec: &rec,
            sugg,
            plan: &plan,
        },
    )?;
    Ok((plan.spans.len(), plan.relations.len()))
}

/// A record with its suggestions, written by the writer of the stream.
struct Long {
    rec: Record,
    sugg: Suggestions,
}

enum LineOut {
    Blank,
    Bad(String),
    Good(Vec<u8>, usize, usize),
    /// A long document, written straight into the output.
    Long(Box<Long>),
}

/// A line as read: its text, or `None` if it is not UTF-8.
type Line = Option<String>;

fn process_line(rules: &RuleSet, line: String) -> LineOut {
    let t = line.trim();
    if t.is_empty() {
        return LineOut::Blank;
    }
    let rec = match serde_json::from_str::<Record>(t) {
        Err(e) => return LineOut::Bad(format!("not a JSON record with a `text` field: {e}")),
        Ok(rec) => rec,
    };
    drop(line);
    with_suggestions(rules, rec, |rec, sugg| {
        if rec.text.len() >= LONG_DOCUMENT {
            return LineOut::Long(Box::new(Long {
                rec,
                sugg: std::mem::take(sugg),
            }));
        }
        let mut buf = Vec::with_capacity(2 * rec.text.len() + 256);
        match write_merged(rec, sugg, &mut buf) {
            Ok((a, b)) => LineOut::Good(buf, a, b),
            Err(e) => LineOut::Bad(format!("cannot write the record: {e}")),
        }
    })
}

fn not_utf8() -> LineOut {
    LineOut::Bad("the line is not valid UTF-8".into())
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
            out.write_all(&text).map_err(|e| io_err("<output>", e))?;
            out.write_all(b"\n").map_err(|e| io_err("<output>", e))?;
            s.records_written += 1;
            s.spans_suggested += a;
            s.relations_suggested += b;
        }
        LineOut::Long(long) => {
            let Long { rec, sugg } = *long;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut *out);
            let (a, b) =
                write_merged(rec, &sugg, &mut w).map_err(|e| io_err("<output>", e.into()))?;
            drop(sugg);
            w.write_all(b"\n").map_err(|e| io_err("<output>", e))?;
            w.flush().map_err(|e| io_err("<output>", e))?;
            s.records_written += 1;
            s.spans_suggested += a;
            s.relations_suggested += b;
        }
    }
    Ok(())
}

/// Reads the next line into `buf`: `None` at the end, else the line (`None`
/// if it is not UTF-8). A long line takes the buffer with it (no copy).
fn read_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    file: &str,
) -> Result<Option<Line>, RuleError> {
    buf.clear();
    let n = input.read_until(b'\n', buf).map_err(|e| io_err(file, e))?;
    if n == 0 {
        return Ok(None);
    }
    if buf.len() >= LONG_DOCUMENT {
        return Ok(Some(String::from_utf8(std::mem::take(buf)).ok()));
    }
    Ok(Some(std::str::from_utf8(buf).ok().map(str::to_owned)))
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
        let r = match line {
            Some(line) => process_line(rules, line),
            None => not_utf8(),
        };
        account(&mut output, file_name, &mut s, line_no, r, on_bad)?;
    }
    output.flush().map_err(|e| io_err("<output>", e))?;
    Ok(s)
}

/// Like [`suggest_jsonl`], with batches of `batch` lines (and at most 16 MB
/// of input, or one line) processed on all cores; output order is the input
/// order; memory is bounded by the batch.
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
        let mut lines: Vec<Line> = Vec::with_capacity(batch.min(1024));
        let mut bytes = 0;
        while lines.len() < batch && bytes < BATCH_BYTES {
            match read_line(&mut input, &mut buf, file_name)? {
                Some(l) => {
                    bytes += l.as_ref().map_or(0, String::len);
                    lines.push(l);
                }
                None => break,
            }
        }
        if lines.is_empty() {
            break;
        }
        let results: Vec<LineOut> = lines
            .into_par_iter()
            .map(|l| match l {
                Some(l) => process_line(rules, l),
                None => not_utf8(),
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

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::rules::Suggestion;

    /// The merge as it was before it was planned and streamed (a record
    /// with copies of everything), kept as the reference.
    fn reference_merge(mut rec: Record, sugg: &Suggestions) -> (Record, usize, usize) {
        let old: HashSet<String> = rec
            .spans
            .iter()
            .filter(|s| s.status.as_deref() == Some("suggested"))
            .map(|s| s.id.clone())
            .collect();
        rec.spans.retain(|s| !old.contains(&s.id));
        rec.relations
            .retain(|r| !old.contains(&r.from) && !old.contains(&r.to));
        let mut used: HashSet<String> = rec.spans.iter().map(|s| s.id.clone()).collect();
        let mut kept: HashMap<(String, usize, usize), (String, bool)> = HashMap::new();
        for x in &rec.spans {
            kept.entry((x.label.clone(), x.start, x.end))
                .or_insert((x.id.clone(), x.status.as_deref() == Some("rejected")));
        }
        let chars: Vec<(usize, char)> = rec.text.char_indices().collect();
        let byte = |cp: usize| chars.get(cp).map_or(rec.text.len(), |c| c.0);
        let mut ids: Vec<Option<String>> = Vec::new();
        let mut next = 1usize;
        let mut new_spans = Vec::new();
        for s in &sugg.spans {
            if let Some((id, rejected)) = kept.get(&(s.label.clone(), s.start, s.end)) {
                ids.push((!rejected).then(|| id.clone()));
                continue;
            }
            let id = loop {
                let c = format!("s{next}");
                next += 1;
                if used.insert(c.clone()) {
                    break c;
                }
            };
            let attrs = if sugg.packed_attrs {
                packed_attrs(&s.explanation)
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            } else {
                s.attrs.clone()
            };
            new_spans.push(RecordSpan {
                id: id.clone(),
                start: s.start,
                end: s.end,
                label: s.label.clone(),
                text: rec
                    .text
                    .get(byte(s.start)..byte(s.end))
                    .unwrap_or("")
                    .to_string(),
                attrs,
                status: Some("suggested".into()),
                origin: Some(format!("rule:{}", s.rule_id)),
                confidence: Some((s.confidence as f64 * 1000.0).round() / 1000.0),
                ..RecordSpan::default()
            });
            ids.push(Some(id));
        }
        let n_spans = new_spans.len();
        rec.spans.extend(new_spans);
        let mut links: HashSet<(String, String, String)> = rec
            .relations
            .iter()
            .map(|r| (r.kind.clone(), r.from.clone(), r.to.clone()))
            .collect();
        let mut n_rels = 0;
        for r in &sugg.relations {
            if let (Some(Some(from)), Some(Some(to))) = (ids.get(r.from), ids.get(r.to))
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

    fn span(id: &str, s: &Suggestion, status: &str) -> RecordSpan {
        RecordSpan {
            id: id.into(),
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            text: "?".into(),
            status: Some(status.into()),
            ..RecordSpan::default()
        }
    }

    fn relation(kind: &str, from: &str, to: &str) -> RecordRelation {
        RecordRelation {
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    /// The suggestions for `text` as a project run makes them (attribute
    /// maps, explanations) and as the stream does (attributes packed).
    fn both(rules: &RuleSet, text: &str) -> (Suggestions, Suggestions) {
        let plain = rules.suggest(text);
        let mut packed = Suggestions::default();
        rules.suggest_into(text, &mut SuggestScratch::packed_for_jsonl(), &mut packed);
        assert!(!plain.packed_attrs && packed.packed_attrs);
        (plain, packed)
    }

    #[test]
    fn the_streamed_record_is_the_reference_merge_byte_for_byte() {
        let rules = RuleSet::default_en_news();
        let mut text = String::from("Ünïcode 🎉 \"quotes\", a tab\t, a \\ and \u{1} first.\n");
        for i in 0..12 {
            text.push_str(&format!(
                "“We will rebuild the bridge {i},” said Mayor Ann Lee. Critics argued that the \
                 plan was far too costly. Minister Paul Okafor condemned the attack.\n"
            ));
        }
        let (plain, packed) = both(&rules, &text);
        assert!(plain.spans.len() > 40 && !plain.relations.is_empty());
        let r = &plain.relations[0];
        let (from, to) = (&plain.spans[r.from], &plain.spans[r.to]);
        assert!(
            r.from > 5 || r.from < 3,
            "the test keeps suggestions 4 and 5"
        );
        // The id the merge gives the relation's `from`: numbers go to the
        // suggestions not kept (4, 5 and the relation's `to`), in order,
        // skipping the id `s3` of the record.
        let mut next = 0;
        for k in 0..=r.from {
            if ![4, 5, r.to].contains(&k) {
                next += 1;
                if next == 3 {
                    next += 1;
                }
            }
        }
        let from_id = format!("s{next}");
        let mut meta = serde_json::Map::new();
        meta.insert(
            "source".into(),
            serde_json::json!({"n": 1.5, "a": [1, "b"]}),
        );
        let mut extra = serde_json::Map::new();
        extra.insert("zz_extra".into(), serde_json::json!("kept \u{2028}"));
        let records = [
            Record {
                text: text.clone(),
                ..Record::default()
            },
            Record {
                id: Some("doc \"1\"".into()),
                text: text.clone(),
                meta,
                extra,
                spans: vec![
                    // Old suggestions go, with their relations.
                    span("s1", &plain.spans[3], "suggested"),
                    // Ids the new spans must skip, and one that only looks like one.
                    span("s3", &plain.spans[4], "accepted"),
                    span("s01", &plain.spans[5], "rejected"),
                    // The relation's speaker, kept: the relation goes to it.
                    span("x", to, "accepted"),
                    // A hand-made span of another label at the same place.
                    RecordSpan {
                        label: "Note".into(),
                        ..span("n", from, "accepted")
                    },
                ],
                relations: vec![
                    relation("said_by", "s1", "x"),
                    // Names the id that the relation's claim gets: not added twice.
                    relation(&r.kind, &from_id, "x"),
                    relation("said_by", "n", "nowhere"),
                ],
            },
        ];
        for rec in records {
            let (want, ws, wr) = reference_merge(rec.clone(), &plain);
            let want = serde_json::to_string(&want).unwrap();
            for sugg in [&plain, &packed] {
                let (again, ws2, wr2) = reference_merge(rec.clone(), sugg);
                assert_eq!(serde_json::to_string(&again).unwrap(), want);
                assert_eq!((ws2, wr2), (ws, wr));
                let (merged, s, r) = merge(rec.clone(), sugg);
                assert_eq!(serde_json::to_string(&merged).unwrap(), want);
                assert_eq!((s, r), (ws, wr));
                let mut out = Vec::new();
                let (s, r) = write_merged(rec.clone(), sugg, &mut out).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), want);
                assert_eq!((s, r), (ws, wr));
            }
            if rec.relations.len() > 1 {
                assert_eq!(
                    wr,
                    plain.relations.len() - 1,
                    "the named relation is not added again"
                );
            }
        }
    }

    #[test]
    fn a_long_document_is_written_straight_into_the_output_as_a_short_one_is() {
        let rules = RuleSet::default_en_news();
        let mut text = String::new();
        let mut i = 0;
        while text.len() <= LONG_DOCUMENT {
            text.push_str(&format!(
                "“We will rebuild the bridge {i},” said Mayor Ann Lee. Critics argued that the \
                 plan for district {i} was far too costly.\n"
            ));
            i += 1;
        }
        let short = format!(
            "{{\"id\":\"short\",\"text\":\"{}\"}}",
            &text[..300].replace('\n', "\\n")
        );
        let rec = Record {
            id: Some("long".into()),
            text,
            ..Record::default()
        };
        let input = format!(
            "{short}\n{}\n\n{short}\n",
            serde_json::to_string(&rec).unwrap()
        );
        let mut want = String::new();
        for line in input.lines().filter(|l| !l.is_empty()) {
            let rec: Record = serde_json::from_str(line).unwrap();
            let sugg = rules.suggest(&rec.text);
            want.push_str(&serde_json::to_string(&reference_merge(rec, &sugg).0).unwrap());
            want.push('\n');
        }
        let mut out = Vec::new();
        let sum = suggest_jsonl(&rules, input.as_bytes(), &mut out, "in.jsonl").unwrap();
        assert_eq!((sum.records_written, sum.blank_lines), (3, 1));
        assert_eq!(String::from_utf8(out).unwrap(), want);
        let mut out = Vec::new();
        let par =
            suggest_jsonl_parallel(&rules, input.as_bytes(), &mut out, "in.jsonl", 4).unwrap();
        assert_eq!(par, sum);
        assert_eq!(String::from_utf8(out).unwrap(), want);
        // The buffers of the long document were given up.
        BUFS.with(|b| assert!(b.borrow().1.spans.len() < 100));
    }

    #[test]
    fn packed_attributes_read_back_whatever_they_hold() {
        let pairs = [
            ("mode", "direct"),
            ("", ""),
            ("3:x", "12:ab:"),
            ("ü🎉", "a\u{0}b"),
        ];
        let mut packed = String::new();
        for (k, v) in pairs {
            crate::rules::output::pack_attr(&mut packed, k, v);
        }
        assert_eq!(packed_attrs(&packed).collect::<Vec<_>>(), pairs);
        assert_eq!(packed_attrs("").count(), 0);
    }
}
