//! Annotation as a team, without a server: project files are the unit of
//! exchange. [`assign`] hands a project's documents out to annotators (one
//! project each, a share of documents to everyone), [`merge`] brings their
//! files together into one project in which every span keeps its
//! annotator, [`split`] takes a merged project apart again, and
//! [`curate`] settles what a majority agrees on and lists the rest.
//!
//! Invariants of a merged project: every span of an annotator names them
//! ([`crate::model::Span::annotator`]); a relation belongs to the annotator
//! of the span it starts at, and joins two spans of the same annotator;
//! each document lists who had it ([`crate::model::Document::annotators`]),
//! also annotators who marked nothing in it.

pub mod assign;
pub mod curate;
pub mod merge;

pub use assign::{AssignOptions, Assignment, assign};
pub use curate::{
    CurateError, CurateSummary, Disagreement, Pick, Version, curate_majority, disagreements, settle,
};
pub use merge::{MergeError, Merged, TeamFile, merge, split};

use std::collections::BTreeSet;

use thiserror::Error;

use crate::model::{Document, Origin};

/// A name that cannot be an annotator's (it names their file).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "{0:?} cannot be an annotator's name: it names their file, so it must not be empty, start with a dot, or hold / \\ : or control characters"
)]
pub struct BadName(pub String);

/// Checks that `name` can name an annotator's file (`DIR/NAME.sayso`).
pub fn check_name(name: &str) -> Result<(), BadName> {
    let bad = name.trim().is_empty()
        || name.trim() != name
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\' | ':'));
    if bad {
        Err(BadName(name.into()))
    } else {
        Ok(())
    }
}

/// Who worked on a document: those it lists ([`Document::annotators`])
/// and the annotators of its spans, except curated ones; sorted.
pub fn annotators_of(doc: &Document) -> Vec<String> {
    let mut all: BTreeSet<String> = doc.annotators.iter().cloned().collect();
    for s in &doc.spans {
        if matches!(s.origin, Origin::Curated { .. }) {
            continue;
        }
        if let Some(a) = s.annotator() {
            all.insert(a.to_string());
        }
    }
    all.into_iter().collect()
}

/// Fisher–Yates with splitmix64 (as the export's `--split`): stable across
/// platforms and versions for a seed.
pub(crate) fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    for i in (1..items.len()).rev() {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        items.swap(i, (z % (i as u64 + 1)) as usize);
    }
}
