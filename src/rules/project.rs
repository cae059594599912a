//! Running the rules over documents of a project: suggestions become
//! pending spans (origin `Rule`, review `Suggested`) in one undoable edit.
//!
//! A re-run never duplicates a span that is there already (accepted or
//! pending: matched by label and offsets) and never brings back a
//! suggestion the user rejected. A suggested relation whose end duplicates
//! an existing span links to that span instead, so a new Claim links to the
//! Speaker the user already accepted. A Claim or Stance that has a link of a
//! kind already (accepted or pending, drawn by hand or from an earlier run)
//! never gets a second one from a run, and a new Speaker suggested only for
//! such a link is left out. Pending suggestions of this rule set
//! that the rules no longer make (or that come from a rule switched off for
//! the project) are withdrawn. [`preview`] tells what a change of rules
//! would change, before it is applied.

use std::collections::{HashMap, HashSet};

use super::{RuleSet, Suggestions};
use crate::model::{
    Document, Edit, Origin, Project, Relation, ReviewState, Span, SpanId, Timestamp,
};

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub documents: usize,
    pub added: usize,
    pub withdrawn: usize,
    pub relations: usize,
    /// Suggestions left out because the schema cannot hold them.
    pub notes: Vec<String>,
}

/// Plans one edit that runs `rules` over the documents `docs` of `project`.
/// Allocates span ids from the project (ids are never reused).
pub fn suggest_edit(project: &mut Project, rules: &RuleSet, docs: &[usize]) -> (Edit, RunSummary) {
    let active = rules.with_disabled(&project.disabled_rules);
    let computed: Vec<(usize, Suggestions)> = docs
        .iter()
        .filter_map(|&d| {
            let doc = project.documents.get(d)?;
            Some((d, active.suggest(doc.text.as_str())))
        })
        .collect();
    suggest_edit_from(project, rules, computed)
}

/// [`suggest_edit`] with the suggestions already computed (for example in a
/// background thread, with `rules.with_disabled(&project.disabled_rules)`):
/// `computed` pairs a document index with its suggestions. `rules` names the
/// rule set whose stale pending suggestions are withdrawn.
pub fn suggest_edit_from(
    project: &mut Project,
    rules: &RuleSet,
    computed: Vec<(usize, Suggestions)>,
) -> (Edit, RunSummary) {
    let rule_ids: HashSet<String> = rules.rules().into_iter().map(|r| r.id).collect();
    let mut summary = RunSummary::default();
    let mut edits = Vec::new();
    let mut unknown_labels = HashSet::new();
    for (d, suggestions) in computed {
        let Some(doc) = project.documents.get(d) else {
            continue;
        };
        summary.documents += 1;
        let (mut spans, relations, withdraw) =
            plan_document(project, doc, suggestions, &rule_ids, &mut unknown_labels);
        let relations = one_link_each(doc, &mut spans, relations, &withdraw);
        let ids: Vec<Option<SpanId>> = spans
            .iter()
            .map(|s| s.is_some().then(|| project.new_span_id()))
            .collect();
        summary.withdrawn += withdraw.len();
        edits.extend(
            withdraw
                .into_iter()
                .map(|id| Edit::RemoveSpan { doc: d, id }),
        );
        for (span, id) in spans.into_iter().zip(&ids) {
            if let (Some(mut span), Some(id)) = (span, id) {
                span.id = *id;
                summary.added += 1;
                edits.push(Edit::AddSpan {
                    doc: d,
                    span,
                    relations: vec![],
                });
            }
        }
        let mut seen = HashSet::new();
        for (kind, from, to) in relations {
            let resolve = |t: Target| match t {
                Target::New(i) => ids[i],
                Target::Existing(id) => Some(id),
            };
            if let (Some(from), Some(to)) = (resolve(from), resolve(to)) {
                let relation = Relation { from, kind, to };
                let exists = project.documents[d].relations.contains(&relation);
                if from != to && !exists && seen.insert(relation.clone()) {
                    summary.relations += 1;
                    edits.push(Edit::AddRelation { doc: d, relation });
                }
            }
        }
    }
    let mut unknown: Vec<_> = unknown_labels.into_iter().collect();
    unknown.sort();
    if !unknown.is_empty() {
        summary.notes.push(format!(
            "suggestions with labels the schema does not have were left out: {}; add the labels to the project to get them",
            unknown.join(", ")
        ));
    }
    let edit = Edit::Batch {
        description: format!("suggest ({} new)", summary.added),
        edits,
    };
    (edit, summary)
}

