//! Working as a team: handing documents out (`assign`), merging the
//! annotators' files and taking them apart again (`merge`, `split`; a
//! property test: nothing is lost), settling by majority (`curate`) with
//! the disagreements left for the window, settling one disagreement by a
//! curator's choice (`settle`, undone exactly), and who decided on a
//! suggestion.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sayso::model::{
    Document, Edit, History, Origin, Project, Relation, ReviewState, Schema, Span, SpanId,
    Timestamp,
};
use sayso::team::{
    AssignOptions, CurateError, Pick, TeamFile, assign, curate_majority, disagreements, merge,
    settle, split,
};

fn corpus(n: usize) -> Project {
    let mut p = Project::default();
    let documents = (0..n)
        .map(|k| {
            Document::new(
                format!("doc{k:02}"),
                format!("Text number {k} said Ann Lee."),
            )
        })
        .collect();
    Edit::AddDocuments { at: 0, documents }
        .apply(&mut p)
        .expect("fits");
    p
}

fn options(names: &[&str], overlap: f64, seed: u64) -> AssignOptions {
    AssignOptions {
        annotators: names.iter().map(|s| s.to_string()).collect(),
        overlap,
        seed,
        without_suggestions: false,
    }
}

fn names(p: &Project) -> Vec<String> {
    p.documents.iter().map(|d| d.name.clone()).collect()
}

#[test]
fn assign_gives_everyone_the_overlap_and_deals_the_rest() {
    let p = corpus(10);
    let a = assign(&p, &options(&["ana", "ben", "cho"], 0.2, 7)).expect("assigns");
    assert_eq!(a.shared.len(), 2);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (name, file) in &a.files {
        assert_eq!(file.annotator.as_deref(), Some(name.as_str()));
        for s in &a.shared {
            assert!(names(file).contains(s), "{name} lacks shared {s}");
        }
        for d in names(file) {
            *seen.entry(d).or_default() += 1;
        }
        // Shares differ by one at most: 8 own documents over 3 annotators.
        let own = file.documents.len() - 2;
        assert!((2..=3).contains(&own), "{name}: {own}");
        // In project order.
        let mut sorted = names(file);
        sorted.sort();
        assert_eq!(names(file), sorted);
    }
    assert_eq!(seen.len(), 10, "every document goes to someone");
    assert_eq!(seen.values().filter(|&&n| n == 3).count(), 2);
    // The same seed gives the same assignment; another seed another one.
    let again = assign(&p, &options(&["ana", "ben", "cho"], 0.2, 7)).expect("assigns");
    assert_eq!(again.shared, a.shared);
    assert_eq!(again.own, a.own);
    let other = (0..20)
        .map(|seed| assign(&p, &options(&["ana", "ben", "cho"], 0.2, seed)).expect("assigns"))
        .any(|o| o.shared != a.shared);
    assert!(other);
    let summary = a.to_string();
    assert!(summary.contains("2 document(s) for everyone"), "{summary}");
    assert!(summary.contains("ana: "), "{summary}");
}

#[test]
fn assign_refuses_bad_names_and_shares() {
    let p = corpus(3);
    for bad in [&["ana", "Ana"][..], &["a/b"], &[""], &[".hidden"], &[]] {
        assert!(assign(&p, &options(bad, 0.2, 0)).is_err(), "{bad:?}");
    }
    let e = assign(&p, &options(&["ana"], 1.5, 0)).unwrap_err();
    assert!(e.to_string().contains("from 0 to 1"), "{e}");
    assert!(assign(&corpus(0), &options(&["ana"], 0.2, 0)).is_err());
    // A small overlap above 0 still shares one document.
    let a = assign(&p, &options(&["ana", "ben"], 0.01, 0)).expect("assigns");
    assert_eq!(a.shared.len(), 1);
    let none = assign(&p, &options(&["ana", "ben"], 0.0, 0)).expect("assigns");
    assert!(none.shared.is_empty());
}

fn suggestion(p: &mut Project, start: usize, end: usize, review: ReviewState) -> Span {
    let id = p.new_span_id();
    Span {
        id,
        start,
        end,
        label: "Speaker".into(),
        attrs: Default::default(),
        origin: Origin::Rule {
            rule: "r".into(),
            confidence: 0.5,
            explanation: String::new(),
            edited: false,
        },
        review,
        created: Timestamp(0),
        annotator: None,
    }
}

