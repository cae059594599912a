//! Bringing annotators' files together ([`merge`]) and apart again
//! ([`split`]), losing nothing.
//!
//! Documents are matched by name; a document of the same name whose text
//! differs between files is an error that names both files and where the
//! texts part, never merged. Span ids are given out anew (each file counts
//! its own), relations follow their spans. A span that names no annotator
//! (imported, or a pending suggestion) takes its file's: the name `sayso
//! assign` recorded in the file, else the file's stem. Schemas are united:
//! labels, attributes, values and relation types only some files have are
//! added, each with a notice.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use thiserror::Error;

use super::annotators_of;
use crate::model::{
    AttrKind, DocStatus, Document, Edit, EditError, LabelDef, Project, Relation, Schema, SpanId,
};

/// One annotator's file, read.
#[derive(Debug, Clone)]
pub struct TeamFile {
    /// How the file is named in messages (its path).
    pub path: String,
    /// The annotator of spans that name none: [`Project::annotator`], else
    /// the file's stem.
    pub annotator: String,
    pub project: Project,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum MergeError {
    #[error("name at least one project file to merge")]
    NoFiles,
    #[error(
        "{first} and {second} are both the files of {annotator:?}, whose annotations would mix; merge one of them, or give the other file another name"
    )]
    SameAnnotator {
        annotator: String,
        first: String,
        second: String,
    },
    #[error(
        "the document {document:?} has another text in {second} than in {first} (they part at character {at}); documents are merged only when name and text agree, so fix or rename it in one of the files"
    )]
    DifferentText {
        document: String,
        first: String,
        second: String,
        at: usize,
    },
    #[error("the relation type {name:?} {detail}; rename it in one of the files")]
    RelationClash {
        name: String,
        /// Which labels it links in which file.
        detail: String,
    },
    #[error("the merged documents do not fit together: {0}")]
    Edit(#[from] EditError),
}

/// A merged project and what the user should know about it.
#[derive(Debug, Clone)]
pub struct Merged {
    pub project: Project,
    /// Schema additions and other remarks, one line each.
    pub notices: Vec<String>,
    /// Annotator → spans, over all documents.
    pub spans: BTreeMap<String, usize>,
}

/// Unites `other` into `schema`; `from` names the file in notices.
fn unite(
    schema: &mut Schema,
    other: &Schema,
    first: &str,
    from: &str,
    notices: &mut Vec<String>,
) -> Result<(), MergeError> {
    for label in &other.labels {
        let Some(mine) = schema.label_mut(&label.name) else {
            let used: BTreeSet<char> = schema
                .labels
                .iter()
                .map(|l| l.hotkey.to_ascii_lowercase())
                .collect();
            let mut label: LabelDef = label.clone();
            if used.contains(&label.hotkey.to_ascii_lowercase()) {
                let free = label
                    .name
                    .chars()
                    .map(|c| c.to_ascii_lowercase())
                    .chain('a'..='z')
                    .chain('0'..='9')
                    .find(|c| c.is_ascii_alphanumeric() && !used.contains(c))
                    .unwrap_or('?');
                label.hotkey = free;
            }
            notices.push(format!(
                "added label {:?} (hotkey {:?}) from {from} to the schema",
                label.name, label.hotkey
            ));
            schema.labels.push(label);
            continue;
        };
        for attr in &label.attributes {
            let Some(have) = mine.attributes.iter_mut().find(|a| a.name == attr.name) else {
                notices.push(format!(
                    "added attribute {:?} of {:?} from {from} to the schema",
                    attr.name, label.name
                ));
                mine.attributes.push(attr.clone());
                continue;
            };
            match (&mut have.kind, &attr.kind) {
                (AttrKind::Choice(values), AttrKind::Choice(theirs)) => {
                    for v in theirs {
                        if !values.contains(v) {
                            notices.push(format!(
                                "added value {v:?} to {:?} {:?} from {from}",
                                label.name, attr.name
                            ));
                            values.push(v.clone());
                        }
                    }
                }
                (AttrKind::Choice(_), AttrKind::Text) => {
                    notices.push(format!(
                        "{:?} of {:?} is free text in {from} but a choice in {first}: it is free text in the merged project",
                        attr.name, label.name
                    ));
                    have.kind = AttrKind::Text;
                }
                (AttrKind::Text, _) => {}
            }
        }
    }
    for rel in &other.relations {
        match schema.relation(&rel.name) {
            Some(have) if have.from == rel.from && have.to == rel.to => {}
            Some(have) => {
                return Err(MergeError::RelationClash {
                    name: rel.name.clone(),
                    detail: format!(
                        "links a {} to a {} in {first} but a {} to a {} in {from}",
                        have.from, have.to, rel.from, rel.to
                    ),
                });
            }
            None => {
                notices.push(format!(
                    "added relation type {:?} ({} → {}) from {from} to the schema",
                    rel.name, rel.from, rel.to
                ));
                schema.relations.push(rel.clone());
            }
        }
    }
    Ok(())
}

