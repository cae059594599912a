//! Label Studio, both ways.
//!
//! Export: `tasks.json`, a JSON array of tasks (one per line), and beside it
//! `tasks.config.xml`, the labelling config to paste into the project.
//! A task is `{"data": {"text", "document", "meta"}, "annotations":
//! [{"result": [...]}], "predictions": [{"model_version", "score",
//! "result": [...]}]}`: accepted spans go into the annotation, suggested
//! ones into the prediction (with `score` from the rule's confidence).
//! One span is one `labels` result (`value`: `start`, `end`, `text`,
//! `labels`) and one result per attribute with the same `id` (`choices`
//! for choice attributes, `textarea` for free text); a relation is
//! `{"from_id", "to_id", "type": "relation", "direction": "right",
//! "labels": [TYPE]}`.
//!
//! Offsets count code points, as Label Studio's `Text` tag does now (its
//! own test `ner/emoji.cy.ts` checks it); versions before the fix of its
//! issue #1008 counted UTF-16 units. On import a region whose `value.text`
//! does not match the text at its offsets but does match at the same
//! offsets read as UTF-16 units is converted, and the import says how many.
//!
//! Import reads Label Studio's JSON export (an array of tasks, or one task):
//! per task the first annotation that was not cancelled (its spans come in
//! accepted) and the first prediction (its spans come in as suggestions,
//! leaving out regions the annotation already has).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::utf16::Utf16Map;
use super::xml;
use crate::io::annotated::{Read, Source};
use crate::io::export::{ExportError, ExportOptions};
use crate::io::import::Skipped;
use crate::io::record::{Record, RecordRelation, RecordSpan};
use crate::model::{AttrKind, Project, ReviewState};

/// The `name` of the `Text` tag and of the `Labels` tag in the config.
const TEXT: &str = "text";
const LABELS: &str = "label";

/// Where the labelling config of the tasks at `tasks` goes:
/// `tasks.json` → `tasks.config.xml`.
pub fn config_path(tasks: &Path) -> PathBuf {
    let stem = tasks
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tasks".into());
    tasks.with_file_name(format!("{stem}.config.xml"))
}

/// The config control name of attribute `attr`: its own name, unless that
/// is one of the config's own names.
fn control_name(attr: &str) -> String {
    if matches!(attr, TEXT | LABELS) {
        format!("attr_{attr}")
    } else {
        attr.to_string()
    }
}

/// The attribute a control name stands for (the inverse of [`control_name`]).
fn attr_name(control: &str) -> &str {
    match control {
        "attr_text" => TEXT,
        "attr_label" => LABELS,
        other => other,
    }
}

/// Every attribute of the schema and of the records, by name: whether it
/// is a choice (and its values), and which labels use it.
#[derive(Debug, Default)]
struct AttrUse {
    choice: bool,
    text: bool,
    values: Vec<String>,
    labels: BTreeSet<String>,
}

fn attr_uses(project: &Project, records: &[Record]) -> BTreeMap<String, AttrUse> {
    let mut uses: BTreeMap<String, AttrUse> = BTreeMap::new();
    for l in &project.schema.labels {
        for a in &l.attributes {
            let u = uses.entry(a.name.clone()).or_default();
            u.labels.insert(l.name.clone());
            match &a.kind {
                AttrKind::Choice(values) => {
                    u.choice = true;
                    for v in values {
                        if !u.values.contains(v) {
                            u.values.push(v.clone());
                        }
                    }
                }
                AttrKind::Text => u.text = true,
            }
        }
    }
    for s in records.iter().flat_map(|r| &r.spans) {
        for (k, v) in &s.attrs {
            let u = uses.entry(k.clone()).or_default();
            u.labels.insert(s.label.clone());
            if !u.choice {
                u.text = true;
            } else if !v.is_empty() && !u.values.contains(v) {
                u.values.push(v.clone());
            }
        }
    }
    uses
}

