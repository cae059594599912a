//! Measuring the rules on a foreign brat corpus from the command line, as
//! a user runs it: import with a mapping and a separate annotation folder,
//! the texts alone out, suggestions over them, and `sayso eval` with a
//! project as gold. The texts are our own.

mod common;
use common::cli::{sayso, stderr, stdout};

use std::path::Path;

fn offsets(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

const TEXT: &str = "“We will reopen the port in May,” Dana Cole said on Monday. \
The union says the plan is late and costly.";

/// A PolNeAR-like corpus: `text/NAME.txt`, `ann/NAME_ANNOTATOR.ann`.
fn corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("text")).unwrap();
    std::fs::create_dir_all(dir.join("ann")).unwrap();
    std::fs::write(dir.join("text/port.txt"), TEXT).unwrap();
    let t = |id: &str, label: &str, needle: &str| {
        let (a, b) = offsets(TEXT, needle);
        format!("{id}\t{label} {a} {b}\t{needle}\n")
    };
    let (q0, q1) = offsets(TEXT, "We will reopen");
    let (q2, q3) = offsets(TEXT, "the port in May");
    let ann = [
        t("T1", "Source", "Dana Cole"),
        t("T2", "Cue", "said"),
        format!("T3\tContent {q0} {q1};{q2} {q3}\tWe will reopen the port in May\n"),
        t("T4", "Attribution", "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n".into(),
        t("T5", "Source", "The union"),
        t("T6", "Cue", "says"),
        t("T7", "Content", "the plan is late and costly"),
        t("T8", "Attribution", "says"),
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n".into(),
    ]
    .concat();
    std::fs::write(dir.join("ann/port_b2.ann"), ann).unwrap();
    // A second annotator's file, which is not read.
    std::fs::write(dir.join("ann/port_c3.ann"), "T1\tSource 0 2\tWe\n").unwrap();
}

#[test]
fn import_a_mapped_corpus_then_measure_the_rules_on_it() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let map = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/mappings/polnear.ron");
    let map = map.to_str().unwrap();
    let out = sayso(
        &[
            "import",
            "gold.sayso",
            "text",
            "--format",
            "brat",
            "--ann-dir",
            "ann",
            "--map",
            map,
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "imported 1 document(s), 4 span(s), 2 relation(s); 1 fragmented span(s) joined"
        ),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("port_b2.ann (of 2)"), "{err}");
    assert!(err.contains("1 fragmented span(s)"), "{err}");

    let out = sayso(
        &[
            "export",
            "gold.sayso",
            "--format",
            "jsonl",
            "--no-spans",
            "--out",
            "texts.jsonl",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let texts = std::fs::read_to_string(dir.path().join("texts.jsonl")).unwrap();
    assert!(texts.contains(r#""spans":[]"#), "{texts}");
    assert!(texts.contains(r#""id":"port""#), "{texts}");

    let out = sayso(
        &["suggest", "--jsonl", "texts.jsonl", "pred.jsonl"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = sayso(
        &[
            "eval",
            "--gold",
            "gold.sayso",
            "pred.jsonl",
            "--as",
            "Stance=Claim",
            "--by-rule",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.starts_with("1 document(s); scored Stance as Claim"),
        "{report}"
    );
    assert!(report.contains("attribution "), "{report}");
    assert!(report.contains("predictions per rule"), "{report}");
    let speaker = report
        .lines()
        .find(|l| l.starts_with("Speaker"))
        .expect("a Speaker row");
    assert!(speaker.split_whitespace().nth(1) == Some("2"), "{report}");

    let out = sayso(
        &["eval", "--gold", "gold.sayso", "pred.jsonl", "--json"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["labels"]["Claim"]["overlap"]["gold"], 2);
    assert_eq!(json["attribution"]["total"], 2);

    // The gold against itself scores 1 everywhere.
    let out = sayso(&["eval", "--gold", "gold.sayso", "gold.sayso"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("attribution 1.000 (2 of 2"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn mapping_errors_and_misused_flags_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    std::fs::write(
        dir.path().join("bad.ron"),
        "(\n  labels: {\"Source\": \"Speaker\"},\n  dorp: [\"Cue\"],\n)\n",
    )
    .unwrap();
    let out = sayso(
        &[
            "import",
            "g.sayso",
            "text",
            "--format",
            "brat",
            "--ann-dir",
            "ann",
            "--map",
            "bad.ron",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.ron:3:3:"), "{}", stderr(&out));
    assert!(!dir.path().join("g.sayso").exists());

    let out = sayso(
        &[
            "import", "g.sayso", "x.jsonl", "--format", "jsonl", "--map", "bad.ron",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--format brat"), "{}", stderr(&out));

    let out = sayso(
        &["eval", "--gold", "g.jsonl", "p.jsonl", "--as", "Stance"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("FROM=TO"), "{}", stderr(&out));
}