/// Where two texts part, in code points.
fn parting(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Merges the files into one new project (see the module's comment).
/// Documents come in the order they first appear; a document's status is
/// the least advanced of its files', its other fields (source, metadata)
/// those of the first file that has it.
pub fn merge(files: &[TeamFile]) -> Result<Merged, MergeError> {
    let Some(first) = files.first() else {
        return Err(MergeError::NoFiles);
    };
    let mut owners: HashMap<&str, &str> = HashMap::new();
    for f in files {
        if let Some(prev) = owners.insert(&f.annotator, &f.path) {
            return Err(MergeError::SameAnnotator {
                annotator: f.annotator.clone(),
                first: prev.into(),
                second: f.path.clone(),
            });
        }
    }
    let mut notices = Vec::new();
    let mut schema = first.project.schema.clone();
    for f in &files[1..] {
        unite(
            &mut schema,
            &f.project.schema,
            &first.path,
            &f.path,
            &mut notices,
        )?;
    }
    let mut disabled: BTreeSet<String> = BTreeSet::new();
    let mut docs: Vec<Document> = Vec::new();
    let mut where_from: HashMap<String, (usize, String)> = HashMap::new();
    let mut next = 1u64;
    let mut spans: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        disabled.extend(f.project.disabled_rules.iter().cloned());
        let mut others: BTreeMap<String, usize> = BTreeMap::new();
        for doc in &f.project.documents {
            let at = match where_from.get(&doc.name) {
                Some((at, path)) => {
                    let have = &docs[*at];
                    if have.text != doc.text {
                        return Err(MergeError::DifferentText {
                            document: doc.name.clone(),
                            first: path.clone(),
                            second: f.path.clone(),
                            at: parting(have.text.as_str(), doc.text.as_str()),
                        });
                    }
                    *at
                }
                None => {
                    let mut d = doc.clone();
                    d.spans.clear();
                    d.relations.clear();
                    d.annotators.clear();
                    d.status = DocStatus::Done;
                    where_from.insert(doc.name.clone(), (docs.len(), f.path.clone()));
                    docs.push(d);
                    docs.len() - 1
                }
            };
            let target = &mut docs[at];
            target.status = least(target.status, doc.status);
            let had: Vec<String> = if doc.annotators.is_empty() {
                vec![f.annotator.clone()]
            } else {
                doc.annotators.clone()
            };
            let mut ids: HashMap<SpanId, SpanId> = HashMap::new();
            for s in &doc.spans {
                let mut s = s.clone();
                let id = SpanId(next);
                next += 1;
                ids.insert(s.id, id);
                s.id = id;
                if s.annotator().is_none() {
                    s.annotator = Some(f.annotator.clone());
                }
                let who = s.annotator().unwrap_or_default().to_string();
                if who != f.annotator && doc.annotators.is_empty() {
                    *others.entry(who.clone()).or_default() += 1;
                }
                *spans.entry(who).or_default() += 1;
                target.spans.push(s);
            }
            for r in &doc.relations {
                if let (Some(from), Some(to)) = (ids.get(&r.from), ids.get(&r.to)) {
                    target.relations.push(Relation {
                        from: *from,
                        kind: r.kind.clone(),
                        to: *to,
                    });
                }
            }
            let mut all: BTreeSet<String> = target.annotators.drain(..).collect();
            all.extend(had);
            target.annotators = all.into_iter().collect();
        }
        for (who, n) in others {
            notices.push(format!(
                "{}: {n} span(s) are by {who:?}, not by {:?}; they stay {who:?}'s",
                f.path, f.annotator
            ));
        }
    }
    for d in &mut docs {
        d.spans.sort_by_key(|s| s.sort_key());
        d.relations.sort();
        d.relations.dedup();
        let owner: HashMap<SpanId, Option<&str>> =
            d.spans.iter().map(|s| (s.id, s.annotator())).collect();
        let crossing = d
            .relations
            .iter()
            .filter(|r| owner.get(&r.from) != owner.get(&r.to))
            .count();
        if crossing > 0 {
            notices.push(format!(
                "document {:?}: {crossing} link(s) join spans of two annotators; each stays with the annotator of the span it starts at",
                d.name
            ));
        }
    }
    let mut project = Project {
        schema,
        next_span_id: next,
        disabled_rules: disabled.into_iter().collect(),
        ..Project::default()
    };
    Edit::AddDocuments {
        at: 0,
        documents: docs,
    }
    .apply(&mut project)?;
    Ok(Merged {
        project,
        notices,
        spans,
    })
}

fn least(a: DocStatus, b: DocStatus) -> DocStatus {
    let rank = |s| match s {
        DocStatus::Todo => 0,
        DocStatus::InProgress => 1,
        DocStatus::Done => 2,
    };
    if rank(a) <= rank(b) { a } else { b }
}

/// Takes a merged project apart: one project per annotator (sorted by
/// name) with the documents they had and their spans, and the relations
/// that start at their spans and end at spans of theirs. Span ids stay
/// those of the merged project. Returns also how many spans belong to no
/// annotator (curated ones without a curator): those are in no file.
pub fn split(project: &Project) -> Result<(Vec<(String, Project)>, usize), EditError> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut nobody = 0;
    for d in &project.documents {
        names.extend(annotators_of(d));
        nobody += d.spans.iter().filter(|s| s.annotator().is_none()).count();
    }
    let files = names
        .into_iter()
        .map(|name| {
            let documents: Vec<Document> = project
                .documents
                .iter()
                .filter(|d| annotators_of(d).contains(&name))
                .map(|d| {
                    let mut d = d.clone();
                    d.annotators.clear();
                    d.spans.retain(|s| s.annotator() == Some(name.as_str()));
                    let kept: BTreeSet<SpanId> = d.spans.iter().map(|s| s.id).collect();
                    d.relations
                        .retain(|r| kept.contains(&r.from) && kept.contains(&r.to));
                    d
                })
                .collect();
            let mut file = Project {
                created: project.created,
                schema: project.schema.clone(),
                next_span_id: project.next_span_id,
                disabled_rules: project.disabled_rules.clone(),
                annotator: Some(name.clone()),
                documents: Vec::new(),
            };
            Edit::AddDocuments { at: 0, documents }.apply(&mut file)?;
            Ok((name, file))
        })
        .collect::<Result<_, EditError>>()?;
    Ok((files, nobody))
}
