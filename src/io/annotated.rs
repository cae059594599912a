//! Bringing existing annotations in (`sayso import`): JSONL, doccano, brat,
//! Label Studio and INCEpTION files are read into native records, then checked against their
//! text and turned into one undoable edit that adds the documents.
//!
//! Spans come in with the origin the file gives (native JSONL and Sayso's
//! brat: `manual` with its annotator, `rule:ID` with its confidence), else
//! origin `Import` naming the file and line; and with the review state the
//! file gives (`status`), else accepted.
//! Labels, attributes, attribute values and relation types that the schema
//! lacks are added to it, each with a notice. Spans whose offsets fall
//! outside the text or whose text does not match the offsets, relations to
//! unknown spans, and bad lines are reported with file and line and
//! skipped. Nothing already in the project changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ann_dir;
use super::formats::{self, Format};
use super::import::{Skipped, add_documents_edit};
use super::mapping::{Mapping, MappingStats};
use super::record::Record;
use crate::model::{
    AttrDef, AttrKind, Document, Edit, LabelDef, Origin, Project, Relation, RelationDef,
    ReviewState, Rgb, Schema, Span, Timestamp,
};

/// A record read from a file, with where each part came from.
#[derive(Debug, Clone)]
pub struct Source {
    pub record: Record,
    /// `file:line` of the record (JSONL) or the `.ann` file (brat).
    pub place: String,
    /// `file:line` of each span, in `record.spans` order.
    pub span_places: Vec<String>,
}

/// How annotated files are read; the default reads each file as it is.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// brat: turn the corpus' labels, events and relations into the
    /// schema's (`--map`).
    pub mapping: Option<Mapping>,
    /// brat: the `.ann` files are in this folder, and the paths name texts
    /// or folders of texts (`--ann-dir`; see [`super::ann_dir`]).
    pub ann_dir: Option<PathBuf>,
    /// brat and INCEpTION zips: the most one entry may inflate to, in MB (all entries
    /// together: four times that); `None` for the default
    /// ([`formats::brat::DEFAULT_MAX_UNZIPPED_MB`]).
    pub max_unzipped_mb: Option<u64>,
}

/// What [`read_with`] read.
#[derive(Debug, Default)]
pub struct Read {
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    /// What the user should know about what was read, one line each
    /// (fragmented spans joined, what a mapping dropped, …).
    pub notices: Vec<String>,
    /// brat spans written as several fragments, each read as one span from
    /// the first start to the last end.
    pub fragmented: usize,
}

/// Reads annotated files of `format`. Unreadable files and bad lines are
/// skipped and reported.
pub fn read(format: Format, paths: &[PathBuf]) -> (Vec<Source>, Vec<Skipped>) {
    let read = read_with(format, paths, &ReadOptions::default());
    (read.sources, read.skipped)
}

/// The `.txt`/`.ann` pairs of the brat paths.
fn brat_pairs(paths: &[PathBuf], options: &ReadOptions, out: &mut Read) -> Vec<ann_dir::Pair> {
    if let Some(dir) = &options.ann_dir {
        let collected = ann_dir::collect(paths, dir);
        out.skipped.extend(collected.skipped);
        out.notices.extend(collected.notices);
        return collected.pairs;
    }
    let mut pairs = Vec::new();
    for path in paths {
        let max_mb = options
            .max_unzipped_mb
            .unwrap_or(formats::brat::DEFAULT_MAX_UNZIPPED_MB);
        match formats::brat::collect(path, max_mb) {
            Ok(found) => {
                out.skipped.extend(found.skipped);
                pairs.extend(found.pairs.into_iter().map(|(name, ann_path, text, ann)| {
                    ann_dir::Pair {
                        name,
                        ann_path,
                        text,
                        ann,
                    }
                }))
            }
            Err(reason) => out.skipped.push(Skipped {
                what: path.display().to_string(),
                reason,
            }),
        }
    }
    pairs
}

