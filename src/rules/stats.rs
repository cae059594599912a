//! How far each rule can be trusted, from the review decisions in a
//! project: how many of its suggestions were accepted (and of those, how
//! many only after an edit), rejected, or are still pending, and its
//! precision so far.

use std::collections::BTreeMap;

use super::RuleSet;
use crate::model::{Origin, Project, ReviewState};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleStats {
    pub rule: String,
    /// Accepted suggestions, edited ones included.
    pub accepted: usize,
    /// Accepted after being resized, relabelled or given other attributes.
    pub edited: usize,
    pub rejected: usize,
    pub pending: usize,
    /// Switched off for this project.
    pub disabled: bool,
}

impl RuleStats {
    /// Accepted share of the decided suggestions (`None` before any
    /// decision). An edited acceptance counts as accepted.
    pub fn precision(&self) -> Option<f64> {
        let decided = self.accepted + self.rejected;
        (decided > 0).then(|| self.accepted as f64 / decided as f64)
    }

    pub fn total(&self) -> usize {
        self.accepted + self.rejected + self.pending
    }
}

/// Statistics per rule over the whole project, in rule id order; every
/// rule of `rules` is listed even before it suggested anything.
pub fn rule_stats(project: &Project, rules: Option<&RuleSet>) -> Vec<RuleStats> {
    let mut by_rule: BTreeMap<String, RuleStats> = BTreeMap::new();
    for info in rules.map(RuleSet::rules).unwrap_or_default() {
        by_rule.entry(info.id.clone()).or_insert_with(|| RuleStats {
            rule: info.id,
            ..RuleStats::default()
        });
    }
    for span in project.documents.iter().flat_map(|d| &d.spans) {
        let Origin::Rule { rule, edited, .. } = &span.origin else {
            continue;
        };
        let st = by_rule.entry(rule.clone()).or_insert_with(|| RuleStats {
            rule: rule.clone(),
            ..RuleStats::default()
        });
        match span.review {
            ReviewState::Accepted => {
                st.accepted += 1;
                st.edited += usize::from(*edited);
            }
            ReviewState::Rejected => st.rejected += 1,
            ReviewState::Suggested => st.pending += 1,
        }
    }
    let mut out: Vec<RuleStats> = by_rule.into_values().collect();
    for st in &mut out {
        st.disabled = project.disabled_rules.binary_search(&st.rule).is_ok();
    }
    out
}