/// The labelling config: labels with their colours, relation types,
/// per-region `Choices` and `TextArea` for the attributes, shown when a
/// region of a label that has them is selected.
pub fn config(project: &Project, records: &[Record]) -> String {
    let mut out = String::from(
        "<View>\n  <!-- Written by Sayso. Keeps every space and line break of the text, so that offsets match. -->\n  <Style>.htx-text { white-space: pre-wrap; }</Style>\n",
    );
    let mut labels: Vec<(String, Option<String>)> = project
        .schema
        .labels
        .iter()
        .map(|l| (l.name.clone(), Some(l.color.to_hex())))
        .collect();
    let mut relations: Vec<String> = project
        .schema
        .relations
        .iter()
        .map(|r| r.name.clone())
        .collect();
    for r in records {
        for s in &r.spans {
            if !labels.iter().any(|(l, _)| l == &s.label) {
                labels.push((s.label.clone(), None));
            }
        }
        for rel in &r.relations {
            if !relations.contains(&rel.kind) {
                relations.push(rel.kind.clone());
            }
        }
    }
    if !relations.is_empty() {
        out.push_str("  <Relations>\n");
        for r in &relations {
            let _ = writeln!(out, "    <Relation value=\"{}\"/>", xml::attr(r));
        }
        out.push_str("  </Relations>\n");
    }
    let _ = writeln!(out, "  <Labels name=\"{LABELS}\" toName=\"{TEXT}\">");
    for (name, color) in &labels {
        match color {
            Some(c) => {
                let _ = writeln!(
                    out,
                    "    <Label value=\"{}\" background=\"{c}\"/>",
                    xml::attr(name)
                );
            }
            None => {
                let _ = writeln!(out, "    <Label value=\"{}\"/>", xml::attr(name));
            }
        }
    }
    out.push_str("  </Labels>\n");
    let _ = writeln!(out, "  <Text name=\"{TEXT}\" value=\"${TEXT}\"/>");
    for (name, u) in attr_uses(project, records) {
        let control = xml::attr(&control_name(&name));
        let when = if u.labels.len() == 1 {
            let label = u.labels.iter().next().map(String::as_str).unwrap_or("");
            format!(" whenLabelValue=\"{}\"", xml::attr(label))
        } else {
            String::new()
        };
        let _ = writeln!(out, "  <View visibleWhen=\"region-selected\"{when}>");
        let _ = writeln!(out, "    <Header value=\"{}\"/>", xml::attr(&name));
        if u.choice && !u.text {
            let _ = writeln!(
                out,
                "    <Choices name=\"{control}\" toName=\"{TEXT}\" perRegion=\"true\" choice=\"single\">"
            );
            for v in &u.values {
                let _ = writeln!(out, "      <Choice value=\"{}\"/>", xml::attr(v));
            }
            out.push_str("    </Choices>\n");
        } else {
            let _ = writeln!(
                out,
                "    <TextArea name=\"{control}\" toName=\"{TEXT}\" perRegion=\"true\" editable=\"true\" maxSubmissions=\"1\" rows=\"1\"/>"
            );
        }
        out.push_str("  </View>\n");
    }
    out.push_str("</View>\n");
    out
}

/// The shortest decimal that reads back as the same `f32` (`0.7`, not
/// `0.699999988079071`): confidences are stored as `f32`.
fn score(c: f64) -> Value {
    let short = (c as f32).to_string();
    short
        .parse::<f64>()
        .ok()
        .and_then(|v| serde_json::Number::from_f64(v).map(Value::Number))
        .unwrap_or(Value::Null)
}

/// What one export left out, counted over all tasks.
#[derive(Debug, Default)]
struct Losses {
    cross: usize,
    mixed_attrs: BTreeSet<String>,
}

