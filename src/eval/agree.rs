//! `sayso agree`: how far annotators agree with each other, on the
//! documents they share (see [`crate::team`] for merged projects).
//!
//! Looked at: the accepted spans of each document's annotators
//! ([`crate::team::annotators_of`]); curated spans, pending and rejected
//! suggestions are not. A document one annotator had adds nothing.
//!
//! - **Span F1**, per pair of annotators and label: exact (the same
//!   offsets) and overlap (a shared code point), counted as `sayso eval`
//!   counts with one annotator as the reference; F1 does not depend on
//!   which one. Over several pairs or labels the counts are summed.
//! - **Token level**, per label: each token ([`crate::rules::tokenize`];
//!   whitespace is not a token) is, for each annotator, inside a span of
//!   the label (it shares a code point with one) or not. Cohen's κ per pair
//!   over the tokens of the documents both had (as scikit-learn's
//!   `cohen_kappa_score`), Krippendorff's α over all annotators, nominal,
//!   with a missing value where an annotator did not have the document (as
//!   the `krippendorff` package). Overall (`all`): a token's value is the
//!   set of labels it is inside (`Claim+Stance`, or none), one nominal
//!   category each. Without variation (every value the same) κ and α are
//!   undefined and shown as `-`.
//! - **Matched spans**: per pair, document and label, spans of the two
//!   annotators that overlap are paired one to one, largest overlap first.
//! - **Attributes** (`mode`, `polarity`): over matched pairs where either
//!   span sets the attribute, the share with the same value.
//! - **Attribution**: over matched pairs where either span links to a
//!   speaker (any relation from it), the share where both link to the same
//!   speaker: the two speaker spans overlap, or have the same entity (the
//!   `entity` attribute, else the text, as a set of names split at `;`,
//!   without case; as `sayso eval`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Accuracy, Prf};
use crate::model::{Document, Origin, Project, ReviewState, Span};

const ATTRS: &[&str] = &["mode", "polarity"];

/// The name of the overall row.
pub const ALL: &str = "all";

/// Krippendorff's α for nominal data. `units` holds, per unit, the values
/// the coders gave it (missing ones left out); units with fewer than two
/// values cannot be paired and are left out, as the `krippendorff` package
/// does. `None` when nothing varies (the expected disagreement is 0).
pub fn krippendorff_alpha_nominal(units: &[Vec<u32>]) -> Option<f64> {
    // Ordered maps, so that the sums are made in the same order every time.
    let mut coincidence: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for unit in units {
        let m = unit.len();
        if m < 2 {
            continue;
        }
        let mut counts: BTreeMap<u32, f64> = BTreeMap::new();
        for v in unit {
            *counts.entry(*v).or_default() += 1.0;
        }
        let w = 1.0 / (m as f64 - 1.0);
        for (&c, &nc) in &counts {
            for (&k, &nk) in &counts {
                let pairs = if c == k { nc * (nc - 1.0) } else { nc * nk };
                *coincidence.entry((c, k)).or_default() += pairs * w;
            }
        }
    }
    let mut n_c: BTreeMap<u32, f64> = BTreeMap::new();
    for (&(c, _), &o) in &coincidence {
        *n_c.entry(c).or_default() += o;
    }
    let n: f64 = n_c.values().sum();
    let observed: f64 = coincidence
        .iter()
        .filter(|((c, k), _)| c != k)
        .map(|(_, o)| o)
        .sum();
    let mut expected = 0.0;
    for (&c, &a) in &n_c {
        for (&k, &b) in &n_c {
            if c != k {
                expected += a * b;
            }
        }
    }
    if expected == 0.0 || n <= 1.0 {
        return None;
    }
    Some(1.0 - observed / (expected / (n - 1.0)))
}

