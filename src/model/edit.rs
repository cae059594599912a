//! Edit commands: the one way to change a project.
//!
//! [`Edit::apply`] checks a command against the project and the schema,
//! carries it out, and returns its exact inverse. The undo history
//! ([`super::History`]) keeps those inverses; a [`Edit::Batch`] (accept all
//! of a rule, tag all matches) is one step. A command that fails changes
//! nothing, a failing batch included.

use thiserror::Error;

use super::{
    AttrDef, DocStatus, Document, LabelDef, Origin, Project, Relation, RelationDef, ReviewState,
    Span, SpanId,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a span and, with it, relations that touch it (the inverse of
    /// removing a span brings its relations back this way).
    AddSpan {
        doc: usize,
        span: Span,
        relations: Vec<Relation>,
    },
    /// Removes a span and every relation that touches it.
    RemoveSpan {
        doc: usize,
        id: SpanId,
    },
    ResizeSpan {
        doc: usize,
        id: SpanId,
        start: usize,
        end: usize,
    },
    /// Changes a span's label; attributes and relations that the new label
    /// does not allow are dropped (and come back on undo).
    RelabelSpan {
        doc: usize,
        id: SpanId,
        label: String,
    },
    /// Sets (`Some`) or clears (`None`) one attribute of a span.
    SetAttr {
        doc: usize,
        id: SpanId,
        key: String,
        value: Option<String>,
    },
    AddRelation {
        doc: usize,
        relation: Relation,
    },
    RemoveRelation {
        doc: usize,
        relation: Relation,
    },
    /// Accepts, rejects or re-opens a suggestion.
    SetReview {
        doc: usize,
        id: SpanId,
        review: ReviewState,
    },
    SetDocStatus {
        doc: usize,
        status: DocStatus,
    },
    /// Records (`Some`) or clears (`None`) whose a span is: who decided on
    /// a suggestion, whose file it came from (see [`Span::annotator`]).
    SetAnnotator {
        doc: usize,
        id: SpanId,
        annotator: Option<String>,
    },
    /// Sets the "edited before accepting" mark of a rule suggestion. The
    /// span edits set it themselves; this is their inverse.
    MarkEdited {
        doc: usize,
        id: SpanId,
        edited: bool,
    },
    /// Switches a rule off (or on again) for this project.
    SetRuleEnabled {
        rule: String,
        enabled: bool,
    },
    AddDocument {
        at: usize,
        document: Box<Document>,
    },
    RemoveDocument {
        at: usize,
    },
    /// Inserts several documents at `at`, in order: an import. Checks name
    /// uniqueness with a hash set, so adding n documents to m takes time
    /// proportional to n + m (a batch of [`Edit::AddDocument`] compares
    /// every name with every other).
    AddDocuments {
        at: usize,
        documents: Vec<Document>,
    },
    /// Removes `count` documents from `at` on.
    RemoveDocuments {
        at: usize,
        count: usize,
    },
    AddLabel {
        at: usize,
        label: LabelDef,
    },
    /// Removes a label that no span uses.
    RemoveLabel {
        name: String,
    },
    AddAttribute {
        label: String,
        at: usize,
        attr: AttrDef,
    },
    RemoveAttribute {
        label: String,
        name: String,
    },
    /// Adds a value to a choice attribute.
    AddAttrValue {
        label: String,
        attr: String,
        at: usize,
        value: String,
    },
    RemoveAttrValue {
        label: String,
        attr: String,
        value: String,
    },
    AddRelationType {
        at: usize,
        relation: RelationDef,
    },
    /// Removes a relation type that no relation uses.
    RemoveRelationType {
        name: String,
    },
    /// Several edits as one undo step, applied in order, all or nothing.
    Batch {
        description: String,
        edits: Vec<Edit>,
    },
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum EditError {
    #[error("there is no document number {0} in the project")]
    NoDocument(usize),
    #[error("there is no span {0} in this document")]
    NoSpan(SpanId),
    #[error("span {0} exists already")]
    DuplicateSpan(SpanId),
    #[error(
        "span {0} has an id that the project has not given out yet (its next_span_id is lower), so it could collide with a later span; if the project file was edited by hand, set next_span_id above every span id"
    )]
    UnallocatedSpan(SpanId),
    #[error(
        "a span from {start} to {end} does not fit a text of {len} characters (need start < end <= {len})"
    )]
    BadRange {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("the schema has no label {0:?}; add it to the schema first")]
    UnknownLabel(String),
    #[error("the label {label:?} has no attribute {attr:?}; add it to the schema first")]
    UnknownAttribute { label: String, attr: String },
    #[error(
        "{value:?} is not a value of {attr:?} (allowed: {allowed}); add it to the schema first"
    )]
    BadAttrValue {
        attr: String,
        value: String,
        allowed: String,
    },
    #[error("the schema has no relation type {0:?}; add it to the schema first")]
    UnknownRelation(String),
    #[error("a {kind} link goes from a {want_from} to a {want_to}, not from a {from} to a {to}")]
    RelationLabels {
        kind: String,
        want_from: String,
        want_to: String,
        from: String,
        to: String,
    },
    #[error("a span cannot be linked to itself")]
    SelfRelation,
    #[error("that {0} link exists already")]
    DuplicateRelation(String),
    #[error("there is no such {0} link")]
    NoRelation(String),
    #[error("a document named {0:?} is in the project already")]
    DuplicateDocument(String),
    #[error("{0}")]
    Schema(String),
    #[error("{what} is still used by {count} item(s); remove those first")]
    InUse { what: String, count: usize },
}

