//! Exports and imports: every format writes exactly the right offsets,
//! filters and splits select what they say, and export-then-import
//! returns the same annotations for every format that carries them.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sayso::io::annotated;
use sayso::io::export::{ExportOptions, export, parse_split, select};
use sayso::io::formats::{Format, brat};
use sayso::io::record::Record;
use sayso::model::{DocStatus, Document, Edit, Origin, Project, Relation, ReviewState, Span};

/// The sample with annotations, plus a document with emoji, combining
/// marks, CJK, a CRLF-origin line break, and overlapping, nested and
/// line-crossing spans, some of them pending suggestions.
fn fixture() -> Project {
    let mut p = common::sample_project();
    let text = sayso::io::decode::decode(
        "Zoë’s “plan” 😀👩‍👩‍👧 works,\r\nsaid Ame\u{301}lie in 東京.\r\nShe doubts it.".as_bytes(),
        None,
    )
    .unwrap()
    .text;
    assert!(!text.contains('\r'));
    Edit::AddDocument {
        at: 1,
        document: Box::new(Document::new("../evil/name", text.clone())),
    }
    .apply(&mut p)
    .unwrap();
    let find = |needle: &str| common::find_chars(&text, needle, 0);
    let add = |p: &mut Project, (a, b): (usize, usize), label: &str, state: ReviewState| {
        let id = p.new_span_id();
        let mut span = Span::manual(id, a, b, label, "ana");
        span.review = state;
        if state != ReviewState::Accepted {
            span.origin = Origin::Rule {
                rule: "r1".into(),
                confidence: 0.5,
                explanation: "x".into(),
                edited: false,
            };
        }
        Edit::AddSpan {
            doc: 1,
            span,
            relations: vec![],
        }
        .apply(p)
        .unwrap();
        id
    };
    let claim = add(
        &mut p,
        (find("Zoë").0, find("works").1),
        "Claim",
        ReviewState::Accepted,
    );
    let _nested = add(&mut p, find("“plan” 😀"), "Claim", ReviewState::Accepted);
    let crossing = add(
        &mut p,
        (find("works").0, find("Ame\u{301}lie").1),
        "Stance",
        ReviewState::Accepted,
    );
    let speaker = add(
        &mut p,
        find("Ame\u{301}lie"),
        "Speaker",
        ReviewState::Accepted,
    );
    let _pending = add(&mut p, find("東京"), "Speaker", ReviewState::Suggested);
    let _rejected = add(&mut p, find("She"), "Speaker", ReviewState::Rejected);
    for (from, kind) in [(claim, "said_by"), (crossing, "held_by")] {
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
    Edit::SetAttr {
        doc: 1,
        id: speaker,
        key: "entity".into(),
        value: Some("Amélie Zoë".into()),
    }
    .apply(&mut p)
    .unwrap();
    Edit::SetAttr {
        doc: 1,
        id: crossing,
        key: "polarity".into(),
        value: Some("favor".into()),
    }
    .apply(&mut p)
    .unwrap();
    p
}

type SpanKey = (usize, usize, String);
type SpanSet = BTreeSet<(SpanKey, Vec<(String, String)>)>;
type RelationSet = BTreeSet<(SpanKey, String, SpanKey)>;

/// The annotations of a document as comparable sets: spans with
/// attributes, and relations between span keys.
fn annotations(doc: &Document, attrs: bool) -> (SpanSet, RelationSet) {
    let key = |s: &Span| (s.start, s.end, s.label.clone());
    let spans = doc
        .spans
        .iter()
        .filter(|s| s.review == ReviewState::Accepted)
        .map(|s| {
            let a = if attrs {
                s.attrs
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            } else {
                vec![]
            };
            (key(s), a)
        })
        .collect();
    let relations = doc
        .relations
        .iter()
        .map(|r| {
            (
                key(doc.span(r.from).unwrap()),
                r.kind.clone(),
                key(doc.span(r.to).unwrap()),
            )
        })
        .collect();
    (spans, relations)
}

fn export_to(p: &Project, format: Format, out: &Path) {
    let options = ExportOptions::new(format);
    export(p, &options, out, None, &mut |_, _| {}).unwrap();
}

fn import_from(format: Format, path: &Path) -> (Project, Vec<String>) {
    let mut p = Project::default();
    let (sources, skipped) = annotated::read(format, &[path.to_path_buf()]);
    let plan = annotated::plan(&mut p, sources, skipped);
    let skipped = plan.skipped.iter().map(|s| s.to_string()).collect();
    plan.edit.apply(&mut p).unwrap();
    (p, skipped)
}

fn round_trip(format: Format, out: PathBuf, attrs: bool) {
    let p = fixture();
    export_to(&p, format, &out);
    let (back, skipped) = import_from(format, &out);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(back.documents.len(), p.documents.len());
    for a in &p.documents {
        // brat imports in file name order, under safe file names: pair by text.
        let b = back
            .documents
            .iter()
            .find(|b| b.text == a.text)
            .expect("same text comes back");
        assert_eq!(
            annotations(a, attrs),
            annotations(b, attrs),
            "annotations of {}",
            a.name
        );
        // The origin comes back as the file gives it (doccano has none:
        // its spans come in as imported).
        for s in &b.spans {
            let same = a
                .spans
                .iter()
                .find(|o| (o.start, o.end, &o.label) == (s.start, s.end, &s.label))
                .expect("an exported span");
            if format == Format::Doccano {
                assert!(matches!(s.origin, Origin::Import { .. }));
            } else {
                assert_eq!(s.origin.short(), same.origin.short());
            }
        }
    }
}

#[test]
fn jsonl_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(Format::Jsonl, dir.path().join("out.jsonl"), true);
}

