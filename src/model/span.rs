//! Spans (labelled stretches of text), where they came from, their review
//! state, and relations between them.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Stable identity of a span, unique in its project and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpanId(pub u64);

impl std::fmt::Display for SpanId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// Whole seconds since the Unix epoch, written as RFC 3339 in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    pub fn now() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Timestamp(secs)
    }

    pub fn to_rfc3339(self) -> String {
        humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(self.0)).to_string()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_rfc3339().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        let time = humantime::parse_rfc3339_weak(&s).map_err(|e| {
            serde::de::Error::custom(format!("timestamp {s:?} is not RFC 3339: {e}"))
        })?;
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Ok(Timestamp(secs))
    }
}

/// Where a span came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    /// Drawn by a person.
    Manual { annotator: String },
    /// Suggested by a rule of the rule engine.
    Rule {
        rule: String,
        confidence: f32,
        explanation: String,
        /// Changed (resized, relabelled, attributes set) while pending:
        /// counts as "edited before accepting" in rule statistics.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        edited: bool,
    },
    /// Read from an existing annotation file.
    Import { source: String },
    /// Settled by curating a merged project: the version of `annotators`
    /// (sorted), who agreed on it.
    Curated { annotators: Vec<String> },
}

impl Origin {
    /// Short form used in exports: `manual`, `rule:<id>`, `import`,
    /// `curated`.
    pub fn short(&self) -> String {
        match self {
            Origin::Manual { .. } => "manual".into(),
            Origin::Rule { rule, .. } => format!("rule:{rule}"),
            Origin::Import { .. } => "import".into(),
            Origin::Curated { .. } => "curated".into(),
        }
    }
}

/// Review state of a span. Manual spans are born accepted; rule suggestions
/// are born suggested and then accepted or rejected by a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReviewState {
    Accepted,
    Suggested,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Accepted => "accepted",
            ReviewState::Suggested => "suggested",
            ReviewState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accepted" => Some(ReviewState::Accepted),
            "suggested" | "pending" => Some(ReviewState::Suggested),
            "rejected" => Some(ReviewState::Rejected),
            _ => None,
        }
    }
}

/// A labelled stretch of a document's text, `start..end` in code points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub id: SpanId,
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
    pub origin: Origin,
    pub review: ReviewState,
    pub created: Timestamp,
    /// Whose span this is when the origin does not say: who accepted or
    /// rejected a suggestion (the review decision), whose file an imported
    /// span came from in a merged project, who curated a span. A manual
    /// span names its annotator in its origin; [`Span::annotator`] gives
    /// whichever applies. Not written when empty, so files without teams
    /// stay as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
}

impl Span {
    /// A span drawn by `annotator`, accepted, created now.
    pub fn manual(id: SpanId, start: usize, end: usize, label: &str, annotator: &str) -> Self {
        Span {
            id,
            start,
            end,
            label: label.into(),
            attrs: BTreeMap::new(),
            origin: Origin::Manual {
                annotator: annotator.into(),
            },
            review: ReviewState::Accepted,
            created: Timestamp::now(),
            annotator: None,
        }
    }

    /// The annotator the span belongs to: the one recorded on it, else the
    /// one who drew it (a manual span), else none (a pending suggestion, a
    /// span imported outside a team).
    pub fn annotator(&self) -> Option<&str> {
        match (&self.annotator, &self.origin) {
            (Some(a), _) => Some(a),
            (None, Origin::Manual { annotator }) => Some(annotator),
            _ => None,
        }
    }

    /// The order spans are kept in: by start, then longest first, then id.
    pub fn sort_key(&self) -> (usize, std::cmp::Reverse<usize>, SpanId) {
        (self.start, std::cmp::Reverse(self.end), self.id)
    }

    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// A typed link between two spans of one document (e.g. `said_by` from a
/// Claim to its Speaker).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Relation {
    pub from: SpanId,
    pub kind: String,
    pub to: SpanId,
}
