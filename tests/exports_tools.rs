//! Exports that the receiving tools accept with their defaults (issue 11):
//! doccano's ASCII lines with one `meta` object and the overlap setting,
//! Prodigy's `tokens` list and relations, CoNLL-2003's separator and
//! per-label files, brat's review state, origin, empty values and line
//! breaks; and the round trip of every importable format on the sample and
//! on emoji/CJK/CRLF text, with each loss the format forces counted.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use sayso::io::annotated;
use sayso::io::export::{ExportOptions, ExportSummary, export};
use sayso::io::formats::Format;
use sayso::model::{Document, Edit, Origin, Project, Relation, ReviewState, Span};

/// The sample (a Speaker, a Stance, a Claim, a pending suggestion) plus a
/// document with emoji, CJK, combining marks and CRLF line breaks: a Claim
/// with a Stance nested in it, a Speaker with an empty `entity`, a Claim
/// whose `cue` holds a line break and a backslash, a rule suggestion with
/// confidence 0.7, and metadata.
fn fixture() -> Project {
    let mut p = common::sample_project();
    let text = sayso::io::decode::decode(
        "Zoë’s “plan” 😀👩‍👩‍👧 works,\r\nsaid Ame\u{301}lie in 東京.\r\nShe doubts it, Bo said."
            .as_bytes(),
        None,
    )
    .unwrap()
    .text;
    let mut doc = Document::new("emoji", text.clone());
    doc.meta.insert("source".into(), "wire".into());
    Edit::AddDocument {
        at: 1,
        document: Box::new(doc),
    }
    .apply(&mut p)
    .unwrap();
    let find = |needle: &str| common::find_chars(&text, needle, 0);
    let mut add = |(a, b): (usize, usize), label: &str, attrs: &[(&str, &str)]| {
        let id = p.new_span_id();
        let mut span = Span::manual(id, a, b, label, "ana");
        for (k, v) in attrs {
            span.attrs.insert(k.to_string(), v.to_string());
        }
        Edit::AddSpan {
            doc: 1,
            span,
            relations: vec![],
        }
        .apply(&mut p)
        .unwrap();
        id
    };
    let claim = add(
        (find("Zoë").0, find("works").1),
        "Claim",
        &[("cue", "said\nover two lines \\ with a backslash")],
    );
    let stance = add(find("“plan” 😀"), "Stance", &[("polarity", "favor")]);
    let speaker = add(find("Ame\u{301}lie"), "Speaker", &[("entity", "")]);
    let id = p.new_span_id();
    let mut rule = Span::manual(id, find("Bo").0, find("Bo").1, "Speaker", "");
    rule.origin = Origin::Rule {
        rule: "speaker.name".into(),
        confidence: 0.7,
        explanation: "x".into(),
        edited: false,
    };
    rule.review = ReviewState::Suggested;
    Edit::AddSpan {
        doc: 1,
        span: rule,
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap();
    for (from, kind) in [(claim, "said_by"), (stance, "held_by")] {
        Edit::AddRelation {
            doc: 1,
            relation: Relation {
                from,
                kind: kind.into(),
                to: speaker,
            },
        }
        .apply(&mut p)
        .unwrap();
    }
    p
}

fn all_states(format: Format) -> ExportOptions {
    let mut options = ExportOptions::new(format);
    options.states = vec![
        ReviewState::Accepted,
        ReviewState::Suggested,
        ReviewState::Rejected,
    ];
    options
}

fn run(p: &Project, options: &ExportOptions, out: &Path) -> ExportSummary {
    export(p, options, out, None, &mut |_, _| {}).unwrap()
}

/// A project of one document `d` with `text` and one manual span of
/// `label` over code points `start..end`.
fn one_span(text: &str, start: usize, end: usize, label: &str) -> Project {
    let mut p = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("d", text)),
    }
    .apply(&mut p)
    .unwrap();
    let id = p.new_span_id();
    Edit::AddSpan {
        doc: 0,
        span: Span::manual(id, start, end, label, "ana"),
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap();
    p
}

fn import(format: Format, path: &Path) -> (Project, Vec<String>, Vec<String>) {
    let mut p = Project::default();
    let read = annotated::read_with(format, &[path.to_path_buf()], &Default::default());
    let notices = read.notices.clone();
    let plan = annotated::plan(&mut p, read.sources, read.skipped);
    let skipped = plan.skipped.iter().map(|s| s.to_string()).collect();
    plan.edit.apply(&mut p).unwrap();
    (p, skipped, notices)
}