#[test]
fn doccano_round_trip_without_attributes() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(Format::Doccano, dir.path().join("out.jsonl"), false);
}

#[test]
fn brat_folder_and_zip_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(Format::Brat, dir.path().join("brat"), true);
    round_trip(Format::Brat, dir.path().join("brat.zip"), true);
}

#[test]
fn gold_file_imports_and_round_trips_exactly() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev/putin-gaza.gold.jsonl");
    let (p, skipped) = import_from(Format::Jsonl, &gold);
    assert!(skipped.is_empty(), "{skipped:?}");
    let doc = &p.documents[0];
    assert_eq!((doc.spans.len(), doc.relations.len()), (42, 26));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("again.jsonl");
    export_to(&p, Format::Jsonl, &out);
    let original: Record = serde_json::from_str(
        std::fs::read_to_string(&gold)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let again: Record = serde_json::from_str(
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let spans = |r: &Record| {
        r.spans
            .iter()
            .map(|s| {
                (
                    s.start,
                    s.end,
                    s.label.clone(),
                    s.text.clone(),
                    s.attrs.clone(),
                )
            })
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(spans(&original), spans(&again));
    assert_eq!(original.text, again.text);
}

fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

#[test]
fn every_exported_span_text_matches_the_document_at_its_code_point_offsets() {
    let p = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut options = ExportOptions::new(Format::Jsonl);
    options.states = vec![
        ReviewState::Accepted,
        ReviewState::Suggested,
        ReviewState::Rejected,
    ];
    let texts: Vec<String> = p
        .documents
        .iter()
        .map(|d| d.text.as_str().to_string())
        .collect();
    let total_spans: usize = p.documents.iter().map(|d| d.spans.len()).sum();

    // jsonl: text, offsets, token indices.
    let out = dir.path().join("a.jsonl");
    export(&p, &options, &out, None, &mut |_, _| {}).unwrap();
    let mut seen = 0;
    for (line, text) in std::fs::read_to_string(&out).unwrap().lines().zip(&texts) {
        let r: Record = serde_json::from_str(line).unwrap();
        for s in &r.spans {
            assert_eq!(s.text, py_slice(text, s.start, s.end));
            assert!(s.token_start.unwrap() <= s.token_end.unwrap());
            seen += 1;
        }
    }
    assert_eq!(seen, total_spans);

    // doccano.
    options.format = Format::Doccano;
    let out = dir.path().join("d.jsonl");
    export(&p, &options, &out, None, &mut |_, _| {}).unwrap();
    for (line, doc) in std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .zip(&p.documents)
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let got: BTreeSet<String> = v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                py_slice(
                    doc.text.as_str(),
                    e["start_offset"].as_u64().unwrap() as usize,
                    e["end_offset"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        let want: BTreeSet<String> = doc
            .spans
            .iter()
            .map(|s| doc.span_text(s).to_string())
            .collect();
        assert_eq!(got, want);
    }

    // brat: each fragment's text is the text at its offsets, joined by spaces.
    options.format = Format::Brat;
    let out = dir.path().join("brat");
    export(&p, &options, &out, None, &mut |_, _| {}).unwrap();
    let stems = brat::file_stems(
        &p.documents
            .iter()
            .map(|d| d.name.clone())
            .collect::<Vec<_>>(),
    );
    for (stem, text) in stems.iter().zip(&texts) {
        assert_eq!(
            &std::fs::read_to_string(out.join(format!("{stem}.txt"))).unwrap(),
            text
        );
        for line in std::fs::read_to_string(out.join(format!("{stem}.ann")))
            .unwrap()
            .lines()
        {
            if !line.starts_with('T') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let frags: Vec<String> = cols[1]
                .split_once(' ')
                .unwrap()
                .1
                .split(';')
                .map(|f| {
                    let (a, b) = f.split_once(' ').unwrap();
                    py_slice(text, a.parse().unwrap(), b.parse().unwrap())
                })
                .collect();
            assert!(frags.iter().all(|f| !f.contains('\n')), "{line}");
            assert_eq!(frags.join(" "), cols[2]);
        }
    }

    // csv: the text column is the text at start..end.
    options.format = Format::Csv;
    let out = dir.path().join("t.csv");
    export(&p, &options, &out, None, &mut |_, _| {}).unwrap();
    let mut rows = csv::Reader::from_path(&out).unwrap();
    let mut n = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let doc = &p.documents[p.document_index(&row[0]).unwrap()];
        assert_eq!(
            &row[2],
            py_slice(
                doc.text.as_str(),
                row[3].parse().unwrap(),
                row[4].parse().unwrap()
            )
        );
        if !row[5].is_empty() {
            assert_eq!(
                &row[5],
                py_slice(
                    doc.text.as_str(),
                    row[7].parse().unwrap(),
                    row[8].parse().unwrap()
                )
            );
        }
        n += 1;
    }
    let claims_and_stances = p
        .documents
        .iter()
        .flat_map(|d| &d.spans)
        .filter(|s| s.label != "Speaker")
        .count();
    assert_eq!(n, claims_and_stances);

    // conll: tokens are the document's text, and every span starts a B- tag.
    options.format = Format::Conll;
    let out = dir.path().join("t.conll");
    export(&p, &options, &out, None, &mut |_, _| {}).unwrap();
    let conll = std::fs::read_to_string(&out).unwrap();
    let docs: Vec<&str> = conll.split("-DOCSTART- -X- O O").skip(1).collect();
    assert_eq!(docs.len(), 2);
    for (body, text) in docs.iter().zip(&texts) {
        let tokens: String = body
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(tokens, squeezed);
    }
}

#[test]
fn conll_has_one_iob2_column_per_label() {
    let p = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.conll");
    let summary = export(
        &p,
        &ExportOptions::new(Format::Conll),
        &out,
        None,
        &mut |_, _| {},
    )
    .unwrap();
    let conll = std::fs::read_to_string(&out).unwrap();
    assert!(conll.starts_with("-DOCSTART- -X- O O\n\n"));
    assert!(
        conll.contains(
            "Vladimir\tB-Speaker\tO\tO\nPutin\tI-Speaker\tO\tO\nvoiced\tO\tO\tB-Stance\n"
        ),
        "{conll}"
    );
    // The nested Claim inside the first Claim cannot be expressed.
    assert!(
        summary.skipped.iter().any(|s| s.contains("nested")),
        "{:?}",
        summary.skipped
    );
}

#[test]
fn filters_select_states_labels_and_done_documents() {
    let mut p = fixture();
    let (records, skipped) = select(&p, &ExportOptions::new(Format::Jsonl));
    let states: BTreeSet<_> = records
        .iter()
        .flat_map(|r| &r.spans)
        .map(|s| s.status.clone().unwrap())
        .collect();
    assert_eq!(states, BTreeSet::from(["accepted".to_string()]));
    assert!(
        skipped.iter().any(|s| s.contains("suggested")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|s| s.contains("rejected")),
        "{skipped:?}"
    );

    let mut options = ExportOptions::new(Format::Jsonl);
    options.states = vec![ReviewState::Suggested];
    let (records, _) = select(&p, &options);
    assert_eq!(records.iter().map(|r| r.spans.len()).sum::<usize>(), 2);

    let mut options = ExportOptions::new(Format::Jsonl);
    options.labels = Some(vec!["Claim".into(), "Stance".into()]);
    let (records, skipped) = select(&p, &options);
    assert!(
        records
            .iter()
            .flat_map(|r| &r.spans)
            .all(|s| s.label != "Speaker")
    );
    assert!(
        records.iter().all(|r| r.relations.is_empty()),
        "links to left-out speakers go too"
    );
    assert!(
        skipped.iter().any(|s| s.contains("relation")),
        "{skipped:?}"
    );

    Edit::SetDocStatus {
        doc: 1,
        status: DocStatus::Done,
    }
    .apply(&mut p)
    .unwrap();
    let mut options = ExportOptions::new(Format::Jsonl);
    options.done_only = true;
    let (records, skipped) = select(&p, &options);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id.as_deref(), Some("../evil/name"));
    assert!(skipped.iter().any(|s| s.contains("not marked done")));
}

#[test]
fn splits_are_deterministic_disjoint_and_complete() {
    let mut p = Project::default();
    let docs = (0..100)
        .map(|i| Document::new(format!("d{i}"), "Text."))
        .collect();
    sayso::io::import::add_documents_edit(&p, docs)
        .apply(&mut p)
        .unwrap();
    let parts = parse_split("train=0.8,dev=0.1,test=0.1").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |seed: u64, name: &str| {
        let out = dir.path().join(name).join("data.jsonl");
        let s = export(
            &p,
            &ExportOptions::new(Format::Jsonl),
            &out,
            Some((&parts, seed)),
            &mut |_, _| {},
        )
        .unwrap();
        s.files
            .iter()
            .map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .lines()
                    .map(|l| serde_json::from_str::<Record>(l).unwrap().id.unwrap())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let a = run(7, "a");
    assert_eq!(a.iter().map(Vec::len).collect::<Vec<_>>(), [80, 10, 10]);
    assert_eq!(a, run(7, "b"), "same seed, same split");
    assert_ne!(a, run(8, "c"), "another seed, another split");
    let all: BTreeSet<_> = a.iter().flatten().collect();
    assert_eq!(all.len(), 100);
    assert!(dir.path().join("a/data.train.jsonl").exists());
    assert!(parse_split("train=0.8,dev=0.1").is_err());
    assert!(parse_split("train=0.8,test").is_err());
}

#[test]
fn brat_file_names_are_safe_and_unique() {
    let names: Vec<String> = [
        "../etc/passwd",
        "a/b",
        "A/B",
        "..",
        "annotation",
        "ok",
        ".hidden",
    ]
    .map(String::from)
    .to_vec();
    let stems = brat::file_stems(&names);
    for s in &stems {
        assert!(
            !s.contains('/') && !s.contains('\\') && !s.contains("..") && !s.starts_with('.'),
            "{s}"
        );
        assert!(!s.is_empty());
    }
    let lower: BTreeSet<_> = stems.iter().map(|s| s.to_lowercase()).collect();
    assert_eq!(lower.len(), stems.len());
    assert!(stems.contains(&"ok".to_string()));
    assert_ne!(
        stems[4], "annotation",
        "must not clash with annotation.conf's stem"
    );
}

#[test]
fn bad_input_is_reported_with_file_and_line_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"id": "a", "text": "Ann said hi.", "spans": [{"id": "1", "start": 0, "end": 3, "label": "Speaker", "text": "Ann"}, {"id": "2", "start": 9, "end": 99, "label": "Claim", "text": "hi"}, {"id": "3", "start": 4, "end": 8, "label": "Claim", "text": "SAID"}, {"id": "4", "start": 9, "end": 11, "label": "Quote", "text": "hi", "attrs": {"tone": "warm"}}], "relations": [{"type": "said_by", "from": "2", "to": "1"}, {"type": "quoted_by", "from": "4", "to": "1"}]}"#,
            "\n",
            "{not json\n",
        ),
    )
    .unwrap();
    let mut p = common::sample_project();
    let before = p.documents.clone();
    let (sources, skipped) = annotated::read(Format::Jsonl, std::slice::from_ref(&path));
    let plan = annotated::plan(&mut p, sources, skipped);
    let file = path.display().to_string();
    let skipped: Vec<String> = plan.skipped.iter().map(|s| s.to_string()).collect();
    assert!(
        skipped
            .iter()
            .any(|s| s.starts_with(&format!("{file}:1: span \"2\""))
                && s.contains("outside the text")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(
            |s| s.starts_with(&format!("{file}:1: span \"3\"")) && s.contains("does not match")
        ),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|s| s.starts_with(&format!("{file}:2:"))),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|s| s.contains("said_by") && s.contains("not imported")),
        "{skipped:?}"
    );
    assert!(
        plan.notices.iter().any(|n| n.contains("\"Quote\"")),
        "{:?}",
        plan.notices
    );
    assert!(
        plan.notices.iter().any(|n| n.contains("\"tone\"")),
        "{:?}",
        plan.notices
    );
    assert!(
        plan.notices.iter().any(|n| n.contains("\"quoted_by\"")),
        "{:?}",
        plan.notices
    );
    plan.edit.apply(&mut p).unwrap();
    assert_eq!(
        &p.documents[..1],
        &before[..],
        "nothing already in the project changed"
    );
    let added = &p.documents[1];
    assert_eq!(added.spans.len(), 2);
    assert_eq!(added.relations.len(), 1);
}