type Result<T> = std::result::Result<T, EditError>;

impl Edit {
    /// What the edit does, for "Undo …" menu entries.
    pub fn describe(&self) -> String {
        match self {
            Edit::AddSpan { span, .. } => format!("add {}", span.label),
            Edit::RemoveSpan { .. } => "delete span".into(),
            Edit::ResizeSpan { .. } => "resize span".into(),
            Edit::RelabelSpan { label, .. } => format!("relabel as {label}"),
            Edit::SetAttr { key, .. } => format!("set {key}"),
            Edit::AddRelation { relation, .. } => format!("add {} link", relation.kind),
            Edit::RemoveRelation { relation, .. } => format!("remove {} link", relation.kind),
            Edit::SetReview { review, .. } => match review {
                ReviewState::Accepted => "accept suggestion".into(),
                ReviewState::Rejected => "reject suggestion".into(),
                ReviewState::Suggested => "reopen suggestion".into(),
            },
            Edit::SetDocStatus { status, .. } => format!("mark {}", status.as_str()),
            Edit::SetAnnotator { annotator, .. } => match annotator {
                Some(a) => format!("record annotator {a}"),
                None => "clear annotator".into(),
            },
            Edit::MarkEdited { .. } => "mark edited".into(),
            Edit::SetRuleEnabled { rule, enabled } => {
                format!(
                    "{} rule {rule}",
                    if *enabled { "enable" } else { "disable" }
                )
            }
            Edit::AddDocument { document, .. } => format!("add document {}", document.name),
            Edit::RemoveDocument { .. } => "remove document".into(),
            Edit::AddDocuments { documents, .. } => format!("add {} document(s)", documents.len()),
            Edit::RemoveDocuments { count, .. } => format!("remove {count} document(s)"),
            Edit::AddLabel { label, .. } => format!("add label {}", label.name),
            Edit::RemoveLabel { name } => format!("remove label {name}"),
            Edit::AddAttribute { attr, .. } => format!("add attribute {}", attr.name),
            Edit::RemoveAttribute { name, .. } => format!("remove attribute {name}"),
            Edit::AddAttrValue { value, .. } => format!("add value {value}"),
            Edit::RemoveAttrValue { value, .. } => format!("remove value {value}"),
            Edit::AddRelationType { relation, .. } => {
                format!("add relation type {}", relation.name)
            }
            Edit::RemoveRelationType { name } => format!("remove relation type {name}"),
            Edit::Batch { description, .. } => description.clone(),
        }
    }

    /// The edit that sets the review state of span `id` in document `doc`.
    /// Rejecting a pending suggestion also removes, in the same undo step,
    /// the links that touch it: a link to or from a pending suggestion is
    /// pending itself (links carry no origin of their own), so a rejected
    /// Speaker takes the `said_by`/`held_by` links to it along, also those
    /// from a Claim the user made. Links of an accepted span stay when it is
    /// rejected later, and nothing else changes links.
    pub fn set_review(project: &Project, doc: usize, id: SpanId, review: ReviewState) -> Edit {
        let set = Edit::SetReview { doc, id, review };
        let Some(d) = project.documents.get(doc) else {
            return set;
        };
        let pending = d
            .span(id)
            .is_some_and(|s| s.review == ReviewState::Suggested);
        if review != ReviewState::Rejected || !pending {
            return set;
        }
        let mut edits: Vec<Edit> = d
            .relations_of(id)
            .map(|r| Edit::RemoveRelation {
                doc,
                relation: r.clone(),
            })
            .collect();
        if edits.is_empty() {
            return set;
        }
        let n = edits.len();
        edits.push(set);
        Edit::Batch {
            description: format!("reject suggestion and {n} pending link(s)"),
            edits,
        }
    }