type Key = (usize, usize, String);

/// A document's spans with what the comparison covers.
fn spans(doc: &Document, attrs: bool, state: bool) -> BTreeSet<(Key, String, String)> {
    doc.spans
        .iter()
        .map(|s| {
            let a = if attrs {
                format!("{:?}", s.attrs)
            } else {
                String::new()
            };
            let st = if state {
                format!("{} {}", s.review.as_str(), origin(&s.origin))
            } else {
                String::new()
            };
            ((s.start, s.end, s.label.clone()), a, st)
        })
        .collect()
}

fn origin(o: &Origin) -> String {
    match o {
        Origin::Manual { annotator } => format!("manual {annotator}"),
        Origin::Rule {
            rule, confidence, ..
        } => format!("rule {rule} {confidence}"),
        Origin::Import { .. } => "import".into(),
        Origin::Curated { annotators } => format!("curated {}", annotators.join(",")),
    }
}

fn relations(doc: &Document) -> BTreeSet<(Key, String, Key)> {
    let key = |id| {
        let s = doc.span(id).unwrap();
        (s.start, s.end, s.label.clone())
    };
    doc.relations
        .iter()
        .map(|r| (key(r.from), r.kind.clone(), key(r.to)))
        .collect()
}

/// Exports every state, imports, and compares document by document.
fn round_trip(format: Format, out: &Path, attrs: bool, state: bool) -> ExportSummary {
    let p = fixture();
    let summary = run(&p, &all_states(format), out);
    let (back, skipped, _) = import(format, out);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(back.documents.len(), p.documents.len());
    for a in &p.documents {
        let b = back
            .documents
            .iter()
            .find(|b| b.text == a.text)
            .expect("same text comes back");
        assert_eq!(spans(a, attrs, state), spans(b, attrs, state), "{format}");
        assert_eq!(relations(a), relations(b), "{format}");
    }
    summary
}

#[test]
fn jsonl_and_brat_round_trip_attributes_review_state_and_origin() {
    let dir = tempfile::tempdir().unwrap();
    let s = round_trip(Format::Jsonl, &dir.path().join("a.jsonl"), true, true);
    assert!(s.skipped.is_empty(), "{:?}", s.skipped);
    let s = round_trip(Format::Brat, &dir.path().join("brat"), true, true);
    // Only the metadata is lost, and counted.
    assert_eq!(
        s.skipped,
        ["the metadata of 1 document(s) (brat has no place for it)"]
    );
    round_trip(Format::Brat, &dir.path().join("brat.zip"), true, true);
}

#[test]
fn jsonl_keeps_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.jsonl");
    run(&fixture(), &all_states(Format::Jsonl), &out);
    let (back, _, _) = import(Format::Jsonl, &out);
    assert_eq!(back.documents[1].meta["source"], "wire");
}

#[test]
fn doccano_round_trips_spans_and_relations_and_counts_what_it_cannot_hold() {
    let dir = tempfile::tempdir().unwrap();
    let s = round_trip(Format::Doccano, &dir.path().join("d.jsonl"), false, false);
    let p = fixture();
    let values: usize = p
        .documents
        .iter()
        .flat_map(|d| &d.spans)
        .map(|s| s.attrs.len())
        .sum();
    assert!(
        s.skipped.contains(&format!(
            "{values} attribute value(s) (doccano has no attributes)"
        )),
        "{:?}",
        s.skipped
    );
    assert!(
        s.skipped
            .iter()
            .any(|l| l.starts_with("the review state of 2 span(s)")),
        "{:?}",
        s.skipped
    );
    // Metadata comes back.
    let (back, _, _) = import(Format::Doccano, &dir.path().join("d.jsonl"));
    assert_eq!(back.documents[1].meta["source"], "wire");
}