/// Cohen's κ of two coders' values for the same items (`a[i]` and `b[i]`
/// for item `i`), as scikit-learn's `cohen_kappa_score`. `None` without
/// items, or when chance agreement is 1 (a single value throughout).
pub fn cohen_kappa(a: &[u32], b: &[u32]) -> Option<f64> {
    let n = a.len().min(b.len());
    if n == 0 {
        return None;
    }
    let mut ca: BTreeMap<u32, f64> = BTreeMap::new();
    let mut cb: BTreeMap<u32, f64> = BTreeMap::new();
    let mut same = 0.0;
    for i in 0..n {
        *ca.entry(a[i]).or_default() += 1.0;
        *cb.entry(b[i]).or_default() += 1.0;
        if a[i] == b[i] {
            same += 1.0;
        }
    }
    let n = n as f64;
    let po = same / n;
    let pe: f64 = ca
        .iter()
        .map(|(v, x)| x * cb.get(v).copied().unwrap_or(0.0))
        .sum::<f64>()
        / (n * n);
    if pe >= 1.0 {
        return None;
    }
    Some((po - pe) / (1.0 - pe))
}

/// Agreement of one pair of annotators on one label (or overall).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairScores {
    pub exact: Prf,
    pub overlap: Prf,
    /// Cohen's κ over the tokens of the documents both had.
    pub kappa: Option<f64>,
    pub tokens: usize,
    pub attrs: BTreeMap<String, Accuracy>,
    pub attribution: Accuracy,
}

/// Agreement on one label (or overall) over all annotators.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelAgreement {
    /// `(a, b)` with `a < b` → their scores.
    pub pairs: BTreeMap<(String, String), PairScores>,
    /// Krippendorff's α, token level, nominal.
    pub alpha: Option<f64>,
    /// Tokens that at least two annotators saw (α's units).
    pub tokens: usize,
}

impl LabelAgreement {
    /// The pairs' counts summed.
    pub fn summed(&self) -> PairScores {
        let mut out = PairScores::default();
        for p in self.pairs.values() {
            add_prf(&mut out.exact, &p.exact);
            add_prf(&mut out.overlap, &p.overlap);
            out.tokens += p.tokens;
            for (k, a) in &p.attrs {
                add_acc(out.attrs.entry(k.clone()).or_default(), a);
            }
            add_acc(&mut out.attribution, &p.attribution);
        }
        if self.pairs.len() == 1 {
            out.kappa = self.pairs.values().next().and_then(|p| p.kappa);
        }
        out
    }

    /// The mean of the pairs' κ that are defined.
    pub fn mean_kappa(&self) -> Option<f64> {
        let ks: Vec<f64> = self.pairs.values().filter_map(|p| p.kappa).collect();
        (!ks.is_empty()).then(|| ks.iter().sum::<f64>() / ks.len() as f64)
    }
}

fn add_prf(a: &mut Prf, b: &Prf) {
    a.right += b.right;
    a.n_pred += b.n_pred;
    a.found += b.found;
    a.n_gold += b.n_gold;
}

fn add_acc(a: &mut Accuracy, b: &Accuracy) {
    a.correct += b.correct;
    a.total += b.total;
}

/// The agreement over some documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agreement {
    /// Every annotator of the documents, sorted.
    pub annotators: Vec<String>,
    pub documents: usize,
    /// Documents that two or more annotators had.
    pub shared: usize,
    /// Per label, and [`ALL`] for all labels together.
    pub labels: BTreeMap<String, LabelAgreement>,
}

/// [`Agreement`] of the whole project and of each document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgreeReport {
    pub total: Agreement,
    /// `(document name, its agreement)` for the shared documents.
    pub by_doc: Vec<(String, Agreement)>,
}

/// One annotator's view of a document: their spans.
struct View<'a> {
    spans: Vec<&'a Span>,
}

fn entity_set(doc: &Document, s: &Span) -> BTreeSet<String> {
    let e = s
        .attrs
        .get("entity")
        .map(String::as_str)
        .unwrap_or_else(|| doc.span_text(s));
    e.split(';')
        .map(|x| x.trim().to_lowercase())
        .filter(|x| !x.is_empty())
        .collect()
}