    /// [`Edit::set_review`] that also records who decided: accepting or
    /// rejecting stamps `by` on the span (its [`Span::annotator`]),
    /// reopening a suggestion clears the record. One undo step.
    pub fn review_by(
        project: &Project,
        doc: usize,
        id: SpanId,
        review: ReviewState,
        by: &str,
    ) -> Edit {
        let set = Edit::set_review(project, doc, id, review);
        let Some(span) = project.documents.get(doc).and_then(|d| d.span(id)) else {
            return set;
        };
        let want = (review != ReviewState::Suggested).then(|| by.to_string());
        // A manual span names its annotator in its origin already.
        let manual = matches!(span.origin, Origin::Manual { .. });
        if span.annotator == want || (manual && span.annotator.is_none() && want.is_some()) {
            return set;
        }
        let stamp = Edit::SetAnnotator {
            doc,
            id,
            annotator: want,
        };
        let description = set.describe();
        let edits = match set {
            Edit::Batch { edits, .. } => edits.into_iter().chain([stamp]).collect(),
            one => vec![one, stamp],
        };
        Edit::Batch { description, edits }
    }

    /// The document the edit is about, if it is about one.
    pub fn document(&self) -> Option<usize> {
        match self {
            Edit::AddSpan { doc, .. }
            | Edit::RemoveSpan { doc, .. }
            | Edit::ResizeSpan { doc, .. }
            | Edit::RelabelSpan { doc, .. }
            | Edit::SetAttr { doc, .. }
            | Edit::AddRelation { doc, .. }
            | Edit::RemoveRelation { doc, .. }
            | Edit::SetReview { doc, .. }
            | Edit::MarkEdited { doc, .. }
            | Edit::SetAnnotator { doc, .. }
            | Edit::SetDocStatus { doc, .. } => Some(*doc),
            Edit::AddDocument { at, .. }
            | Edit::RemoveDocument { at }
            | Edit::AddDocuments { at, .. }
            | Edit::RemoveDocuments { at, .. } => Some(*at),
            Edit::Batch { edits, .. } => edits.iter().find_map(Edit::document),
            _ => None,
        }
    }

    /// Carries the edit out and returns its inverse. On error the project
    /// is unchanged.
    pub fn apply(self, project: &mut Project) -> Result<Edit> {
        let touched = match &self {
            Edit::ResizeSpan { doc, id, .. }
            | Edit::RelabelSpan { doc, id, .. }
            | Edit::SetAttr { doc, id, .. } => Some((*doc, *id)),
            _ => None,
        };
        let inverse = self.apply_one(project)?;
        Ok(match touched {
            Some((doc, id)) if mark_edited(project, doc, id) => Edit::Batch {
                description: "edit suggestion".into(),
                edits: vec![
                    inverse,
                    Edit::MarkEdited {
                        doc,
                        id,
                        edited: false,
                    },
                ],
            },
            _ => inverse,
        })
    }

