//! Agreement figures against the reference implementations: Krippendorff's
//! α as the `krippendorff` package computes it (nominal) and Cohen's κ as
//! scikit-learn's `cohen_kappa_score`, to 1e-9, on small generated data
//! (the literals below come from `tests/agree_reference.py`); and the span,
//! attribute and attribution agreement on hand-made cases.

use sayso::eval::agree::{ALL, agree, agreement, cohen_kappa, krippendorff_alpha_nominal};
use sayso::model::{Document, Edit, Origin, Project, Relation, Span, SpanId};

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what}: undefined, want {b}"));
    assert!((a - b).abs() < 1e-9, "{what}: {a} != {b}");
}

#[test]
fn kappa_equals_scikit_learn() {
    for (name, (a, b, want)) in [("A", KAPPA_A), ("B", KAPPA_B)] {
        close(cohen_kappa(a, b), want, name);
        close(cohen_kappa(b, a), want, name);
    }
}

#[test]
fn alpha_equals_the_krippendorff_package() {
    for (name, (units, want)) in [("A", ALPHA_A), ("B", ALPHA_B), ("C", ALPHA_C)] {
        let units: Vec<Vec<u32>> = units.iter().map(|u| u.to_vec()).collect();
        close(krippendorff_alpha_nominal(&units), want, name);
    }
}

#[test]
fn figures_are_undefined_without_variation() {
    assert_eq!(cohen_kappa(&[1, 1, 1], &[1, 1, 1]), None);
    assert_eq!(cohen_kappa(&[], &[]), None);
    assert_eq!(
        krippendorff_alpha_nominal(&[vec![0, 0], vec![0, 0, 0]]),
        None
    );
    // Units with one value are not pairable and count for nothing.
    let with_single = krippendorff_alpha_nominal(&[vec![0, 1], vec![1, 1], vec![0, 0], vec![1]]);
    let without = krippendorff_alpha_nominal(&[vec![0, 1], vec![1, 1], vec![0, 0]]);
    assert_eq!(with_single, without);
    // Perfect agreement is 1.
    assert_eq!(
        krippendorff_alpha_nominal(&[vec![0, 0], vec![1, 1], vec![2, 2, 2]]),
        Some(1.0)
    );
}

/// A document: its text, its annotators, and spans as (annotator, start,
/// end, label).
type DocSpec<'a> = (
    &'a str,
    &'a [&'a str],
    &'a [(&'a str, usize, usize, &'a str)],
);

/// A span as (annotator, start, end, label, attributes).
type SpanSpec<'a> = (&'a str, usize, usize, &'a str, &'a [(&'a str, &'a str)]);

/// A merged project from `PROJECT`.
fn project_of(docs: &[DocSpec]) -> Project {
    let mut p = Project::default();
    let mut documents = Vec::new();
    for (k, (text, coders, spans)) in docs.iter().enumerate() {
        let mut d = Document::new(format!("d{k}"), *text);
        d.annotators = coders.iter().map(|c| c.to_string()).collect();
        for (who, start, end, label) in spans.iter() {
            let id = p.new_span_id();
            d.spans.push(Span::manual(id, *start, *end, label, who));
        }
        d.spans.sort_by_key(|s| s.sort_key());
        documents.push(d);
    }
    Edit::AddDocuments { at: 0, documents }
        .apply(&mut p)
        .expect("documents fit");
    p
}

#[test]
fn token_level_figures_of_a_project_equal_the_reference() {
    let p = project_of(PROJECT);
    let report = agree(&p);
    let total = &report.total;
    assert_eq!(total.annotators, ["ana", "ben", "cho"]);
    assert_eq!(total.shared, 2);
    for (label, what, want) in PROJECT_FIGURES {
        let l = &total.labels[*label];
        let got = if *what == "alpha" {
            l.alpha
        } else {
            let (a, b) = what.split_once('+').expect("a pair");
            l.pairs[&(a.to_string(), b.to_string())].kappa
        };
        close(got, *want, &format!("{label} {what}"));
    }
    // cho had one document of two: her pairs count its tokens only.
    let all = &total.labels[ALL];
    let words = |k: usize| PROJECT[k].0.split(' ').count();
    assert_eq!(
        all.pairs[&("ana".to_string(), "ben".to_string())].tokens,
        words(0) + words(1)
    );
    assert_eq!(
        all.pairs[&("ana".to_string(), "cho".to_string())].tokens,
        words(0)
    );
    assert_eq!(all.tokens, words(0) + words(1));
}

