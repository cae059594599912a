//! `sayso eval`: compares predicted records with gold records.
//!
//! Per label (after the optional relabelling `--as FROM=TO`, applied to gold
//! and predicted spans alike):
//!
//! - **overlap**, many-to-many: a gold span is *found* (recall) when a
//!   prediction of its label shares at least one code point with it; a
//!   prediction is *right* (precision) when it shares one with a gold span of
//!   its label. A quotation that the rules split in two around `he said`
//!   gives two right predictions and one found gold span.
//! - **exact**: the same with identical offsets instead of a shared code
//!   point.
//! - **attribute accuracy** (`polarity`, `mode`): over found gold spans that
//!   have the attribute, whether the prediction that overlaps it most (the
//!   first one on a tie) has the same value.
//!
//! **Attribution**: over every gold span with a `said_by`/`held_by` link (the
//! gold Claims and Stances that have a speaker), found or not, the share for
//! which one of the predictions of its label that overlap it links
//! (`said_by`/`held_by`) to a predicted span that overlaps the gold speaker
//! mention, or overlaps another gold mention of the same entity. A gold
//! mention's entity is its `entity` attribute, else its text; the entity is
//! read as a set of names split at `;`, trimmed and compared without case,
//! and two mentions are of the same entity when their sets are equal
//! (`Putin; Xi` is `xi;putin`, but neither is `Putin`).
//!
//! **By rule**: every predicted span, right or wrong (overlap), counted per
//! origin (`rule:<id>` gives the rule id) and label.
//!
//! Rejected predictions (`status: rejected`) are not scored.

pub mod agree;
pub mod by_rule;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::io::record::{Record, RecordSpan};

/// Counts behind precision, recall and F1. With many-to-many matching the
/// right predictions and the found gold spans are counted apart.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Predictions that match a gold span (precision's numerator).
    pub right: usize,
    pub n_pred: usize,
    /// Gold spans that a prediction matches (recall's numerator).
    pub found: usize,
    pub n_gold: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.n_pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.n_gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Prf) {
        self.right += o.right;
        self.n_pred += o.n_pred;
        self.found += o.found;
        self.n_gold += o.n_gold;
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "precision": self.precision(),
            "recall": self.recall(),
            "f1": self.f1(),
            "right": self.right,
            "pred": self.n_pred,
            "found": self.found,
            "gold": self.n_gold,
        })
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Correct out of total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
}

impl Accuracy {
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({"value": self.value(), "correct": self.correct, "total": self.total})
    }
}

/// Scores of one label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelScores {
    pub exact: Prf,
    pub overlap: Prf,
    /// Attribute name → accuracy on found gold spans that have it.
    pub attrs: BTreeMap<String, Accuracy>,
}

/// Right and wrong predictions (overlap) of one rule and label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleCounts {
    pub right: usize,
    pub wrong: usize,
}

/// What to change before scoring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// `(from, to)`: spans labelled `from`, gold and predicted, are scored
    /// as `to` (`--as Stance=Claim`).
    pub relabel: Vec<(String, String)>,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    pub documents: usize,
    /// Gold records without a prediction (scored as predicting nothing).
    pub missing_predictions: Vec<String>,
    /// Predicted records that match no gold record (not scored).
    pub unmatched_predictions: usize,
    pub labels: BTreeMap<String, LabelScores>,
    pub attribution: Accuracy,
    /// Origin (the rule id for `rule:<id>`, else the origin as written,
    /// `(none)` without one) → label → right and wrong predictions.
    pub by_rule: BTreeMap<String, BTreeMap<String, RuleCounts>>,
    /// The relabelling the scores were made with.
    pub relabel: Vec<(String, String)>,
}

impl EvalReport {
    pub fn label(&self, l: &str) -> LabelScores {
        self.labels.get(l).cloned().unwrap_or_default()
    }

    /// `(rule, label, counts)`, the rules that cost most precision first:
    /// most wrong predictions, then fewest right ones, then by name.
    pub fn rules_by_cost(&self) -> Vec<(&str, &str, RuleCounts)> {
        let mut rows: Vec<(&str, &str, RuleCounts)> = self
            .by_rule
            .iter()
            .flat_map(|(rule, labels)| {
                labels
                    .iter()
                    .map(move |(label, c)| (rule.as_str(), label.as_str(), *c))
            })
            .collect();
        rows.sort_by(|a, b| {
            b.2.wrong
                .cmp(&a.2.wrong)
                .then(a.2.right.cmp(&b.2.right))
                .then(a.0.cmp(b.0))
                .then(a.1.cmp(b.1))
        });
        rows
    }