#[test]
fn doccano_lines_are_ascii_with_the_same_fields_and_a_meta_object() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d.jsonl");
    run(&fixture(), &ExportOptions::new(Format::Doccano), &out);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.is_ascii(), "non-ASCII bytes in the doccano file");
    let raw = String::from_utf8(bytes).unwrap();
    assert!(raw.contains(r"Zo\u00eb\u2019s"), "{raw}");
    assert!(
        raw.contains(r"\ud83d\ude00"),
        "emoji as a surrogate pair: {raw}"
    );
    let p = fixture();
    let mut fields = BTreeSet::new();
    for (line, doc) in raw.lines().zip(&p.documents) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            v["text"],
            doc.text.as_str(),
            "the escapes read back exactly"
        );
        assert!(v["meta"].is_object(), "{line}");
        assert_eq!(v["document"], doc.name.as_str());
        fields.insert(v.as_object().unwrap().keys().cloned().collect::<Vec<_>>());
    }
    assert_eq!(
        fields.len(),
        1,
        "every line has the same fields: {fields:?}"
    );
    let v: serde_json::Value = serde_json::from_str(raw.lines().next().unwrap()).unwrap();
    assert_eq!(v["meta"], serde_json::json!({}));
}

#[test]
fn doccano_says_the_project_must_allow_overlaps_or_leaves_the_inner_span_out() {
    let dir = tempfile::tempdir().unwrap();
    let p = fixture();
    let s = run(
        &p,
        &ExportOptions::new(Format::Doccano),
        &dir.path().join("a.jsonl"),
    );
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("Allow overlapping spans") && n.contains("--no-overlap")),
        "{:?}",
        s.notes
    );
    let mut options = ExportOptions::new(Format::Doccano);
    options.no_overlap = true;
    let out = dir.path().join("b.jsonl");
    let s = run(&p, &options, &out);
    assert!(
        !s.notes.iter().any(|n| n.contains("Allow overlapping")),
        "{:?}",
        s.notes
    );
    // The Stance nested in the Claim goes, with its held_by link.
    assert!(
        s.skipped
            .contains(&"1 span(s) inside or overlapping another span (--no-overlap)".into()),
        "{:?}",
        s.skipped
    );
    assert!(
        s.skipped
            .contains(&"1 relation(s) of spans left out by --no-overlap".into()),
        "{:?}",
        s.skipped
    );
    let mut written = 0;
    for line in std::fs::read_to_string(&out).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let ents: Vec<(u64, u64)> = v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["start_offset"].as_u64().unwrap(),
                    e["end_offset"].as_u64().unwrap(),
                )
            })
            .collect();
        written += ents.len();
        for (i, a) in ents.iter().enumerate() {
            for b in &ents[i + 1..] {
                assert!(a.1 <= b.0 || b.1 <= a.0, "{a:?} overlaps {b:?}");
            }
        }
    }
    // Each span counted once: the summary's spans are the file's.
    assert_eq!(s.spans_per_label.values().sum::<usize>(), written);
}

#[test]
fn jsonl_has_prodigy_tokens_that_rebuild_the_text_and_agree_with_the_indices() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.jsonl");
    run(&fixture(), &all_states(Format::Jsonl), &out);
    let raw = std::fs::read_to_string(&out).unwrap();
    assert!(
        raw.contains(r#""confidence":0.7,"#),
        "shortest decimal: {raw}"
    );
    assert!(!raw.contains("0.699999"), "{raw}");
    for line in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["meta"].is_object(), "meta on every line");
        let text = v["text"].as_str().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let tokens = v["tokens"].as_array().unwrap();
        let mut rebuilt = String::new();
        for (i, t) in tokens.iter().enumerate() {
            assert_eq!(t["id"], i);
            let (a, b) = (
                t["start"].as_u64().unwrap() as usize,
                t["end"].as_u64().unwrap() as usize,
            );
            let piece: String = chars[a..b].iter().collect();
            assert_eq!(t["text"], piece.as_str());
            rebuilt.push_str(&piece);
            if t["ws"] == true {
                rebuilt.push(' ');
            }
        }
        assert_eq!(rebuilt, text, "tokens and ws rebuild the text");
        for s in v["spans"].as_array().unwrap() {
            let (ts, te) = (
                s["token_start"].as_u64().unwrap() as usize,
                s["token_end"].as_u64().unwrap() as usize,
            );
            let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            let bounds =
                |t: &serde_json::Value| (t["start"].as_u64().unwrap(), t["end"].as_u64().unwrap());
            let (first, last) = (bounds(&tokens[ts]), bounds(&tokens[te]));
            assert!(first.0 <= start && start < first.1, "{s}");
            assert!(last.0 < end && end <= last.1, "{s}");
        }
        for r in v["relations"].as_array().unwrap() {
            assert_eq!(r["label"], r["type"]);
            assert_eq!(r["head"], r["head_span"]["token_end"]);
            assert_eq!(r["child"], r["child_span"]["token_end"]);
        }
    }
}

