//! The annotation model: projects, documents, spans, relations, the schema,
//! and the edit commands (with their inverses) that are the only way to
//! change any of them.
//!
//! Invariants kept here: every span lies inside its document's text
//! (`start < end <= len`, in code points) and has a label of the schema;
//! every relation joins two spans of the same document with a relation type
//! whose labels fit; spans and relations are kept in a canonical order, so
//! that equal projects save to identical bytes.

mod document;
mod edit;
mod history;
mod meta;
mod schema;
mod span;
mod text;

pub use document::{DocStatus, Document};
pub use edit::{Edit, EditError};
pub use history::History;
pub use schema::{AttrDef, AttrKind, LabelDef, RelationDef, Rgb, Schema};
pub use span::{Origin, Relation, ReviewState, Span, SpanId, Timestamp};
pub use text::Text;

use serde::{Deserialize, Serialize};

/// Everything a `.sayso` file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub created: Timestamp,
    pub schema: Schema,
    /// The next free span id. Ids are never reused, also not after undo.
    pub next_span_id: u64,
    /// Ids of rules switched off for this project, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabled_rules: Vec<String>,
    /// The annotator this file was handed out to (`sayso assign`); a merge
    /// gives it to the spans of this file that name no annotator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    pub documents: Vec<Document>,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            created: Timestamp::now(),
            schema: Schema::default(),
            next_span_id: 1,
            disabled_rules: Vec::new(),
            annotator: None,
            documents: Vec::new(),
        }
    }
}

impl Project {
    /// A fresh span id. Allocating ids is not an edit: ids are never reused,
    /// so undoing the edit that used one does not give it back.
    pub fn new_span_id(&mut self) -> SpanId {
        let id = SpanId(self.next_span_id);
        self.next_span_id += 1;
        id
    }

    pub fn document_index(&self, name: &str) -> Option<usize> {
        self.documents.iter().position(|d| d.name == name)
    }

    /// Span counts per label (in schema order, then any others) over all
    /// documents, split by review state.
    pub fn label_counts(&self) -> Vec<LabelCount> {
        let mut counts: Vec<LabelCount> = self
            .schema
            .labels
            .iter()
            .map(|l| LabelCount {
                label: l.name.clone(),
                ..LabelCount::default()
            })
            .collect();
        for span in self.documents.iter().flat_map(|d| &d.spans) {
            let at = match counts.iter().position(|c| c.label == span.label) {
                Some(at) => at,
                None => {
                    counts.push(LabelCount {
                        label: span.label.clone(),
                        ..LabelCount::default()
                    });
                    counts.len() - 1
                }
            };
            let c = &mut counts[at];
            match span.review {
                ReviewState::Accepted => c.accepted += 1,
                ReviewState::Suggested => c.suggested += 1,
                ReviewState::Rejected => c.rejected += 1,
            }
        }
        counts
    }
}

/// How many spans of one label are in each review state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelCount {
    pub label: String,
    pub accepted: usize,
    pub suggested: usize,
    pub rejected: usize,
}