    fn apply_one(self, project: &mut Project) -> Result<Edit> {
        match self {
            Edit::AddSpan {
                doc,
                span,
                relations,
            } => add_span(project, doc, span, relations),
            Edit::RemoveSpan { doc, id } => {
                let d = doc_mut(project, doc)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let span = d.spans.remove(at);
                let (gone, kept) = std::mem::take(&mut d.relations)
                    .into_iter()
                    .partition(|r| r.from == id || r.to == id);
                d.relations = kept;
                Ok(Edit::AddSpan {
                    doc,
                    span,
                    relations: gone,
                })
            }
            Edit::ResizeSpan {
                doc,
                id,
                start,
                end,
            } => {
                let d = doc_mut(project, doc)?;
                check_range(d, start, end)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let mut span = d.spans.remove(at);
                let inverse = Edit::ResizeSpan {
                    doc,
                    id,
                    start: span.start,
                    end: span.end,
                };
                span.start = start;
                span.end = end;
                d.insert_span(span);
                Ok(inverse)
            }
            Edit::RelabelSpan { doc, id, label } => relabel(project, doc, id, label),
            Edit::SetAttr {
                doc,
                id,
                key,
                value,
            } => {
                let schema = &project.schema;
                let d = doc_ref(project, doc)?;
                let span = d.span(id).ok_or(EditError::NoSpan(id))?;
                if let Some(value) = &value {
                    check_attr(schema, &span.label, &key, value)?;
                }
                let d = doc_mut(project, doc)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let attrs = &mut d.spans[at].attrs;
                let old = match value {
                    Some(v) => attrs.insert(key.clone(), v),
                    None => attrs.remove(&key),
                };
                Ok(Edit::SetAttr {
                    doc,
                    id,
                    key,
                    value: old,
                })
            }
            Edit::AddRelation { doc, relation } => {
                check_relation(project, doc, &relation)?;
                let d = doc_mut(project, doc)?;
                if !d.insert_relation(relation.clone()) {
                    return Err(EditError::DuplicateRelation(relation.kind));
                }
                Ok(Edit::RemoveRelation { doc, relation })
            }
            Edit::RemoveRelation { doc, relation } => {
                let d = doc_mut(project, doc)?;
                let at = d
                    .relations
                    .binary_search(&relation)
                    .map_err(|_| EditError::NoRelation(relation.kind.clone()))?;
                d.relations.remove(at);
                Ok(Edit::AddRelation { doc, relation })
            }
            Edit::SetReview { doc, id, review } => {
                let d = doc_mut(project, doc)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let old = std::mem::replace(&mut d.spans[at].review, review);
                Ok(Edit::SetReview {
                    doc,
                    id,
                    review: old,
                })
            }
            Edit::SetAnnotator { doc, id, annotator } => {
                let d = doc_mut(project, doc)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let old = std::mem::replace(&mut d.spans[at].annotator, annotator);
                Ok(Edit::SetAnnotator {
                    doc,
                    id,
                    annotator: old,
                })
            }
            Edit::MarkEdited { doc, id, edited } => {
                let d = doc_mut(project, doc)?;
                let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
                let Origin::Rule { edited: flag, .. } = &mut d.spans[at].origin else {
                    return Err(EditError::Schema(format!(
                        "span {id} is not a rule suggestion"
                    )));
                };
                let old = std::mem::replace(flag, edited);
                Ok(Edit::MarkEdited {
                    doc,
                    id,
                    edited: old,
                })
            }
            Edit::SetRuleEnabled { rule, enabled } => {
                let list = &mut project.disabled_rules;
                let was_enabled = match list.binary_search(&rule) {
                    Ok(at) => {
                        if enabled {
                            list.remove(at);
                        }
                        false
                    }
                    Err(at) => {
                        if !enabled {
                            list.insert(at, rule.clone());
                        }
                        true
                    }
                };
                Ok(Edit::SetRuleEnabled {
                    rule,
                    enabled: was_enabled,
                })
            }
            Edit::SetDocStatus { doc, status } => {
                let d = doc_mut(project, doc)?;
                let old = std::mem::replace(&mut d.status, status);
                Ok(Edit::SetDocStatus { doc, status: old })
            }
            Edit::AddDocument { at, document } => {
                if at > project.documents.len() {
                    return Err(EditError::NoDocument(at));
                }
                if project.document_index(&document.name).is_some() {
                    return Err(EditError::DuplicateDocument(document.name.clone()));
                }
                check_document(project, &document)?;
                project.documents.insert(at, *document);
                Ok(Edit::RemoveDocument { at })
            }
            Edit::RemoveDocument { at } => {
                if at >= project.documents.len() {
                    return Err(EditError::NoDocument(at));
                }
                let document = Box::new(project.documents.remove(at));
                Ok(Edit::AddDocument { at, document })
            }
            Edit::AddDocuments { at, documents } => {
                if at > project.documents.len() {
                    return Err(EditError::NoDocument(at));
                }
                let mut names: std::collections::HashSet<&str> =
                    project.documents.iter().map(|d| d.name.as_str()).collect();
                for document in &documents {
                    if !names.insert(document.name.as_str()) {
                        return Err(EditError::DuplicateDocument(document.name.clone()));
                    }
                    check_document(project, document)?;
                }
                let count = documents.len();
                project.documents.splice(at..at, documents);
                Ok(Edit::RemoveDocuments { at, count })
            }
            Edit::RemoveDocuments { at, count } => {
                let end = at.saturating_add(count);
                if end > project.documents.len() {
                    return Err(EditError::NoDocument(end.saturating_sub(1)));
                }
                let documents = project.documents.drain(at..end).collect();
                Ok(Edit::AddDocuments { at, documents })
            }
            Edit::AddLabel { at, label } => {
                project.schema.check_new_label(&label)?;
                let at = at.min(project.schema.labels.len());
                let name = label.name.clone();
                project.schema.labels.insert(at, label);
                Ok(Edit::RemoveLabel { name })
            }
            Edit::RemoveLabel { name } => {
                let at = label_index(project, &name)?;
                let used = project
                    .documents
                    .iter()
                    .flat_map(|d| &d.spans)
                    .filter(|s| s.label == name)
                    .count()
                    + project
                        .schema
                        .relations
                        .iter()
                        .filter(|r| r.from == name || r.to == name)
                        .count();
                if used > 0 {
                    return Err(EditError::InUse {
                        what: format!("the label {name:?}"),
                        count: used,
                    });
                }
                let label = project.schema.labels.remove(at);
                Ok(Edit::AddLabel { at, label })
            }
            Edit::AddAttribute { label, at, attr } => {
                let def = label_mut(project, &label)?;
                if def.attribute(&attr.name).is_some() {
                    return Err(EditError::Schema(format!(
                        "the label {label:?} has an attribute {:?} already",
                        attr.name
                    )));
                }
                let at = at.min(def.attributes.len());
                let name = attr.name.clone();
                def.attributes.insert(at, attr);
                Ok(Edit::RemoveAttribute { label, name })
            }
            Edit::RemoveAttribute { label, name } => {
                let used = project
                    .documents
                    .iter()
                    .flat_map(|d| &d.spans)
                    .filter(|s| s.label == label && s.attrs.contains_key(&name))
                    .count();
                if used > 0 {
                    return Err(EditError::InUse {
                        what: format!("the attribute {name:?}"),
                        count: used,
                    });
                }
                let def = label_mut(project, &label)?;
                let at = def
                    .attributes
                    .iter()
                    .position(|a| a.name == name)
                    .ok_or_else(|| EditError::UnknownAttribute {
                        label: label.clone(),
                        attr: name.clone(),
                    })?;
                let attr = def.attributes.remove(at);
                Ok(Edit::AddAttribute { label, at, attr })
            }
            Edit::AddAttrValue {
                label,
                attr,
                at,
                value,
            } => {
                let values = choice_values(project, &label, &attr)?;
                if value.is_empty() || values.contains(&value) {
                    return Err(EditError::Schema(format!(
                        "{value:?} cannot be added to {attr:?}: it is empty or there already"
                    )));
                }
                let at = at.min(values.len());
                values.insert(at, value.clone());
                Ok(Edit::RemoveAttrValue { label, attr, value })
            }
            Edit::RemoveAttrValue { label, attr, value } => {
                let used = project
                    .documents
                    .iter()
                    .flat_map(|d| &d.spans)
                    .filter(|s| s.label == label && s.attrs.get(&attr) == Some(&value))
                    .count();
                if used > 0 {
                    return Err(EditError::InUse {
                        what: format!("the value {value:?}"),
                        count: used,
                    });
                }
                let values = choice_values(project, &label, &attr)?;
                let at = values
                    .iter()
                    .position(|v| *v == value)
                    .ok_or_else(|| EditError::Schema(format!("{attr:?} has no value {value:?}")))?;
                values.remove(at);
                Ok(Edit::AddAttrValue {
                    label,
                    attr,
                    at,
                    value,
                })
            }
            Edit::AddRelationType { at, relation } => {
                project.schema.check_new_relation(&relation)?;
                let at = at.min(project.schema.relations.len());
                let name = relation.name.clone();
                project.schema.relations.insert(at, relation);
                Ok(Edit::RemoveRelationType { name })
            }
            Edit::RemoveRelationType { name } => {
                let at = project
                    .schema
                    .relations
                    .iter()
                    .position(|r| r.name == name)
                    .ok_or_else(|| EditError::UnknownRelation(name.clone()))?;
                let used = project
                    .documents
                    .iter()
                    .flat_map(|d| &d.relations)
                    .filter(|r| r.kind == name)
                    .count();
                if used > 0 {
                    return Err(EditError::InUse {
                        what: format!("the relation type {name:?}"),
                        count: used,
                    });
                }
                let relation = project.schema.relations.remove(at);
                Ok(Edit::AddRelationType { at, relation })
            }
            Edit::Batch { description, edits } => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(project) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(e) => {
                            for inverse in inverses.into_iter().rev() {
                                // Inverses of edits that just succeeded on
                                // this very state cannot fail.
                                let _ = inverse.apply(project);
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch {
                    description,
                    edits: inverses,
                })
            }
        }
    }
}