const TEXT: &str = "Ann Lee said the plan would fail. The minister said more.";

fn span(p: &mut Project, who: &str, start: usize, end: usize, label: &str) -> Span {
    let id = p.new_span_id();
    Span::manual(id, start, end, label, who)
}

/// Two annotators on `TEXT`; spans as (annotator, start, end, label,
/// attributes), links as (from index, to index).
fn two(spans: &[SpanSpec], links: &[(usize, usize)]) -> Project {
    let mut p = Project::default();
    let mut d = Document::new("d", TEXT);
    d.annotators = vec!["ana".into(), "ben".into()];
    let mut ids: Vec<SpanId> = Vec::new();
    for (who, start, end, label, attrs) in spans {
        let mut s = span(&mut p, who, *start, *end, label);
        for (k, v) in attrs.iter() {
            s.attrs.insert(k.to_string(), v.to_string());
        }
        ids.push(s.id);
        d.spans.push(s);
    }
    d.spans.sort_by_key(|s| s.sort_key());
    for (a, b) in links {
        let from = d.span(ids[*a]).expect("span");
        let kind = if from.label == "Claim" {
            "said_by"
        } else {
            "held_by"
        };
        d.relations.push(Relation {
            from: ids[*a],
            kind: kind.into(),
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

#[test]
fn span_f1_exact_and_overlap_per_label_and_overall() {
    let p = two(
        &[
            ("ana", 0, 7, "Speaker", &[]),
            ("ben", 0, 7, "Speaker", &[]),
            ("ana", 13, 32, "Claim", &[]),
            ("ben", 17, 32, "Claim", &[]),
            ("ben", 34, 46, "Speaker", &[]),
        ],
        &[],
    );
    let a = agreement(&p, &[0]);
    let pair = |l: &str| a.labels[l].pairs[&("ana".to_string(), "ben".to_string())].clone();
    assert_eq!(pair("Speaker").exact.f1(), 2.0 / 3.0);
    assert_eq!(pair("Speaker").overlap.f1(), 2.0 / 3.0);
    assert_eq!(pair("Claim").exact.f1(), 0.0);
    assert_eq!(pair("Claim").overlap.f1(), 1.0);
    // Overall: the labels' counts summed (2 of 2 by ana, 2 of 3 by ben overlap).
    let all = pair(ALL);
    assert_eq!((all.overlap.found, all.overlap.n_gold), (2, 2));
    assert_eq!((all.overlap.right, all.overlap.n_pred), (2, 3));
    assert_eq!((all.exact.found, all.exact.right), (1, 1));
}

#[test]
fn attributes_and_attribution_on_matched_spans() {
    // ana: Claim (direct) by "Ann Lee"; ben: Claim (indirect) by "The minister"
    // on an overlapping stretch; Stances agree on polarity and on the speaker
    // through the same entity.
    let p = two(
        &[
            ("ana", 0, 7, "Speaker", &[("entity", "Ann Lee")]),
            ("ben", 34, 46, "Speaker", &[]),
            ("ana", 13, 32, "Claim", &[("mode", "direct")]),
            ("ben", 13, 30, "Claim", &[("mode", "indirect")]),
            ("ana", 47, 51, "Stance", &[("polarity", "against")]),
            ("ben", 47, 56, "Stance", &[("polarity", "against")]),
            ("ben", 0, 3, "Speaker", &[("entity", "ann lee")]),
        ],
        &[(2, 0), (3, 1), (4, 0), (5, 6)],
    );
    let a = agreement(&p, &[0]);
    let key = ("ana".to_string(), "ben".to_string());
    let claim = &a.labels["Claim"].pairs[&key];
    assert_eq!(
        (claim.attrs["mode"].correct, claim.attrs["mode"].total),
        (0, 1)
    );
    assert_eq!((claim.attribution.correct, claim.attribution.total), (0, 1));
    let stance = &a.labels["Stance"].pairs[&key];
    assert_eq!(
        (
            stance.attrs["polarity"].correct,
            stance.attrs["polarity"].total
        ),
        (1, 1)
    );
    assert_eq!(
        (stance.attribution.correct, stance.attribution.total),
        (1, 1)
    );
    let all = a.labels[ALL].summed();
    assert_eq!((all.attribution.correct, all.attribution.total), (1, 2));
    // The table and the JSON carry the figures.
    let table = a.table();
    assert!(table.contains("attribution"), "{table}");
    let json = a.to_json();
    assert_eq!(json["labels"]["Stance"]["attrs"]["polarity"]["correct"], 1);
    assert_eq!(json["labels"]["all"]["pairs"][0]["annotators"][1], "ben");
}

#[test]
fn curated_spans_pending_suggestions_and_lone_documents_do_not_count() {
    let mut p = two(
        &[("ana", 0, 7, "Speaker", &[]), ("ben", 0, 7, "Speaker", &[])],
        &[],
    );
    let id = p.new_span_id();
    let mut curated = Span::manual(id, 13, 32, "Claim", "x");
    curated.origin = Origin::Curated {
        annotators: vec!["ana".into()],
    };
    Edit::AddSpan {
        doc: 0,
        span: curated,
        relations: vec![],
    }
    .apply(&mut p)
    .expect("fits");
    let mut lone = Document::new("lone", TEXT);
    lone.annotators = vec!["ana".into()];
    Edit::AddDocument {
        at: 1,
        document: Box::new(lone),
    }
    .apply(&mut p)
    .expect("fits");
    let r = agree(&p);
    assert_eq!(r.total.shared, 1);
    assert_eq!(r.by_doc.len(), 1);
    assert_eq!(r.total.labels["Claim"].summed().overlap.n_gold, 0);
    assert_eq!(r.total.labels["Speaker"].summed().exact.f1(), 1.0);
}

// BEGIN GENERATED by tests/agree_reference.py
// krippendorff 0.9.0, scikit-learn 1.9.1
const KAPPA_A: (&[u32], &[u32], f64) = (
    &[
        1, 0, 2, 2, 2, 1, 0, 1, 0, 0, 1, 1, 2, 1, 2, 2, 1, 2, 0, 2, 2, 0, 1, 2, 0, 1, 0, 0, 2, 2,
        0, 2, 2, 1, 2, 2, 0, 0, 0, 2,
    ],
    &[
        1, 1, 2, 0, 2, 1, 0, 1, 0, 1, 1, 1, 0, 1, 2, 2, 0, 2, 0, 2, 2, 0, 1, 1, 0, 1, 0, 0, 2, 0,
        0, 2, 2, 1, 2, 1, 0, 0, 2, 2,
    ],
    0.662605435801312,
);
const KAPPA_B: (&[u32], &[u32], f64) = (
    &[
        1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1,
    ],
    &[
        1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1,
    ],
    0.6815286624203822,
);
const ALPHA_A: (&[&[u32]], f64) = (
    &[
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[0, 0, 1],
        &[0, 1, 0],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 1, 0],
        &[1, 1, 0],
        &[0, 0, 0],
        &[0, 0, 0],
        &[1, 1, 1],
        &[1, 1, 0],
        &[1, 1, 0],
        &[0, 0, 0],
        &[1, 0, 0],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 0, 1],
        &[0, 0, 0],
        &[0, 1, 0],
        &[1, 1, 1],
        &[0, 0, 0],
        &[1, 1, 1],
        &[0, 0, 1],
        &[1, 0, 1],
        &[1, 1, 1],
        &[0, 0, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 0, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[0, 0, 0],
        &[0, 0, 1],
        &[1, 1, 0],
        &[0, 0, 1],
        &[1, 1, 1],
        &[1, 1, 0],
        &[1, 0, 1],
        &[0, 0, 0],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[1, 1, 1],
        &[0, 0, 0],
        &[1, 0, 0],
        &[1, 1, 0],
    ],
    0.42034623614082867,
);
const ALPHA_B: (&[&[u32]], f64) = (
    &[
        &[0, 0],
        &[0, 0, 0, 0],
        &[0, 2],
        &[2, 2, 1, 0],
        &[2, 1, 2],
        &[2, 2, 2],
        &[0, 0, 0],
        &[1, 0, 1],
        &[1, 1],
        &[2, 2, 2],
        &[0, 0, 0, 1],
        &[2, 1, 1],
        &[0, 0, 2],
        &[0, 0, 0],
        &[1, 1],
        &[2, 2, 2],
        &[2, 2, 0],
        &[1, 0, 0],
        &[0, 0, 0],
        &[2, 2, 2],
        &[1, 1, 1],
        &[1, 1, 1],
        &[0, 0, 0],
        &[0, 0],
        &[2, 2, 2],
        &[1, 0],
        &[2, 2, 2, 2],
        &[1, 0, 0, 1],
        &[1, 1, 1],
        &[1, 1, 1, 1],
    ],
    0.6026785714285714,
);
const ALPHA_C: (&[&[u32]], f64) = (
    &[
        &[1, 0, 0],
        &[2, 2, 2, 2, 2],
        &[1, 3],
        &[3, 1, 3, 3, 3],
        &[2, 3, 3, 3],
        &[3, 3, 3, 3],
        &[3, 3, 1],
        &[1, 2, 2, 2, 2, 2],
        &[3, 1, 2],
        &[2],
        &[3, 3],
        &[2, 2, 3, 2],
        &[2, 2, 2, 2],
        &[3, 0, 0, 0, 1],
        &[3, 3, 3, 3],
        &[1, 1, 2, 3],
        &[3, 3, 0, 2, 2, 0],
        &[1],
        &[1, 2, 0, 0],
        &[2, 2, 2, 3],
        &[0, 1],
        &[3, 3, 3, 0],
        &[2, 2, 2, 2, 2],
        &[0, 1],
        &[1, 1, 1, 1, 1, 2],
        &[0, 2, 2, 2, 2],
        &[0, 1, 0],
        &[2, 1, 3, 1, 3],
        &[1, 1, 1, 1, 1],
        &[1],
        &[2, 2],
        &[2, 2, 2],
        &[3, 3, 3, 0],
        &[0, 0, 0, 0],
        &[0, 0, 2, 1],
        &[2, 1, 1],
        &[3, 3, 3, 3],
        &[3, 3, 0, 3],
        &[2, 0, 0],
        &[0, 0, 3],
    ],
    0.40322666312574673,
);
/// (text, annotators, spans as (annotator, start, end, label)).
#[allow(clippy::type_complexity)]
const PROJECT: &[(&str, &[&str], &[(&str, usize, usize, &str)])] = &[
    (
        "nupe pemi lora lope mipe numi katu sotu nuso tupe kara mipe mika nura loka nura ratu minu penu sope penu pepe sope rape mika tura nupe sonu peka sora",
        &["ana", "ben", "cho"],
        &[
            ("ana", 15, 34, "Speaker"),
            ("ana", 50, 59, "Speaker"),
            ("ana", 65, 79, "Speaker"),
            ("ana", 95, 99, "Claim"),
            ("ana", 115, 134, "Claim"),
            ("ana", 85, 89, "Claim"),
            ("ben", 50, 59, "Speaker"),
            ("ben", 65, 79, "Speaker"),
            ("ben", 95, 99, "Claim"),
            ("ben", 115, 134, "Claim"),
            ("ben", 80, 84, "Speaker"),
            ("cho", 15, 29, "Speaker"),
            ("cho", 50, 59, "Speaker"),
            ("cho", 65, 84, "Speaker"),
            ("cho", 110, 114, "Claim"),
        ],
    ),
    (
        "tura ranu minu soka nura nuso tuso lomi ranu minu somi mira nulo mitu petu loka ralo nupe kanu nunu peka kami rara kalo",
        &["ana", "ben"],
        &[
            ("ana", 15, 34, "Speaker"),
            ("ana", 50, 64, "Speaker"),
            ("ana", 75, 79, "Claim"),
            ("ana", 95, 114, "Claim"),
            ("ben", 15, 34, "Speaker"),
            ("ben", 50, 64, "Speaker"),
            ("ben", 75, 79, "Claim"),
            ("ben", 95, 114, "Speaker"),
            ("ben", 85, 89, "Claim"),
        ],
    ),
];
/// (label, "alpha" or the pair, figure).
const PROJECT_FIGURES: &[(&str, &str, f64)] = &[
    ("Claim", "alpha", 0.27288810260946483),
    ("Claim", "ana+ben", 0.6039119804400979),
    ("Claim", "ana+cho", -0.06060606060606055),
    ("Claim", "ben+cho", -0.05882352941176472),
    ("Speaker", "alpha", 0.6941964285714286),
    ("Speaker", "ana+ben", 0.6074313408723748),
    ("Speaker", "ana+cho", 0.8412698412698413),
    ("Speaker", "ben+cho", 0.736842105263158),
    ("all", "alpha", 0.5761601455868972),
    ("all", "ana+ben", 0.6619237336368811),
    ("all", "ana+cho", 0.4736842105263158),
    ("all", "ben+cho", 0.4143167028199566),
];
// END GENERATED