fn overlap_len(a: &Span, b: &Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// The spans agreement looks at, by annotator, for the document's annotators.
fn views<'a>(doc: &'a Document, coders: &[String]) -> BTreeMap<String, View<'a>> {
    let mut out: BTreeMap<String, View<'a>> = coders
        .iter()
        .map(|c| (c.clone(), View { spans: Vec::new() }))
        .collect();
    for s in &doc.spans {
        if s.review != ReviewState::Accepted || matches!(s.origin, Origin::Curated { .. }) {
            continue;
        }
        if let Some(v) = s.annotator().and_then(|a| out.get_mut(a)) {
            v.spans.push(s);
        }
    }
    out
}

/// Pairs spans of two annotators one to one, largest overlap first.
fn matched<'a>(a: &[&'a Span], b: &[&'a Span]) -> Vec<(&'a Span, &'a Span)> {
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let o = overlap_len(x, y);
            if o > 0 {
                cands.push((o, i, j));
            }
        }
    }
    cands.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let (mut ua, mut ub) = (vec![false; a.len()], vec![false; b.len()]);
    let mut out = Vec::new();
    for (_, i, j) in cands {
        if !ua[i] && !ub[j] {
            ua[i] = true;
            ub[j] = true;
            out.push((a[i], b[j]));
        }
    }
    out
}

/// Span and attribute agreement of annotators `a` and `b` on one label's
/// spans of one document, added to `p`.
fn pair_spans(doc: &Document, a: &[&Span], b: &[&Span], p: &mut PairScores) {
    let same = |x: &Span, y: &Span| x.start == y.start && x.end == y.end;
    add_prf(
        &mut p.exact,
        &Prf {
            right: b.iter().filter(|y| a.iter().any(|x| same(x, y))).count(),
            n_pred: b.len(),
            found: a.iter().filter(|x| b.iter().any(|y| same(x, y))).count(),
            n_gold: a.len(),
        },
    );
    add_prf(
        &mut p.overlap,
        &Prf {
            right: b
                .iter()
                .filter(|y| a.iter().any(|x| x.overlaps(y.start, y.end)))
                .count(),
            n_pred: b.len(),
            found: a
                .iter()
                .filter(|x| b.iter().any(|y| y.overlaps(x.start, x.end)))
                .count(),
            n_gold: a.len(),
        },
    );
    let targets = |s: &Span| -> Vec<&Span> {
        doc.relations
            .iter()
            .filter(|r| r.from == s.id)
            .filter_map(|r| doc.span(r.to))
            .collect()
    };
    for (x, y) in matched(a, b) {
        for attr in ATTRS {
            let vx = x.attrs.get(*attr).filter(|v| !v.is_empty());
            let vy = y.attrs.get(*attr).filter(|v| !v.is_empty());
            if vx.is_some() || vy.is_some() {
                let acc = p.attrs.entry(attr.to_string()).or_default();
                acc.total += 1;
                if vx == vy {
                    acc.correct += 1;
                }
            }
        }
        let (tx, ty) = (targets(x), targets(y));
        if tx.is_empty() && ty.is_empty() {
            continue;
        }
        p.attribution.total += 1;
        let same_speaker = tx.iter().any(|s| {
            ty.iter().any(|t| {
                s.overlaps(t.start, t.end) || {
                    let e = entity_set(doc, s);
                    !e.is_empty() && e == entity_set(doc, t)
                }
            })
        });
        if same_speaker {
            p.attribution.correct += 1;
        }
    }
}