/// Reads brat files, through the mapping when there is one.
fn read_brat(paths: &[PathBuf], options: &ReadOptions, out: &mut Read) {
    let mut stats = MappingStats::default();
    for pair in brat_pairs(paths, options, out) {
        let ann_file = pair.ann_path.display().to_string();
        let read = match &options.mapping {
            Some(m) => m.read_ann(&pair.name, &pair.text, &pair.ann, &mut stats),
            None => formats::brat::read_ann(&pair.name, &pair.text, &pair.ann),
        };
        out.fragmented += read.fragmented;
        for (line, reason) in read.bad {
            out.skipped.push(Skipped {
                what: format!("{ann_file}:{line}"),
                reason,
            });
        }
        let span_places = read
            .span_lines
            .iter()
            .map(|l| format!("{ann_file}:{l}"))
            .collect();
        out.sources.push(Source {
            record: read.record,
            place: ann_file,
            span_places,
        });
    }
    if out.fragmented > 0 {
        out.notices.push(format!(
            "{} fragmented span(s) (brat `START END;START END`) read as one span each, from the first start to the last end",
            out.fragmented
        ));
    }
    out.notices.extend(stats.notices());
}

/// Reads annotated files of `format` with `options`.
pub fn read_with(format: Format, paths: &[PathBuf], options: &ReadOptions) -> Read {
    let mut out = Read::default();
    match format {
        Format::Brat => read_brat(paths, options, &mut out),
        Format::Jsonl | Format::Doccano => {
            for path in paths {
                read_lines(format, path, &mut out);
            }
        }
        Format::LabelStudio => {
            for path in paths {
                formats::labelstudio::read_path(path, &mut out);
            }
        }
        Format::Inception => {
            let max_mb = options
                .max_unzipped_mb
                .unwrap_or(formats::brat::DEFAULT_MAX_UNZIPPED_MB);
            for path in paths {
                formats::inception::read::read_path(path, max_mb, &mut out);
            }
        }
        Format::Conll | Format::Csv => {
            for path in paths {
                out.skipped.push(Skipped {
                    what: path.display().to_string(),
                    reason: format!(
                        "{format} files cannot be imported; use jsonl, doccano, brat, labelstudio or inception"
                    ),
                });
            }
        }
    }
    out
}

/// Reads a JSONL or doccano file.
fn read_lines(format: Format, path: &Path, out: &mut Read) {
    let file = path.display().to_string();
    if let Some(reason) = super::import::not_regular(path) {
        out.skipped.push(Skipped { what: file, reason });
        return;
    }
    let src = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            out.skipped.push(Skipped {
                what: file,
                reason: format!("cannot read it: {e}"),
            });
            return;
        }
    };
    // Lines are checked for UTF-8 one by one: a bad byte costs its line.
    let formats::ReadLines { records, bad } = if format == Format::Jsonl {
        formats::jsonl::read(&src)
    } else {
        formats::doccano::read(&src)
    };
    for (line, reason) in bad {
        out.skipped.push(Skipped {
            what: format!("{file}:{line}"),
            reason,
        });
    }
    for (line, record) in records {
        let place = format!("{file}:{line}");
        let span_places = vec![place.clone(); record.spans.len()];
        out.sources.push(Source {
            record,
            place,
            span_places,
        });
    }
}

/// What an import will do: one edit, and what the user should be told.
#[derive(Debug)]
pub struct Plan {
    pub edit: Edit,
    pub documents: usize,
    pub spans: usize,
    pub relations: usize,
    /// Schema additions, one line each.
    pub notices: Vec<String>,
    pub skipped: Vec<Skipped>,
}

const PALETTE: [Rgb; 6] = [
    Rgb([0x93, 0x33, 0xea]),
    Rgb([0xdb, 0x27, 0x77]),
    Rgb([0x08, 0x91, 0xb2]),
    Rgb([0x65, 0xa3, 0x0d]),
    Rgb([0x7c, 0x3a, 0xed]),
    Rgb([0xea, 0x58, 0x0c]),
];

