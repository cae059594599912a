//! A document: its text, its spans and relations, and its review status.

use serde::{Deserialize, Serialize};

use super::span::{Relation, Span, SpanId, Timestamp};
use super::text::Text;

/// How far the annotation of a document has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DocStatus {
    #[default]
    Todo,
    InProgress,
    Done,
}

impl DocStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Todo => "to do",
            DocStatus::InProgress => "in progress",
            DocStatus::Done => "done",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Unique name within the project; the `id` in exports.
    pub name: String,
    /// Where the text was imported from, if from a file.
    #[serde(default)]
    pub source: Option<String>,
    pub added: Timestamp,
    #[serde(default)]
    pub status: DocStatus,
    /// The annotators who had this document, sorted: in a merged project
    /// (`sayso merge`) every annotator whose file held it, also those who
    /// marked nothing in it. Empty outside teams.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotators: Vec<String>,
    /// Free metadata carried from imports and into exports.
    #[serde(default, deserialize_with = "super::meta::deserialize")]
    pub meta: serde_json::Map<String, serde_json::Value>,
    pub text: Text,
    /// Kept sorted by [`Span::sort_key`].
    #[serde(default)]
    pub spans: Vec<Span>,
    /// Kept sorted and free of duplicates.
    #[serde(default)]
    pub relations: Vec<Relation>,
}

impl Document {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            name: name.into(),
            source: None,
            added: Timestamp::now(),
            status: DocStatus::Todo,
            annotators: Vec::new(),
            meta: serde_json::Map::new(),
            text: Text::new(text),
            spans: Vec::new(),
            relations: Vec::new(),
        }
    }

    pub fn span(&self, id: SpanId) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    pub(crate) fn span_index(&self, id: SpanId) -> Option<usize> {
        self.spans.iter().position(|s| s.id == id)
    }

    /// The text a span covers.
    pub fn span_text(&self, span: &Span) -> &str {
        self.text.slice(span.start, span.end)
    }

    /// Inserts a span at its place in the sort order.
    pub(crate) fn insert_span(&mut self, span: Span) {
        let key = span.sort_key();
        let at = self.spans.partition_point(|s| s.sort_key() < key);
        self.spans.insert(at, span);
    }

    /// Inserts a relation at its place; false if it was there already.
    pub(crate) fn insert_relation(&mut self, rel: Relation) -> bool {
        match self.relations.binary_search(&rel) {
            Ok(_) => false,
            Err(at) => {
                self.relations.insert(at, rel);
                true
            }
        }
    }

    /// Relations that start or end at `id`.
    pub fn relations_of(&self, id: SpanId) -> impl Iterator<Item = &Relation> {
        self.relations
            .iter()
            .filter(move |r| r.from == id || r.to == id)
    }

    /// Number of spans waiting for review.
    pub fn pending(&self) -> usize {
        self.spans
            .iter()
            .filter(|s| s.review == super::ReviewState::Suggested)
            .count()
    }
}
