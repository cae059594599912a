//! The native JSONL dataset, which is also what spaCy and Prodigy read: one
//! [`Record`] per line with its `meta` (always, `{}` when empty), Prodigy's
//! `tokens` list (`text`, `start`, `end`, `id`, `ws`; the tokens and the
//! whitespace between them rebuild the text exactly, as spaCy's
//! `Doc(words, spaces)` needs), spans with code point offsets, their text,
//! attributes, status, origin, the shortest decimal `confidence` that reads
//! back to the stored value, and `token_start`/`token_end` (inclusive) into
//! that `tokens` list. Relations carry Sayso's `type`/`from`/`to` and
//! Prodigy's `head`/`child`/`head_span`/`child_span`/`label`.
//!
//! Reading takes Sayso's own lines and Prodigy's records: spans without
//! `id` (numbered by position) or `text`, and relations in Prodigy's
//! `head`/`child`/`label` form, matched to spans by `head_span`/`child_span`
//! or else by the token index.

use std::io::Write;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::io::record::{Record, RecordSpan};

/// One token of Prodigy's `tokens` list; `ws`: a single space follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProdigyToken {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub id: usize,
    pub ws: bool,
}

/// The tokens of `text` as spaCy and Prodigy expect them: Sayso's tokens,
/// a single space after a token as its `ws`, and any other whitespace (line
/// breaks, runs of spaces, a leading space) as a token of its own, so that
/// the tokens and their `ws` rebuild `text` exactly.
pub fn prodigy_tokens(text: &str) -> Vec<ProdigyToken> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<ProdigyToken> = Vec::new();
    let mut at = 0;
    for t in crate::rules::tokenize(text) {
        if t.start < at || t.end > chars.len() {
            continue;
        }
        push_gap(&chars, &mut out, at, t.start);
        push_token(&chars, &mut out, t.start, t.end);
        at = t.end;
    }
    push_gap(&chars, &mut out, at, chars.len());
    out
}

fn push_token(chars: &[char], out: &mut Vec<ProdigyToken>, a: usize, b: usize) {
    if a < b {
        out.push(ProdigyToken {
            text: chars[a..b].iter().collect(),
            start: a,
            end: b,
            id: out.len(),
            ws: false,
        });
    }
}

/// The text between two tokens (or before the first, after the last): a
/// single space is the `ws` of the token before it; the rest, if any, is a
/// token of its own.
fn push_gap(chars: &[char], out: &mut Vec<ProdigyToken>, mut a: usize, b: usize) {
    if a < b
        && chars[a] == ' '
        && let Some(last) = out.last_mut()
        && last.end == a
        && !last.text.trim().is_empty()
    {
        last.ws = true;
        a += 1;
    }
    push_token(chars, out, a, b);
}

/// `(token_start, token_end)` (inclusive) of `start..end` in `tokens`.
pub fn token_range(tokens: &[ProdigyToken], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|t| t.end <= start);
    let last = tokens.partition_point(|t| t.start < end);
    (last > first).then(|| (first, last - 1))
}

/// The shortest decimal that reads back to the stored (`f32`) confidence:
/// `0.699999988079071` → `0.7`. Other values are kept as they are.
pub fn shortest_confidence(c: f64) -> f64 {
    let narrow = c as f32;
    if f64::from(narrow) == c {
        narrow.to_string().parse().unwrap_or(c)
    } else {
        c
    }
}

#[derive(Serialize)]
struct SpanRef {
    start: usize,
    end: usize,
    token_start: usize,
    token_end: usize,
    label: String,
}

#[derive(Serialize)]
struct LineRelation<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    from: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    child: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head_span: Option<SpanRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    child_span: Option<SpanRef>,
    label: &'a str,
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a String>,
    text: &'a str,
    meta: &'a Map<String, Value>,
    tokens: Vec<ProdigyToken>,
    spans: Vec<RecordSpan>,
    relations: Vec<LineRelation<'a>>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// The line written for one record.
fn line(r: &Record) -> Line<'_> {
    let tokens = prodigy_tokens(&r.text);
    let spans: Vec<RecordSpan> = r
        .spans
        .iter()
        .map(|s| {
            let mut s = s.clone();
            let range = token_range(&tokens, s.start, s.end);
            s.token_start = range.map(|r| r.0);
            s.token_end = range.map(|r| r.1);
            s.confidence = s.confidence.map(shortest_confidence);
            s
        })
        .collect();
    let span_ref = |id: &str| {
        spans.iter().find(|s| s.id == id).and_then(|s| {
            Some(SpanRef {
                start: s.start,
                end: s.end,
                token_start: s.token_start?,
                token_end: s.token_end?,
                label: s.label.clone(),
            })
        })
    };
    let relations = r
        .relations
        .iter()
        .map(|rel| {
            let (head_span, child_span) = (span_ref(&rel.from), span_ref(&rel.to));
            LineRelation {
                kind: &rel.kind,
                from: &rel.from,
                to: &rel.to,
                head: head_span.as_ref().map(|s| s.token_end),
                child: child_span.as_ref().map(|s| s.token_end),
                head_span,
                child_span,
                label: &rel.kind,
            }
        })
        .collect();
    let mut extra = r.extra.clone();
    for known in ["tokens", "meta"] {
        extra.remove(known);
    }
    Line {
        id: r.id.as_ref(),
        text: &r.text,
        meta: &r.meta,
        tokens,
        spans,
        relations,
        extra,
    }
}