/// Leaves out the suggested links from a span that has a link of that
/// kind already (accepted or pending, manual or from an earlier run; links
/// to spans this run withdraws do not count), and the new suggested spans
/// that were only the other end of such links: a Claim the user linked by
/// hand keeps its one `said_by`, and no pending Speaker appears for it.
fn one_link_each(
    doc: &Document,
    spans: &mut [Option<Span>],
    relations: Vec<(String, Target, Target)>,
    withdraw: &[SpanId],
) -> Vec<(String, Target, Target)> {
    let withdrawn: HashSet<SpanId> = withdraw.iter().copied().collect();
    let linked: HashSet<(SpanId, &str)> = doc
        .relations
        .iter()
        .filter(|r| !withdrawn.contains(&r.from) && !withdrawn.contains(&r.to))
        .map(|r| (r.from, r.kind.as_str()))
        .collect();
    let (kept, dropped): (Vec<_>, Vec<_>) =
        relations.into_iter().partition(|(kind, from, to)| match from {
            // The same link again is no second link (it is skipped later).
            Target::Existing(id) => {
                !linked.contains(&(*id, kind.as_str()))
                    || matches!(to, Target::Existing(t)
                        if doc.relations.contains(&Relation { from: *id, kind: kind.clone(), to: *t }))
            }
            Target::New(_) => true,
        });
    let new_of = |t: &Target| match t {
        Target::New(i) => Some(*i),
        Target::Existing(_) => None,
    };
    let still_used: HashSet<usize> = kept
        .iter()
        .flat_map(|(_, from, to)| [new_of(from), new_of(to)])
        .flatten()
        .collect();
    for i in dropped.iter().filter_map(|(_, _, to)| new_of(to)) {
        if !still_used.contains(&i)
            && let Some(slot) = spans.get_mut(i)
        {
            *slot = None;
        }
    }
    kept
}

#[derive(Clone, Copy)]
enum Target {
    New(usize),
    Existing(SpanId),
}

type DocPlan = (
    Vec<Option<Span>>,
    Vec<(String, Target, Target)>,
    Vec<SpanId>,
);