/// One task: the record's text, name and metadata, its accepted spans as
/// the annotation and its suggested ones as the prediction.
fn task(r: &Record, uses: &BTreeMap<String, AttrUse>, losses: &mut Losses) -> Value {
    let mut group: HashMap<&str, ReviewState> = HashMap::new();
    let mut annotation = Vec::new();
    let mut prediction = Vec::new();
    let mut confidences = Vec::new();
    for s in &r.spans {
        let state = s
            .status
            .as_deref()
            .and_then(ReviewState::parse)
            .unwrap_or(ReviewState::Accepted);
        if state == ReviewState::Rejected {
            // Left out and counted before writing (`export::fit`).
            continue;
        }
        group.insert(s.id.as_str(), state);
        let predicted = state == ReviewState::Suggested;
        let (results, origin) = if predicted {
            (&mut prediction, "prediction")
        } else if s.origin.as_deref().is_some_and(|o| o.starts_with("rule")) {
            (&mut annotation, "prediction")
        } else {
            (&mut annotation, "manual")
        };
        let mut region = json!({
            "id": s.id,
            "from_name": LABELS,
            "to_name": TEXT,
            "type": "labels",
            "origin": origin,
            "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]},
        });
        if predicted && let Some(c) = s.confidence {
            region["score"] = score(c);
            confidences.push(c);
        }
        results.push(region);
        for (key, value) in &s.attrs {
            if value.is_empty() {
                continue;
            }
            let u = uses.get(key);
            let choice = u.is_some_and(|u| u.choice && !u.text);
            if u.is_some_and(|u| u.choice && u.text) {
                losses.mixed_attrs.insert(key.clone());
            }
            let (kind, field) = if choice {
                ("choices", "choices")
            } else {
                ("textarea", "text")
            };
            let mut value_obj = json!({"start": s.start, "end": s.end});
            value_obj[field] = json!([value]);
            if choice {
                value_obj["text"] = json!(s.text);
            }
            results.push(json!({
                "id": s.id,
                "from_name": control_name(key),
                "to_name": TEXT,
                "type": kind,
                "origin": origin,
                "value": value_obj,
            }));
        }
    }
    for rel in &r.relations {
        let (Some(a), Some(b)) = (group.get(rel.from.as_str()), group.get(rel.to.as_str())) else {
            continue;
        };
        if a != b {
            losses.cross += 1;
            continue;
        }
        let results = if *a == ReviewState::Suggested {
            &mut prediction
        } else {
            &mut annotation
        };
        results.push(json!({
            "from_id": rel.from,
            "to_id": rel.to,
            "type": "relation",
            "direction": "right",
            "labels": [rel.kind],
        }));
    }
    let mut data = Map::new();
    data.insert(TEXT.into(), json!(r.text));
    data.insert("document".into(), json!(r.id.clone().unwrap_or_default()));
    data.insert("meta".into(), Value::Object(r.meta.clone()));
    let mut t = Map::new();
    t.insert("data".into(), Value::Object(data));
    if !annotation.is_empty() {
        t.insert("annotations".into(), json!([{"result": annotation}]));
    }
    if !prediction.is_empty() {
        let mut p = json!({"model_version": "sayso", "result": prediction});
        if !confidences.is_empty() {
            p["score"] = score(confidences.iter().sum::<f64>() / confidences.len() as f64);
        }
        t.insert("predictions".into(), json!([p]));
    }
    Value::Object(t)
}

/// Writes the tasks to `path` and the config beside them; returns what
/// Label Studio could not carry, one line each.
pub fn write(
    project: &Project,
    options: &ExportOptions,
    records: &[Record],
    path: &Path,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<String>, ExportError> {
    let config_file = config_path(path);
    crate::io::export::check_not_a_project(&config_file, options.project_file.as_deref())?;
    if !options.force && config_file.exists() {
        return Err(ExportError::Exists(config_file));
    }
    let uses = attr_uses(project, records);
    let mut losses = Losses::default();
    let mut tasks = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let t = serde_json::to_string(&task(r, &uses, &mut losses))
            .map_err(|e| ExportError::write(path, e))?;
        tasks.push(t);
        progress(i + 1);
    }
    super::write_file(&config_file, |out| {
        out.write_all(config(project, records).as_bytes())
    })?;
    super::write_file(path, |out| {
        out.write_all(b"[\n")?;
        for (i, t) in tasks.iter().enumerate() {
            out.write_all(t.as_bytes())?;
            out.write_all(if i + 1 < tasks.len() { b",\n" } else { b"\n" })?;
        }
        out.write_all(b"]\n")
    })?;
    let mut notes = Vec::new();
    if losses.cross > 0 {
        notes.push(format!(
            "{} relation(s) between an accepted and a suggested span: in Label Studio an annotation and a prediction cannot link to each other",
            losses.cross
        ));
    }
    for key in losses.mixed_attrs {
        notes.push(format!(
            "attribute {key:?} is a choice for some labels and free text for others: written as free text (TextArea) for all"
        ));
    }
    Ok(notes)
}