#[test]
fn prodigy_records_import_with_spans_without_ids_and_head_child_relations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prodigy.jsonl");
    let text = "Ann said the plan works.";
    let lines = [
        serde_json::json!({
            "text": text,
            "tokens": [
                {"text": "Ann", "start": 0, "end": 3, "id": 0, "ws": true},
                {"text": "said", "start": 4, "end": 8, "id": 1, "ws": true},
                {"text": "the", "start": 9, "end": 12, "id": 2, "ws": true},
                {"text": "plan", "start": 13, "end": 17, "id": 3, "ws": true},
                {"text": "works", "start": 18, "end": 23, "id": 4, "ws": false},
                {"text": ".", "start": 23, "end": 24, "id": 5, "ws": false}
            ],
            "spans": [
                {"start": 0, "end": 3, "token_start": 0, "token_end": 0, "label": "Speaker"},
                {"start": 9, "end": 23, "token_start": 2, "token_end": 4, "label": "Claim"}
            ],
            "relations": [{
                "head": 4, "child": 0, "label": "said_by",
                "head_span": {"start": 9, "end": 23, "token_start": 2, "token_end": 4, "label": "Claim"},
                "child_span": {"start": 0, "end": 3, "token_start": 0, "token_end": 0, "label": "Speaker"}
            }],
            "answer": "accept"
        }),
        // Relations by token index alone.
        serde_json::json!({
            "text": text,
            "spans": [
                {"start": 0, "end": 3, "token_start": 0, "token_end": 0, "label": "Speaker"},
                {"start": 9, "end": 23, "token_start": 2, "token_end": 4, "label": "Claim"}
            ],
            "relations": [{"head": 3, "child": 0, "label": "said_by"}]
        }),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, body).unwrap();
    let (p, skipped, _) = import(Format::Jsonl, &path);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(p.documents.len(), 2);
    for doc in &p.documents {
        assert_eq!(doc.spans.len(), 2);
        let want = BTreeSet::from([(
            (9, 23, "Claim".to_string()),
            "said_by".to_string(),
            (0, 3, "Speaker".to_string()),
        )]);
        assert_eq!(relations(doc), want);
    }
}

#[test]
fn prodigy_relation_outside_any_span_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prodigy.jsonl");
    let line = serde_json::json!({
        "text": "Ann said so.",
        "spans": [{"start": 0, "end": 3, "token_start": 0, "token_end": 0, "label": "Speaker"}],
        "relations": [{"head": 2, "child": 0, "label": "said_by"}]
    });
    std::fs::write(&path, format!("{line}\n")).unwrap();
    let (p, skipped, _) = import(Format::Jsonl, &path);
    assert_eq!(p.documents[0].spans.len(), 1);
    assert!(
        skipped
            .iter()
            .any(|s| s.contains("said_by") && s.contains("no span")),
        "{skipped:?}"
    );
}

/// The sentences of a CoNLL document body: lists of token lines.
fn conll_docs(conll: &str) -> Vec<Vec<Vec<String>>> {
    conll
        .split("-DOCSTART- -X- O O\n")
        .skip(1)
        .map(|doc| {
            doc.split("\n\n")
                .map(|s| {
                    s.lines()
                        .filter(|l| !l.is_empty())
                        .map(String::from)
                        .collect::<Vec<_>>()
                })
                .filter(|s: &Vec<String>| !s.is_empty())
                .collect()
        })
        .collect()
}