    /// The report as JSON (the figures with the counts behind them).
    pub fn to_json(&self) -> serde_json::Value {
        let labels: serde_json::Map<String, serde_json::Value> = self
            .labels
            .iter()
            .map(|(l, s)| {
                let attrs: serde_json::Map<String, serde_json::Value> =
                    s.attrs.iter().map(|(k, a)| (k.clone(), a.json())).collect();
                (
                    l.clone(),
                    serde_json::json!({
                        "overlap": s.overlap.json(),
                        "exact": s.exact.json(),
                        "attrs": attrs,
                    }),
                )
            })
            .collect();
        let by_rule: Vec<serde_json::Value> = self
            .rules_by_cost()
            .into_iter()
            .map(|(rule, label, c)| {
                serde_json::json!({
                    "rule": rule,
                    "label": label,
                    "right": c.right,
                    "wrong": c.wrong,
                    "precision": ratio(c.right, c.right + c.wrong),
                })
            })
            .collect();
        let relabel: serde_json::Map<String, serde_json::Value> = self
            .relabel
            .iter()
            .map(|(a, b)| (a.clone(), serde_json::Value::from(b.clone())))
            .collect();
        serde_json::json!({
            "documents": self.documents,
            "missing_predictions": self.missing_predictions,
            "unmatched_predictions": self.unmatched_predictions,
            "relabel": relabel,
            "labels": labels,
            "attribution": self.attribution.json(),
            "by_rule": by_rule,
        })
    }
}

const SCORED_ATTRS: &[&str] = &["polarity", "mode"];
const LINKS: &[&str] = &["said_by", "held_by"];