/// Per label, each annotator's value for each token of a document: 1
/// inside a span of the label, else 0; for [`ALL`], an id of the set of
/// labels the token is inside (0 for none), from `categories`.
fn token_values(
    doc: &Document,
    view: &View,
    labels: &[String],
    categories: &mut HashMap<String, u32>,
) -> BTreeMap<String, Vec<u32>> {
    let tokens = crate::rules::tokenize(doc.text.as_str());
    let mut inside: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); tokens.len()];
    for s in &view.spans {
        let first = tokens.partition_point(|t| t.end <= s.start);
        let last = tokens.partition_point(|t| t.start < s.end);
        for set in inside.iter_mut().take(last).skip(first) {
            set.insert(s.label.as_str());
        }
    }
    let mut out = BTreeMap::new();
    for l in labels {
        out.insert(
            l.clone(),
            inside
                .iter()
                .map(|set| u32::from(set.contains(l.as_str())))
                .collect(),
        );
    }
    let all = inside
        .iter()
        .map(|set| {
            let key = set.iter().copied().collect::<Vec<_>>().join("+");
            let next = categories.len() as u32;
            *categories.entry(key).or_insert(next)
        })
        .collect();
    out.insert(ALL.to_string(), all);
    out
}

/// Two annotators' values for the same tokens.
type PairTokens = (Vec<u32>, Vec<u32>);

/// The agreement over the documents `docs` of `project`.
pub fn agreement(project: &Project, docs: &[usize]) -> Agreement {
    let mut labels: BTreeSet<String> = project
        .schema
        .labels
        .iter()
        .map(|l| l.name.clone())
        .collect();
    let mut annotators: BTreeSet<String> = BTreeSet::new();
    for &d in docs {
        let doc = &project.documents[d];
        labels.extend(doc.spans.iter().map(|s| s.label.clone()));
        annotators.extend(crate::team::annotators_of(doc));
    }
    let labels: Vec<String> = labels.into_iter().collect();
    let mut out = Agreement {
        annotators: annotators.iter().cloned().collect(),
        documents: docs.len(),
        ..Agreement::default()
    };
    let mut categories: HashMap<String, u32> = HashMap::from([(String::new(), 0)]);
    let mut units: BTreeMap<String, Vec<Vec<u32>>> = BTreeMap::new();
    let mut pair_tokens: BTreeMap<(String, String, String), PairTokens> = BTreeMap::new();
    let all_label = ALL.to_string();
    for l in labels.iter().chain([&all_label]) {
        out.labels.insert(l.clone(), LabelAgreement::default());
    }
    for &d in docs {
        let doc = &project.documents[d];
        let coders = crate::team::annotators_of(doc);
        if coders.len() < 2 {
            continue;
        }
        out.shared += 1;
        let views = views(doc, &coders);
        let values: BTreeMap<&str, BTreeMap<String, Vec<u32>>> = views
            .iter()
            .map(|(c, v)| (c.as_str(), token_values(doc, v, &labels, &mut categories)))
            .collect();
        for (label, agreement) in out.labels.iter_mut() {
            let per_coder: Vec<&Vec<u32>> = values.values().filter_map(|m| m.get(label)).collect();
            let n_tokens = per_coder.first().map_or(0, |v| v.len());
            let u = units.entry(label.clone()).or_default();
            for t in 0..n_tokens {
                u.push(per_coder.iter().map(|v| v[t]).collect());
            }
            agreement.tokens += n_tokens;
            for (i, a) in coders.iter().enumerate() {
                for b in &coders[i + 1..] {
                    let p = agreement.pairs.entry((a.clone(), b.clone())).or_default();
                    let (va, vb) = (&values[a.as_str()][label], &values[b.as_str()][label]);
                    let tok = pair_tokens
                        .entry((label.clone(), a.clone(), b.clone()))
                        .or_default();
                    tok.0.extend(va);
                    tok.1.extend(vb);
                    p.tokens += va.len();
                    let pick = |c: &str| -> Vec<&Span> {
                        views[c]
                            .spans
                            .iter()
                            .copied()
                            .filter(|s| label == ALL || s.label == *label)
                            .collect()
                    };
                    if label == ALL {
                        // Overall: the labels' counts, each label apart.
                        for l in &labels {
                            let only = |c: &str| -> Vec<&Span> {
                                views[c]
                                    .spans
                                    .iter()
                                    .copied()
                                    .filter(|s| s.label == *l)
                                    .collect()
                            };
                            pair_spans(doc, &only(a), &only(b), p);
                        }
                    } else {
                        pair_spans(doc, &pick(a), &pick(b), p);
                    }
                }
            }
        }
    }
    for (label, agreement) in out.labels.iter_mut() {
        agreement.alpha = units.get(label).and_then(|u| krippendorff_alpha_nominal(u));
        for ((a, b), p) in agreement.pairs.iter_mut() {
            if let Some((va, vb)) = pair_tokens.get(&(label.clone(), a.clone(), b.clone())) {
                p.kappa = cohen_kappa(va, vb);
            }
        }
    }
    out
}