#[test]
fn conll_uses_the_conll_2003_separator_and_writes_one_file_per_label() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("data.conll");
    let mut options = ExportOptions::new(Format::Conll);
    options.per_label = true;
    let s = run(&fixture(), &options, &out);
    let main = std::fs::read_to_string(&out).unwrap();
    assert!(main.starts_with("-DOCSTART- -X- O O\n\n"), "{main}");
    assert_eq!(conll_docs(&main).len(), 2);
    for label in ["Speaker", "Claim", "Stance"] {
        let file = dir.path().join(format!("data.{label}.conll"));
        assert!(s.files.contains(&file), "{:?}", s.files);
        let body = std::fs::read_to_string(&file).unwrap();
        let docs = conll_docs(&body);
        assert_eq!(docs.len(), 2);
        let mut b_tags = 0;
        for line in docs.iter().flatten().flatten() {
            let cols: Vec<&str> = line.split(' ').collect();
            assert_eq!(cols.len(), 4, "{line:?}");
            assert_eq!(&cols[1..3], ["-X-", "O"]);
            assert!(
                cols[3] == "O" || cols[3].ends_with(&format!("-{label}")),
                "{line}"
            );
            b_tags += usize::from(cols[3].starts_with("B-"));
        }
        assert_eq!(b_tags, s.spans_per_label.get(label).copied().unwrap_or(0));
    }
    // An existing per-label file is not replaced without --force.
    std::fs::remove_file(&out).unwrap();
    let again = export(&fixture(), &options, &out, None, &mut |_, _| {});
    assert!(again.is_err());
}

#[test]
fn conll_never_ends_a_sentence_inside_a_span_and_says_so() {
    let text = "Ann said the plan. It works. Bo agreed.";
    let (a, _) = common::find_chars(text, "the plan", 0);
    let (_, b) = common::find_chars(text, "It works", 0);
    let p = one_span(text, a, b, "Claim");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.conll");
    let s = run(&p, &ExportOptions::new(Format::Conll), &out);
    let docs = conll_docs(&std::fs::read_to_string(&out).unwrap());
    let sentences = &docs[0];
    assert_eq!(sentences.len(), 2, "{sentences:?}");
    for sentence in sentences {
        let claim_col: Vec<&str> = sentence
            .iter()
            .map(|l| l.split('\t').nth(2).unwrap())
            .collect();
        assert!(!claim_col[0].starts_with("I-"), "{sentence:?}");
    }
    assert!(
        s.notes
            .iter()
            .any(|n| n.starts_with("1 sentence break(s) fell inside a span")),
        "{:?}",
        s.notes
    );
}

#[test]
fn conll_summary_counts_each_span_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.conll");
    let mut p = fixture();
    // A second Claim nested in the first: CoNLL cannot tag it.
    let text = p.documents[1].text.as_str().to_string();
    let id = p.new_span_id();
    let (a, b) = common::find_chars(&text, "plan", 0);
    Edit::AddSpan {
        doc: 1,
        span: Span::manual(id, a, b, "Claim", "ana"),
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap();
    let s = run(&p, &ExportOptions::new(Format::Conll), &out);
    let conll = std::fs::read_to_string(&out).unwrap();
    let tags = conll.matches("\tB-").count();
    assert_eq!(s.spans_per_label.values().sum::<usize>(), tags);
    assert_eq!(s.spans_per_label["Claim"], 2, "{s}");
    assert!(
        s.skipped.contains(
            &"1 Claim span(s) nested in or overlapping another Claim span (CoNLL has one tag per token and label)"
                .to_string()
        ),
        "{:?}",
        s.skipped
    );
    assert_eq!(s.relations, 0, "CoNLL writes no relations");
    assert!(
        s.skipped
            .iter()
            .any(|l| l.ends_with("relation(s) (conll has no relations)")),
        "{:?}",
        s.skipped
    );
}

#[test]
fn brat_writes_review_state_origin_empty_values_and_escaped_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brat");
    run(&fixture(), &all_states(Format::Brat), &out);
    let ann = std::fs::read_to_string(out.join("emoji.ann")).unwrap();
    assert!(ann.contains("\tstatus T4 suggested\n"), "{ann}");
    assert!(ann.contains("\torigin: rule:speaker.name\n"), "{ann}");
    assert!(ann.contains("\tconfidence: 0.7\n"), "{ann}");
    assert!(ann.contains("\tentity: \n"), "{ann}");
    assert!(
        ann.contains("\tcue: said\\nover two lines \\\\ with a backslash\n"),
        "{ann}"
    );
    let conf = std::fs::read_to_string(out.join("annotation.conf")).unwrap();
    assert!(
        conf.contains("status\tArg:Speaker|Claim|Stance, Value:accepted|suggested|rejected"),
        "{conf}"
    );
}

#[test]
fn brat_import_counts_fragmented_spans() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Ann said\nthe plan works.").unwrap();
    std::fs::write(
        dir.path().join("a.ann"),
        "T1\tClaim 4 8;9 17\tsaid the plan\nT2\tSpeaker 0 3\tAnn\n",
    )
    .unwrap();
    let (p, skipped, notices) = import(Format::Brat, dir.path());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(p.documents[0].spans.len(), 2);
    assert!(
        notices
            .iter()
            .any(|n| n.starts_with("1 fragmented span(s)")),
        "{notices:?}"
    );
}

