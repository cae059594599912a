//! The rules measured against one human annotator of a team project,
//! instead of against review decisions (the rules window's "Compare with").
//!
//! **Documents:** those the annotator had ([`crate::team::annotators_of`]).
//! **The annotator's spans:** their accepted spans ([`Span::annotator`]),
//! curated spans aside; a suggestion they accepted counts, as their
//! judgment. **A rule's suggestions:** what the rule set suggests for those
//! documents' text, run afresh in memory (so the figures do not depend on
//! when the rules last ran on the project, nor on a rule run skipping a
//! span an annotator already has). A suggestion is *right* when it shares
//! a code point with a span of the annotator of the same label; precision
//! is right out of suggested.

use std::collections::BTreeMap;

use crate::model::{Origin, Project, ReviewState, Span};
use crate::rules::RuleSet;

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
/// annotator's documents), the precision of what `rules` suggest against
/// the spans of `annotator` (see the module's comment).
pub fn rules_against_annotator(
    project: &Project,
    annotator: &str,
    rules: &RuleSet,
) -> Vec<RuleAgainst> {
    let mut by_rule: BTreeMap<String, RuleAgainst> = BTreeMap::new();
    for doc in &project.documents {
        if !crate::team::annotators_of(doc)
            .iter()
            .any(|a| a == annotator)
        {
            continue;
        }
        let reference: Vec<&Span> = doc.spans.iter().filter(|s| theirs(s, annotator)).collect();
        for s in rules.suggest(doc.text.as_str()).spans {
            let right = reference
                .iter()
                .any(|r| r.label == s.label && r.overlaps(s.start, s.end));
            let row = by_rule
                .entry(s.rule_id.clone())
                .or_insert_with(|| RuleAgainst {
                    rule: s.rule_id.clone(),
                    ..RuleAgainst::default()
                });
            row.suggested += 1;
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
    use crate::model::{Document, Edit, SpanId};

    const TEXT: &str = "Ann Lee said the plan would fail. The minister said more.";

    /// `TEXT` with the code points of `needle`.
    fn at(needle: &str) -> (usize, usize) {
        let b = TEXT.find(needle).expect("in the text");
        let start = TEXT[..b].chars().count();
        (start, start + needle.chars().count())
    }

    fn manual(id: u64, needle: &str, label: &str, who: &str) -> Span {
        let (s, e) = at(needle);
        Span::manual(SpanId(id), s, e, label, who)
    }

    /// A project of two documents: `d` (ana and ben) and `e` (ben only).
    fn project() -> Project {
        let mut p = Project {
            next_span_id: 100,
            ..Project::default()
        };
        let mut d = Document::new("d", TEXT);
        d.annotators = vec!["ana".into(), "ben".into()];
        d.spans = vec![
            // ana: the speaker and a claim shorter than the rule's.
            manual(1, "Ann Lee", "Speaker", "ana"),
            manual(2, "the plan", "Claim", "ana"),
            // ben: only the minister.
            manual(3, "The minister", "Speaker", "ben"),
        ];
        d.spans.sort_by_key(|s| s.sort_key());
        let mut e = Document::new("e", TEXT);
        e.annotators = vec!["ben".into()];
        Edit::AddDocuments {
            at: 0,
            documents: vec![d, e],
        }
        .apply(&mut p)
        .expect("fits");
        p
    }

    /// What the default rules suggest for `TEXT`, by rule: (label, text).
    fn suggested() -> Vec<(String, String, String)> {
        RuleSet::default_en_news()
            .suggest(TEXT)
            .spans
            .into_iter()
            .map(|s| {
                let t: String = TEXT.chars().skip(s.start).take(s.end - s.start).collect();
                (s.rule_id, s.label, t)
            })
            .collect()
    }

    #[test]
    fn the_rules_run_afresh_and_count_against_the_annotators_spans() {
        // The fixture relies on what the default rules say about TEXT.
        let s = suggested();
        assert!(
            s.iter().any(|(_, l, t)| l == "Speaker" && t == "Ann Lee"),
            "{s:?}"
        );
        assert!(
            s.iter()
                .any(|(_, l, t)| l == "Speaker" && t == "The minister"),
            "{s:?}"
        );
        let rules = RuleSet::default_en_news();
        // ana had one document: every suggestion there is counted once, and
        // right where it overlaps her span of its label.
        let rows = rules_against_annotator(&project(), "ana", &rules);
        let total: usize = rows.iter().map(|r| r.suggested).sum();
        assert_eq!(total, s.len());
        let right: usize = rows.iter().map(|r| r.right).sum();
        let expected = s
            .iter()
            .filter(|(_, l, t)| {
                (l == "Speaker" && t == "Ann Lee") || (l == "Claim" && t.contains("the plan"))
            })
            .count();
        assert_eq!(right, expected);
        // ben had both documents: twice the suggestions; only the minister is his.
        let rows = rules_against_annotator(&project(), "ben", &rules);
        assert_eq!(rows.iter().map(|r| r.suggested).sum::<usize>(), 2 * s.len());
        assert_eq!(rows.iter().map(|r| r.right).sum::<usize>(), 1);
        assert!(rows.windows(2).all(|w| w[0].rule < w[1].rule));
    }

    #[test]
    fn switched_off_rules_are_not_counted() {
        let all = RuleSet::default_en_news();
        let rows = rules_against_annotator(&project(), "ana", &all);
        let first = rows.first().expect("a rule suggests").rule.clone();
        let fewer = all.with_disabled(std::slice::from_ref(&first));
        let rows = rules_against_annotator(&project(), "ana", &fewer);
        assert!(rows.iter().all(|r| r.rule != first));
    }

    #[test]
    fn nobody_has_no_rows_and_annotators_are_listed_once() {
        let rules = RuleSet::default_en_news();
        assert!(rules_against_annotator(&project(), "cho", &rules).is_empty());
        assert_eq!(project_annotators(&project()), ["ana", "ben"]);
        assert_eq!(RuleAgainst::default().precision(), None);
    }
}
