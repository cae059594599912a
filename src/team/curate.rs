//! Curating a merged project: which annotations the annotators agree on,
//! which they do not ([`disagreements`], per document, for the window's
//! curation queue), and settling by majority ([`curate_majority`]).
//!
//! **Items.** In a document, the accepted spans of its annotators (curated
//! spans aside) are grouped: two spans are in the same item when they
//! overlap and have the same label, or have the same offsets (then their
//! labels differ), and items are the connected groups. Each annotator who
//! had the document has one *version* of each item: their spans in it
//! (possibly none), each with its offsets, label, attributes (those set)
//! and links (`said_by`, `held_by`, …, by the offsets and label of the span
//! they go to). Versions are equal when all of that is.
//!
//! **Majority.** An item is settled when more than half of the document's
//! annotators have the same version: its spans become curated spans
//! (origin `curated`, naming those annotators), or, when that version is
//! empty, the item's spans go. A settled item whose spans link to a span
//! that is not itself curated, or that an unsettled span links to without a
//! curated span of the same offsets and label to link to instead, is left
//! unsettled too, so that no link is lost. Everything else stays as it was:
//! the disagreements left for the window.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::{
    Document, Edit, EditError, Origin, Project, Relation, ReviewState, Span, SpanId, Timestamp,
};

/// A span as versions compare it: offsets, label, attributes that are set,
/// and links by the key of their target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct SpanSig {
    key: (usize, usize, String),
    attrs: Vec<(String, String)>,
    links: Vec<(String, (usize, usize, String))>,
}

fn key_of(s: &Span) -> (usize, usize, String) {
    (s.start, s.end, s.label.clone())
}

/// One item of a document: its spans and each annotator's version.
#[derive(Debug, Clone)]
struct Item {
    spans: Vec<SpanId>,
    start: usize,
    end: usize,
    /// Annotator → their version (sorted span signatures) and span ids.
    versions: BTreeMap<String, (Vec<SpanSig>, Vec<SpanId>)>,
}

/// One version of a disagreement and who has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The annotators whose version this is, sorted.
    pub annotators: Vec<String>,
    /// Their spans in the item (of all of them); empty when they marked
    /// nothing there.
    pub spans: Vec<SpanId>,
}

/// An item the annotators of a document do not agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub doc: usize,
    /// Where the item lies, in code points: from its first span's start to
    /// the furthest end.
    pub start: usize,
    pub end: usize,
    /// The distinct versions, most annotators first (then by annotator).
    pub versions: Vec<Version>,
    /// What differs between the versions: `missing` (some marked nothing),
    /// `boundaries`, `label`, `attributes`, `links`.
    pub differs_in: Vec<&'static str>,
}