#[test]
fn csv_for_excel_says_how_many_cells_it_neutralised() {
    let p = one_span("=SUM(A1) said Ann.", 0, 8, "Claim");
    let dir = tempfile::tempdir().unwrap();
    let mut options = ExportOptions::new(Format::Csv);
    options.csv_bom = true;
    let s = run(&p, &options, &dir.path().join("a.csv"));
    assert!(
        s.notes
            .iter()
            .any(|n| n.starts_with("1 cell(s) starting with =")),
        "{:?}",
        s.notes
    );
    options.csv_raw = true;
    let s = run(&p, &options, &dir.path().join("b.csv"));
    assert!(
        !s.notes.iter().any(|n| n.contains("cell(s)")),
        "{:?}",
        s.notes
    );
}

#[test]
fn csv_counts_spans_and_attributes_it_has_no_place_for() {
    let dir = tempfile::tempdir().unwrap();
    let p = fixture();
    let s = run(
        &p,
        &ExportOptions::new(Format::Csv),
        &dir.path().join("a.csv"),
    );
    // The sample's Speaker and the emoji document's Speaker are speakers of
    // rows; nothing else is left out among accepted spans, but the Claim's
    // cue has a column and the metadata has none.
    assert!(
        s.skipped
            .contains(&"the metadata of 1 document(s) (csv has no place for it)".to_string()),
        "{:?}",
        s.skipped
    );
    let rows = csv::Reader::from_path(dir.path().join("a.csv"))
        .unwrap()
        .records()
        .count();
    let row_spans = s.spans_per_label.get("Claim").copied().unwrap_or(0)
        + s.spans_per_label.get("Stance").copied().unwrap_or(0);
    assert_eq!(rows, row_spans);
}

#[test]
fn conll_sentences_do_not_break_after_initials() {
    let text = "Rep. G.K. Butterfield said the plan works. Bo agreed.";
    let (a, b) = common::find_chars(text, "G.K. Butterfield", 0);
    let p = one_span(text, a, b, "Speaker");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.conll");
    let s = run(&p, &ExportOptions::new(Format::Conll), &out);
    let docs = conll_docs(&std::fs::read_to_string(&out).unwrap());
    let words = |sentence: &Vec<String>| {
        sentence
            .iter()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let sentences: Vec<String> = docs[0].iter().map(words).collect();
    assert_eq!(sentences.len(), 2, "{sentences:?}");
    assert!(sentences[0].starts_with("Rep"), "{sentences:?}");
    assert!(sentences[0].contains("Butterfield said"), "{sentences:?}");
    // Not joined because of the span: there was no break to drop.
    assert!(
        !s.notes.iter().any(|n| n.contains("sentence break")),
        "{:?}",
        s.notes
    );
}

#[test]
fn the_command_line_takes_per_label_and_no_overlap_for_their_formats_only() {
    use common::cli::{sayso, stderr, stdout};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/putin-gaza.sayso");
    std::fs::copy(&src, d.join("p.sayso")).unwrap();
    let ok = |args: &[&str]| {
        let out = sayso(args, d);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let said = ok(&[
        "export",
        "p.sayso",
        "--format",
        "conll",
        "--per-label",
        "--out",
        "c.conll",
    ]);
    for label in ["Speaker", "Claim", "Stance"] {
        let file = format!("c.{label}.conll");
        assert!(said.contains(&file), "{said}");
        let body = std::fs::read_to_string(d.join(&file)).unwrap();
        assert!(body.starts_with("-DOCSTART- -X- O O\n"), "{body}");
    }
    let said = ok(&[
        "export",
        "p.sayso",
        "--format",
        "doccano",
        "--no-overlap",
        "--out",
        "d.jsonl",
    ]);
    assert!(!said.contains("Allow overlapping"), "{said}");
    for (flag, format) in [("--per-label", "doccano"), ("--no-overlap", "conll")] {
        let out = sayso(
            &["export", "p.sayso", "--format", format, flag, "--out", "x"],
            d,
        );
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains(&format!("{flag} is for --format")),
            "{}",
            stderr(&out)
        );
    }
}
