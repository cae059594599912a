//! doccano's JSONL for sequence labelling with relations:
//! `{"id", "text", "entities": [{"id", "label", "start_offset",
//! "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`.
//! Offsets count code points, as doccano (Python) does. Attributes do not
//! exist in doccano and are not exported; the document name goes in
//! `"document"` and metadata as further top-level fields, which doccano
//! keeps as metadata.

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
        let mut rest = r.meta.clone();
        if let Some(name) = &r.id {
            rest.insert("document".into(), name.clone().into());
        }
        let line = Line {
            id: (i as u64 + 1).into(),
            text: r.text.clone(),
            entities,
            relations,
            label: Vec::new(),
            rest,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
        progress(i + 1);
    }
    Ok(())
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
    Ok(Record {
        id: name,
        text: line.text,
        meta: line.rest,
        spans,
        relations,
        extra: Default::default(),
    })
}
