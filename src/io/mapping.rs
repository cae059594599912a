//! Mapping files for `sayso import --format brat --map MAPPING.ron`: how the
//! annotations of a foreign brat corpus become annotations of the schema.
//!
//! A mapping is a RON file (see `assets/mappings/polnear.ron`):
//!
//! ```ron
//! (
//!     // brat span label → schema label. A label that is neither here nor
//!     // in `drop` is dropped too, and counted in a notice.
//!     labels: {"Source": "Speaker", "Content": "Claim"},
//!     // brat span labels to leave out (counted in a notice, no warning).
//!     drop: ["Cue", "Attribution", "Discard"],
//!     // brat event lines (`E1 Attribution:T4 Content:T3 Cue:T2 Source:T1`):
//!     // the event type (the trigger's label), the role whose span gets the
//!     // relation and the attributes, the role whose span the relation goes
//!     // to, and attributes taken from other roles or given as values. An
//!     // event without its `to_role` gives the attributes and no relation.
//!     events: [
//!         (trigger: "Attribution", from_role: "Content", to_role: "Source",
//!          relation: "said_by", attrs: {"cue": RoleText("Cue")}),
//!     ],
//!     // brat relation types (`R1 Type Arg1:T1 Arg2:T2`) → schema relation
//!     // types; Arg1 is the `from` end. Other types are dropped, with a notice.
//!     relations: {"Attributed": "said_by"},
//!     // brat attribute and note names → schema attribute names (names not
//!     // listed keep their own name).
//!     attributes: {"Polarity": "polarity"},
//!     // schema label → an attribute that takes the span's own text when the
//!     // file gives it none (so that gold speakers have an `entity`).
//!     text_attributes: {"Speaker": "entity"},
//! )
//! ```
//!
//! Every field may be left out. Roles match brat's numbered repeats: the
//! role `Content` also takes `Content2`, `Content3`, …. Attribute sources
//! are `RoleText("Role")` (the text of that role's span, its fragments
//! joined by a space) and `Value("text")`. An attribute already set on a
//! span (by an `A` line, a note or an earlier event) is not replaced.
//!
//! Errors name the file, line and column: RON syntax, unknown fields
//! (`lables:`), and names that cannot work together (a label both mapped and
//! dropped, a `to_role` without a `relation`, a `text_attributes` label that
//! no brat label maps to).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use super::formats::brat::{self, AnnRead, TLine};
use super::record::{Record, RecordRelation, RecordSpan};

/// A mapping file that cannot be used.
#[derive(Debug, Error)]
pub enum MappingError {
    #[error("{path}: cannot read the mapping file: {error}")]
    Read { path: String, error: std::io::Error },
    #[error(
        "{path}:{line}:{column}: {message} (the format is in the README, under \"Mapping files\")"
    )]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Where an event attribute's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum AttrSource {
    /// The text of the span in this role (fragments joined by a space).
    RoleText(String),
    /// A fixed value.
    Value(String),
}

/// How events of one type become a relation and attributes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// The event type: the label of its trigger (`Attribution:T4`).
    pub trigger: String,
    /// The role whose span(s) get the relation and the attributes.
    pub from_role: String,
    /// The role whose span the relation goes to (with `relation`).
    #[serde(default)]
    pub to_role: Option<String>,
    /// The schema relation type (with `to_role`).
    #[serde(default)]
    pub relation: Option<String>,
    /// Attribute name → where its value comes from.
    #[serde(default)]
    pub attrs: BTreeMap<String, AttrSource>,
}

/// A mapping file's contents. See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub drop: Vec<String>,
    #[serde(default)]
    pub events: Vec<EventRule>,
    #[serde(default)]
    pub relations: BTreeMap<String, String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub text_attributes: BTreeMap<String, String>,
}

