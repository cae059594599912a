//! Label Studio both ways: tasks and config out, Label Studio's JSON export
//! in, the same annotations after a round trip (the annotated sample and an
//! emoji/CJK/CRLF document), code point offsets next to emoji, and the
//! UTF-16 offsets of old Label Studio versions converted on import.

mod common;

use std::path::Path;

use common::cli::{sayso, stderr, stdout};
use common::formats::{EMOJI, annotations, export_to, import_from, mixed_project, py_slice};
use sayso::io::formats::{Format, labelstudio};
use sayso::model::ReviewState;
use serde_json::Value;

const BOTH: [ReviewState; 2] = [ReviewState::Accepted, ReviewState::Suggested];

fn tasks(path: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_array().unwrap().clone()
}

#[test]
fn round_trip_keeps_spans_attributes_states_and_relations() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tasks.json");
    let summary = export_to(&p, Format::LabelStudio, &out, &BOTH);
    assert!(dir.path().join("tasks.config.xml").is_file());
    let (back, skipped, notices) = import_from(Format::LabelStudio, &out);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back.documents.len(), p.documents.len());
    for (a, b) in p.documents.iter().zip(&back.documents) {
        assert_eq!(a.name, b.name);
        assert_eq!(
            a.text.as_str(),
            b.text.as_str(),
            "the text comes back byte for byte"
        );
        assert_eq!(a.meta, b.meta);
        assert_eq!(annotations(a, &BOTH), annotations(b, &BOTH), "{}", a.name);
    }
    // The only loss is the rejected span, which was not asked for.
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.contains("1 rejected span(s) (review state not asked for)")),
        "{:?}",
        summary.skipped
    );
}

#[test]
fn offsets_are_code_points_next_to_emoji_and_every_region_keeps_its_text() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    export_to(&p, Format::LabelStudio, &out, &BOTH);
    let tasks = tasks(&out);
    let emoji = tasks
        .iter()
        .find(|t| t["data"]["document"] == "emoji & CJK")
        .unwrap();
    assert_eq!(emoji["data"]["text"], EMOJI);
    let mut seen = 0;
    for group in ["annotations", "predictions"] {
        for r in emoji[group][0]["result"].as_array().unwrap() {
            if r["type"] != "labels" {
                continue;
            }
            let v = &r["value"];
            let (a, b) = (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(v["text"], py_slice(EMOJI, a, b));
            seen += 1;
        }
    }
    assert_eq!(seen, 6);
    // After 💩 a code point offset is one less than a UTF-16 one.
    let claim = emoji["annotations"][0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["value"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Zoë"))
        })
        .unwrap();
    assert_eq!(claim["value"]["start"], 2);
    // Suggestions are a prediction with the rule's confidence as score.
    let pred = &emoji["predictions"][0];
    assert_eq!(pred["score"], 0.7);
    assert_eq!(pred["result"][0]["score"], 0.7);
    assert_eq!(pred["model_version"], "sayso");
}

#[test]
fn regions_attributes_and_relations_have_label_studio_s_shape() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    export_to(&p, Format::LabelStudio, &out, &BOTH);
    let tasks = tasks(&out);
    let results = tasks[1]["annotations"][0]["result"].as_array().unwrap();
    let speaker = results
        .iter()
        .find(|r| r["type"] == "labels" && r["value"]["labels"][0] == "Speaker")
        .unwrap();
    assert_eq!(speaker["from_name"], "label");
    assert_eq!(speaker["to_name"], "text");
    let id = speaker["id"].clone();
    let entity = results
        .iter()
        .find(|r| r["id"] == id && r["type"] == "textarea")
        .unwrap();
    assert_eq!(entity["from_name"], "entity");
    assert_eq!(
        entity["value"]["text"][0],
        "Amélie \"Zoë\" <A&B>\r\nline two"
    );
    let mode = results.iter().find(|r| r["type"] == "choices").unwrap();
    assert_eq!(mode["from_name"], "mode");
    assert_eq!(mode["value"]["choices"][0], "indirect");
    let rel = results.iter().find(|r| r["type"] == "relation").unwrap();
    assert_eq!(rel["direction"], "right");
    assert!(rel["labels"][0] == "said_by" || rel["labels"][0] == "held_by");
    assert!(
        results
            .iter()
            .any(|r| r["type"] == "labels" && r["id"] == rel["to_id"])
    );
}

