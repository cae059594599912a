//! doccano's JSONL for sequence labelling with relations:
//! `{"id", "text", "entities": [{"id", "label", "start_offset",
//! "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`.
//! Offsets count code points, as doccano (Python) does. Attributes do not
//! exist in doccano and are not exported (the export counts them). Every
//! line has the same fields: the document name in `"document"` and the
//! metadata as one `"meta": {...}` object (`{}` when empty), since doccano's
//! import fails when lines differ in their fields. Non-ASCII characters are
//! written as JSON escapes (`\u2019`, surrogate pairs for emoji), so the
//! file reads the same under any encoding guess (doccano's default "Auto"
//! takes a small UTF-8 file for Windows-1252).
//!
//! doccano drops overlapping spans unless the project allows them; with
//! `--no-overlap` ([`without_overlaps`]) the inner of two overlapping spans
//! is left out, with its relations, and counted.

use std::collections::HashMap;
use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::io::record::{Record, RecordRelation, RecordSpan};

#[derive(Serialize, Deserialize)]
struct Line {
    #[serde(default)]
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    entities: Vec<Entity>,
    #[serde(default)]
    relations: Vec<Rel>,
    /// doccano's plain sequence-labelling form: `[[start, end, label]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    label: Vec<(usize, usize, String)>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Entity {
    id: serde_json::Value,
    label: String,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize, Deserialize)]
struct Rel {
    #[serde(default)]
    id: serde_json::Value,
    from_id: serde_json::Value,
    to_id: serde_json::Value,
    #[serde(rename = "type")]
    kind: String,
}

pub fn write(
    records: &[Record],
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<()> {
    let mut next_entity = 1u64;
    let mut next_relation = 1u64;
    for (i, r) in records.iter().enumerate() {
        let mut ids = HashMap::new();
        let entities = r
            .spans
            .iter()
            .map(|s| {
                let id = next_entity;
                next_entity += 1;
                ids.insert(s.id.as_str(), id);
                Entity {
                    id: id.into(),
                    label: s.label.clone(),
                    start_offset: s.start,
                    end_offset: s.end,
                }
            })
            .collect();
        let relations = r
            .relations
            .iter()
            .filter_map(|rel| {
                let (from, to) = (ids.get(rel.from.as_str())?, ids.get(rel.to.as_str())?);
                let id = next_relation;
                next_relation += 1;
                Some(Rel {
                    id: id.into(),
                    from_id: (*from).into(),
                    to_id: (*to).into(),
                    kind: rel.kind.clone(),
                })
            })
            .collect();
        let mut rest = serde_json::Map::new();
        let name = r.id.clone().unwrap_or_else(|| format!("doc{}", i + 1));
        rest.insert("document".into(), name.into());
        rest.insert("meta".into(), r.meta.clone().into());
        let line = Line {
            id: (i as u64 + 1).into(),
            text: r.text.clone(),
            entities,
            relations,
            label: Vec::new(),
            rest,
        };
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, AsciiFormatter);
        line.serialize(&mut ser)?;
        out.write_all(b"\n")?;
        progress(i + 1);
    }
    Ok(())
}

/// JSON with every non-ASCII character escaped (`\u2019`, and a
/// surrogate pair for a character beyond the Basic Multilingual Plane).
struct AsciiFormatter;

impl serde_json::ser::Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut units = [0u16; 2];
        let mut plain = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[plain..i])?;
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            plain = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }
}

/// The records without the inner of two overlapping spans (of any label):
/// spans are taken longest first at each start, and a span that shares a
/// character with one already kept is left out, with its relations.
/// Returns the records and the number of spans and relations left out.
pub fn without_overlaps(records: &[Record]) -> (Vec<Record>, usize, usize) {
    let (mut spans_out, mut relations_out) = (0, 0);
    let records = records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let mut order: Vec<usize> = (0..r.spans.len()).collect();
            order.sort_by_key(|&k| (r.spans[k].start, std::cmp::Reverse(r.spans[k].end)));
            let mut kept_ranges: Vec<(usize, usize)> = Vec::new();
            let mut left_out = std::collections::HashSet::new();
            for k in order {
                let s = &r.spans[k];
                if kept_ranges.iter().any(|&(a, b)| s.start < b && a < s.end) {
                    left_out.insert(s.id.clone());
                } else {
                    kept_ranges.push((s.start, s.end));
                }
            }
            spans_out += left_out.len();
            r.spans.retain(|s| !left_out.contains(&s.id));
            let before = r.relations.len();
            r.relations
                .retain(|rel| !left_out.contains(&rel.from) && !left_out.contains(&rel.to));
            relations_out += before - r.relations.len();
            r
        })
        .collect();
    (records, spans_out, relations_out)
}

/// How many spans of `records` share a character with another span.
pub fn overlapping(records: &[Record]) -> usize {
    records
        .iter()
        .map(|r| {
            let mut spans: Vec<(usize, usize)> = r.spans.iter().map(|s| (s.start, s.end)).collect();
            spans.sort_unstable();
            let mut n = 0;
            for (i, &(a, b)) in spans.iter().enumerate() {
                let before = spans[..i].iter().any(|&(_, e)| e > a);
                let after = spans[i + 1..]
                    .iter()
                    .take_while(|&&(s, _)| s < b)
                    .next()
                    .is_some();
                if before || after {
                    n += 1;
                }
            }
            n
        })
        .sum()
}

fn id_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads doccano lines into records (span text filled from the offsets
/// where they fit; the importer checks them).
pub fn read(src: impl AsRef<[u8]>) -> super::ReadLines {
    super::read_lines(src, parse_line)
}

fn parse_line(raw: &str) -> Result<Record, String> {
    let mut line: Line =
        serde_json::from_str(raw).map_err(|e| format!("not a doccano line: {e}"))?;
    let slice = |a: usize, b: usize| -> String {
        line.text
            .chars()
            .skip(a)
            .take(b.saturating_sub(a))
            .collect()
    };
    let mut spans: Vec<RecordSpan> = line
        .entities
        .iter()
        .map(|e| RecordSpan {
            id: id_string(&e.id),
            start: e.start_offset,
            end: e.end_offset,
            label: e.label.clone(),
            text: slice(e.start_offset, e.end_offset),
            ..RecordSpan::default()
        })
        .collect();
    for (k, (a, b, label)) in line.label.iter().enumerate() {
        spans.push(RecordSpan {
            id: format!("label{k}"),
            start: *a,
            end: *b,
            label: label.clone(),
            text: slice(*a, *b),
            ..RecordSpan::default()
        });
    }
    let relations = line
        .relations
        .iter()
        .map(|r| RecordRelation {
            kind: r.kind.clone(),
            from: id_string(&r.from_id),
            to: id_string(&r.to_id),
        })
        .collect();
    let name = match line.rest.remove("document") {
        Some(serde_json::Value::String(s)) => Some(s),
        _ if !line.id.is_null() => Some(id_string(&line.id)),
        _ => None,
    };
    line.rest.remove("Comments");
    // Sayso's own lines keep the metadata in `meta`; other fields (older
    // exports, doccano's own exports) are metadata too.
    let mut meta = match line.rest.remove("meta") {
        Some(serde_json::Value::Object(m)) => m,
        Some(other) => {
            let mut m = serde_json::Map::new();
            m.insert("meta".into(), other);
            m
        }
        None => serde_json::Map::new(),
    };
    meta.extend(std::mem::take(&mut line.rest));
    Ok(Record {
        id: name,
        text: line.text,
        meta,
        spans,
        relations,
        extra: Default::default(),
    })
}
