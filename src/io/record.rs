//! The native JSONL record: one document with its spans and relations.
//!
//! This is the line format of `sayso suggest --jsonl`, of the `jsonl`
//! export and import, and of gold files such as
//! `shared/data/dev/putin-gaza.gold.jsonl`. Every offset counts Unicode code
//! points, end exclusive, over `text` exactly as stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One document line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Record {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub meta: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub spans: Vec<RecordSpan>,
    #[serde(default)]
    pub relations: Vec<RecordRelation>,
    /// Fields of the input line that Sayso does not know; written back as
    /// they came so that `suggest --jsonl` returns "the same object".
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One span of a record. `text` repeats the document text at
/// `start..end` so that a reader can check the offsets.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecordSpan {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub text: String,
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_end: Option<usize>,
}

/// A typed link between two spans of the same record, by span id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecordRelation {
    #[serde(rename = "type")]
    pub kind: String,
    pub from: String,
    pub to: String,
}