#[test]
fn the_config_declares_labels_relations_and_attributes() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    export_to(&p, Format::LabelStudio, &dir.path().join("t.json"), &BOTH);
    let config = std::fs::read_to_string(dir.path().join("t.config.xml")).unwrap();
    // Well-formed XML.
    let mut reader = quick_xml::Reader::from_str(&config);
    let mut tags = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                tags.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap())
            }
            _ => {}
        }
    }
    for tag in [
        "View",
        "Labels",
        "Label",
        "Text",
        "Relations",
        "Relation",
        "Choices",
        "TextArea",
    ] {
        assert!(tags.iter().any(|t| t == tag), "{tag} in {config}");
    }
    for part in [
        "<Label value=\"Speaker\" background=\"#2563eb\"/>",
        "<Relation value=\"said_by\"/>",
        "<Relation value=\"held_by\"/>",
        "<Text name=\"text\" value=\"$text\"/>",
        "<View visibleWhen=\"region-selected\" whenLabelValue=\"Claim\">",
        "<Choices name=\"mode\" toName=\"text\" perRegion=\"true\" choice=\"single\">",
        "<Choice value=\"mixed\"/>",
        "<TextArea name=\"entity\" toName=\"text\" perRegion=\"true\"",
        "white-space: pre-wrap",
    ] {
        assert!(config.contains(part), "{part} in {config}");
    }
}

#[test]
fn what_label_studio_cannot_hold_is_counted() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    let all = [
        ReviewState::Accepted,
        ReviewState::Suggested,
        ReviewState::Rejected,
    ];
    let summary = export_to(&p, Format::LabelStudio, &out, &all);
    let text = summary.to_string();
    assert!(
        text.contains("left out: 1 rejected span(s): Label Studio has"),
        "{text}"
    );
    // The example project's own pending suggestions: none of its relations
    // join an accepted and a suggested span, and the emoji document's don't.
    assert!(!text.contains("cannot link"), "{text}");
}

#[test]
fn an_existing_config_is_not_replaced_without_force() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.config.xml"), "mine").unwrap();
    let mut options = sayso::io::export::ExportOptions::new(Format::LabelStudio);
    let err = sayso::io::export::export(
        &p,
        &options,
        &dir.path().join("t.json"),
        None,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("t.config.xml exists already"),
        "{err}"
    );
    assert!(!dir.path().join("t.json").exists());
    options.force = true;
    sayso::io::export::export(
        &p,
        &options,
        &dir.path().join("t.json"),
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_ne!(
        std::fs::read_to_string(dir.path().join("t.config.xml")).unwrap(),
        "mine"
    );
    assert_eq!(
        labelstudio::config_path(Path::new("a/x.train.json")),
        Path::new("a/x.train.config.xml")
    );
}

/// A task as Label Studio itself exports it (project → Export → JSON): a
/// cancelled annotation first, per-region attributes, a relation drawn
/// right to left, and a prediction that repeats one region.
const LS_EXPORT: &str = r#"[{"id": 7, "data": {"text": "Putin said peace is near. 😀 Erdogan agreed.", "source": "wire"},
 "annotations": [
  {"id": 1, "was_cancelled": true, "result": []},
  {"id": 2, "completed_by": 1, "was_cancelled": false, "result": [
   {"id": "a1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
    "value": {"start": 0, "end": 5, "text": "Putin", "labels": ["Speaker"]}},
   {"id": "a1", "from_name": "entity", "to_name": "text", "type": "textarea",
    "value": {"start": 0, "end": 5, "text": ["Vladimir Putin"]}},
   {"id": "b2", "from_name": "label", "to_name": "text", "type": "labels",
    "value": {"start": 11, "end": 24, "text": "peace is near", "labels": ["Claim"]}},
   {"id": "b2", "from_name": "mode", "to_name": "text", "type": "choices",
    "value": {"start": 11, "end": 24, "text": "peace is near", "choices": ["indirect"]}},
   {"from_id": "a1", "to_id": "b2", "type": "relation", "direction": "left", "labels": ["said_by"]}
  ]}],
 "predictions": [{"model_version": "m1", "score": 0.5, "result": [
   {"id": "b2", "from_name": "label", "to_name": "text", "type": "labels",
    "value": {"start": 11, "end": 24, "text": "peace is near", "labels": ["Claim"]}},
   {"id": "c3", "from_name": "label", "to_name": "text", "type": "labels", "score": 0.5,
    "value": {"start": 28, "end": 35, "text": "Erdogan", "labels": ["Speaker"]}}
 ]}]}]"#;