/// Keeps a working copy of the schema and the edits that grow it.
struct SchemaGrowth {
    schema: Schema,
    edits: Vec<Edit>,
    notices: Vec<String>,
}

impl SchemaGrowth {
    fn label(&mut self, name: &str) {
        if self.schema.label(name).is_some() {
            return;
        }
        let used: Vec<char> = self
            .schema
            .labels
            .iter()
            .map(|l| l.hotkey.to_ascii_lowercase())
            .collect();
        let hotkey = name
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .chain('a'..='z')
            .chain('0'..='9')
            .find(|c| c.is_ascii_alphanumeric() && !used.contains(c))
            .unwrap_or('?');
        let label = LabelDef {
            name: name.to_string(),
            color: PALETTE[self.schema.labels.len() % PALETTE.len()],
            hotkey,
            description: "added by import".into(),
            attributes: vec![],
        };
        self.notices.push(format!(
            "added label {name:?} (hotkey {hotkey:?}) to the schema"
        ));
        let at = self.schema.labels.len();
        self.schema.labels.push(label.clone());
        self.edits.push(Edit::AddLabel { at, label });
    }

    fn attribute(&mut self, label: &str, key: &str, value: &str) {
        let Some(def) = self.schema.label_mut(label) else {
            return;
        };
        match def.attributes.iter_mut().find(|a| a.name == key) {
            None => {
                let at = def.attributes.len();
                def.attributes.push(AttrDef::text(key));
                self.notices
                    .push(format!("added free-text attribute {key:?} to {label:?}"));
                self.edits.push(Edit::AddAttribute {
                    label: label.into(),
                    at,
                    attr: AttrDef::text(key),
                });
            }
            Some(a) => {
                if let AttrKind::Choice(values) = &mut a.kind
                    && !value.is_empty()
                    && !values.iter().any(|v| v == value)
                {
                    let at = values.len();
                    values.push(value.to_string());
                    self.notices
                        .push(format!("added value {value:?} to {label:?} {key:?}"));
                    self.edits.push(Edit::AddAttrValue {
                        label: label.into(),
                        attr: key.into(),
                        at,
                        value: value.into(),
                    });
                }
            }
        }
    }

    /// Ok when `kind` links `from` to `to` (adding the type if new).
    fn relation(&mut self, kind: &str, from: &str, to: &str) -> Result<(), String> {
        match self.schema.relation(kind) {
            Some(def) if def.from == from && def.to == to => Ok(()),
            Some(def) => Err(format!(
                "a {kind} link goes from a {} to a {}, not from a {from} to a {to}",
                def.from, def.to
            )),
            None => {
                let relation = RelationDef {
                    name: kind.into(),
                    from: from.into(),
                    to: to.into(),
                };
                self.notices.push(format!(
                    "added relation type {kind:?} ({from} → {to}) to the schema"
                ));
                let at = self.schema.relations.len();
                self.schema.relations.push(relation.clone());
                self.edits.push(Edit::AddRelationType { at, relation });
                Ok(())
            }
        }
    }
}

/// The origin of an imported span: the one its file gives (`manual`,
/// `rule:ID`), else `Import` naming where it was read.
fn origin(s: &super::record::RecordSpan, at: &str) -> Origin {
    match s.origin.as_deref() {
        Some("manual") => Origin::Manual {
            annotator: s.annotator.clone().unwrap_or_default(),
        },
        Some(o) if o.starts_with("rule:") && o.len() > 5 => Origin::Rule {
            rule: o["rule:".len()..].to_string(),
            confidence: s.confidence.unwrap_or(0.0) as f32,
            explanation: format!("imported from {at}"),
            edited: false,
        },
        _ => Origin::Import {
            source: at.to_string(),
        },
    }
}