pub fn write(
    records: &[Record],
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<()> {
    for (i, r) in records.iter().enumerate() {
        serde_json::to_writer(&mut *out, &line(r))?;
        out.write_all(b"\n")?;
        progress(i + 1);
    }
    Ok(())
}

/// Reads JSONL records (Sayso's or Prodigy's); bad lines come back with
/// their reason.
pub fn read(src: impl AsRef<[u8]>) -> super::ReadLines {
    super::read_lines(src, parse_line)
}

/// One line: Prodigy's forms are brought into Sayso's first.
fn parse_line(line: &str) -> Result<Record, String> {
    let mut value: Value =
        serde_json::from_str(line).map_err(|e| format!("not a valid record: {e}"))?;
    if let Some(obj) = value.as_object_mut() {
        from_prodigy(obj);
    }
    let mut record: Record =
        serde_json::from_value(value).map_err(|e| format!("not a valid record: {e}"))?;
    // The Prodigy tokens were only needed to place relations.
    record.extra.remove("tokens");
    Ok(record)
}

/// A span's key among the relation ends: `(start, end, label)`.
fn span_key(v: &Value) -> Option<(u64, u64, String)> {
    Some((
        v.get("start")?.as_u64()?,
        v.get("end")?.as_u64()?,
        v.get("label")?.as_str()?.to_string(),
    ))
}

/// A span as a relation end: its `(start, end, label)`, its token range,
/// and its id.
type SpanEnd = ((u64, u64, String), Option<(u64, u64)>, String);

/// Gives Prodigy spans an `id` (`s1`, `s2`, … by position, avoiding ids
/// already used) and a `text` (from the offsets, when they fit), and turns
/// Prodigy relations (`head`, `child`, `label`) into `type`/`from`/`to`.
fn from_prodigy(obj: &mut Map<String, Value>) {
    let chars: Vec<char> = obj
        .get("text")
        .and_then(Value::as_str)
        .map(|t| t.chars().collect())
        .unwrap_or_default();
    let Some(Value::Array(spans)) = obj.get_mut("spans") else {
        return;
    };
    let used: std::collections::HashSet<String> = spans
        .iter()
        .filter_map(|s| s.get("id").map(id_string))
        .collect();
    let mut next = 0;
    let mut ends: Vec<SpanEnd> = Vec::new();
    for span in spans.iter_mut() {
        let Some(s) = span.as_object_mut() else {
            continue;
        };
        match s.get("id") {
            Some(v) if !v.is_null() => {
                let id = id_string(v);
                s.insert("id".into(), Value::String(id));
            }
            _ => {
                let id = loop {
                    next += 1;
                    let id = format!("s{next}");
                    if !used.contains(&id) {
                        break id;
                    }
                };
                s.insert("id".into(), Value::String(id));
            }
        }
        if !s.contains_key("text") {
            let (a, b) = (
                s.get("start").and_then(Value::as_u64).unwrap_or(0) as usize,
                s.get("end").and_then(Value::as_u64).unwrap_or(0) as usize,
            );
            let text: String = chars
                .get(a..b)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            s.insert("text".into(), Value::String(text));
        }
        let span_value = Value::Object(s.clone());
        if let Some(key) = span_key(&span_value) {
            let tokens = s
                .get("token_start")
                .and_then(Value::as_u64)
                .zip(s.get("token_end").and_then(Value::as_u64));
            let id = id_string(&span_value["id"]);
            ends.push((key, tokens, id));
        }
    }
    let Some(Value::Array(relations)) = obj.get_mut("relations") else {
        return;
    };
    for rel in relations.iter_mut() {
        let Some(r) = rel.as_object_mut() else {
            continue;
        };
        if r.contains_key("from") && r.contains_key("to") {
            for end in ["from", "to"] {
                if let Some(v) = r.get(end).filter(|v| !v.is_string()) {
                    let id = id_string(v);
                    r.insert(end.into(), Value::String(id));
                }
            }
            continue;
        }
        let find = |span: Option<&Value>, token: Option<&Value>| -> Option<String> {
            if let Some(key) = span.and_then(span_key) {
                return ends.iter().find(|e| e.0 == key).map(|e| e.2.clone());
            }
            let t = token?.as_u64()?;
            ends.iter()
                .find(|e| e.1.is_some_and(|(a, b)| a <= t && t <= b))
                .map(|e| e.2.clone())
        };
        let from = find(r.get("head_span"), r.get("head"));
        let to = find(r.get("child_span"), r.get("child"));
        let unknown = |side: &str| {
            Value::String(format!(
                "(no span at the relation's {side}; Prodigy relations between tokens outside spans cannot be imported)"
            ))
        };
        r.insert(
            "from".into(),
            from.map_or_else(|| unknown("head"), Value::String),
        );
        r.insert(
            "to".into(),
            to.map_or_else(|| unknown("child"), Value::String),
        );
        if !r.contains_key("type")
            && let Some(label) = r.get("label").cloned()
        {
            r.insert("type".into(), label);
        }
    }
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