#[test]
fn assign_without_suggestions_keeps_accepted_ones_and_annotations() {
    let mut p = corpus(1);
    let pending = suggestion(&mut p, 0, 4, ReviewState::Suggested);
    let accepted = suggestion(&mut p, 5, 11, ReviewState::Accepted);
    let id = p.new_span_id();
    let manual = Span::manual(id, 19, 26, "Speaker", "lead");
    for span in [pending, accepted, manual] {
        Edit::AddSpan {
            doc: 0,
            span,
            relations: vec![],
        }
        .apply(&mut p)
        .expect("fits");
    }
    let mut o = options(&["ana"], 1.0, 0);
    let with = assign(&p, &o).expect("assigns");
    assert_eq!(with.files[0].1.documents[0].spans.len(), 3);
    o.without_suggestions = true;
    let without = assign(&p, &o).expect("assigns");
    let spans = &without.files[0].1.documents[0].spans;
    assert_eq!(spans.len(), 2);
    assert!(spans.iter().all(|s| s.review == ReviewState::Accepted));
    assert_eq!(without.suggestions_left_out, 1);
}

fn file(name: &str, project: Project) -> TeamFile {
    TeamFile {
        path: format!("{name}.sayso"),
        annotator: name.into(),
        project,
    }
}

fn with_spans(base: &Project, spans: &[(usize, usize, &str, Option<&str>)]) -> Project {
    let mut p = base.clone();
    for (start, end, label, who) in spans {
        let id = p.new_span_id();
        let mut s = Span::manual(id, *start, *end, label, who.unwrap_or("x"));
        if who.is_none() {
            s.origin = Origin::Import {
                source: "old.jsonl:1".into(),
            };
        }
        Edit::AddSpan {
            doc: 0,
            span: s,
            relations: vec![],
        }
        .apply(&mut p)
        .expect("fits");
    }
    p
}

#[test]
fn merge_matches_documents_by_name_and_gives_spans_their_files_annotator() {
    let base = corpus(2);
    let ana = with_spans(
        &base,
        &[(0, 4, "Speaker", None), (5, 11, "Claim", Some("ana"))],
    );
    let mut ben = with_spans(&base, &[(0, 4, "Speaker", None)]);
    ben.documents.remove(1);
    let m = merge(&[file("ana", ana), file("ben", ben)]).expect("merges");
    let p = &m.project;
    assert_eq!(names(p), ["doc00", "doc01"]);
    assert_eq!(p.documents[0].annotators, ["ana", "ben"]);
    assert_eq!(p.documents[1].annotators, ["ana"]);
    let who: Vec<Option<&str>> = p.documents[0].spans.iter().map(|s| s.annotator()).collect();
    assert_eq!(who, [Some("ana"), Some("ben"), Some("ana")]);
    assert_eq!(m.spans["ana"], 2);
    // Ids are given out anew, unique in the project.
    let mut ids: Vec<SpanId> = p.documents[0].spans.iter().map(|s| s.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert!(p.next_span_id > 3);
}

#[test]
fn merge_reports_a_different_text_and_never_merges_it() {
    let a = corpus(1);
    let mut b = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("doc00", "Text number 0 said Bo Park.")),
    }
    .apply(&mut b)
    .expect("fits");
    let e = merge(&[file("ana", a.clone()), file("ben", b)]).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("doc00") && msg.contains("ben.sayso") && msg.contains("ana.sayso"),
        "{msg}"
    );
    assert!(msg.contains("character 19"), "{msg}");
    let e = merge(&[file("ana", a.clone()), file("ana", a)]).unwrap_err();
    assert!(e.to_string().contains("both the files of \"ana\""), "{e}");
}

