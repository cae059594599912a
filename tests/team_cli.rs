//! The team loop end to end, as a user runs it: `new`, `assign` to three
//! annotators, three annotated files (made by the test through the
//! library, as the window would), `merge`, `agree` (table and JSON),
//! `curate --auto majority`, the rest settled one by one with the library's
//! `settle` (as the window's curation mode does), `export` of the curated
//! project, and `split` back; with the refusals that protect files. The README's "Working as a
//! team" shows this example.

mod common;
use common::cli::{sayso, stderr, stdout};

use std::path::Path;

use sayso::model::{Edit, History, Origin, Project, Relation, Span};
use sayso::team::{Pick, disagreements, settle};

const TEXTS: [(&str, &str); 4] = [
    (
        "budget",
        "Ann Lee said the budget would fail. The minister said it was fine.",
    ),
    (
        "strike",
        "Union leader Bo Park said the strike will go on. Critics disagree.",
    ),
    ("port", "The mayor said the port will reopen in May."),
    ("vote", "Voters said they were tired of waiting."),
];

/// What everyone marks: (speaker, claim) pairs and stances per document.
fn script(doc: &str) -> (Vec<(&'static str, &'static str)>, Option<&'static str>) {
    match doc {
        "budget" => (
            vec![
                ("Ann Lee", "the budget would fail"),
                ("The minister", "it was fine"),
            ],
            None,
        ),
        "strike" => (
            vec![("Union leader Bo Park", "the strike will go on")],
            Some("disagree"),
        ),
        "port" => (vec![("The mayor", "the port will reopen in May")], None),
        _ => (vec![("Voters", "they were tired of waiting")], None),
    }
}