fn doc_ref(project: &Project, doc: usize) -> Result<&Document> {
    project.documents.get(doc).ok_or(EditError::NoDocument(doc))
}

fn doc_mut(project: &mut Project, doc: usize) -> Result<&mut Document> {
    project
        .documents
        .get_mut(doc)
        .ok_or(EditError::NoDocument(doc))
}

fn label_index(project: &Project, name: &str) -> Result<usize> {
    project
        .schema
        .labels
        .iter()
        .position(|l| l.name == name)
        .ok_or_else(|| EditError::UnknownLabel(name.into()))
}

fn label_mut<'a>(project: &'a mut Project, name: &str) -> Result<&'a mut LabelDef> {
    project
        .schema
        .label_mut(name)
        .ok_or_else(|| EditError::UnknownLabel(name.into()))
}

fn choice_values<'a>(
    project: &'a mut Project,
    label: &str,
    attr: &str,
) -> Result<&'a mut Vec<String>> {
    let def = label_mut(project, label)?;
    let a = def
        .attributes
        .iter_mut()
        .find(|a| a.name == attr)
        .ok_or_else(|| EditError::UnknownAttribute {
            label: label.into(),
            attr: attr.into(),
        })?;
    match &mut a.kind {
        super::AttrKind::Choice(values) => Ok(values),
        super::AttrKind::Text => Err(EditError::Schema(format!(
            "{attr:?} of {label:?} is free text and has no list of values"
        ))),
    }
}