#[test]
fn label_studio_s_own_export_imports_with_annotations_accepted_and_predictions_pending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::write(&path, LS_EXPORT).unwrap();
    let (p, skipped, notices) = import_from(Format::LabelStudio, &path);
    assert!(skipped.is_empty(), "{skipped:?}");
    let doc = &p.documents[0];
    assert_eq!(doc.name, "export-7");
    assert_eq!(doc.meta["source"], "wire");
    let spans: Vec<_> = doc
        .spans
        .iter()
        .map(|s| (doc.span_text(s), s.label.as_str(), s.review))
        .collect();
    assert_eq!(
        spans,
        [
            ("Putin", "Speaker", ReviewState::Accepted),
            ("peace is near", "Claim", ReviewState::Accepted),
            ("Erdogan", "Speaker", ReviewState::Suggested),
        ]
    );
    assert_eq!(doc.spans[0].attrs["entity"], "Vladimir Putin");
    assert_eq!(doc.spans[1].attrs["mode"], "indirect");
    // Drawn from the Speaker to the Claim with direction "left": Claim → Speaker.
    assert_eq!(doc.relations.len(), 1);
    assert_eq!(doc.span(doc.relations[0].from).unwrap().label, "Claim");
    assert!(
        notices
            .iter()
            .any(|n| n.contains("1 predicted region(s) that the annotation already has")),
        "{notices:?}"
    );
}

#[test]
fn utf16_offsets_of_old_label_studio_versions_are_converted() {
    // Label Studio issue #1347: "💩This is an annotation." exported with
    // start 13, end 23 for "annotation" (UTF-16 units; code points: 12, 22).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.json");
    std::fs::write(
        &path,
        r#"[{"id": 1, "data": {"text": "💩This is an annotation."}, "annotations": [{"result": [
            {"id": "x", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 13, "end": 23, "text": "annotation", "labels": ["Claim"]}}]}]}]"#,
    )
    .unwrap();
    let (p, skipped, notices) = import_from(Format::LabelStudio, &path);
    assert!(skipped.is_empty(), "{skipped:?}");
    let s = &p.documents[0].spans[0];
    assert_eq!((s.start, s.end), (12, 22));
    assert!(
        notices
            .iter()
            .any(|n| n.contains("1 region(s) had offsets in UTF-16 units")),
        "{notices:?}"
    );
}

#[test]
fn bad_input_is_reported_with_the_task_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.json");
    std::fs::write(
        &path,
        r#"[{"id": 1, "data": {"a": "x", "b": "y"}}, 3,
            {"id": 2, "data": {"text": "Fine text."}, "annotations": [{"result": [
              {"id": "r", "type": "labels", "value": {"start": "/p[1]", "end": "/p[1]", "labels": ["Claim"]}},
              {"from_id": "q", "to_id": "r", "type": "relation", "labels": []}]}]}]"#,
    )
    .unwrap();
    let (p, skipped, _) = import_from(Format::LabelStudio, &path);
    assert_eq!(p.documents.len(), 1);
    let all = skipped.join("\n");
    assert!(
        all.contains("task 1: the task's data has no \"text\" field"),
        "{all}"
    );
    assert!(
        all.contains("task 2: the task has no \"data\" object"),
        "{all}"
    );
    assert!(
        all.contains("region \"r\" has no numeric start and end"),
        "{all}"
    );
    assert!(
        all.contains("has no label; give it one in Label Studio"),
        "{all}"
    );
    std::fs::write(&path, "{not json").unwrap();
    let (_, skipped, _) = import_from(Format::LabelStudio, &path);
    assert!(
        skipped[0].contains("not JSON (line 1, column 2"),
        "{skipped:?}"
    );
}