/// The spans of `doc` that curation looks at, by annotator.
fn curatable(doc: &Document, coders: &[String]) -> Vec<(usize, String)> {
    doc.spans
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.review == ReviewState::Accepted && !matches!(s.origin, Origin::Curated { .. })
        })
        .filter_map(|(i, s)| {
            let a = s.annotator()?;
            coders.iter().any(|c| c == a).then(|| (i, a.to_string()))
        })
        .collect()
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The items of a document (see the module's comment), in text order.
fn items(doc: &Document) -> Vec<Item> {
    let coders = super::annotators_of(doc);
    let spans = curatable(doc, &coders);
    let n = spans.len();
    let mut parent: Vec<usize> = (0..n).collect();
    // Spans are sorted by start: a span can only overlap later spans that
    // start before it ends.
    let mut by_start: Vec<usize> = (0..n).collect();
    by_start.sort_by_key(|&k| doc.spans[spans[k].0].sort_key());
    for (x, &a) in by_start.iter().enumerate() {
        let sa = &doc.spans[spans[a].0];
        for &b in &by_start[x + 1..] {
            let sb = &doc.spans[spans[b].0];
            if sb.start >= sa.end {
                break;
            }
            let same_place = sa.start == sb.start && sa.end == sb.end;
            if sa.label == sb.label || same_place {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let by_id: HashMap<SpanId, &Span> = doc.spans.iter().map(|s| (s.id, s)).collect();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for k in 0..n {
        let r = find(&mut parent, k);
        groups.entry(r).or_default().push(k);
    }
    let mut out: Vec<Item> = groups
        .into_values()
        .map(|members| {
            let mut versions: BTreeMap<String, (Vec<SpanSig>, Vec<SpanId>)> = coders
                .iter()
                .map(|c| (c.clone(), (Vec::new(), Vec::new())))
                .collect();
            let (mut start, mut end) = (usize::MAX, 0);
            let mut ids = Vec::new();
            for k in members {
                let (i, who) = &spans[k];
                let s = &doc.spans[*i];
                start = start.min(s.start);
                end = end.max(s.end);
                ids.push(s.id);
                let mut links: Vec<(String, (usize, usize, String))> = doc
                    .relations
                    .iter()
                    .filter(|r| r.from == s.id)
                    .filter_map(|r| by_id.get(&r.to).map(|t| (r.kind.clone(), key_of(t))))
                    .collect();
                links.sort();
                let sig = SpanSig {
                    key: key_of(s),
                    attrs: s
                        .attrs
                        .iter()
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    links,
                };
                let v = versions.entry(who.clone()).or_default();
                v.0.push(sig);
                v.1.push(s.id);
            }
            for v in versions.values_mut() {
                v.0.sort();
            }
            Item {
                spans: ids,
                start,
                end,
                versions,
            }
        })
        .collect();
    out.sort_by_key(|i| (i.start, std::cmp::Reverse(i.end)));
    out
}

/// The distinct versions of an item, most annotators first.
fn grouped(item: &Item) -> Vec<(Vec<SpanSig>, Version)> {
    let mut groups: Vec<(Vec<SpanSig>, Version)> = Vec::new();
    for (who, (sig, ids)) in &item.versions {
        match groups.iter_mut().find(|(s, _)| s == sig) {
            Some((_, v)) => {
                v.annotators.push(who.clone());
                v.spans.extend(ids);
            }
            None => groups.push((
                sig.clone(),
                Version {
                    annotators: vec![who.clone()],
                    spans: ids.clone(),
                },
            )),
        }
    }
    groups.sort_by(|a, b| {
        b.1.annotators
            .len()
            .cmp(&a.1.annotators.len())
            .then(a.1.annotators.cmp(&b.1.annotators))
    });
    groups
}

fn differs_in(groups: &[(Vec<SpanSig>, Version)]) -> Vec<&'static str> {
    let mut out = Vec::new();
    let sigs: Vec<&Vec<SpanSig>> = groups.iter().map(|(s, _)| s).collect();
    if sigs.iter().any(|s| s.is_empty()) {
        out.push("missing");
    }
    let marked: Vec<&&Vec<SpanSig>> = sigs.iter().filter(|s| !s.is_empty()).collect();
    let differ = |f: &dyn Fn(&SpanSig) -> String| {
        let views: BTreeSet<Vec<String>> = marked
            .iter()
            .map(|s| {
                let mut v: Vec<String> = s.iter().map(f).collect();
                v.sort();
                v
            })
            .collect();
        views.len() > 1
    };
    if differ(&|s| format!("{}..{}", s.key.0, s.key.1)) {
        out.push("boundaries");
    }
    if differ(&|s| s.key.2.clone()) {
        out.push("label");
    }
    if differ(&|s| format!("{:?}{:?}", s.key, s.attrs)) && !differ(&|s| format!("{:?}", s.key)) {
        out.push("attributes");
    }
    if differ(&|s| format!("{:?}{:?}{:?}", s.key, s.attrs, s.links))
        && !differ(&|s| format!("{:?}{:?}", s.key, s.attrs))
    {
        out.push("links");
    }
    out
}

/// The disagreements of document `doc` (none for a document one annotator
/// had, or a number out of range): every item whose annotators' versions
/// are not all equal, in text order. Spans on which all agree are not
/// listed; curated spans are never part of one.
pub fn disagreements(project: &Project, doc: usize) -> Vec<Disagreement> {
    let Some(d) = project.documents.get(doc) else {
        return Vec::new();
    };
    items(d)
        .iter()
        .filter_map(|item| {
            let groups = grouped(item);
            (groups.len() > 1).then(|| Disagreement {
                doc,
                start: item.start,
                end: item.end,
                differs_in: differs_in(&groups),
                versions: groups.into_iter().map(|(_, v)| v).collect(),
            })
        })
        .collect()
}

/// What [`curate_majority`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurateSummary {
    pub documents: usize,
    /// Items all annotators of their document agree on.
    pub unanimous: usize,
    /// Items settled by a majority that was not everyone.
    pub by_majority: usize,
    /// Curated spans made.
    pub curated_spans: usize,
    /// Annotators' spans removed because a majority marked nothing there.
    pub dropped_spans: usize,
    /// Items left for the window, over all documents.
    pub left: usize,
}

impl std::fmt::Display for CurateSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} document(s): {} item(s) all annotators agree on, {} settled by a majority; {} curated span(s), {} span(s) dropped (a majority marked nothing there); {} disagreement(s) left for curation in the window",
            self.documents,
            self.unanimous,
            self.by_majority,
            self.curated_spans,
            self.dropped_spans,
            self.left
        )
    }
}

/// A settled item: its spans, and the winning version and its annotators.
struct Settled {
    spans: Vec<SpanId>,
    version: Vec<SpanSig>,
    annotators: Vec<String>,
}

