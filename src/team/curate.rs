//! Curating a merged project: which annotations the annotators agree on,
//! which they do not ([`disagreements`], per document, for the window's
//! curation queue), settling by majority ([`curate_majority`]), and
//! settling one disagreement by a curator's choice ([`settle`]).
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
//!
//! **A curator's choice** ([`settle`]) settles one disagreement: a version
//! (its spans become curated spans naming its annotators), all versions
//! (every distinct span of the item becomes a curated span naming those who
//! marked it), or none (the item's spans go). Links follow as in a majority
//! settlement: a curated span links to the curated span of its link's
//! target (same offsets and label) when there is one, else to the span the
//! version's first annotator linked to, while that span stays; links of
//! spans that stay into the item go to the curated span of the same offsets
//! and label, else to the curated span of the item with the same label
//! that overlaps the old target most. Curated spans name the curator
//! ([`Span::annotator`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use thiserror::Error;

use crate::model::{
    Document, Edit, EditError, Origin, Project, Relation, ReviewState, Span, SpanId, Timestamp,
};

/// Offsets and label: what a link's target is known by.
type Key = (usize, usize, String);

/// A span as versions compare it: offsets, label, attributes that are set,
/// and links by the key of their target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct SpanSig {
    key: Key,
    attrs: Vec<(String, String)>,
    links: Vec<(String, Key)>,
}

fn key_of(s: &Span) -> Key {
    (s.start, s.end, s.label.clone())
}

/// The signature of span `s` of `doc` (`by_id`: the document's spans).
fn sig_of(doc: &Document, s: &Span, by_id: &HashMap<SpanId, &Span>) -> SpanSig {
    let mut links: Vec<(String, Key)> = doc
        .relations
        .iter()
        .filter(|r| r.from == s.id)
        .filter_map(|r| by_id.get(&r.to).map(|t| (r.kind.clone(), key_of(t))))
        .collect();
    links.sort();
    SpanSig {
        key: key_of(s),
        attrs: s
            .attrs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        links,
    }
}

/// One annotator's version of an item: span signatures, sorted, and the
/// span each comes from (same order).
#[derive(Debug, Clone)]
struct Own {
    sigs: Vec<SpanSig>,
    ids: Vec<SpanId>,
}

/// One item of a document: its spans and each annotator's version.
#[derive(Debug, Clone)]
struct Item {
    spans: Vec<SpanId>,
    start: usize,
    end: usize,
    /// Annotator → their version.
    versions: BTreeMap<String, Own>,
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

impl Disagreement {
    /// Every span of the item, of all versions.
    pub fn spans(&self) -> impl Iterator<Item = SpanId> + '_ {
        self.versions.iter().flat_map(|v| v.spans.iter().copied())
    }

    /// Whether span `id` is one of the item's.
    pub fn contains(&self, id: SpanId) -> bool {
        self.versions.iter().any(|v| v.spans.contains(&id))
    }

    /// The index of the version that has span `id`.
    pub fn version_of(&self, id: SpanId) -> Option<usize> {
        self.versions.iter().position(|v| v.spans.contains(&id))
    }
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
            let mut own: BTreeMap<String, Vec<(SpanSig, SpanId)>> =
                coders.iter().map(|c| (c.clone(), Vec::new())).collect();
            let (mut start, mut end) = (usize::MAX, 0);
            let mut ids = Vec::new();
            for k in members {
                let (i, who) = &spans[k];
                let s = &doc.spans[*i];
                start = start.min(s.start);
                end = end.max(s.end);
                ids.push(s.id);
                own.entry(who.clone())
                    .or_default()
                    .push((sig_of(doc, s, &by_id), s.id));
            }
            let versions = own
                .into_iter()
                .map(|(who, mut v)| {
                    v.sort();
                    let (sigs, ids) = v.into_iter().unzip();
                    (who, Own { sigs, ids })
                })
                .collect();
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

/// A distinct version of an item: its signatures, the spans of its first
/// annotator (one per signature, to take links from), and who has it.
struct Group {
    sigs: Vec<SpanSig>,
    first: Vec<SpanId>,
    version: Version,
}

/// The distinct versions of an item, most annotators first.
fn grouped(item: &Item) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (who, own) in &item.versions {
        match groups.iter_mut().find(|g| g.sigs == own.sigs) {
            Some(g) => {
                g.version.annotators.push(who.clone());
                g.version.spans.extend(&own.ids);
            }
            None => groups.push(Group {
                sigs: own.sigs.clone(),
                first: own.ids.clone(),
                version: Version {
                    annotators: vec![who.clone()],
                    spans: own.ids.clone(),
                },
            }),
        }
    }
    groups.sort_by(|a, b| {
        b.version
            .annotators
            .len()
            .cmp(&a.version.annotators.len())
            .then(a.version.annotators.cmp(&b.version.annotators))
    });
    groups
}

fn differs_in(groups: &[Group]) -> Vec<&'static str> {
    let mut out = Vec::new();
    let sigs: Vec<&Vec<SpanSig>> = groups.iter().map(|g| &g.sigs).collect();
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
                versions: groups.into_iter().map(|g| g.version).collect(),
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