#[test]
fn merge_unites_schemas_with_notices() {
    let mut a = corpus(1);
    let mut b = corpus(1);
    let mut other = Schema::default().labels[0].clone();
    other.name = "Other".into();
    other.hotkey = 'o';
    let add = |label| Edit::AddLabel { at: 3, label };
    add(other.clone()).apply(&mut a).expect("adds");
    let mut extra = other;
    extra.name = "Source".into();
    add(extra).apply(&mut b).expect("adds");
    Edit::AddAttrValue {
        label: "Claim".into(),
        attr: "mode".into(),
        at: 3,
        value: "partial".into(),
    }
    .apply(&mut b)
    .expect("adds");
    let m = merge(&[file("ana", a), file("ben", b)]).expect("merges");
    let s = &m.project.schema;
    let source = s.label("Source").expect("united");
    assert_ne!(source.hotkey, 'o', "the taken hotkey is replaced");
    assert!(s.label("Other").is_some());
    assert!(
        m.notices
            .iter()
            .any(|n| n.contains("added label \"Source\"")),
        "{:?}",
        m.notices
    );
    assert!(
        m.notices.iter().any(|n| n.contains("\"partial\"")),
        "{:?}",
        m.notices
    );
}

#[test]
fn review_decisions_record_who_decided_in_one_undo_step() {
    let mut p = corpus(1);
    let s = suggestion(&mut p, 0, 4, ReviewState::Suggested);
    let id = s.id;
    Edit::AddSpan {
        doc: 0,
        span: s,
        relations: vec![],
    }
    .apply(&mut p)
    .expect("fits");
    let mut history = sayso::model::History::new();
    let accept = Edit::review_by(&p, 0, id, ReviewState::Accepted, "ana");
    history.apply(&mut p, accept).expect("accepts");
    let span = p.documents[0].span(id).expect("span");
    assert_eq!(span.review, ReviewState::Accepted);
    assert_eq!(span.annotator(), Some("ana"));
    history.undo(&mut p).expect("undoes");
    let span = p.documents[0].span(id).expect("span");
    assert_eq!(
        (span.review, span.annotator()),
        (ReviewState::Suggested, None)
    );
    history.redo(&mut p).expect("redoes");
    // Reopening clears the decision.
    let reopen = Edit::review_by(&p, 0, id, ReviewState::Suggested, "ben");
    history.apply(&mut p, reopen).expect("reopens");
    assert_eq!(p.documents[0].span(id).expect("span").annotator(), None);
    // The record is saved and read back.
    let again = Edit::review_by(&p, 0, id, ReviewState::Rejected, "ben");
    history.apply(&mut p, again).expect("rejects");
    let text = sayso::project::to_string(&p);
    assert!(text.contains("annotator: Some(\"ben\")"), "{text}");
    let back = sayso::project::from_str(&text, std::path::Path::new("p.sayso")).expect("loads");
    assert_eq!(
        back.documents[0].span(id).expect("span").annotator(),
        Some("ben")
    );
}

// ---- merge and split lose nothing -------------------------------------

/// A document's spans and its relations by the spans they join.
type DocContent = (Vec<Canon>, Vec<(Canon, String, Canon)>);

/// One random file: which documents, spans (document, start, length,
/// label, kind) and links (from, to) by the spans' order.
type FileSpec = (
    Vec<bool>,
    Vec<(usize, usize, usize, u8, u8)>,
    Vec<(usize, usize)>,
);

/// A span as a round trip must keep it: everything but its id.
type Canon = (
    usize,
    usize,
    String,
    Vec<(String, String)>,
    String,
    String,
    Option<String>,
    u64,
);

fn canon(s: &Span) -> Canon {
    (
        s.start,
        s.end,
        s.label.clone(),
        s.attrs
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        format!("{:?}", s.origin),
        s.review.as_str().to_string(),
        s.annotator().map(str::to_string),
        s.created.0,
    )
}

/// Per document: spans (canonical, sorted) and relations by canonical ends.
fn content(p: &Project, owner: &str) -> BTreeMap<String, DocContent> {
    p.documents
        .iter()
        .map(|d| {
            let resolve = |s: &Span| {
                let mut c = canon(s);
                c.6.get_or_insert_with(|| owner.to_string());
                c
            };
            let mut spans: Vec<Canon> = d.spans.iter().map(resolve).collect();
            spans.sort();
            let by_id: BTreeMap<SpanId, Canon> =
                d.spans.iter().map(|s| (s.id, resolve(s))).collect();
            let mut rels: Vec<(Canon, String, Canon)> = d
                .relations
                .iter()
                .map(|r| (by_id[&r.from].clone(), r.kind.clone(), by_id[&r.to].clone()))
                .collect();
            rels.sort();
            (d.name.clone(), (spans, rels))
        })
        .collect()
}

