//! Handing documents out: one project per annotator with their share of a
//! project's documents, and a share that goes to everyone so that
//! agreement can be measured on it. Deterministic for a seed.

use std::collections::{BTreeMap, HashSet};

use thiserror::Error;

use super::{BadName, check_name, shuffle};
use crate::model::{Edit, EditError, Origin, Project, ReviewState};

/// How to hand out.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignOptions {
    /// The annotators, in the order given; each gets `NAME.sayso`.
    pub annotators: Vec<String>,
    /// The share of documents (0 to 1) that every annotator gets.
    pub overlap: f64,
    pub seed: u64,
    /// Leave rule suggestions (pending and rejected) out, so that they do
    /// not bias an agreement study; accepted ones are annotations and stay.
    pub without_suggestions: bool,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum AssignError {
    #[error("name at least one annotator, e.g. --annotators ana,ben,cho")]
    NoAnnotators,
    #[error(transparent)]
    BadName(#[from] BadName),
    #[error("the annotator {0:?} is named twice; give each annotator one name")]
    Twice(String),
    #[error(
        "--overlap {0} is not a share from 0 to 1 (0.2 gives every annotator a fifth of the documents)"
    )]
    Overlap(f64),
    #[error(
        "the project has no documents to hand out; add some with `sayso new` or `sayso import` first"
    )]
    NoDocuments,
    #[error("the documents do not fit a new project: {0}")]
    Edit(#[from] EditError),
}

/// The projects [`assign`] made and who has which documents.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// `(annotator, project)` in the order of [`AssignOptions::annotators`].
    pub files: Vec<(String, Project)>,
    /// Names of the documents every annotator has, in project order.
    pub shared: Vec<String>,
    /// Annotator → names of the documents only they have, in project order.
    pub own: BTreeMap<String, Vec<String>>,
    /// Suggestions left out (`without_suggestions`).
    pub suggestions_left_out: usize,
}

impl std::fmt::Display for Assignment {
    /// The summary: who has which documents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} document(s) for everyone: {}",
            self.shared.len(),
            list(&self.shared)
        )?;
        for (name, project) in &self.files {
            let own = self.own.get(name).map(Vec::as_slice).unwrap_or(&[]);
            writeln!(
                f,
                "{name}: {} document(s), {} shared and {} own: {}",
                project.documents.len(),
                self.shared.len(),
                own.len(),
                list(own)
            )?;
        }
        if self.suggestions_left_out > 0 {
            writeln!(
                f,
                "{} rule suggestion(s) left out",
                self.suggestions_left_out
            )?;
        }
        Ok(())
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

/// Hands the documents of `project` out. `round(overlap × documents)`
/// documents (at least one when the overlap is above 0) go to every
/// annotator; the others are dealt in turn, so that shares differ by one at
/// most. Which documents is decided by a shuffle of `seed`. Annotations and
/// suggestions go along (see [`AssignOptions::without_suggestions`]); span
/// ids stay as they were, and each file records its annotator
/// ([`Project::annotator`]).
pub fn assign(project: &Project, options: &AssignOptions) -> Result<Assignment, AssignError> {
    if options.annotators.is_empty() {
        return Err(AssignError::NoAnnotators);
    }
    let mut seen = HashSet::new();
    for a in &options.annotators {
        check_name(a)?;
        if !seen.insert(a.to_lowercase()) {
            return Err(AssignError::Twice(a.clone()));
        }
    }
    if !(0.0..=1.0).contains(&options.overlap) {
        return Err(AssignError::Overlap(options.overlap));
    }
    let n = project.documents.len();
    if n == 0 {
        return Err(AssignError::NoDocuments);
    }
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, options.seed);
    let mut k = (options.overlap * n as f64).round() as usize;
    if options.overlap > 0.0 {
        k = k.max(1);
    }
    let k = k.min(n);
    let m = options.annotators.len();
    // owner[d]: None for everyone, Some(i) for annotator i.
    let mut owner: Vec<Option<usize>> = vec![None; n];
    for (turn, &d) in order[k..].iter().enumerate() {
        owner[d] = Some(turn % m);
    }
    let mut shared = Vec::new();
    let mut own: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (d, doc) in project.documents.iter().enumerate() {
        match owner[d] {
            None => shared.push(doc.name.clone()),
            Some(i) => own
                .entry(options.annotators[i].clone())
                .or_default()
                .push(doc.name.clone()),
        }
    }
    let mut files = Vec::new();
    let mut left_out = 0;
    for (i, name) in options.annotators.iter().enumerate() {
        let mut documents = Vec::new();
        for (d, doc) in project.documents.iter().enumerate() {
            if owner[d].is_some_and(|o| o != i) {
                continue;
            }
            let mut doc = doc.clone();
            doc.annotators.clear();
            if options.without_suggestions {
                let before = doc.spans.len();
                doc.spans.retain(|s| {
                    !(matches!(s.origin, Origin::Rule { .. }) && s.review != ReviewState::Accepted)
                });
                left_out += before - doc.spans.len();
                let kept: HashSet<_> = doc.spans.iter().map(|s| s.id).collect();
                doc.relations
                    .retain(|r| kept.contains(&r.from) && kept.contains(&r.to));
            }
            documents.push(doc);
        }
        let mut file = Project {
            schema: project.schema.clone(),
            next_span_id: project.next_span_id,
            disabled_rules: project.disabled_rules.clone(),
            annotator: Some(name.clone()),
            ..Project::default()
        };
        Edit::AddDocuments { at: 0, documents }.apply(&mut file)?;
        files.push((name.clone(), file));
    }
    Ok(Assignment {
        files,
        shared,
        own,
        suggestions_left_out: left_out,
    })
}