/// A curated span to make: its signature, whose version it is, and the
/// annotator's span it comes from (to take links from).
struct ToCurate {
    sig: SpanSig,
    annotators: Vec<String>,
    from: SpanId,
}

/// How one item is settled: every span of it goes, and these curated spans
/// take their place.
struct Outcome {
    remove: Vec<SpanId>,
    curate: Vec<ToCurate>,
}

/// The curated spans of a document, by key (the first of a key).
fn curated_keys(d: &Document) -> HashMap<Key, SpanId> {
    let mut out = HashMap::new();
    for s in &d.spans {
        if matches!(s.origin, Origin::Curated { .. }) {
            out.entry(key_of(s)).or_insert(s.id);
        }
    }
    out
}

/// The edits that carry out `outcomes` in document `doc` (see the
/// module's comment on links): the items' spans go, curated spans come,
/// links follow. `curator` is recorded on the curated spans.
fn outcome_edits(
    project: &mut Project,
    doc: usize,
    outcomes: &[Outcome],
    curator: Option<&str>,
) -> Vec<Edit> {
    let mut new_spans: Vec<(Span, &ToCurate)> = Vec::new();
    for o in outcomes {
        for c in &o.curate {
            let id = project.new_span_id();
            let (start, end, label) = c.sig.key.clone();
            let span = Span {
                id,
                start,
                end,
                label,
                attrs: c.sig.attrs.iter().cloned().collect(),
                origin: Origin::Curated {
                    annotators: c.annotators.clone(),
                },
                review: ReviewState::Accepted,
                created: Timestamp::now(),
                annotator: curator.filter(|c| !c.is_empty()).map(str::to_string),
            };
            new_spans.push((span, c));
        }
    }
    let d = &project.documents[doc];
    let gone: HashSet<SpanId> = outcomes
        .iter()
        .flat_map(|o| o.remove.iter().copied())
        .collect();
    // Where a link to a key can go: a new curated span, else one there is.
    let mut twins = curated_keys(d);
    twins.retain(|_, id| !gone.contains(id));
    for (s, _) in new_spans.iter().rev() {
        twins.insert(key_of(s), s.id);
    }
    let mut relations: BTreeSet<Relation> = BTreeSet::new();
    for (s, c) in &new_spans {
        for (kind, target) in &c.sig.links {
            // The link the annotator made, for its target span.
            let theirs = d
                .relations
                .iter()
                .filter(|r| r.from == c.from && r.kind == *kind)
                .filter_map(|r| d.span(r.to))
                .find(|t| key_of(t) == *target)
                .map(|t| t.id)
                .filter(|t| !gone.contains(t));
            if let Some(to) = twins.get(target).copied().or(theirs)
                && to != s.id
            {
                relations.insert(Relation {
                    from: s.id,
                    kind: kind.clone(),
                    to,
                });
            }
        }
    }
    // Links of spans that stay into the items, to the curated twin, else
    // to the new curated span of that label that overlaps most.
    for r in &d.relations {
        if gone.contains(&r.from) || !gone.contains(&r.to) {
            continue;
        }
        let Some(old) = d.span(r.to) else { continue };
        let nearest = || {
            new_spans
                .iter()
                .filter(|(s, _)| s.label == old.label && s.overlaps(old.start, old.end))
                .max_by_key(|(s, _)| {
                    let shared = s.end.min(old.end) - s.start.max(old.start);
                    (shared, std::cmp::Reverse(s.id))
                })
                .map(|(s, _)| s.id)
        };
        let Some(to) = twins.get(&key_of(old)).copied().or_else(nearest) else {
            continue;
        };
        let rel = Relation {
            from: r.from,
            kind: r.kind.clone(),
            to,
        };
        if r.from != to && d.relations.binary_search(&rel).is_err() {
            relations.insert(rel);
        }
    }
    let mut edits: Vec<Edit> = outcomes
        .iter()
        .flat_map(|o| o.remove.iter().map(|&id| Edit::RemoveSpan { doc, id }))
        .collect();
    edits.extend(new_spans.into_iter().map(|(span, _)| Edit::AddSpan {
        doc,
        span,
        relations: Vec::new(),
    }));
    edits.extend(
        relations
            .into_iter()
            .map(|relation| Edit::AddRelation { doc, relation }),
    );
    edits
}

/// A settled item: its spans, and the winning version and its annotators.
struct Settled {
    spans: Vec<SpanId>,
    group: Group,
}

