//! `sayso eval`: compares predicted records with gold records, per label:
//! precision/recall/F1 for exact and for overlap matching (same label, at
//! least one shared character, each gold and each predicted span matched at
//! most once, largest overlaps first), attribute accuracy (`polarity`, `mode`)
//! on overlap-matched spans, and attribution accuracy: the share of gold
//! Claims and Stances whose matched prediction links (`said_by`/`held_by`) to
//! a Speaker of the same entity.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::io::record::{Record, RecordSpan};

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub n_pred: usize,
    pub n_gold: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        if self.n_pred == 0 {
            0.0
        } else {
            self.tp as f64 / self.n_pred as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.n_gold == 0 {
            0.0
        } else {
            self.tp as f64 / self.n_gold as f64
        }
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
        self.tp += o.tp;
        self.n_pred += o.n_pred;
        self.n_gold += o.n_gold;
    }
}

/// Correct out of total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
}

impl Accuracy {
    pub fn value(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// Scores of one label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelScores {
    pub exact: Prf,
    pub overlap: Prf,
    /// Attribute name → accuracy on overlap-matched spans where gold has it.
    pub attrs: BTreeMap<String, Accuracy>,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    pub documents: usize,
    /// Gold records without a prediction.
    pub missing_predictions: Vec<String>,
    pub labels: BTreeMap<String, LabelScores>,
    pub attribution: Accuracy,
}

impl EvalReport {
    pub fn label(&self, l: &str) -> LabelScores {
        self.labels.get(l).cloned().unwrap_or_default()
    }
}

const SCORED_ATTRS: &[&str] = &["polarity", "mode"];

fn entity_set(s: &RecordSpan) -> BTreeSet<String> {
    let e = s.attrs.get("entity").map(String::as_str).unwrap_or(&s.text);
    e.split(';')
        .map(|x| x.trim().to_lowercase())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Greedy one-to-one overlap matching: pairs (gold index, pred index).
fn overlap_pairs(gold: &[&RecordSpan], pred: &[&RecordSpan]) -> Vec<(usize, usize)> {
    let mut cands = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let ov = g.end.min(p.end).saturating_sub(g.start.max(p.start));
            if ov > 0 {
                cands.push((ov, gi, pi));
            }
        }
    }
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut gu, mut pu) = (vec![false; gold.len()], vec![false; pred.len()]);
    let mut out = Vec::new();
    for (_, gi, pi) in cands {
        if !gu[gi] && !pu[pi] {
            gu[gi] = true;
            pu[pi] = true;
            out.push((gi, pi));
        }
    }
    out
}

fn linked_speaker<'a>(rec: &'a Record, span_id: &str) -> Option<&'a RecordSpan> {
    let r = rec
        .relations
        .iter()
        .find(|r| r.from == span_id && (r.kind == "said_by" || r.kind == "held_by"))?;
    rec.spans.iter().find(|s| s.id == r.to)
}

fn eval_doc(gold: &Record, pred: &Record, rep: &mut EvalReport) {
    let labels: BTreeSet<&str> = gold
        .spans
        .iter()
        .chain(pred.spans.iter())
        .map(|s| s.label.as_str())
        .collect();
    let pred_spans: Vec<&RecordSpan> = pred
        .spans
        .iter()
        .filter(|s| s.status.as_deref() != Some("rejected"))
        .collect();
    for label in labels {
        let g: Vec<&RecordSpan> = gold.spans.iter().filter(|s| s.label == label).collect();
        let p: Vec<&RecordSpan> = pred_spans
            .iter()
            .copied()
            .filter(|s| s.label == label)
            .collect();
        let sc = rep.labels.entry(label.to_string()).or_default();
        let mut used = vec![false; p.len()];
        let mut exact_tp = 0;
        for gs in &g {
            if let Some(k) =
                (0..p.len()).find(|&k| !used[k] && p[k].start == gs.start && p[k].end == gs.end)
            {
                used[k] = true;
                exact_tp += 1;
            }
        }
        sc.exact.add(&Prf {
            tp: exact_tp,
            n_pred: p.len(),
            n_gold: g.len(),
        });
        let pairs = overlap_pairs(&g, &p);
        sc.overlap.add(&Prf {
            tp: pairs.len(),
            n_pred: p.len(),
            n_gold: g.len(),
        });
        for &(gi, pi) in &pairs {
            for a in SCORED_ATTRS {
                if let Some(gv) = g[gi].attrs.get(*a) {
                    let acc = sc.attrs.entry(a.to_string()).or_default();
                    acc.total += 1;
                    if p[pi].attrs.get(*a) == Some(gv) {
                        acc.correct += 1;
                    }
                }
            }
        }
        if label == "Claim" || label == "Stance" {
            let matched: HashMap<usize, usize> = pairs.into_iter().collect();
            for (gi, gs) in g.iter().enumerate() {
                let Some(gsp) = linked_speaker(gold, &gs.id) else {
                    continue;
                };
                rep.attribution.total += 1;
                let ok = matched
                    .get(&gi)
                    .and_then(|&pi| linked_speaker(pred, &p[pi].id))
                    .is_some_and(|psp| entity_set(psp) == entity_set(gsp));
                if ok {
                    rep.attribution.correct += 1;
                }
            }
        }
    }
}

/// Compares predictions with gold, matching records by id (by order when ids are missing).
pub fn evaluate(gold: &[Record], pred: &[Record]) -> EvalReport {
    let mut rep = EvalReport::default();
    let by_id: HashMap<&str, &Record> = pred
        .iter()
        .filter_map(|r| r.id.as_deref().map(|id| (id, r)))
        .collect();
    for (i, g) in gold.iter().enumerate() {
        let p = match g.id.as_deref() {
            Some(id) => by_id
                .get(id)
                .copied()
                .or_else(|| pred.get(i).filter(|p| p.id.is_none())),
            None => pred.get(i),
        };
        rep.documents += 1;
        match p {
            Some(p) => eval_doc(g, p, &mut rep),
            None => {
                rep.missing_predictions
                    .push(g.id.clone().unwrap_or_else(|| format!("#{}", i + 1)));
                eval_doc(
                    g,
                    &Record {
                        text: g.text.clone(),
                        ..Record::default()
                    },
                    &mut rep,
                );
            }
        }
    }
    rep
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} document(s)", self.documents)?;
        if !self.missing_predictions.is_empty() {
            writeln!(
                f,
                "no prediction for: {}",
                self.missing_predictions.join(", ")
            )?;
        }
        writeln!(
            f,
            "{:<10} {:>5} {:>5} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | attributes",
            "label", "gold", "pred", "ex.P", "ex.R", "ex.F1", "ov.P", "ov.R", "ov.F1"
        )?;
        for (label, s) in &self.labels {
            let attrs: Vec<String> = s
                .attrs
                .iter()
                .map(|(k, a)| format!("{k} {:.2} ({}/{})", a.value(), a.correct, a.total))
                .collect();
            writeln!(
                f,
                "{:<10} {:>5} {:>5} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3} | {}",
                label,
                s.overlap.n_gold,
                s.overlap.n_pred,
                s.exact.precision(),
                s.exact.recall(),
                s.exact.f1(),
                s.overlap.precision(),
                s.overlap.recall(),
                s.overlap.f1(),
                attrs.join(", ")
            )?;
        }
        writeln!(
            f,
            "attribution accuracy (gold Claims and Stances linked to the same entity): {:.3} ({}/{})",
            self.attribution.value(),
            self.attribution.correct,
            self.attribution.total
        )
    }
}