fn check_range(d: &Document, start: usize, end: usize) -> Result<()> {
    let len = d.text.len_chars();
    if start < end && end <= len {
        Ok(())
    } else {
        Err(EditError::BadRange { start, end, len })
    }
}

fn check_attr(schema: &super::Schema, label: &str, key: &str, value: &str) -> Result<()> {
    let def = schema
        .label(label)
        .ok_or_else(|| EditError::UnknownLabel(label.into()))?;
    let attr = def
        .attribute(key)
        .ok_or_else(|| EditError::UnknownAttribute {
            label: label.into(),
            attr: key.into(),
        })?;
    if attr.allows(value) {
        return Ok(());
    }
    let allowed = match &attr.kind {
        super::AttrKind::Choice(values) => values.join(", "),
        super::AttrKind::Text => String::new(),
    };
    Err(EditError::BadAttrValue {
        attr: key.into(),
        value: value.into(),
        allowed,
    })
}

/// Checks a span against its document and the schema.
fn check_span(schema: &super::Schema, d: &Document, span: &Span) -> Result<()> {
    check_range(d, span.start, span.end)?;
    if schema.label(&span.label).is_none() {
        return Err(EditError::UnknownLabel(span.label.clone()));
    }
    for (key, value) in &span.attrs {
        check_attr(schema, &span.label, key, value)?;
    }
    Ok(())
}

fn check_relation_in(schema: &super::Schema, d: &Document, rel: &Relation) -> Result<()> {
    let def = schema
        .relation(&rel.kind)
        .ok_or_else(|| EditError::UnknownRelation(rel.kind.clone()))?;
    if rel.from == rel.to {
        return Err(EditError::SelfRelation);
    }
    let from = d.span(rel.from).ok_or(EditError::NoSpan(rel.from))?;
    let to = d.span(rel.to).ok_or(EditError::NoSpan(rel.to))?;
    if from.label != def.from || to.label != def.to {
        return Err(EditError::RelationLabels {
            kind: def.name.clone(),
            want_from: def.from.clone(),
            want_to: def.to.clone(),
            from: from.label.clone(),
            to: to.label.clone(),
        });
    }
    Ok(())
}