#[test]
fn the_command_line_exports_and_imports_label_studio() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/putin-gaza.sayso");
    std::fs::copy(&src, dir.path().join("p.sayso")).unwrap();
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "labelstudio",
            "--out",
            "ls/tasks.json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("tasks.json"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("tasks.config.xml"),
        "the summary names the config too: {}",
        stdout(&out)
    );
    assert!(dir.path().join("ls/tasks.config.xml").is_file());
    let out = sayso(
        &[
            "import",
            "q.sayso",
            "ls/tasks.json",
            "--format",
            "labelstudio",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 1 document(s)"),
        "{}",
        stdout(&out)
    );
    let out = sayso(
        &["import", "q.sayso", "x.csv", "--format", "csv"],
        dir.path(),
    );
    assert!(
        stderr(&out).contains("choose jsonl, doccano, brat, labelstudio, inception"),
        "{}",
        stderr(&out)
    );
}

/// A document whose annotations Label Studio cannot all hold: a pending
/// Claim linked to an accepted Speaker, a rejected Stance linked to it, an
/// empty `entity`, a manual and a rule origin.
fn losses_project() -> sayso::model::Project {
    use sayso::model::{Document, Edit, Origin, Project, Relation, Span};
    let text = "Ann said 😀 the plan works. Bo doubts it.";
    let mut p = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("d", text)),
    }
    .apply(&mut p)
    .unwrap();
    let mut add = |needle: &str, label: &str, review: ReviewState, rule: bool| {
        let (a, b) = common::find_chars(text, needle, 0);
        let id = p.new_span_id();
        let mut span = Span::manual(id, a, b, label, "ana");
        span.review = review;
        if rule {
            span.origin = Origin::Rule {
                rule: "r1".into(),
                confidence: 0.7,
                explanation: "x".into(),
                edited: false,
            };
        }
        if label == "Speaker" {
            span.attrs.insert("entity".into(), String::new());
        }
        Edit::AddSpan {
            doc: 0,
            span,
            relations: vec![],
        }
        .apply(&mut p)
        .unwrap();
        id
    };
    let ann = add("Ann", "Speaker", ReviewState::Accepted, false);
    let claim = add("the plan works", "Claim", ReviewState::Suggested, true);
    let doubt = add("doubts it", "Stance", ReviewState::Rejected, true);
    for (from, kind) in [(claim, "said_by"), (doubt, "held_by")] {
        Edit::AddRelation {
            doc: 0,
            relation: Relation {
                from,
                kind: kind.into(),
                to: ann,
            },
        }
        .apply(&mut p)
        .unwrap();
    }
    p
}

#[test]
fn each_loss_is_counted_once_and_the_counts_are_what_the_file_holds() {
    let p = losses_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    let all = [
        ReviewState::Accepted,
        ReviewState::Suggested,
        ReviewState::Rejected,
    ];
    let summary = export_to(&p, Format::LabelStudio, &out, &all);
    let skipped = summary.skipped.join("\n");
    for line in [
        "1 rejected span(s): Label Studio has",
        "1 relation(s) of rejected spans",
        "1 relation(s) between an accepted and a pending span",
        "1 empty attribute value(s)",
        "the origin (annotator, or rule with its confidence) of 2 span(s)",
    ] {
        assert!(skipped.contains(line), "{line:?} in\n{skipped}");
    }
    assert!(summary.notes.is_empty(), "{:?}", summary.notes);
    // The counts at the top are what the file holds.
    let tasks = tasks(&out);
    let results: Vec<&Value> = ["annotations", "predictions"]
        .iter()
        .flat_map(|g| tasks[0][*g][0]["result"].as_array().into_iter().flatten())
        .collect();
    let count = |ty: &str| results.iter().filter(|r| r["type"] == ty).count();
    assert_eq!(count("labels"), 2);
    assert_eq!(summary.spans_per_label.values().sum::<usize>(), 2);
    assert_eq!(count("relation"), 0);
    assert_eq!(summary.relations, 0);
    assert_eq!(count("textarea"), 0, "no empty answer is written");
    // And what comes back is what was written.
    let (back, skipped, _) = import_from(Format::LabelStudio, &out);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(back.documents[0].spans.len(), 2);
    assert!(back.documents[0].relations.is_empty());
}