/// A mention's entity: its `entity` attribute, else its text, as a set of
/// names (split at `;`, trimmed, lower case).
fn entity_set(s: &RecordSpan) -> BTreeSet<String> {
    let e = s.attrs.get("entity").map(String::as_str).unwrap_or(&s.text);
    e.split(';')
        .map(|x| x.trim().to_lowercase())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Whether two spans share at least one code point.
fn overlaps(a: &RecordSpan, b: &RecordSpan) -> bool {
    a.start < b.end && b.start < a.end
}

fn overlap_len(a: &RecordSpan, b: &RecordSpan) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// The origin a prediction is counted under in the by-rule table.
fn rule_key(s: &RecordSpan) -> String {
    match s.origin.as_deref() {
        Some(o) => o.strip_prefix("rule:").unwrap_or(o).to_string(),
        None => "(none)".to_string(),
    }
}

/// Span id → the spans it links to with `said_by`/`held_by`.
fn links<'a>(rec: &'a Record, spans: &[&'a RecordSpan]) -> HashMap<&'a str, Vec<&'a RecordSpan>> {
    let by_id: HashMap<&str, &RecordSpan> = spans.iter().map(|s| (s.id.as_str(), *s)).collect();
    let mut out: HashMap<&str, Vec<&RecordSpan>> = HashMap::new();
    for r in &rec.relations {
        if LINKS.contains(&r.kind.as_str())
            && let (Some(_), Some(to)) = (by_id.get(r.from.as_str()), by_id.get(r.to.as_str()))
        {
            out.entry(r.from.as_str()).or_default().push(to);
        }
    }
    out
}

/// The spans of a record that are scored, relabelled.
fn scored(rec: &Record, relabel: &HashMap<&str, &str>, drop_rejected: bool) -> Vec<RecordSpan> {
    rec.spans
        .iter()
        .filter(|s| !(drop_rejected && s.status.as_deref() == Some("rejected")))
        .map(|s| {
            let mut s = s.clone();
            if let Some(to) = relabel.get(s.label.as_str()) {
                s.label = to.to_string();
            }
            s
        })
        .collect()
}

fn eval_doc(gold: &Record, pred: &Record, relabel: &HashMap<&str, &str>, rep: &mut EvalReport) {
    let gold_spans = scored(gold, relabel, false);
    let pred_spans = scored(pred, relabel, true);
    let gold_refs: Vec<&RecordSpan> = gold_spans.iter().collect();
    let pred_refs: Vec<&RecordSpan> = pred_spans.iter().collect();
    let labels: BTreeSet<&str> = gold_spans
        .iter()
        .chain(pred_spans.iter())
        .map(|s| s.label.as_str())
        .collect();
    for label in labels {
        let g: Vec<&RecordSpan> = gold_refs
            .iter()
            .copied()
            .filter(|s| s.label == label)
            .collect();
        let p: Vec<&RecordSpan> = pred_refs
            .iter()
            .copied()
            .filter(|s| s.label == label)
            .collect();
        let same = |a: &RecordSpan, b: &RecordSpan| a.start == b.start && a.end == b.end;
        let sc = rep.labels.entry(label.to_string()).or_default();
        sc.overlap.add(&Prf {
            right: p
                .iter()
                .filter(|x| g.iter().any(|y| overlaps(x, y)))
                .count(),
            n_pred: p.len(),
            found: g
                .iter()
                .filter(|y| p.iter().any(|x| overlaps(x, y)))
                .count(),
            n_gold: g.len(),
        });
        sc.exact.add(&Prf {
            right: p.iter().filter(|x| g.iter().any(|y| same(x, y))).count(),
            n_pred: p.len(),
            found: g.iter().filter(|y| p.iter().any(|x| same(x, y))).count(),
            n_gold: g.len(),
        });
        for gs in &g {
            // The prediction that overlaps it most, the first on a tie.
            let best = p.iter().filter(|x| overlaps(x, gs)).fold(
                None::<&&RecordSpan>,
                |best, x| match best {
                    Some(b) if overlap_len(b, gs) >= overlap_len(x, gs) => Some(b),
                    _ => Some(x),
                },
            );
            let Some(best) = best else { continue };
            for a in SCORED_ATTRS {
                if let Some(gv) = gs.attrs.get(*a) {
                    let acc = sc.attrs.entry(a.to_string()).or_default();
                    acc.total += 1;
                    if best.attrs.get(*a) == Some(gv) {
                        acc.correct += 1;
                    }
                }
            }
        }
        for x in &p {
            let c = rep
                .by_rule
                .entry(rule_key(x))
                .or_default()
                .entry(label.to_string())
                .or_default();
            if g.iter().any(|y| overlaps(x, y)) {
                c.right += 1;
            } else {
                c.wrong += 1;
            }
        }
    }
    let gold_links = links(gold, &gold_refs);
    let pred_links = links(pred, &pred_refs);
    for gs in &gold_refs {
        let Some(speakers) = gold_links.get(gs.id.as_str()) else {
            continue;
        };
        rep.attribution.total += 1;
        // The gold speaker mentions, and every gold mention of the same entity.
        let targets: Vec<&RecordSpan> = gold_refs
            .iter()
            .copied()
            .filter(|m| {
                speakers.iter().any(|sp| {
                    m.id == sp.id
                        || (m.label == sp.label && {
                            let e = entity_set(sp);
                            !e.is_empty() && entity_set(m) == e
                        })
                })
            })
            .collect();
        let ok = pred_refs
            .iter()
            .filter(|x| x.label == gs.label && overlaps(x, gs))
            .filter_map(|x| pred_links.get(x.id.as_str()))
            .flatten()
            .any(|q| targets.iter().any(|t| overlaps(q, t)));
        if ok {
            rep.attribution.correct += 1;
        }
    }
}

/// Compares predictions with gold, matching records by id (by order when
/// ids are missing).
pub fn evaluate(gold: &[Record], pred: &[Record]) -> EvalReport {
    evaluate_with(gold, pred, &EvalOptions::default())
}

/// [`evaluate`] with options.
pub fn evaluate_with(gold: &[Record], pred: &[Record], options: &EvalOptions) -> EvalReport {
    let relabel: HashMap<&str, &str> = options
        .relabel
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut rep = EvalReport {
        relabel: options.relabel.clone(),
        ..EvalReport::default()
    };
    let by_id: HashMap<&str, usize> = pred
        .iter()
        .enumerate()
        .filter_map(|(k, r)| r.id.as_deref().map(|id| (id, k)))
        .collect();
    let mut used = vec![false; pred.len()];
    for (i, g) in gold.iter().enumerate() {
        let k = match g.id.as_deref() {
            Some(id) => by_id
                .get(id)
                .copied()
                .or_else(|| pred.get(i).filter(|p| p.id.is_none()).map(|_| i)),
            None => pred.get(i).map(|_| i),
        };
        rep.documents += 1;
        match k {
            Some(k) => {
                used[k] = true;
                eval_doc(g, &pred[k], &relabel, &mut rep);
            }
            None => {
                rep.missing_predictions
                    .push(g.id.clone().unwrap_or_else(|| format!("#{}", i + 1)));
                let empty = Record {
                    text: g.text.clone(),
                    ..Record::default()
                };
                eval_doc(g, &empty, &relabel, &mut rep);
            }
        }
    }
    rep.unmatched_predictions = used.iter().filter(|u| !**u).count();
    rep
}

impl EvalReport {
    /// The per-rule table (`--by-rule`).
    pub fn by_rule_table(&self) -> String {
        let rows = self.rules_by_cost();
        let width = rows
            .iter()
            .map(|r| r.0.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut out = format!(
            "predictions per rule (right: shares a code point with a gold span of its label), most wrong first\n{:<width$}  {:<10} {:>6} {:>6} {:>9}\n",
            "rule", "label", "right", "wrong", "precision"
        );
        for (rule, label, c) in rows {
            out.push_str(&format!(
                "{rule:<width$}  {label:<10} {:>6} {:>6} {:>9.3}\n",
                c.right,
                c.wrong,
                ratio(c.right, c.right + c.wrong)
            ));
        }
        out
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} document(s)", self.documents)?;
        if !self.relabel.is_empty() {
            let r: Vec<String> = self
                .relabel
                .iter()
                .map(|(a, b)| format!("{a} as {b}"))
                .collect();
            write!(f, "; scored {}", r.join(", "))?;
        }
        writeln!(f)?;
        if !self.missing_predictions.is_empty() {
            writeln!(
                f,
                "no prediction for (scored as predicting nothing): {}",
                self.missing_predictions.join(", ")
            )?;
        }
        if self.unmatched_predictions > 0 {
            writeln!(
                f,
                "{} predicted document(s) match no gold document and were not scored",
                self.unmatched_predictions
            )?;
        }
        let prf = |p: &Prf| {
            format!(
                "{:>6} {:>6} {:>6.3} {:>6.3} {:>6.3}",
                p.found,
                p.right,
                p.precision(),
                p.recall(),
                p.f1()
            )
        };
        writeln!(
            f,
            "{:<24} | {:<34} | {:<34} |",
            "", "overlap (a shared code point)", "exact (the same offsets)"
        )?;
        let head = format!(
            "{:>6} {:>6} {:>6} {:>6} {:>6}",
            "found", "right", "P", "R", "F1"
        );
        writeln!(
            f,
            "{:<10} {:>6} {:>6} | {head} | {head} | attributes",
            "label", "gold", "pred"
        )?;
        for (label, s) in &self.labels {
            let attrs: Vec<String> = s
                .attrs
                .iter()
                .map(|(k, a)| format!("{k} {:.2} ({}/{})", a.value(), a.correct, a.total))
                .collect();
            let row = format!(
                "{:<10} {:>6} {:>6} | {} | {} | {}",
                label,
                s.overlap.n_gold,
                s.overlap.n_pred,
                prf(&s.overlap),
                prf(&s.exact),
                attrs.join(", ")
            );
            writeln!(f, "{}", row.trim_end())?;
        }
        writeln!(
            f,
            "attribution {:.3} ({} of {} gold spans with a said_by/held_by link; right when a prediction over one links to a span over its gold speaker or another gold mention of that entity)",
            self.attribution.value(),
            self.attribution.correct,
            self.attribution.total
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::record::RecordRelation;

    const TEXT: &str =
        "Ann Lee said the plan would fail, he said, and cost a lot. The minister said more.";

    fn span(id: &str, label: &str, start: usize, end: usize) -> RecordSpan {
        RecordSpan {
            id: id.into(),
            start,
            end,
            label: label.into(),
            text: TEXT.chars().skip(start).take(end - start).collect(),
            ..RecordSpan::default()
        }
    }

    fn with(mut s: RecordSpan, key: &str, value: &str) -> RecordSpan {
        s.attrs.insert(key.into(), value.into());
        s
    }

    fn rec(spans: Vec<RecordSpan>, links: &[(&str, &str)]) -> Record {
        Record {
            id: Some("d".into()),
            text: TEXT.into(),
            spans,
            relations: links
                .iter()
                .map(|(a, b)| RecordRelation {
                    kind: "said_by".into(),
                    from: (*a).into(),
                    to: (*b).into(),
                })
                .collect(),
            ..Record::default()
        }
    }

    fn eval(gold: Record, pred: Record) -> EvalReport {
        evaluate(&[gold], &[pred])
    }

    #[test]
    fn a_quotation_split_in_two_gives_two_right_predictions() {
        let gold = rec(vec![span("c", "Claim", 13, 57)], &[]);
        let pred = rec(
            vec![span("p1", "Claim", 13, 32), span("p2", "Claim", 43, 57)],
            &[],
        );
        let s = eval(gold, pred).label("Claim");
        assert_eq!(
            s.overlap,
            Prf {
                right: 2,
                n_pred: 2,
                found: 1,
                n_gold: 1
            }
        );
        assert_eq!(s.overlap.f1(), 1.0);
        assert_eq!(s.exact.found + s.exact.right, 0);
    }

    #[test]
    fn one_prediction_over_two_gold_spans_finds_both() {
        let gold = rec(
            vec![span("a", "Claim", 13, 32), span("b", "Claim", 43, 57)],
            &[],
        );
        let pred = rec(vec![span("p", "Claim", 13, 57)], &[]);
        let s = eval(gold, pred).label("Claim");
        assert_eq!((s.overlap.right, s.overlap.n_pred), (1, 1));
        assert_eq!((s.overlap.found, s.overlap.n_gold), (2, 2));
    }

    #[test]
    fn overlap_needs_a_shared_code_point_and_the_same_label() {
        let gold = rec(vec![span("a", "Claim", 13, 32)], &[]);
        let pred = rec(
            vec![
                span("touching", "Claim", 32, 40),
                span("other label", "Stance", 13, 32),
            ],
            &[],
        );
        let rep = eval(gold, pred);
        assert_eq!(rep.label("Claim").overlap.found, 0);
        assert_eq!(rep.label("Claim").overlap.right, 0);
        assert_eq!(rep.label("Stance").overlap.right, 0);
    }

    #[test]
    fn exact_match_needs_identical_offsets() {
        let gold = rec(
            vec![span("a", "Speaker", 0, 7), span("b", "Speaker", 59, 71)],
            &[],
        );
        let pred = rec(
            vec![
                span("p", "Speaker", 0, 7),
                span("q", "Speaker", 0, 7),
                span("r", "Speaker", 63, 71),
            ],
            &[],
        );
        let s = eval(gold, pred).label("Speaker");
        assert_eq!(
            s.exact,
            Prf {
                right: 2,
                n_pred: 3,
                found: 1,
                n_gold: 2
            }
        );
        assert_eq!(s.overlap.found, 2);
        assert_eq!(s.overlap.right, 3);
    }

    fn claim_gold() -> Record {
        // "Ann Lee" said the claim; "he" is another mention of her entity.
        rec(
            vec![
                with(span("s1", "Speaker", 0, 7), "entity", "Ann Lee"),
                span("c1", "Claim", 13, 32),
                with(span("s2", "Speaker", 34, 36), "entity", "ann lee"),
                span("c2", "Claim", 47, 57),
                with(span("s3", "Speaker", 59, 71), "entity", "The Minister"),
            ],
            &[("c1", "s1"), ("c2", "s3")],
        )
    }

    #[test]
    fn attribution_through_the_gold_mention_or_another_of_its_entity() {
        // c1 → a prediction over "he" (same entity as "Ann Lee"): right.
        // c2 → "Ann Lee" but gold says the minister: wrong.
        let pred = rec(
            vec![
                span("p1", "Speaker", 34, 36),
                span("p2", "Claim", 10, 20),
                span("p3", "Claim", 47, 57),
                span("p4", "Speaker", 0, 3),
            ],
            &[("p2", "p1"), ("p3", "p4")],
        );
        let rep = eval(claim_gold(), pred);
        assert_eq!(
            rep.attribution,
            Accuracy {
                correct: 1,
                total: 2
            }
        );
    }

    #[test]
    fn attribution_counts_gold_claims_that_were_not_found() {
        let pred = rec(
            vec![span("p1", "Speaker", 0, 7), span("p2", "Claim", 13, 20)],
            &[("p2", "p1")],
        );
        let rep = eval(claim_gold(), pred);
        assert_eq!(rep.attribution.correct, 1);
        assert_eq!(rep.attribution.total, 2);
    }

    #[test]
    fn attribution_needs_a_link_from_a_prediction_of_the_same_label() {
        let pred = rec(
            vec![span("p1", "Speaker", 0, 7), span("p2", "Stance", 13, 20)],
            &[("p2", "p1")],
        );
        assert_eq!(eval(claim_gold(), pred.clone()).attribution.correct, 0);
        let opts = EvalOptions {
            relabel: vec![("Stance".into(), "Claim".into())],
        };
        let rep = evaluate_with(&[claim_gold()], &[pred], &opts);
        assert_eq!(rep.attribution.correct, 1);
        assert_eq!(rep.label("Claim").overlap.right, 1);
        assert!(!rep.labels.contains_key("Stance"));
    }

    #[test]
    fn entities_compare_as_sets_without_case_and_fall_back_to_the_text() {
        let gold = rec(
            vec![
                with(span("s1", "Speaker", 0, 7), "entity", "Ann Lee; Bo Park"),
                span("c1", "Claim", 13, 32),
                with(span("s2", "Speaker", 34, 36), "entity", "bo park;ann lee"),
                with(span("s3", "Speaker", 59, 71), "entity", "Ann Lee"),
            ],
            &[("c1", "s1")],
        );
        let linked_to = |start, end| {
            rec(
                vec![span("q", "Speaker", start, end), span("p", "Claim", 13, 32)],
                &[("p", "q")],
            )
        };
        assert_eq!(eval(gold.clone(), linked_to(34, 36)).attribution.correct, 1);
        assert_eq!(eval(gold, linked_to(59, 71)).attribution.correct, 0);
        // Without `entity`, the mention's text is its entity.
        let gold = rec(
            vec![
                span("s1", "Speaker", 0, 3),
                span("c1", "Claim", 13, 32),
                span("s2", "Speaker", 4, 7),
            ],
            &[("c1", "s1")],
        );
        assert_eq!(eval(gold, linked_to(4, 7)).attribution.correct, 0);
    }

    #[test]
    fn by_rule_counts_right_and_wrong_per_rule_and_label() {
        let gold = rec(vec![span("c", "Claim", 13, 57)], &[]);
        let mut a = span("p1", "Claim", 13, 32);
        a.origin = Some("rule:claim.that".into());
        let mut b = span("p2", "Claim", 59, 71);
        b.origin = Some("rule:claim.that".into());
        let mut c = span("p3", "Claim", 72, 80);
        c.origin = Some("rule:claim.more".into());
        let mut d = span("p4", "Claim", 72, 80);
        d.status = Some("rejected".into());
        let rep = eval(gold, rec(vec![a, b, c, d], &[]));
        let rows = rep.rules_by_cost();
        assert_eq!(
            rows,
            vec![
                ("claim.more", "Claim", RuleCounts { right: 0, wrong: 1 }),
                ("claim.that", "Claim", RuleCounts { right: 1, wrong: 1 }),
            ]
        );
        assert!(rep.by_rule_table().contains("claim.that"));
    }

    #[test]
    fn attribute_accuracy_uses_the_largest_overlap() {
        let gold = rec(
            vec![with(span("c", "Claim", 13, 57), "mode", "direct")],
            &[],
        );
        let pred = rec(
            vec![
                with(span("p1", "Claim", 13, 20), "mode", "indirect"),
                with(span("p2", "Claim", 20, 57), "mode", "direct"),
            ],
            &[],
        );
        let rep = eval(gold, pred);
        assert_eq!(
            rep.label("Claim").attrs["mode"],
            Accuracy {
                correct: 1,
                total: 1
            }
        );
        let json = rep.to_json();
        assert_eq!(json["labels"]["Claim"]["overlap"]["right"], 2);
    }
}