fn check_relation(project: &Project, doc: usize, rel: &Relation) -> Result<()> {
    check_relation_in(&project.schema, doc_ref(project, doc)?, rel)
}

fn check_document(project: &Project, d: &Document) -> Result<()> {
    let mut ids = std::collections::HashSet::new();
    for span in &d.spans {
        check_span(&project.schema, d, span)?;
        if span.id.0 >= project.next_span_id {
            return Err(EditError::UnallocatedSpan(span.id));
        }
        if !ids.insert(span.id) {
            return Err(EditError::DuplicateSpan(span.id));
        }
    }
    for rel in &d.relations {
        check_relation_in(&project.schema, d, rel)?;
    }
    Ok(())
}

fn add_span(
    project: &mut Project,
    doc: usize,
    span: Span,
    relations: Vec<Relation>,
) -> Result<Edit> {
    let d = doc_ref(project, doc)?;
    check_span(&project.schema, d, &span)?;
    if span.id.0 >= project.next_span_id {
        return Err(EditError::UnallocatedSpan(span.id));
    }
    if d.span(span.id).is_some() {
        return Err(EditError::DuplicateSpan(span.id));
    }
    let id = span.id;
    let d = doc_mut(project, doc)?;
    d.insert_span(span);
    for rel in &relations {
        let d = doc_ref(project, doc)?;
        let fine = check_relation_in(&project.schema, d, rel).and_then(|_| {
            if rel.from == id || rel.to == id {
                Ok(())
            } else {
                Err(EditError::Schema(
                    "relations added with a span must touch that span".into(),
                ))
            }
        });
        let d = doc_mut(project, doc)?;
        if let Err(e) = fine.and_then(|_| {
            if d.insert_relation(rel.clone()) {
                Ok(())
            } else {
                Err(EditError::DuplicateRelation(rel.kind.clone()))
            }
        }) {
            d.relations.retain(|r| r.from != id && r.to != id);
            if let Some(at) = d.span_index(id) {
                d.spans.remove(at);
            }
            return Err(e);
        }
    }
    Ok(Edit::RemoveSpan { doc, id })
}

fn relabel(project: &mut Project, doc: usize, id: SpanId, label: String) -> Result<Edit> {
    let schema = &project.schema;
    let def = schema
        .label(&label)
        .ok_or_else(|| EditError::UnknownLabel(label.clone()))?;
    let d = doc_ref(project, doc)?;
    let span = d.span(id).ok_or(EditError::NoSpan(id))?;
    let old_label = span.label.clone();
    let dropped_attrs: Vec<(String, String)> = span
        .attrs
        .iter()
        .filter(|(k, v)| def.attribute(k).is_none_or(|a| !a.allows(v)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let dropped_relations: Vec<Relation> = d
        .relations_of(id)
        .filter(|r| {
            let Some(rd) = schema.relation(&r.kind) else {
                return true;
            };
            (r.from == id && rd.from != label) || (r.to == id && rd.to != label)
        })
        .cloned()
        .collect();
    let d = doc_mut(project, doc)?;
    d.relations.retain(|r| !dropped_relations.contains(r));
    let at = d.span_index(id).ok_or(EditError::NoSpan(id))?;
    let span = &mut d.spans[at];
    span.label = label;
    for (k, _) in &dropped_attrs {
        span.attrs.remove(k);
    }
    let mut undo = vec![Edit::RelabelSpan {
        doc,
        id,
        label: old_label,
    }];
    undo.extend(dropped_attrs.into_iter().map(|(key, value)| Edit::SetAttr {
        doc,
        id,
        key,
        value: Some(value),
    }));
    undo.extend(
        dropped_relations
            .into_iter()
            .map(|relation| Edit::AddRelation { doc, relation }),
    );
    Ok(if undo.len() == 1 {
        undo.remove(0)
    } else {
        Edit::Batch {
            description: "relabel".into(),
            edits: undo,
        }
    })
}

/// Marks a pending rule suggestion as edited; true if the mark was new.
fn mark_edited(project: &mut Project, doc: usize, id: SpanId) -> bool {
    let Some(span) = project
        .documents
        .get_mut(doc)
        .and_then(|d| d.spans.iter_mut().find(|s| s.id == id))
    else {
        return false;
    };
    match &mut span.origin {
        Origin::Rule { edited, .. } if span.review == ReviewState::Suggested && !*edited => {
            *edited = true;
            true
        }
        _ => false,
    }
}