/// The agreement of the whole project and of each shared document.
pub fn agree(project: &Project) -> AgreeReport {
    let all: Vec<usize> = (0..project.documents.len()).collect();
    let by_doc = all
        .iter()
        .filter(|&&d| crate::team::annotators_of(&project.documents[d]).len() >= 2)
        .map(|&d| (project.documents[d].name.clone(), agreement(project, &[d])))
        .collect();
    AgreeReport {
        total: agreement(project, &all),
        by_doc,
    }
}

fn fig(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

fn json_fig(x: Option<f64>) -> serde_json::Value {
    x.map_or(serde_json::Value::Null, serde_json::Value::from)
}

fn acc_text(a: &Accuracy) -> String {
    format!("{:.2} ({}/{})", a.value(), a.correct, a.total)
}

impl PairScores {
    fn json(&self) -> serde_json::Value {
        let attrs: serde_json::Map<String, serde_json::Value> = self
            .attrs
            .iter()
            .map(|(k, a)| (k.clone(), a.json()))
            .collect();
        serde_json::json!({
            "exact": self.exact.json(),
            "overlap": self.overlap.json(),
            "kappa": json_fig(self.kappa),
            "tokens": self.tokens,
            "attrs": attrs,
            "attribution": self.attribution.json(),
        })
    }
}

impl Agreement {
    /// The label rows, [`ALL`] last.
    fn rows(&self) -> impl Iterator<Item = (&String, &LabelAgreement)> {
        self.labels
            .iter()
            .filter(|(l, _)| l.as_str() != ALL)
            .chain(self.labels.get_key_value(ALL))
    }

    /// κ as shown: the pair's for two annotators, else the mean of the pairs.
    fn kappa(&self, l: &LabelAgreement) -> Option<f64> {
        if l.pairs.len() == 1 {
            l.pairs.values().next().and_then(|p| p.kappa)
        } else {
            l.mean_kappa()
        }
    }

    /// The agreement as JSON: per label α, tokens, κ (mean over pairs),
    /// the summed span, attribute and attribution counts, and every pair.
    pub fn to_json(&self) -> serde_json::Value {
        let labels: serde_json::Map<String, serde_json::Value> = self
            .labels
            .iter()
            .map(|(l, a)| {
                let pairs: Vec<serde_json::Value> = a
                    .pairs
                    .iter()
                    .map(|((x, y), p)| {
                        let mut v = p.json();
                        v["annotators"] = serde_json::json!([x, y]);
                        v
                    })
                    .collect();
                let mut summed = a.summed().json();
                summed["kappa"] = json_fig(self.kappa(a));
                summed["alpha"] = json_fig(a.alpha);
                summed["tokens"] = serde_json::Value::from(a.tokens);
                summed["pairs"] = serde_json::Value::from(pairs);
                (l.clone(), summed)
            })
            .collect();
        serde_json::json!({
            "annotators": self.annotators,
            "documents": self.documents,
            "shared": self.shared,
            "labels": labels,
        })
    }

    /// The table of `sayso agree`.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} annotator(s): {}; {} document(s), {} shared by two or more\n",
            self.annotators.len(),
            self.annotators.join(", "),
            self.documents,
            self.shared
        );
        let width = self
            .labels
            .keys()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        out.push_str(&format!(
            "{:<width$} {:>7} {:>6} {:>6} | {:>8} {:>8} | {:<14} | attributes\n",
            "label", "tokens", "alpha", "kappa", "exact F1", "overl F1", "attribution"
        ));
        for (label, a) in self.rows() {
            let s = a.summed();
            let attrs: Vec<String> = s
                .attrs
                .iter()
                .map(|(k, v)| format!("{k} {}", acc_text(v)))
                .collect();
            let attribution = if s.attribution.total == 0 {
                "-".to_string()
            } else {
                acc_text(&s.attribution)
            };
            let row = format!(
                "{label:<width$} {:>7} {:>6} {:>6} | {:>8.3} {:>8.3} | {attribution:<14} | {}",
                a.tokens,
                fig(a.alpha),
                fig(self.kappa(a)),
                s.exact.f1(),
                s.overlap.f1(),
                attrs.join(", ")
            );
            out.push_str(row.trim_end());
            out.push('\n');
        }
        if let Some(all) = self.labels.get(ALL)
            && all.pairs.len() > 1
        {
            out.push_str("pairs, all labels:\n");
            for ((a, b), p) in &all.pairs {
                out.push_str(&format!(
                    "  {a} + {b}: kappa {}, exact F1 {:.3}, overlap F1 {:.3}, attribution {}\n",
                    fig(p.kappa),
                    p.exact.f1(),
                    p.overlap.f1(),
                    if p.attribution.total == 0 {
                        "-".to_string()
                    } else {
                        acc_text(&p.attribution)
                    }
                ));
            }
        }
        out
    }
}