fn plan_document(
    project: &Project,
    doc: &Document,
    suggestions: Suggestions,
    rule_ids: &HashSet<String>,
    unknown_labels: &mut HashSet<String>,
) -> DocPlan {
    let schema = &project.schema;
    let existing: HashMap<(&str, usize, usize), &Span> = doc
        .spans
        .iter()
        .map(|s| ((s.label.as_str(), s.start, s.end), s))
        .collect();
    let mut resuggested = HashSet::new();
    let mut targets = Vec::with_capacity(suggestions.spans.len());
    let mut spans = Vec::with_capacity(suggestions.spans.len());
    for sug in &suggestions.spans {
        let key = (sug.label.as_str(), sug.start, sug.end);
        // A pending suggestion stands if the same rule makes it again (or
        // it comes from another rule set); one from another rule of this
        // set, or a switched-off one, is replaced, so that every pending
        // suggestion of this set names a rule that makes it now.
        let stands = |old: &&&Span| {
            old.review != ReviewState::Suggested
                || matches!(&old.origin, Origin::Rule { rule, .. }
                    if *rule == sug.rule_id || !rule_ids.contains(rule))
        };
        if let Some(old) = existing.get(&key).filter(stands) {
            resuggested.insert(old.id);
            let target = (old.review != ReviewState::Rejected).then_some(Target::Existing(old.id));
            targets.push(target);
            spans.push(None);
            continue;
        }
        let Some(def) = schema.label(&sug.label) else {
            unknown_labels.insert(sug.label.clone());
            targets.push(None);
            spans.push(None);
            continue;
        };
        let attrs = sug
            .attrs
            .iter()
            .filter(|(k, v)| def.attribute(k).is_some_and(|a| a.allows(v)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        targets.push(Some(Target::New(spans.len())));
        spans.push(Some(Span {
            id: SpanId(0),
            start: sug.start,
            end: sug.end,
            label: sug.label.clone(),
            attrs,
            origin: Origin::Rule {
                rule: sug.rule_id.clone(),
                confidence: sug.confidence,
                explanation: sug.explanation.clone(),
                edited: false,
            },
            review: ReviewState::Suggested,
            created: Timestamp::now(),
            annotator: None,
        }));
    }
    let label_of = |t: Target| match t {
        Target::New(i) => spans[i].as_ref().map(|s| s.label.as_str()),
        Target::Existing(id) => doc.span(id).map(|s| s.label.as_str()),
    };
    let relations = suggestions
        .relations
        .iter()
        .filter_map(|r| {
            let (from, to) = (targets.get(r.from).copied()??, targets.get(r.to).copied()??);
            let def = schema.relation(&r.kind)?;
            (label_of(from) == Some(def.from.as_str()) && label_of(to) == Some(def.to.as_str()))
                .then(|| (r.kind.clone(), from, to))
        })
        .collect();
    let withdraw = doc
        .spans
        .iter()
        .filter(|s| s.review == ReviewState::Suggested && !resuggested.contains(&s.id))
        .filter(|s| matches!(&s.origin, Origin::Rule { rule, .. } if rule_ids.contains(rule)))
        .map(|s| s.id)
        .collect();
    (spans, relations, withdraw)
}

/// One suggestion in a [`Preview`].
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewItem {
    pub doc: usize,
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub rule: String,
    pub text: String,
}

/// What replacing the rules would change in the suggestions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    /// Suggestions the new rules make that the old ones do not (leaving
    /// out what the document already has, accepted or rejected).
    pub appear: Vec<PreviewItem>,
    /// Suggestions the old rules make that the new ones do not (leaving
    /// out those already decided).
    pub disappear: Vec<PreviewItem>,
}

/// Compares the suggestions of `old` and `new` rules on the documents
/// `docs`, with the project's disabled rules switched off in both. Pure:
/// the project does not change.
pub fn preview(project: &Project, old: &RuleSet, new: &RuleSet, docs: &[usize]) -> Preview {
    let old = old.with_disabled(&project.disabled_rules);
    let new = new.with_disabled(&project.disabled_rules);
    let mut out = Preview::default();
    for &d in docs {
        let Some(doc) = project.documents.get(d) else {
            continue;
        };
        let text = doc.text.as_str();
        let decided: HashSet<(&str, usize, usize)> = doc
            .spans
            .iter()
            .filter(|s| s.review != ReviewState::Suggested)
            .map(|s| (s.label.as_str(), s.start, s.end))
            .collect();
        let (a, b) = (old.suggest(text), new.suggest(text));
        let keys = |x: &super::Suggestions| -> HashSet<(String, usize, usize)> {
            x.spans
                .iter()
                .map(|s| (s.label.clone(), s.start, s.end))
                .collect()
        };
        let (ka, kb) = (keys(&a), keys(&b));
        let item = |s: &super::Suggestion| PreviewItem {
            doc: d,
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            rule: s.rule_id.clone(),
            text: doc.text.slice(s.start, s.end).to_string(),
        };
        let fresh = |s: &&super::Suggestion| !decided.contains(&(s.label.as_str(), s.start, s.end));
        out.appear.extend(
            b.spans
                .iter()
                .filter(|s| !ka.contains(&(s.label.clone(), s.start, s.end)))
                .filter(fresh)
                .map(item),
        );
        out.disappear.extend(
            a.spans
                .iter()
                .filter(|s| !kb.contains(&(s.label.clone(), s.start, s.end)))
                .filter(fresh)
                .map(item),
        );
    }
    out
}