/// Line and column (1-based) of the first `"name"` in `src` at or after
/// byte `from`; the start of the file when it is not there.
fn locate(src: &str, name: &str, from: usize) -> (usize, usize) {
    let needle = format!("{name:?}");
    let at = src
        .get(from..)
        .and_then(|s| s.find(&needle))
        .map(|i| i + from)
        .or_else(|| src.find(&needle));
    match at {
        Some(byte) => crate::rules::error::line_col(src, byte),
        None => (1, 1),
    }
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let src = std::fs::read_to_string(path).map_err(|error| MappingError::Read {
            path: path.display().to_string(),
            error,
        })?;
        Mapping::parse(&src, &path.display().to_string())
    }

    /// Parses and checks the text of a mapping file; `path` names it in
    /// errors.
    pub fn parse(src: &str, path: &str) -> Result<Mapping, MappingError> {
        let opts = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let mapping: Mapping = opts.from_str(src).map_err(|e| MappingError::Syntax {
            path: path.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: crate::project::ron_message(&e.code, "mapping file"),
        })?;
        mapping.check(src, path)?;
        Ok(mapping)
    }

    /// Names that cannot work together.
    fn check(&self, src: &str, path: &str) -> Result<(), MappingError> {
        let invalid = |name: &str, after: &str, message: String| {
            let from = src.find(after).unwrap_or(0);
            let (line, column) = locate(src, name, from);
            MappingError::Invalid {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        for (from, to) in &self.labels {
            if from.trim().is_empty() || to.trim().is_empty() {
                return Err(invalid(
                    to,
                    "labels",
                    format!("`labels` maps {from:?} to {to:?}; neither may be empty"),
                ));
            }
        }
        for d in &self.drop {
            if let Some(to) = self.labels.get(d) {
                return Err(invalid(
                    d,
                    "drop",
                    format!(
                        "label {d:?} is both mapped (to {to:?}) and dropped; keep it in `labels` or in `drop`, not both"
                    ),
                ));
            }
        }
        for ev in &self.events {
            let at = format!("{:?}", ev.trigger);
            if ev.trigger.trim().is_empty() || ev.from_role.trim().is_empty() {
                return Err(invalid(
                    &ev.from_role,
                    "events",
                    "an event needs a `trigger` (its type) and a `from_role`".into(),
                ));
            }
            match (&ev.to_role, &ev.relation) {
                (Some(_), None) | (None, Some(_)) => {
                    return Err(invalid(
                        &ev.trigger,
                        "events",
                        format!(
                            "the event {at} has a `to_role` without a `relation` or a `relation` without a `to_role`; give both, or neither for an event that only sets attributes"
                        ),
                    ));
                }
                (Some(role), Some(rel)) if role.trim().is_empty() || rel.trim().is_empty() => {
                    return Err(invalid(
                        &ev.trigger,
                        "events",
                        format!("the event {at} has an empty `to_role` or `relation`"),
                    ));
                }
                _ => {}
            }
            for (name, source) in &ev.attrs {
                if let AttrSource::RoleText(role) = source
                    && role.trim().is_empty()
                {
                    return Err(invalid(
                        name,
                        "events",
                        format!("the attribute {name:?} of the event {at} names no role"),
                    ));
                }
            }
        }
        for (from, to) in &self.relations {
            if to.trim().is_empty() {
                return Err(invalid(
                    from,
                    "relations",
                    format!("the relation type {from:?} maps to an empty name"),
                ));
            }
        }
        for label in self.text_attributes.keys() {
            if !self.labels.values().any(|l| l == label) {
                let targets: Vec<&str> = self.labels.values().map(String::as_str).collect();
                return Err(invalid(
                    label,
                    "text_attributes",
                    format!(
                        "`text_attributes` names the label {label:?}, but no brat label maps to it (`labels` gives: {})",
                        if targets.is_empty() {
                            "nothing".to_string()
                        } else {
                            targets.join(", ")
                        }
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Reads one `.ann` file against its text through the mapping. Counts
    /// what it dropped in `stats`.
    pub fn read_ann(&self, name: &str, text: &str, ann: &str, stats: &mut MappingStats) -> AnnRead {
        let chars: Vec<char> = text.chars().collect();
        let mut out = AnnRead::default();
        // Every T line, kept or not (a dropped Cue still gives its text).
        let mut tlines: HashMap<&str, TLine> = HashMap::new();
        // T id → index in `spans` for the kept ones.
        let mut kept: HashMap<String, usize> = HashMap::new();
        let mut spans: Vec<RecordSpan> = Vec::new();
        let mut relations: Vec<RecordRelation> = Vec::new();
        let lines: Vec<(usize, &str)> = ann
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        // Spans first, so that lines may refer to spans written after them.
        for &(no, line) in &lines {
            let (id, body, rest) = brat::columns(line);
            if !id.starts_with('T') {
                continue;
            }
            let t = match brat::parse_t(body, rest, &chars) {
                Ok(t) => t,
                Err(e) => {
                    out.bad.push((no, e));
                    continue;
                }
            };
            match self.labels.get(&t.label) {
                Some(label) => {
                    if t.frags.len() > 1 {
                        out.fragmented += 1;
                    }
                    kept.insert(id.to_string(), spans.len());
                    out.span_lines.push(no);
                    spans.push(RecordSpan {
                        id: id.to_string(),
                        start: t.start(),
                        end: t.end(),
                        label: label.clone(),
                        text: t.text.clone(),
                        ..RecordSpan::default()
                    });
                }
                None if self.drop.contains(&t.label) => {
                    *stats.dropped.entry(t.label.clone()).or_default() += 1;
                }
                None => *stats.unknown_labels.entry(t.label.clone()).or_default() += 1,
            }
            tlines.insert(id, t);
        }
        let attr_name = |n: &str| self.attributes.get(n).cloned().unwrap_or_else(|| n.into());
        for &(no, line) in &lines {
            let (id, body, rest) = brat::columns(line);
            let mut set_attr =
                |target: &str, key: &str, value: &str, what: &str| match kept.get(target) {
                    Some(&k) => {
                        spans[k]
                            .attrs
                            .entry(attr_name(key))
                            .or_insert_with(|| value.to_string());
                        None
                    }
                    None if tlines.contains_key(target) => None,
                    None => Some((no, format!("{what} of unknown annotation {target:?}"))),
                };
            match id.chars().next() {
                Some('T') => {}
                Some('A') | Some('M') => match brat::parse_attribute(body) {
                    Ok((key, target, value)) => {
                        out.bad.extend(set_attr(target, key, value, "attribute"))
                    }
                    Err(e) => out.bad.push((no, e)),
                },
                Some('#') => {
                    let (target, key, value) = brat::parse_note(body, rest);
                    out.bad.extend(set_attr(target, key, value, "note"));
                }
                Some('R') => match brat::parse_relation(body) {
                    Ok((kind, from, to)) => {
                        let Some(mapped) = self.relations.get(kind) else {
                            *stats.unknown_relations.entry(kind.to_string()).or_default() += 1;
                            continue;
                        };
                        match (kept.contains_key(from), kept.contains_key(to)) {
                            (true, true) => relations.push(RecordRelation {
                                kind: mapped.clone(),
                                from: from.to_string(),
                                to: to.to_string(),
                            }),
                            _ if tlines.contains_key(from) && tlines.contains_key(to) => {
                                stats.links_to_dropped += 1;
                            }
                            _ => out.bad.push((
                                no,
                                format!("the relation names a span that is not in the file ({from} or {to})"),
                            )),
                        }
                    }
                    Err(e) => out.bad.push((no, e)),
                },
                Some('E') => {
                    let args = match parse_event(body) {
                        Ok(a) => a,
                        Err(e) => {
                            out.bad.push((no, e));
                            continue;
                        }
                    };
                    if let Some(&(_, missing)) = args.iter().find(|(_, t)| !tlines.contains_key(t))
                    {
                        out.bad.push((
                            no,
                            format!("the event names {missing}, which is not a span of the file"),
                        ));
                        continue;
                    }
                    let kind = args[0].0;
                    let rules: Vec<&EventRule> =
                        self.events.iter().filter(|r| r.trigger == kind).collect();
                    if rules.is_empty() {
                        *stats.unknown_events.entry(kind.to_string()).or_default() += 1;
                        continue;
                    }
                    stats.events += 1;
                    for rule in rules {
                        let role = |r: &str| {
                            args[1..]
                                .iter()
                                .find(|(role, _)| role_matches(role, r))
                                .map(|(_, t)| *t)
                        };
                        let froms: Vec<&str> = args[1..]
                            .iter()
                            .filter(|(r, _)| role_matches(r, &rule.from_role))
                            .map(|(_, t)| *t)
                            .collect();
                        if froms.is_empty() {
                            stats.events_without_from += 1;
                        }
                        let to = rule.to_role.as_deref().and_then(role);
                        for from in froms {
                            let Some(&k) = kept.get(from) else {
                                stats.links_to_dropped += 1;
                                continue;
                            };
                            for (key, source) in &rule.attrs {
                                let value = match source {
                                    AttrSource::Value(v) => Some(v.clone()),
                                    AttrSource::RoleText(r) => role(r)
                                        .and_then(|t| tlines.get(t))
                                        .map(|t| t.fragment_text(&chars)),
                                };
                                if let Some(value) = value {
                                    spans[k].attrs.entry(key.clone()).or_insert(value);
                                }
                            }
                            if let (Some(to), Some(kind)) = (to, &rule.relation) {
                                if kept.contains_key(to) {
                                    relations.push(RecordRelation {
                                        kind: kind.clone(),
                                        from: from.to_string(),
                                        to: to.to_string(),
                                    });
                                } else {
                                    stats.links_to_dropped += 1;
                                }
                            }
                        }
                    }
                }
                _ => out.bad.push((no, brat::unread_line(id, true))),
            }
        }
        for s in &mut spans {
            if let Some(key) = self.text_attributes.get(&s.label) {
                s.attrs.entry(key.clone()).or_insert_with(|| s.text.clone());
            }
        }
        out.record = Record {
            id: Some(name.to_string()),
            text: text.to_string(),
            spans,
            relations,
            ..Record::default()
        };
        out
    }
}

/// Whether an event argument's role is `role` or one of brat's numbered
/// repeats of it (`Content2`).
fn role_matches(arg: &str, role: &str) -> bool {
    arg == role
        || arg
            .strip_prefix(role)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// An `E` line's body, `Type:T4 Role:T3 …`, as `(role, span id)` pairs; the
/// first pair is the event type and its trigger.
fn parse_event(body: &str) -> Result<Vec<(&str, &str)>, String> {
    let args: Option<Vec<(&str, &str)>> = body
        .split_whitespace()
        .map(|a| {
            a.split_once(':')
                .filter(|(r, t)| !r.is_empty() && !t.is_empty())
        })
        .collect();
    match args {
        Some(a) if !a.is_empty() => Ok(a),
        _ => Err("an E line needs `Type:T1 Role:T2 …`".into()),
    }
}

/// What a mapping dropped or did not know, summed over the files of an
/// import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappingStats {
    /// Spans of labels in `drop`, per label.
    pub dropped: BTreeMap<String, usize>,
    /// Spans of labels the mapping does not name, per label (dropped).
    pub unknown_labels: BTreeMap<String, usize>,
    /// Events of types the mapping does not name, per type (not read).
    pub unknown_events: BTreeMap<String, usize>,
    /// Relations of types the mapping does not name, per type (not read).
    pub unknown_relations: BTreeMap<String, usize>,
    /// Events read through the mapping.
    pub events: usize,
    /// Events that had no argument in their rule's `from_role`.
    pub events_without_from: usize,
    /// Relations (from events or `R` lines) with an end that was dropped.
    pub links_to_dropped: usize,
}

fn counts(m: &BTreeMap<String, usize>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, n)| format!("{k:?} {n}")).collect();
    parts.join(", ")
}

impl MappingStats {
    /// One line per kind of thing left out, for the import's notices.
    pub fn notices(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.dropped.is_empty() {
            out.push(format!(
                "dropped as the mapping says: {}",
                counts(&self.dropped)
            ));
        }
        if !self.unknown_labels.is_empty() {
            out.push(format!(
                "dropped span(s) of labels the mapping does not name: {}; add them to `labels` or `drop`",
                counts(&self.unknown_labels)
            ));
        }
        if !self.unknown_events.is_empty() {
            out.push(format!(
                "not read: event(s) of types the mapping does not name: {}; add them to `events`",
                counts(&self.unknown_events)
            ));
        }
        if !self.unknown_relations.is_empty() {
            out.push(format!(
                "not read: relation(s) of types the mapping does not name: {}; add them to `relations`",
                counts(&self.unknown_relations)
            ));
        }
        if self.events_without_from > 0 {
            out.push(format!(
                "{} event(s) had no argument in the role their mapping reads from, and gave nothing",
                self.events_without_from
            ));
        }
        if self.links_to_dropped > 0 {
            out.push(format!(
                "{} link(s) from events or relation lines left out because one end was dropped",
                self.links_to_dropped
            ));
        }
        out
    }
}