const TEXTS: [&str; 3] = [
    "Ann Lee said the plan would fail, he said.",
    "“We will win,” the minister said on Monday 😀.",
    "Bo Park denied it.",
];

/// One annotator's file: some of the documents, random spans (manual, or
/// imported without an annotator, or accepted suggestions decided by them)
/// and said_by links.
fn arb_file() -> impl Strategy<Value = FileSpec> {
    (
        proptest::collection::vec(any::<bool>(), 3),
        proptest::collection::vec((0usize..3, 0usize..40, 1usize..10, 0u8..3, 0u8..3), 0..12),
        proptest::collection::vec((0usize..12, 0usize..12), 0..6),
    )
}

fn build(
    name: &str,
    docs: &[bool],
    spans: &[(usize, usize, usize, u8, u8)],
    links: &[(usize, usize)],
) -> Project {
    let mut p = Project {
        annotator: Some(name.to_string()),
        ..Project::default()
    };
    let documents: Vec<Document> = TEXTS
        .iter()
        .enumerate()
        .filter(|(k, _)| docs[*k] || *k == 0)
        .map(|(k, t)| Document::new(format!("d{k}"), *t))
        .collect();
    Edit::AddDocuments { at: 0, documents }
        .apply(&mut p)
        .expect("fits");
    let labels = ["Speaker", "Claim", "Stance"];
    let mut made: Vec<(usize, SpanId, &str)> = Vec::new();
    for (doc, start, len, label, kind) in spans {
        let doc = doc % p.documents.len();
        let n = p.documents[doc].text.len_chars();
        let start = start % (n - 1);
        let end = (start + len).min(n);
        let label = labels[*label as usize];
        let id = p.new_span_id();
        let mut s = Span::manual(id, start, end, label, name);
        s.created = Timestamp(1 + start as u64);
        match kind {
            0 => {}
            1 => {
                s.origin = Origin::Import {
                    source: "in.jsonl:1".into(),
                }
            }
            _ => {
                s.origin = Origin::Rule {
                    rule: "r".into(),
                    confidence: 0.5,
                    explanation: String::new(),
                    edited: false,
                };
                s.annotator = Some(name.into());
            }
        }
        if label == "Claim" {
            s.attrs.insert("mode".into(), "direct".into());
        }
        Edit::AddSpan {
            doc,
            span: s,
            relations: vec![],
        }
        .apply(&mut p)
        .expect("fits");
        made.push((doc, id, label));
    }
    for (a, b) in links {
        let (Some(from), Some(to)) = (made.get(*a), made.get(*b)) else {
            continue;
        };
        let kind = match (from.2, to.2) {
            ("Claim", "Speaker") => "said_by",
            ("Stance", "Speaker") => "held_by",
            _ => continue,
        };
        if from.0 != to.0 {
            continue;
        }
        let rel = Relation {
            from: from.1,
            kind: kind.into(),
            to: to.1,
        };
        let _ = Edit::AddRelation {
            doc: from.0,
            relation: rel,
        }
        .apply(&mut p);
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merge_then_split_gives_each_annotator_their_annotations(
        files in proptest::collection::vec(arb_file(), 1..4)
    ) {
        let names = ["ana", "ben", "cho"];
        let originals: Vec<(String, Project)> = files
            .iter()
            .enumerate()
            .map(|(k, (docs, spans, links))| (names[k].to_string(), build(names[k], docs, spans, links)))
            .collect();
        let team: Vec<TeamFile> = originals.iter().map(|(n, p)| file(n, p.clone())).collect();
        let merged = merge(&team).expect("merges");
        // Through the project file, as the commands do.
        let text = sayso::project::to_string(&merged.project);
        let merged = sayso::project::from_str(&text, std::path::Path::new("team.sayso")).expect("loads");
        let (back, nobody) = split(&merged).expect("splits");
        prop_assert_eq!(nobody, 0);
        prop_assert_eq!(back.len(), originals.len());
        for ((name, original), (back_name, back)) in originals.iter().zip(&back) {
            prop_assert_eq!(name, back_name);
            prop_assert_eq!(back.annotator.as_deref(), Some(name.as_str()));
            prop_assert_eq!(content(original, name), content(back, name));
            let texts = |p: &Project| -> BTreeMap<String, String> {
                p.documents.iter().map(|d| (d.name.clone(), d.text.as_str().to_string())).collect()
            };
            prop_assert_eq!(texts(original), texts(back));
        }
    }
}

// ---- curation ------------------------------------------------------------

const CUR: &str = "Ann Lee said the plan would fail. The minister said more.";

/// A merged project of ana, ben and cho on `CUR`: spans as (annotator,
/// start, end, label, mode); links as (from index, to index).
fn team(spans: &[(&str, usize, usize, &str, &str)], links: &[(usize, usize)]) -> Project {
    let mut p = Project::default();
    let mut d = Document::new("d", CUR);
    d.annotators = vec!["ana".into(), "ben".into(), "cho".into()];
    let mut ids = Vec::new();
    for (who, start, end, label, mode) in spans {
        let id = p.new_span_id();
        let mut s = Span::manual(id, *start, *end, label, who);
        if !mode.is_empty() {
            s.attrs.insert("mode".into(), mode.to_string());
        }
        ids.push(id);
        d.spans.push(s);
    }
    d.spans.sort_by_key(|s| s.sort_key());
    for (a, b) in links {
        d.relations.push(Relation {
            from: ids[*a],
            kind: "said_by".into(),
            to: ids[*b],
        });
    }
    d.relations.sort();
    Edit::AddDocuments {
        at: 0,
        documents: vec![d],
    }
    .apply(&mut p)
    .expect("fits");
    p
}

fn curated(p: &Project) -> Vec<(usize, usize, String, Vec<String>)> {
    p.documents[0]
        .spans
        .iter()
        .filter_map(|s| match &s.origin {
            Origin::Curated { annotators } => {
                Some((s.start, s.end, s.label.clone(), annotators.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn majority_settles_what_two_of_three_agree_on_and_leaves_the_rest() {
    let mut p = team(
        &[
            // All three: the speaker.
            ("ana", 0, 7, "Speaker", ""),
            ("ben", 0, 7, "Speaker", ""),
            ("cho", 0, 7, "Speaker", ""),
            // Two of three: the claim, same mode, linked to the speaker.
            ("ana", 13, 32, "Claim", "indirect"),
            ("ben", 13, 32, "Claim", "indirect"),
            ("cho", 13, 30, "Claim", "direct"),
            // Only cho: dropped (two marked nothing).
            ("cho", 34, 46, "Speaker", ""),
            // Three different versions: left.
            ("ana", 47, 56, "Claim", "direct"),
            ("ben", 47, 55, "Claim", "direct"),
            ("cho", 47, 56, "Claim", "indirect"),
        ],
        &[(3, 0), (4, 1), (5, 2)],
    );
    let before = disagreements(&p, 0);
    assert_eq!(before.len(), 3, "{before:?}");
    assert_eq!(before[0].differs_in, ["boundaries"]);
    assert_eq!(before[1].differs_in, ["missing"]);
    assert_eq!(before[1].versions[0].annotators, ["ana", "ben"]);
    assert!(before[1].versions[0].spans.is_empty());
    let summary = curate_majority(&mut p).expect("curates");
    assert_eq!(summary.unanimous, 1);
    assert_eq!(summary.by_majority, 2);
    assert_eq!(summary.curated_spans, 2);
    assert_eq!(summary.dropped_spans, 1);
    assert_eq!(summary.left, 1);
    let c = curated(&p);
    assert_eq!(
        c,
        [
            (
                0,
                7,
                "Speaker".to_string(),
                vec!["ana".to_string(), "ben".into(), "cho".into()]
            ),
            (
                13,
                32,
                "Claim".to_string(),
                vec!["ana".to_string(), "ben".into()]
            ),
        ]
    );
    let d = &p.documents[0];
    let claim = d.spans.iter().find(|s| s.start == 13).expect("claim");
    assert_eq!(claim.attrs["mode"], "indirect");
    let link = d
        .relations
        .iter()
        .find(|r| r.from == claim.id)
        .expect("link kept");
    assert_eq!(d.span(link.to).map(|s| (s.start, s.end)), Some((0, 7)));
    // What is left is the three-way disagreement, each version with its annotator.
    let left = disagreements(&p, 0);
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].start, left[0].end), (47, 56));
    assert_eq!(left[0].versions.len(), 3);
    assert!(left[0].differs_in.contains(&"boundaries"));
    // Curating again changes nothing.
    let again = p.clone();
    let s2 = curate_majority(&mut p).expect("curates");
    assert_eq!(s2.curated_spans, 0);
    assert_eq!(p, again);
}

#[test]
fn a_claim_is_left_when_its_speaker_is_not_settled() {
    let mut p = team(
        &[
            ("ana", 0, 7, "Speaker", ""),
            ("ben", 0, 7, "Speaker", ""),
            ("ben", 0, 3, "Speaker", ""),
            ("cho", 4, 7, "Speaker", ""),
            ("ana", 13, 32, "Claim", ""),
            ("ben", 13, 32, "Claim", ""),
            ("cho", 13, 32, "Claim", ""),
        ],
        &[(4, 0), (5, 1), (6, 3)],
    );
    let summary = curate_majority(&mut p).expect("curates");
    assert_eq!(summary.curated_spans, 0, "{summary:?}");
    // ana and ben agree on the claim, but it links to a speaker nobody
    // settled; the claims differ in their links only.
    let left = disagreements(&p, 0);
    let claim = left.iter().find(|d| d.start == 13).expect("claim item");
    assert_eq!(claim.differs_in, ["links"]);
}

/// Ann / Ann Lee as the speaker (ana and ben: `Ann Lee`, cho: `Ann`), and
/// each one's claim linked to their own speaker (cho's shorter, direct).
fn speaker_and_claim() -> Project {
    team(
        &[
            ("ana", 0, 7, "Speaker", ""),
            ("ben", 0, 7, "Speaker", ""),
            ("cho", 0, 3, "Speaker", ""),
            ("ana", 13, 32, "Claim", "indirect"),
            ("ben", 13, 32, "Claim", "indirect"),
            ("cho", 13, 30, "Claim", "direct"),
        ],
        &[(3, 0), (4, 1), (5, 2)],
    )
}

/// The links of the document as (from offsets, to offsets).
fn links(p: &Project) -> Vec<((usize, usize), (usize, usize))> {
    let d = &p.documents[0];
    let at = |id: SpanId| d.span(id).map(|s| (s.start, s.end)).expect("span");
    let mut out: Vec<_> = d.relations.iter().map(|r| (at(r.from), at(r.to))).collect();
    out.sort();
    out
}

fn curator(p: &Project) -> Vec<Option<String>> {
    p.documents[0]
        .spans
        .iter()
        .filter(|s| matches!(s.origin, Origin::Curated { .. }))
        .map(|s| s.annotator.clone())
        .collect()
}

#[test]
fn a_curator_picks_versions_the_links_follow_and_undo_restores_exactly() {
    let mut p = speaker_and_claim();
    let before = p.documents.clone();
    let mut history = History::new();
    let items = disagreements(&p, 0);
    assert_eq!(items.len(), 2, "{items:?}");
    let speaker = &items[0];
    assert_eq!(speaker.versions[1].annotators, ["cho"]);
    // cho's `Ann`: the other claims' links go to it, as the curated span
    // of their speaker's label that overlaps it.
    let edit = settle(&mut p, speaker, Pick::Version(1), "dana").expect("settles");
    assert_eq!(edit.describe(), "curate: version 2 (cho)");
    history.apply(&mut p, edit).expect("applies");
    assert_eq!(
        curated(&p),
        [(0, 3, "Speaker".to_string(), vec!["cho".to_string()])]
    );
    assert_eq!(curator(&p), [Some("dana".to_string())]);
    assert_eq!(
        links(&p),
        [((13, 30), (0, 3)), ((13, 32), (0, 3)), ((13, 32), (0, 3))]
    );
    // The same item again is stale; a version that is not there, refused.
    assert_eq!(
        settle(&mut p, speaker, Pick::KeepAll, "dana").err(),
        Some(CurateError::Stale)
    );
    let claim = disagreements(&p, 0).remove(0);
    assert_eq!(
        settle(&mut p, &claim, Pick::Version(5), "dana").err(),
        Some(CurateError::NoVersion {
            number: 6,
            count: 2
        })
    );
    assert_eq!(claim.versions[0].annotators, ["ana", "ben"]);
    let edit = settle(&mut p, &claim, Pick::Version(0), "dana").expect("settles");
    history.apply(&mut p, edit).expect("applies");
    assert!(disagreements(&p, 0).is_empty());
    let d = &p.documents[0];
    assert!(
        d.spans
            .iter()
            .all(|s| matches!(s.origin, Origin::Curated { .. }))
    );
    let claim = d.spans.iter().find(|s| s.label == "Claim").expect("claim");
    assert_eq!((claim.start, claim.end), (13, 32));
    assert_eq!(claim.attrs["mode"], "indirect");
    assert_eq!(links(&p), [((13, 32), (0, 3))]);
    // Undo walks back exactly, redo forth again.
    let done = p.documents.clone();
    history.undo(&mut p).expect("undoes");
    assert_eq!(disagreements(&p, 0).len(), 1);
    history.undo(&mut p).expect("undoes");
    assert_eq!(p.documents, before);
    history.redo(&mut p).expect("redoes");
    history.redo(&mut p).expect("redoes");
    assert_eq!(p.documents, done);
}

#[test]
fn keep_all_collapses_equal_spans_and_none_removes_the_item() {
    let mut p = speaker_and_claim();
    let before = p.documents.clone();
    let mut history = History::new();
    let speaker = disagreements(&p, 0).remove(0);
    let edit = settle(&mut p, &speaker, Pick::KeepAll, "dana").expect("settles");
    history.apply(&mut p, edit).expect("applies");
    assert_eq!(
        curated(&p),
        [
            (
                0,
                7,
                "Speaker".to_string(),
                vec!["ana".to_string(), "ben".into()]
            ),
            (0, 3, "Speaker".to_string(), vec!["cho".to_string()]),
        ]
    );
    // Every claim links to the curated twin of its speaker.
    assert_eq!(
        links(&p),
        [((13, 30), (0, 3)), ((13, 32), (0, 7)), ((13, 32), (0, 7))]
    );
    let claim = disagreements(&p, 0).remove(0);
    let edit = settle(&mut p, &claim, Pick::Nothing, "dana").expect("settles");
    assert_eq!(edit.describe(), "curate: none");
    history.apply(&mut p, edit).expect("applies");
    let d = &p.documents[0];
    assert!(
        d.spans.iter().all(|s| s.label == "Speaker"),
        "{:?}",
        d.spans
    );
    assert!(d.relations.is_empty());
    assert!(disagreements(&p, 0).is_empty());
    history.undo(&mut p).expect("undoes");
    history.undo(&mut p).expect("undoes");
    assert_eq!(p.documents, before);
}

#[test]
fn a_claim_settled_before_its_speaker_keeps_its_link() {
    let mut p = speaker_and_claim();
    let claim = disagreements(&p, 0).remove(1);
    assert_eq!(claim.start, 13);
    let edit = settle(&mut p, &claim, Pick::Version(0), "dana").expect("settles");
    edit.apply(&mut p).expect("applies");
    // The speaker is not settled: the curated claim links to ana's.
    let d = &p.documents[0];
    let c = d
        .spans
        .iter()
        .find(|s| s.label == "Claim")
        .expect("curated claim");
    let r = d.relations.iter().find(|r| r.from == c.id).expect("link");
    assert_eq!(d.span(r.to).and_then(|s| s.annotator()), Some("ana"));
    // Then ana and ben's speaker: the link moves to the curated one.
    let speaker = disagreements(&p, 0).remove(0);
    let edit = settle(&mut p, &speaker, Pick::Version(0), "dana").expect("settles");
    edit.apply(&mut p).expect("applies");
    assert!(disagreements(&p, 0).is_empty());
    assert_eq!(links(&p), [((13, 32), (0, 7))]);
    // And a majority run afterwards finds nothing to do.
    let again = p.clone();
    curate_majority(&mut p).expect("curates");
    assert_eq!(p.documents, again.documents);
}