// ---------------------------------------------------------------- import

/// What reading the tasks of one file found, beyond records.
#[derive(Debug, Default)]
struct ReadStats {
    utf16: usize,
    extra_annotations: usize,
    extra_predictions: usize,
    multi_label: usize,
    duplicate_predictions: usize,
}

/// A string, or each string of an array, of a JSON value.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => vec![],
    }
}

fn id_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Code point offsets of a region: as given when `value.text` matches
/// there (or is absent), else as UTF-16 units when it matches there.
fn region_offsets(
    chars: &[char],
    map: &Utf16Map,
    start: usize,
    end: usize,
    text: Option<&str>,
    stats: &mut ReadStats,
) -> (usize, usize) {
    let slice = |a: usize, b: usize| -> Option<String> {
        (a <= b && b <= chars.len()).then(|| chars[a..b].iter().collect())
    };
    let Some(text) = text else {
        return (start, end);
    };
    if slice(start, end).as_deref() == Some(text) || map.is_identity() {
        return (start, end);
    }
    if let (Some(a), Some(b)) = (map.from_utf16(start), map.from_utf16(end))
        && slice(a, b).as_deref() == Some(text)
    {
        stats.utf16 += 1;
        return (a, b);
    }
    (start, end)
}

/// The spans and relations of one result list, with ids prefixed by
/// `prefix` so that the annotation's and the prediction's stay apart.
fn read_results(
    results: &[Value],
    prefix: &str,
    status: ReviewState,
    text: &str,
    stats: &mut ReadStats,
    bad: &mut Vec<String>,
) -> (Vec<RecordSpan>, Vec<RecordRelation>) {
    let chars: Vec<char> = text.chars().collect();
    let map = Utf16Map::new(text);
    let mut spans: Vec<RecordSpan> = Vec::new();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for item in results {
        let value = item.get("value");
        let labels = strings(value.and_then(|v| v.get("labels")));
        if labels.is_empty() || item.get("type").and_then(Value::as_str) == Some("relation") {
            continue;
        }
        let Some(id) = id_string(item.get("id")) else {
            bad.push("a labelled region without an \"id\"".into());
            continue;
        };
        let (Some(start), Some(end)) = (
            value.and_then(|v| v.get("start")).and_then(Value::as_u64),
            value.and_then(|v| v.get("end")).and_then(Value::as_u64),
        ) else {
            bad.push(format!(
                "region {id:?} has no numeric start and end (not a region of plain text)"
            ));
            continue;
        };
        let given = value.and_then(|v| v.get("text")).and_then(Value::as_str);
        let (start, end) = region_offsets(&chars, &map, start as usize, end as usize, given, stats);
        if labels.len() > 1 {
            stats.multi_label += 1;
        }
        for (k, label) in labels.into_iter().enumerate() {
            let sid = if k == 0 {
                format!("{prefix}{id}")
            } else {
                format!("{prefix}{id}#{label}")
            };
            if k == 0 {
                first_of.insert(id.clone(), spans.len());
            }
            spans.push(RecordSpan {
                id: sid,
                start,
                end,
                label,
                text: given.unwrap_or_default().to_string(),
                status: Some(status.as_str().to_string()),
                ..RecordSpan::default()
            });
        }
    }
    let mut relations = Vec::new();
    for item in results {
        let value = item.get("value");
        match item.get("type").and_then(Value::as_str) {
            Some("relation") => {
                let (Some(from), Some(to)) =
                    (id_string(item.get("from_id")), id_string(item.get("to_id")))
                else {
                    bad.push("a relation without from_id and to_id".into());
                    continue;
                };
                let (from, to) = match item.get("direction").and_then(Value::as_str) {
                    Some("left") => (to, from),
                    _ => (from, to),
                };
                let kinds = strings(item.get("labels"));
                if kinds.is_empty() {
                    bad.push(format!(
                        "the relation from {from:?} to {to:?} has no label; give it one in Label Studio (a <Relation> of the config)"
                    ));
                }
                for kind in kinds {
                    relations.push(RecordRelation {
                        kind,
                        from: format!("{prefix}{from}"),
                        to: format!("{prefix}{to}"),
                    });
                }
            }
            _ if !strings(value.and_then(|v| v.get("labels"))).is_empty() => {}
            Some(_) => {
                let Some(id) = id_string(item.get("id")) else {
                    continue;
                };
                let Some(&at) = first_of.get(&id) else {
                    continue;
                };
                let Some(control) = item.get("from_name").and_then(Value::as_str) else {
                    continue;
                };
                let v = value.map(|v| {
                    let mut vals = strings(v.get("choices"));
                    if vals.is_empty() {
                        vals = strings(v.get("text"));
                    }
                    if vals.is_empty() {
                        vals = strings(v.get("rating").or_else(|| v.get("number")));
                    }
                    vals
                });
                let joined = v.unwrap_or_default().join("\n");
                if !joined.is_empty() {
                    spans[at]
                        .attrs
                        .insert(attr_name(control).to_string(), joined);
                }
            }
            None => {}
        }
    }
    (spans, relations)
}