/// The edit that settles, in document `doc`, what a majority of its
/// annotators agrees on (see the module's comment), and what it does.
fn settle_doc(project: &mut Project, doc: usize, summary: &mut CurateSummary) -> Vec<Edit> {
    let d = &project.documents[doc];
    let all_items = items(d);
    let coders = super::annotators_of(d).len();
    let mut settled: Vec<Option<Settled>> = Vec::new();
    for item in &all_items {
        let groups = grouped(item);
        match groups.first() {
            Some((sig, v)) if v.annotators.len() * 2 > coders => {
                settled.push(Some(Settled {
                    spans: item.spans.clone(),
                    version: sig.clone(),
                    annotators: v.annotators.clone(),
                }));
            }
            _ => settled.push(None),
        }
    }
    let by_id: HashMap<SpanId, &Span> = d.spans.iter().map(|s| (s.id, s)).collect();
    // Unsettle until every link can be kept.
    loop {
        let curated: HashSet<(usize, usize, String)> = settled
            .iter()
            .flatten()
            .flat_map(|s| s.version.iter().map(|x| x.key.clone()))
            .collect();
        let settled_spans: HashSet<SpanId> = settled
            .iter()
            .flatten()
            .flat_map(|s| s.spans.clone())
            .collect();
        let mut changed = false;
        for slot in settled.iter_mut() {
            let Some(s) = slot else { continue };
            let broken_out = s
                .version
                .iter()
                .flat_map(|x| &x.links)
                .any(|(_, target)| !curated.contains(target));
            // A span that stays links into this item, and no curated span
            // of the same offsets and label can take the link.
            let broken_in = d.relations.iter().any(|r| {
                s.spans.contains(&r.to)
                    && !settled_spans.contains(&r.from)
                    && by_id
                        .get(&r.to)
                        .is_none_or(|t| !curated.contains(&key_of(t)))
            });
            if broken_out || broken_in {
                *slot = None;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut edits = Vec::new();
    let mut new_ids: HashMap<(usize, usize, String), SpanId> = HashMap::new();
    let mut adds = Vec::new();
    let mut links = Vec::new();
    for (k, slot) in settled.iter().enumerate() {
        let Some(s) = slot else {
            continue;
        };
        let item = &all_items[k];
        let unanimous = s.annotators.len() == coders;
        if unanimous {
            summary.unanimous += 1;
        } else {
            summary.by_majority += 1;
        }
        if s.version.is_empty() {
            summary.dropped_spans += s.spans.len();
        }
        for id in &item.spans {
            edits.push(Edit::RemoveSpan { doc, id: *id });
        }
        for sig in &s.version {
            let id = project.new_span_id();
            new_ids.insert(sig.key.clone(), id);
            let (start, end, label) = sig.key.clone();
            adds.push(Edit::AddSpan {
                doc,
                span: Span {
                    id,
                    start,
                    end,
                    label,
                    attrs: sig.attrs.iter().cloned().collect(),
                    origin: Origin::Curated {
                        annotators: s.annotators.clone(),
                    },
                    review: ReviewState::Accepted,
                    created: Timestamp::now(),
                    annotator: None,
                },
                relations: Vec::new(),
            });
            summary.curated_spans += 1;
            for (kind, target) in &sig.links {
                links.push((id, kind.clone(), target.clone()));
            }
        }
    }
    let d = &project.documents[doc];
    let gone: HashSet<SpanId> = settled
        .iter()
        .flatten()
        .flat_map(|s| s.spans.iter().copied())
        .collect();
    let mut relations: BTreeSet<Relation> = BTreeSet::new();
    for (from, kind, target) in links {
        if let Some(to) = new_ids.get(&target) {
            relations.insert(Relation {
                from,
                kind,
                to: *to,
            });
        }
    }
    // Links of spans that stay into settled items, to the curated twin.
    for r in &d.relations {
        if !gone.contains(&r.from) && gone.contains(&r.to) {
            let twin = d.span(r.to).and_then(|t| new_ids.get(&key_of(t)));
            if let Some(to) = twin {
                relations.insert(Relation {
                    from: r.from,
                    kind: r.kind.clone(),
                    to: *to,
                });
            }
        }
    }
    summary.left += all_items.len() - settled.iter().flatten().count();
    edits.extend(adds);
    edits.extend(
        relations
            .into_iter()
            .map(|relation| Edit::AddRelation { doc, relation }),
    );
    edits
}

/// Settles every document of a merged project by majority (see the
/// module's comment) with one undoable edit; what is left are the
/// [`disagreements`]. Returns what was done.
pub fn curate_majority(project: &mut Project) -> Result<CurateSummary, EditError> {
    let mut summary = CurateSummary {
        documents: project.documents.len(),
        ..CurateSummary::default()
    };
    let mut edits = Vec::new();
    for doc in 0..project.documents.len() {
        edits.extend(settle_doc(project, doc, &mut summary));
    }
    Edit::Batch {
        description: "curate by majority".into(),
        edits,
    }
    .apply(project)?;
    Ok(summary)
}