/// Checks `sources` and plans the edit that adds them to `project`.
/// Allocates span ids from the project (ids are never reused).
pub fn plan(project: &mut Project, sources: Vec<Source>, mut skipped: Vec<Skipped>) -> Plan {
    let mut growth = SchemaGrowth {
        schema: project.schema.clone(),
        edits: vec![],
        notices: vec![],
    };
    let mut documents = Vec::new();
    let (mut n_spans, mut n_relations) = (0, 0);
    for (k, source) in sources.into_iter().enumerate() {
        let Source {
            record,
            place,
            span_places,
        } = source;
        let name = record
            .id
            .clone()
            .unwrap_or_else(|| format!("imported-{}", k + 1));
        let mut doc = Document::new(name, record.text.clone());
        doc.meta = record.meta.clone();
        doc.source = Some(place.clone());
        let len = doc.text.len_chars();
        let mut ids = HashMap::new();
        for (i, s) in record.spans.iter().enumerate() {
            let at = span_places.get(i).cloned().unwrap_or_else(|| place.clone());
            let mut skip = |reason: String| {
                skipped.push(Skipped {
                    what: at.clone(),
                    reason,
                })
            };
            if !(s.start < s.end && s.end <= len) {
                skip(format!(
                    "span {:?} ({} {}..{}) lies outside the text of {len} characters",
                    s.id, s.label, s.start, s.end
                ));
                continue;
            }
            let actual = doc.text.slice(s.start, s.end);
            if !s.text.is_empty() && s.text != actual {
                skip(format!(
                    "span {:?}: its text {:?} does not match the text at {}..{} ({actual:?}); are the offsets in code points?",
                    s.id, s.text, s.start, s.end
                ));
                continue;
            }
            if s.label.trim().is_empty() {
                skip(format!("span {:?} has no label", s.id));
                continue;
            }
            growth.label(&s.label);
            for (key, value) in &s.attrs {
                growth.attribute(&s.label, key, value);
            }
            let id = project.new_span_id();
            ids.insert(s.id.clone(), (id, s.label.clone()));
            doc.spans.push(Span {
                id,
                start: s.start,
                end: s.end,
                label: s.label.clone(),
                attrs: s.attrs.clone(),
                origin: origin(s, &at),
                review: s
                    .status
                    .as_deref()
                    .and_then(ReviewState::parse)
                    .unwrap_or(ReviewState::Accepted),
                created: Timestamp::now(),
                annotator: s.annotator.clone().filter(|a| !a.trim().is_empty()),
            });
        }
        for r in &record.relations {
            let reason = match (ids.get(&r.from), ids.get(&r.to)) {
                (Some((from, fl)), Some((to, tl))) => match growth.relation(&r.kind, fl, tl) {
                    Ok(()) if from != to => {
                        let rel = Relation {
                            from: *from,
                            kind: r.kind.clone(),
                            to: *to,
                        };
                        if !doc.relations.contains(&rel) {
                            doc.relations.push(rel);
                        }
                        continue;
                    }
                    Ok(()) => "a span cannot be linked to itself".to_string(),
                    Err(e) => e,
                },
                _ => format!(
                    "the {} link from {:?} to {:?} names a span that was not imported",
                    r.kind, r.from, r.to
                ),
            };
            skipped.push(Skipped {
                what: place.clone(),
                reason,
            });
        }
        doc.spans.sort_by_key(|s| s.sort_key());
        doc.relations.sort();
        n_spans += doc.spans.len();
        n_relations += doc.relations.len();
        documents.push(doc);
    }
    let n_docs = documents.len();
    let mut edits = growth.edits;
    edits.push(add_documents_edit(project, documents));
    Plan {
        edit: Edit::Batch {
            description: format!("import {n_docs} document(s)"),
            edits,
        },
        documents: n_docs,
        spans: n_spans,
        relations: n_relations,
        notices: growth.notices,
        skipped,
    }
}