/// The edit that settles, in document `doc`, what a majority of its
/// annotators agrees on (see the module's comment), and what it does.
fn settle_doc(project: &mut Project, doc: usize, summary: &mut CurateSummary) -> Vec<Edit> {
    let d = &project.documents[doc];
    let all_items = items(d);
    let coders = super::annotators_of(d).len();
    let mut settled: Vec<Option<Settled>> = Vec::new();
    for item in &all_items {
        let mut groups = grouped(item);
        let majority = groups
            .first()
            .is_some_and(|g| g.version.annotators.len() * 2 > coders);
        settled.push(majority.then(|| Settled {
            spans: item.spans.clone(),
            group: groups.swap_remove(0),
        }));
    }
    let by_id: HashMap<SpanId, &Span> = d.spans.iter().map(|s| (s.id, s)).collect();
    // Curated spans there are already can take links too.
    let there: HashSet<Key> = curated_keys(d).into_keys().collect();
    // Unsettle until every link can be kept.
    loop {
        let mut curated: HashSet<Key> = settled
            .iter()
            .flatten()
            .flat_map(|s| s.group.sigs.iter().map(|x| x.key.clone()))
            .collect();
        curated.extend(there.iter().cloned());
        let settled_spans: HashSet<SpanId> = settled
            .iter()
            .flatten()
            .flat_map(|s| s.spans.clone())
            .collect();
        let mut changed = false;
        for slot in settled.iter_mut() {
            let Some(s) = slot else { continue };
            let broken_out = s
                .group
                .sigs
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
    let mut outcomes = Vec::new();
    for s in settled.iter().flatten() {
        let annotators = &s.group.version.annotators;
        if annotators.len() == coders {
            summary.unanimous += 1;
        } else {
            summary.by_majority += 1;
        }
        if s.group.sigs.is_empty() {
            summary.dropped_spans += s.spans.len();
        }
        summary.curated_spans += s.group.sigs.len();
        outcomes.push(Outcome {
            remove: s.spans.clone(),
            curate: s
                .group
                .sigs
                .iter()
                .zip(&s.group.first)
                .map(|(sig, &from)| ToCurate {
                    sig: sig.clone(),
                    annotators: annotators.clone(),
                    from,
                })
                .collect(),
        });
    }
    summary.left += all_items.len() - outcomes.len();
    outcome_edits(project, doc, &outcomes, None)
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

/// A curator's decision on one disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The version at this index of [`Disagreement::versions`] (from 0):
    /// its spans become curated spans naming its annotators.
    Version(usize),
    /// Every distinct span of the item becomes a curated span, naming the
    /// annotators who marked it so (spans of equal signature are one).
    KeepAll,
    /// All spans of the item go.
    Nothing,
}

/// Why a disagreement could not be settled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CurateError {
    #[error("there is no document number {0} in the project")]
    NoDocument(usize),
    #[error(
        "this disagreement is not in the document as it is now (it was settled or changed since); take it from the queue again"
    )]
    Stale,
    #[error("there is no version {number} of this disagreement: it has {count}")]
    NoVersion { number: usize, count: usize },
}

/// The edit that settles disagreement `item` by the curator's `pick` (see
/// the module's comment), as one undoable batch; `curator` is recorded on
/// the curated spans. The project is not changed, except that the curated
/// spans' ids are given out (ids are never reused). Apply the edit (through
/// a [`crate::model::History`] to undo it).
pub fn settle(
    project: &mut Project,
    item: &Disagreement,
    pick: Pick,
    curator: &str,
) -> Result<Edit, CurateError> {
    let d = project
        .documents
        .get(item.doc)
        .ok_or(CurateError::NoDocument(item.doc))?;
    let wanted: BTreeSet<SpanId> = item.spans().collect();
    let found = items(d)
        .into_iter()
        .find(|i| i.spans.iter().copied().collect::<BTreeSet<_>>() == wanted)
        .ok_or(CurateError::Stale)?;
    let groups = grouped(&found);
    let (curate, description) = match pick {
        Pick::Version(k) => {
            let version = item.versions.get(k).ok_or(CurateError::NoVersion {
                number: k + 1,
                count: item.versions.len(),
            })?;
            let g = groups
                .iter()
                .find(|g| g.version.annotators == version.annotators)
                .ok_or(CurateError::Stale)?;
            let curate: Vec<ToCurate> = g
                .sigs
                .iter()
                .zip(&g.first)
                .map(|(sig, &from)| ToCurate {
                    sig: sig.clone(),
                    annotators: g.version.annotators.clone(),
                    from,
                })
                .collect();
            let who = g.version.annotators.join(", ");
            (curate, format!("curate: version {} ({who})", k + 1))
        }
        Pick::KeepAll => {
            let mut by_sig: BTreeMap<&SpanSig, (Vec<String>, SpanId)> = BTreeMap::new();
            for (who, own) in &found.versions {
                for (sig, &id) in own.sigs.iter().zip(&own.ids) {
                    let e = by_sig.entry(sig).or_insert_with(|| (Vec::new(), id));
                    if !e.0.contains(who) {
                        e.0.push(who.clone());
                    }
                }
            }
            let curate: Vec<ToCurate> = by_sig
                .into_iter()
                .map(|(sig, (annotators, from))| ToCurate {
                    sig: sig.clone(),
                    annotators,
                    from,
                })
                .collect();
            let n = curate.len();
            (curate, format!("curate: keep all ({n} span(s))"))
        }
        Pick::Nothing => (Vec::new(), "curate: none".to_string()),
    };
    let outcome = Outcome {
        remove: found.spans.clone(),
        curate,
    };
    let edits = outcome_edits(project, item.doc, &[outcome], Some(curator));
    Ok(Edit::Batch { description, edits })
}