fn chars(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("in the text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Annotates one annotator's file as the window would: ana marks all; ben
/// leaves out the second claim of a document (not its speaker); cho marks
/// "mayor" where the others mark "The mayor". On the stance, ana says
/// against, ben neutral, cho marks none.
fn annotate(path: &Path, who: &str) {
    let mut p: Project = sayso::project::load(path).expect("loads");
    for doc in 0..p.documents.len() {
        let text = p.documents[doc].text.as_str().to_string();
        let (pairs, stance) = script(&p.documents[doc].name);
        let mut edits = Vec::new();
        for (k, (speaker, claim)) in pairs.iter().enumerate() {
            let speaker = if who == "cho" && *speaker == "The mayor" {
                "mayor"
            } else {
                *speaker
            };
            let (s0, s1) = chars(&text, speaker);
            let (c0, c1) = chars(&text, claim);
            let sid = p.new_span_id();
            let cid = p.new_span_id();
            edits.push(Edit::AddSpan {
                doc,
                span: Span::manual(sid, s0, s1, "Speaker", who),
                relations: vec![],
            });
            if who == "ben" && k == 1 {
                continue;
            }
            let mut c = Span::manual(cid, c0, c1, "Claim", who);
            c.attrs.insert("mode".into(), "indirect".into());
            edits.push(Edit::AddSpan {
                doc,
                span: c,
                relations: vec![Relation {
                    from: cid,
                    kind: "said_by".into(),
                    to: sid,
                }],
            });
        }
        if let Some(words) = stance
            && who != "cho"
        {
            let (t0, t1) = chars(&text, words);
            let tid = p.new_span_id();
            let mut t = Span::manual(tid, t0, t1, "Stance", who);
            let polarity = if who == "ana" { "against" } else { "neutral" };
            t.attrs.insert("polarity".into(), polarity.into());
            edits.push(Edit::AddSpan {
                doc,
                span: t,
                relations: vec![],
            });
        }
        Edit::Batch {
            description: "annotate".into(),
            edits,
        }
        .apply(&mut p)
        .expect("the annotations fit");
    }
    sayso::project::save(&p, path).expect("saves");
}

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    stdout(out)
}

#[test]
fn three_annotators_assign_merge_agree_curate_export_split() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut args = vec!["new", "-o", "corpus.sayso"];
    for (name, text) in TEXTS {
        std::fs::write(d.join(format!("{name}.txt")), text).unwrap();
    }
    let files: Vec<String> = TEXTS.iter().map(|(n, _)| format!("{n}.txt")).collect();
    args.extend(files.iter().map(String::as_str));
    ok(&sayso(&args, d));

    // Hand out: half the documents to everyone.
    let assign = [
        "assign",
        "corpus.sayso",
        "--annotators",
        "ana,ben,cho",
        "--overlap",
        "0.75",
        "--seed",
        "0",
        "--out",
        "team",
    ];
    let summary = ok(&sayso(&assign, d));
    println!("$ sayso {}\n{summary}", assign.join(" "));
    assert!(
        summary.contains("3 document(s) for everyone: budget, strike, port"),
        "{summary}"
    );
    for who in ["ana", "ben", "cho"] {
        assert!(summary.contains(&format!("{who}: ")), "{summary}");
    }
    // Deterministic: the same seed again (with --force) says the same.
    let mut again = assign.to_vec();
    again.push("--force");
    assert_eq!(ok(&sayso(&again, d)).lines().next(), summary.lines().next());
    // Without --force nothing is overwritten.
    let refused = sayso(&assign, d);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));

    for who in ["ana", "ben", "cho"] {
        annotate(&d.join(format!("team/{who}.sayso")), who);
    }

    // Bring together.
    let merge = [
        "merge",
        "team/ana.sayso",
        "team/ben.sayso",
        "team/cho.sayso",
        "-o",
        "team.sayso",
    ];
    let merged = ok(&sayso(&merge, d));
    println!("$ sayso {}\n{merged}", merge.join(" "));
    assert!(
        merged.contains("4 document(s) from 3 file(s), 3 shared by two or more"),
        "{merged}"
    );
    let refused = sayso(&merge, d);
    assert!(
        stderr(&refused).contains("exist(s) already"),
        "{}",
        stderr(&refused)
    );
    let over_input = sayso(
        &[
            "merge",
            "team/ana.sayso",
            "team/ben.sayso",
            "-o",
            "team/ana.sayso",
            "--force",
        ],
        d,
    );
    assert!(
        stderr(&over_input).contains("never written over"),
        "{}",
        stderr(&over_input)
    );

    // Agreement: a table, and JSON that the files give alike.
    let table = ok(&sayso(&["agree", "team.sayso", "--by-doc"], d));
    println!("$ sayso agree team.sayso --by-doc\n{table}");
    assert!(table.contains("3 annotator(s): ana, ben, cho"), "{table}");
    assert!(
        table.contains("per document, lowest alpha first"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&sayso(&["agree", "team.sayso", "--json"], d))).unwrap();
    let from_files: serde_json::Value = serde_json::from_str(&ok(&sayso(
        &[
            "agree",
            "team/ana.sayso",
            "team/ben.sayso",
            "team/cho.sayso",
            "--json",
        ],
        d,
    )))
    .unwrap();
    assert_eq!(json, from_files);
    assert_eq!(json["shared"], 3);
    // Claims: ben leaves out one of budget's two when budget is shared.
    let claim = &json["labels"]["Claim"];
    let stance = &json["labels"]["Stance"];
    assert!(claim["overlap"]["f1"].as_f64().unwrap() > 0.7, "{claim}");
    // Everyone links each claim to the same speaker (cho's overlaps).
    assert_eq!(
        claim["attribution"]["correct"],
        claim["attribution"]["total"]
    );
    let alpha = json["labels"]["all"]["alpha"].as_f64().unwrap();
    assert!(alpha > 0.0 && alpha < 1.0, "{alpha}");
    let team: Project = sayso::project::load(&d.join("team.sayso")).unwrap();
    let lib = sayso::eval::agree::agree(&team);
    let lib_alpha = lib.total.labels["all"].alpha.expect("defined");
    assert!(
        (lib_alpha - alpha).abs() < 1e-12,
        "the command prints the library's figure: {lib_alpha} {alpha}"
    );
    let strike_shared = team
        .documents
        .iter()
        .any(|doc| doc.name == "strike" && doc.annotators.len() == 3);
    if strike_shared {
        assert_eq!(stance["attrs"]["polarity"]["correct"], 0);
    }

    // Curate by majority; the input is never the output.
    let refused = sayso(
        &[
            "curate",
            "team.sayso",
            "--auto",
            "majority",
            "-o",
            "team.sayso",
        ],
        d,
    );
    assert!(!refused.status.success());
    let curated = ok(&sayso(
        &[
            "curate",
            "team.sayso",
            "--auto",
            "majority",
            "-o",
            "gold.sayso",
        ],
        d,
    ));
    println!("$ sayso curate team.sayso --auto majority -o gold.sayso\n{curated}");
    assert!(curated.contains("settled by a majority"), "{curated}");
    let mut gold: Project = sayso::project::load(&d.join("gold.sayso")).unwrap();
    let left: usize = (0..gold.documents.len())
        .map(|k| sayso::team::disagreements(&gold, k).len())
        .sum();
    // Only the stance, if strike was shared, is left: three versions.
    assert_eq!(left, usize::from(strike_shared), "{curated}");
    if strike_shared {
        assert!(curated.contains("strike: 1 disagreement(s)"), "{curated}");
    }

    // The curator settles the rest, as curation mode does: ana's version
    // of each item (the stance: against), one undoable edit each.
    let before = gold.documents.clone();
    let mut history = History::new();
    let mut settled = 0;
    for doc in 0..gold.documents.len() {
        while let Some(item) = disagreements(&gold, doc).into_iter().next() {
            let ana = item
                .versions
                .iter()
                .position(|v| v.annotators.iter().any(|a| a == "ana"))
                .expect("ana had every shared document");
            let edit = settle(&mut gold, &item, Pick::Version(ana), "lead").expect("settles");
            history.apply(&mut gold, edit).expect("applies");
            settled += 1;
        }
    }
    assert_eq!(settled, left);
    let unsettled: usize = (0..gold.documents.len())
        .map(|k| disagreements(&gold, k).len())
        .sum();
    assert_eq!(unsettled, 0);
    // Undo would take every decision back.
    let mut undone = gold.clone();
    let mut back = history.clone();
    while back.can_undo() {
        back.undo(&mut undone).expect("undoes");
    }
    assert_eq!(undone.documents, before);
    sayso::project::save(&gold, &d.join("gold.sayso")).expect("saves");

    // Export the curated spans.
    ok(&sayso(
        &[
            "export",
            "gold.sayso",
            "--format",
            "jsonl",
            "--out",
            "gold.jsonl",
        ],
        d,
    ));
    let lines = std::fs::read_to_string(d.join("gold.jsonl")).unwrap();
    let budget: serde_json::Value = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["id"] == "budget")
        .unwrap();
    let spans = budget["spans"].as_array().unwrap();
    assert!(spans.iter().all(|s| s["origin"] == "curated"), "{budget}");
    let texts: Vec<&str> = spans.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert!(
        texts.contains(&"Ann Lee") && texts.contains(&"The minister"),
        "{texts:?}"
    );
    assert!(texts.contains(&"it was fine"), "{texts:?}");
    assert_eq!(budget["relations"].as_array().unwrap().len(), 2, "{budget}");
    if strike_shared {
        // The stance the curator settled: ana's, against, curated.
        let strike: serde_json::Value = lines
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|r| r["id"] == "strike")
            .unwrap();
        let spans = strike["spans"].as_array().unwrap();
        assert!(spans.iter().all(|s| s["origin"] == "curated"), "{strike}");
        let stance = spans
            .iter()
            .find(|s| s["label"] == "Stance")
            .expect("the curated stance");
        assert_eq!(stance["attrs"]["polarity"], "against", "{strike}");
        let gold: Project = sayso::project::load(&d.join("gold.sayso")).unwrap();
        let doc = gold.documents.iter().find(|x| x.name == "strike").unwrap();
        let s = doc.spans.iter().find(|s| s.label == "Stance").unwrap();
        assert_eq!(
            s.origin,
            Origin::Curated {
                annotators: vec!["ana".into()]
            }
        );
        assert_eq!(s.annotator.as_deref(), Some("lead"));
    }

    // And back: split gives each annotator their annotations.
    let split = ok(&sayso(&["split", "team.sayso", "--out", "back"], d));
    assert!(split.contains("ana: "), "{split}");
    for who in ["ana", "ben", "cho"] {
        let a: Project = sayso::project::load(&d.join(format!("team/{who}.sayso"))).unwrap();
        let b: Project = sayso::project::load(&d.join(format!("back/{who}.sayso"))).unwrap();
        // By name: the merged project orders documents by first appearance.
        let key = |p: &Project| -> std::collections::BTreeMap<String, Vec<(usize, usize, String)>> {
            p.documents
                .iter()
                .map(|doc| {
                    (
                        doc.name.clone(),
                        doc.spans
                            .iter()
                            .map(|s| (s.start, s.end, s.label.clone()))
                            .collect(),
                    )
                })
                .collect()
        };
        assert_eq!(key(&a), key(&b), "{who}");
        assert_eq!(b.annotator.as_deref(), Some(who));
    }
}

#[test]
fn merge_reports_documents_whose_text_differs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::create_dir(d.join("b")).unwrap();
    std::fs::write(d.join("a/news.txt"), "Ann Lee said so.").unwrap();
    std::fs::write(d.join("b/news.txt"), "Ann Lee said no.").unwrap();
    ok(&sayso(&["new", "-o", "ana.sayso", "a/news.txt"], d));
    ok(&sayso(&["new", "-o", "ben.sayso", "b/news.txt"], d));
    let out = sayso(&["merge", "ana.sayso", "ben.sayso", "-o", "team.sayso"], d);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("\"news\"") && err.contains("character 13"),
        "{err}"
    );
    assert!(!d.join("team.sayso").exists());
    let agree = sayso(&["agree", "ana.sayso", "ben.sayso"], d);
    assert_eq!(agree.status.code(), Some(1));
}
