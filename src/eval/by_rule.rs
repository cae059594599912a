//! The rules measured against one human annotator of a team project,
//! instead of against review decisions (the rules window's "Compare with").
//!
//! **Documents:** those the annotator had ([`crate::team::annotators_of`]).
//! **The annotator's spans:** their accepted spans ([`Span::annotator`]),
//! curated spans aside; a suggestion they accepted counts, as their
//! judgment. **A rule's suggestions:** the spans of origin `rule:<id>` in
//! those documents, pending, accepted and rejected, that belong to no
//! annotator or to this one (in a merged project every annotator's file
//! may carry its own copy of a suggestion; the others' copies are not
//! counted again). A suggestion is *right* when it shares a code point with
//! a span of the annotator of the same label; precision is right out of
//! suggested.

use std::collections::BTreeMap;

use crate::model::{Origin, Project, ReviewState, Span};

/// How one rule's suggestions fare against an annotator's spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleAgainst {
    pub rule: String,
    /// Suggestions that overlap a span of the annotator of their label.
    pub right: usize,
    /// Suggestions counted.
    pub suggested: usize,
}

impl RuleAgainst {
    /// Right out of suggested (`None` without suggestions).
    pub fn precision(&self) -> Option<f64> {
        (self.suggested > 0).then(|| self.right as f64 / self.suggested as f64)
    }
}

fn theirs(s: &Span, annotator: &str) -> bool {
    s.review == ReviewState::Accepted
        && !matches!(s.origin, Origin::Curated { .. })
        && s.annotator() == Some(annotator)
}

/// Per rule (in rule id order; only rules with suggestions in the
/// annotator's documents), the precision of its suggestions against the
/// spans of `annotator` (see the module's comment).
pub fn rules_against_annotator(project: &Project, annotator: &str) -> Vec<RuleAgainst> {
    let mut by_rule: BTreeMap<&str, RuleAgainst> = BTreeMap::new();
    for doc in &project.documents {
        if !crate::team::annotators_of(doc)
            .iter()
            .any(|a| a == annotator)
        {
            continue;
        }
        let reference: Vec<&Span> = doc.spans.iter().filter(|s| theirs(s, annotator)).collect();
        for s in &doc.spans {
            let Origin::Rule { rule, .. } = &s.origin else {
                continue;
            };
            if s.annotator().is_some_and(|a| a != annotator) {
                continue;
            }
            let row = by_rule.entry(rule).or_insert_with(|| RuleAgainst {
                rule: rule.clone(),
                ..RuleAgainst::default()
            });
            row.suggested += 1;
            let right = reference
                .iter()
                .any(|r| r.label == s.label && r.overlaps(s.start, s.end));
            row.right += usize::from(right);
        }
    }
    by_rule.into_values().collect()
}

/// Every annotator of the project's documents, sorted.
pub fn project_annotators(project: &Project) -> Vec<String> {
    let mut all: Vec<String> = project
        .documents
        .iter()
        .flat_map(crate::team::annotators_of)
        .collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Edit, SpanId, Timestamp};

    const TEXT: &str = "Ann Lee said the plan would fail. The minister said more.";

    fn suggestion(id: u64, start: usize, end: usize, label: &str, rule: &str) -> Span {
        Span {
            id: SpanId(id),
            start,
            end,
            label: label.into(),
            attrs: Default::default(),
            origin: Origin::Rule {
                rule: rule.into(),
                confidence: 0.9,
                explanation: String::new(),
                edited: false,
            },
            review: ReviewState::Suggested,
            created: Timestamp(0),
            annotator: None,
        }
    }

    /// A project of two documents: `d` (ana and ben) with suggestions of
    /// rules r1 and r2, and `e` (ben only) with one of r1.
    fn project() -> Project {
        let mut p = Project {
            next_span_id: 100,
            ..Project::default()
        };
        let mut d = Document::new("d", TEXT);
        d.annotators = vec!["ana".into(), "ben".into()];
        d.spans = vec![
            // ana: the speaker and a claim shorter than the rule's.
            Span::manual(SpanId(1), 0, 7, "Speaker", "ana"),
            Span::manual(SpanId(2), 13, 25, "Claim", "ana"),
            // ben: only the minister.
            Span::manual(SpanId(3), 34, 46, "Speaker", "ben"),
            // r1: right for ana (Speaker over Speaker), wrong (label).
            suggestion(10, 0, 3, "Speaker", "r1"),
            suggestion(11, 13, 32, "Stance", "r1"),
            // r2: right (overlaps ana's claim), wrong (nothing of ana's).
            suggestion(12, 17, 32, "Claim", "r2"),
            suggestion(13, 34, 46, "Speaker", "r2"),
        ];
        // ben's copy of a suggestion he rejected: not ana's to count.
        let mut bens = suggestion(14, 0, 7, "Speaker", "r1");
        bens.review = ReviewState::Rejected;
        bens.annotator = Some("ben".into());
        d.spans.push(bens);
        d.spans.sort_by_key(|s| s.sort_key());
        let mut e = Document::new("e", TEXT);
        e.annotators = vec!["ben".into()];
        e.spans = vec![suggestion(20, 0, 7, "Speaker", "r1")];
        Edit::AddDocuments {
            at: 0,
            documents: vec![d, e],
        }
        .apply(&mut p)
        .expect("fits");
        p
    }

    #[test]
    fn counts_overlapping_suggestions_of_the_same_label_in_the_annotators_documents() {
        let rows = rules_against_annotator(&project(), "ana");
        assert_eq!(
            rows,
            [
                RuleAgainst {
                    rule: "r1".into(),
                    right: 1,
                    suggested: 2
                },
                RuleAgainst {
                    rule: "r2".into(),
                    right: 1,
                    suggested: 2
                },
            ]
        );
        assert_eq!(rows[0].precision(), Some(0.5));
    }

    #[test]
    fn another_annotator_sees_their_own_spans_and_documents() {
        let rows = rules_against_annotator(&project(), "ben");
        // r1: in d the two of nobody and ben's rejected copy (he drew
        // nothing there), in e (his alone) one more; none is right.
        let r1 = rows.iter().find(|r| r.rule == "r1").expect("r1");
        assert_eq!((r1.right, r1.suggested), (0, 4));
        let r2 = rows.iter().find(|r| r.rule == "r2").expect("r2");
        assert_eq!((r2.right, r2.suggested), (1, 2));
    }

    #[test]
    fn an_accepted_suggestion_is_the_annotators_judgment() {
        let mut p = project();
        let d = &mut p.documents[0];
        let s = d
            .spans
            .iter_mut()
            .find(|s| s.id == SpanId(13))
            .expect("s13");
        s.review = ReviewState::Accepted;
        s.annotator = Some("ana".into());
        let r2 = rules_against_annotator(&p, "ana")
            .into_iter()
            .find(|r| r.rule == "r2")
            .expect("r2");
        assert_eq!((r2.right, r2.suggested), (2, 2));
    }

    #[test]
    fn nobody_has_no_rows_and_annotators_are_listed_once() {
        assert!(rules_against_annotator(&project(), "cho").is_empty());
        assert_eq!(project_annotators(&project()), ["ana", "ben"]);
        assert_eq!(RuleAgainst::default().precision(), None);
    }
}