/// The first object of `list` that `keep` accepts, and how many others
/// there were.
fn first(list: &[Value], keep: impl Fn(&Value) -> bool) -> (Option<&Value>, usize) {
    let kept: Vec<&Value> = list.iter().filter(|v| v.is_object() && keep(v)).collect();
    (kept.first().copied(), kept.len().saturating_sub(1))
}

/// One task as a record, or why not.
fn read_task(
    t: &Value,
    fallback_name: &str,
    stats: &mut ReadStats,
    bad: &mut Vec<String>,
) -> Result<Record, String> {
    let Some(data) = t.get("data").and_then(Value::as_object) else {
        return Err("the task has no \"data\" object".into());
    };
    let text_key = if data.get(TEXT).is_some_and(Value::is_string) {
        TEXT.to_string()
    } else {
        // Another name for the text field: take it when it is the only one.
        let keys: Vec<&String> = data
            .iter()
            .filter(|(k, v)| v.is_string() && k.as_str() != "document")
            .map(|(k, _)| k)
            .collect();
        match keys.as_slice() {
            [k] => (*k).clone(),
            _ => {
                return Err(
                    "the task's data has no \"text\" field (nor exactly one other text field to take instead)"
                        .into(),
                );
            }
        }
    };
    let text = data
        .get(&text_key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if text.trim().is_empty() {
        return Err("the task's text is empty".into());
    }
    let name = data
        .get("document")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| fallback_name.to_string());
    let mut meta = match data.get("meta") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    for (k, v) in data {
        if k != &text_key && k != "document" && k != "meta" {
            meta.insert(k.clone(), v.clone());
        }
    }
    let annotations: &[Value] = t
        .get("annotations")
        .or_else(|| t.get("completions"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let (annotation, more) = first(annotations, |a| {
        !a.get("was_cancelled")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    });
    stats.extra_annotations += more;
    let predictions: &[Value] = t
        .get("predictions")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let (prediction, more) = first(predictions, |_| true);
    stats.extra_predictions += more;
    let results = |v: Option<&Value>| -> Vec<Value> {
        v.and_then(|v| v.get("result"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (mut spans, mut relations) = read_results(
        &results(annotation),
        "a:",
        ReviewState::Accepted,
        &text,
        stats,
        bad,
    );
    let (p_spans, p_relations) = read_results(
        &results(prediction),
        "p:",
        ReviewState::Suggested,
        &text,
        stats,
        bad,
    );
    let have: BTreeSet<(usize, usize, String)> = spans
        .iter()
        .map(|s| (s.start, s.end, s.label.clone()))
        .collect();
    let mut dropped = BTreeSet::new();
    for s in p_spans {
        if have.contains(&(s.start, s.end, s.label.clone())) {
            stats.duplicate_predictions += 1;
            dropped.insert(s.id.clone());
        } else {
            spans.push(s);
        }
    }
    relations.extend(
        p_relations
            .into_iter()
            .filter(|r| !dropped.contains(&r.from) && !dropped.contains(&r.to)),
    );
    Ok(Record {
        id: Some(name),
        text,
        meta,
        spans,
        relations,
        extra: Map::new(),
    })
}

/// Reads the tasks of one Label Studio JSON export into `out`.
pub fn read_path(path: &Path, out: &mut Read) {
    let file = path.display().to_string();
    let skip =
        |out: &mut Read, what: String, reason: String| out.skipped.push(Skipped { what, reason });
    if let Some(reason) = crate::io::import::not_regular(path) {
        return skip(out, file, reason);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(out, file, format!("cannot read it: {e}")),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let tasks: Vec<Value> = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(a)) => a,
        Ok(v @ Value::Object(_)) => vec![v],
        Ok(_) => {
            return skip(
                out,
                file,
                "not a Label Studio export: expected a JSON array of tasks (Export → JSON in Label Studio)".into(),
            );
        }
        Err(e) => {
            return skip(
                out,
                file,
                format!(
                    "not JSON (line {}, column {}: {e}); export the project from Label Studio as JSON, not JSON-MIN or CSV",
                    e.line(),
                    e.column()
                ),
            );
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "task".into());
    let mut stats = ReadStats::default();
    for (i, t) in tasks.iter().enumerate() {
        let task_id = id_string(t.get("id")).unwrap_or_else(|| (i + 1).to_string());
        let place = format!("{file}: task {task_id}");
        let mut bad = Vec::new();
        match read_task(t, &format!("{stem}-{task_id}"), &mut stats, &mut bad) {
            Ok(record) => {
                let span_places = record
                    .spans
                    .iter()
                    .map(|s| format!("{place}, region {}", s.id.get(2..).unwrap_or(&s.id)))
                    .collect();
                for reason in bad {
                    skip(out, place.clone(), reason);
                }
                out.sources.push(Source {
                    record,
                    place,
                    span_places,
                });
            }
            Err(reason) => skip(out, place, reason),
        }
    }
    if stats.utf16 > 0 {
        out.notices.push(format!(
            "{file}: {} region(s) had offsets in UTF-16 units (as Label Studio versions before its emoji fix wrote them); converted to code points",
            stats.utf16
        ));
    }
    if stats.extra_annotations > 0 {
        out.notices.push(format!(
            "{file}: {} further annotation(s) of tasks with several were not read: Sayso reads the first annotation that was not cancelled",
            stats.extra_annotations
        ));
    }
    if stats.extra_predictions > 0 {
        out.notices.push(format!(
            "{file}: {} further prediction(s) were not read: Sayso reads the first prediction of each task",
            stats.extra_predictions
        ));
    }
    if stats.multi_label > 0 {
        out.notices.push(format!(
            "{file}: {} region(s) with several labels became one span per label (relations go to the first)",
            stats.multi_label
        ));
    }
    if stats.duplicate_predictions > 0 {
        out.notices.push(format!(
            "{file}: {} predicted region(s) that the annotation already has were not added again",
            stats.duplicate_predictions
        ));
    }
}