impl AgreeReport {
    /// The documents, lowest overall α first (undefined ones first of all):
    /// those to discuss.
    fn docs_to_discuss(&self) -> Vec<&(String, Agreement)> {
        let mut docs: Vec<&(String, Agreement)> = self.by_doc.iter().collect();
        let alpha = |a: &Agreement| a.labels.get(ALL).and_then(|l| l.alpha);
        docs.sort_by(|x, y| {
            alpha(&x.1)
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&alpha(&y.1).unwrap_or(f64::NEG_INFINITY))
                .then(x.0.cmp(&y.0))
        });
        docs
    }

    /// The per-document table (`--by-doc`).
    pub fn by_doc_table(&self) -> String {
        let labels: Vec<&String> = self
            .total
            .labels
            .keys()
            .filter(|l| l.as_str() != ALL)
            .collect();
        let width = self
            .by_doc
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(8)
            .max(8);
        let mut out = format!(
            "per document, lowest alpha first\n{:<width$} {:>10} {:>7} {:>9}",
            "document", "annotators", "tokens", "alpha all"
        );
        for l in &labels {
            out.push_str(&format!(
                " {:>9}",
                format!("alpha {}", l.chars().take(3).collect::<String>())
            ));
        }
        out.push_str(&format!(" {:>8} {:>8}\n", "exact F1", "overl F1"));
        for (name, a) in self.docs_to_discuss() {
            let all = a.labels.get(ALL).cloned().unwrap_or_default();
            let s = all.summed();
            out.push_str(&format!(
                "{name:<width$} {:>10} {:>7} {:>9}",
                a.annotators.len(),
                all.tokens,
                fig(all.alpha)
            ));
            for l in &labels {
                out.push_str(&format!(
                    " {:>9}",
                    fig(a.labels.get(*l).and_then(|x| x.alpha))
                ));
            }
            out.push_str(&format!(" {:>8.3} {:>8.3}\n", s.exact.f1(), s.overlap.f1()));
        }
        out
    }

    /// The report as JSON; with `by_doc`, a `documents` list too.
    pub fn to_json(&self, by_doc: bool) -> serde_json::Value {
        let mut v = self.total.to_json();
        if by_doc {
            let docs: Vec<serde_json::Value> = self
                .docs_to_discuss()
                .into_iter()
                .map(|(name, a)| {
                    let mut d = a.to_json();
                    d["document"] = serde_json::Value::from(name.clone());
                    d
                })
                .collect();
            v["by_doc"] = serde_json::Value::from(docs);
        }
        v
    }
}
