//! Importing foreign brat corpora: mapping files (`--map`), event lines,
//! dropped labels, fragmented spans, and annotation files kept apart from
//! the texts with one file per annotator (`--ann-dir`). The texts are our
//! own, written for these tests.

mod common;

use std::path::{Path, PathBuf};

use sayso::io::annotated::{self, Read, ReadOptions};
use sayso::io::formats::Format;
use sayso::io::mapping::{Mapping, MappingError};
use sayso::model::{Document, Project};

const TEXT: &str = "Dana Cole said that the port would reopen in May. \
The plan is late, officials warned. Read more below.";

fn polnear() -> Mapping {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/mappings/polnear.ron");
    Mapping::load(&path).unwrap()
}

/// A brat `T` line for the `nth` occurrence of `needle` in `text`.
fn t(id: &str, label: &str, text: &str, needle: &str, nth: usize) -> String {
    let (a, b) = common::find_chars(text, needle, nth);
    format!("{id}\t{label} {a} {b}\t{needle}\n")
}

/// The PolNeAR-like annotation of [`TEXT`]: an attribution with a source,
/// one without, a dropped span and a label nobody mapped.
fn ann() -> String {
    [
        t("T1", "Source", TEXT, "Dana Cole", 0),
        t("T2", "Cue", TEXT, "said", 0),
        t(
            "T3",
            "Content",
            TEXT,
            "that the port would reopen in May",
            0,
        ),
        t("T4", "Attribution", TEXT, "said", 0),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n".into(),
        t("T5", "Content", TEXT, "The plan is late", 0),
        t("T6", "Cue", TEXT, "warned", 0),
        t("T7", "Attribution-no-source", TEXT, "warned", 0),
        "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n".into(),
        t("T8", "Discard", TEXT, "Read more below.", 0),
        t("T9", "Mystery", TEXT, "officials", 0),
    ]
    .concat()
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, body).unwrap();
    path
}

fn read(paths: &[PathBuf], mapping: Option<Mapping>, ann_dir: Option<PathBuf>) -> Read {
    annotated::read_with(
        Format::Brat,
        paths,
        &ReadOptions {
            mapping,
            ann_dir,
            ..ReadOptions::default()
        },
    )
}

fn import(read: Read) -> (Project, Vec<String>) {
    let mut p = Project::default();
    let plan = annotated::plan(&mut p, read.sources, read.skipped);
    let skipped = plan.skipped.iter().map(|s| s.to_string()).collect();
    plan.edit.apply(&mut p).unwrap();
    (p, skipped)
}

fn span_text<'a>(doc: &'a Document, label: &str) -> Vec<&'a str> {
    doc.spans
        .iter()
        .filter(|s| s.label == label)
        .map(|s| doc.span_text(s))
        .collect()
}

#[test]
fn events_become_links_and_cues_through_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    write(dir.path(), "a.ann", &ann());
    let r = read(&[dir.path().to_path_buf()], Some(polnear()), None);
    let notices = r.notices.join("\n");
    assert!(
        notices.contains("dropped as the mapping says")
            && notices.contains("\"Cue\" 2")
            && notices.contains("\"Discard\" 1"),
        "{notices}"
    );
    assert!(
        notices.contains("labels the mapping does not name: \"Mystery\" 1"),
        "{notices}"
    );
    let (p, skipped) = import(r);
    assert!(skipped.is_empty(), "{skipped:?}");
    let doc = &p.documents[0];
    assert_eq!(span_text(doc, "Speaker"), ["Dana Cole"]);
    assert_eq!(
        span_text(doc, "Claim"),
        ["that the port would reopen in May", "The plan is late"]
    );
    assert_eq!(
        doc.spans.len(),
        3,
        "Cue, triggers, Discard, Mystery dropped"
    );
    let speaker = doc.spans.iter().find(|s| s.label == "Speaker").unwrap();
    assert_eq!(speaker.attrs["entity"], "Dana Cole");
    let claims: Vec<_> = doc.spans.iter().filter(|s| s.label == "Claim").collect();
    assert_eq!(claims[0].attrs["cue"], "said");
    assert_eq!(claims[1].attrs["cue"], "warned");
    assert!(!claims[0].attrs.contains_key("mode"));
    assert_eq!(
        doc.relations.len(),
        1,
        "the event without a Source links nothing"
    );
    let rel = &doc.relations[0];
    assert_eq!(
        (rel.from, rel.kind.as_str(), rel.to),
        (claims[0].id, "said_by", speaker.id)
    );
}

#[test]
fn fragmented_spans_are_joined_and_counted_with_and_without_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    let (a, _) = common::find_chars(TEXT, "that the port", 0);
    let (_, b) = common::find_chars(TEXT, "in May", 0);
    let (c, d) = common::find_chars(TEXT, " reopen ", 0);
    let body = format!(
        "T1\tSource 0 9\tDana Cole\nT3\tContent {a} {c};{d} {b}\tthat the port would in May\n\
         E1\tAttribution:T1 Content:T3 Source:T1\n"
    );
    write(dir.path(), "a.ann", &body);
    for mapping in [None, Some(polnear())] {
        let mapped = mapping.is_some();
        let r = read(&[dir.path().to_path_buf()], mapping, None);
        assert_eq!(r.fragmented, 1);
        assert!(
            r.notices
                .iter()
                .any(|n| n.starts_with("1 fragmented span(s)")),
            "{:?}",
            r.notices
        );
        let (p, skipped) = import(r);
        let doc = &p.documents[0];
        let label = if mapped { "Claim" } else { "Content" };
        let span = doc.spans.iter().find(|s| s.label == label).unwrap();
        assert_eq!((span.start, span.end), (a, b));
        if mapped {
            assert!(skipped.is_empty(), "{skipped:?}");
            assert_eq!(doc.relations.len(), 1);
        } else {
            // Without a mapping, today's behaviour: event lines are not read.
            assert_eq!(skipped.len(), 1, "{skipped:?}");
            assert!(skipped[0].contains("a.ann:3"), "{skipped:?}");
            assert!(doc.relations.is_empty());
        }
    }
}

#[test]
fn relation_lines_repeated_roles_attributes_and_fixed_values() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", TEXT);
    let body = [
        t("T1", "Who", TEXT, "Dana Cole", 0),
        t("T2", "What", TEXT, "that the port would reopen in May", 0),
        t("T3", "What", TEXT, "The plan is late", 0),
        t("T4", "Who", TEXT, "officials", 0),
        t("T5", "Verb", TEXT, "said", 0),
        "E1\tSay:T5 What:T2 What2:T3 Verb:T5 Who:T1\n".into(),
        "R1\tBy Arg1:T3 Arg2:T4\n".into(),
        "R2\tNear Arg1:T1 Arg2:T4\n".into(),
        "A1\tSure T2\n".into(),
        "#1\tAnnotatorNotes T1\tentity: Dana R. Cole\n".into(),
    ]
    .concat();
    write(dir.path(), "a.ann", &body);
    let mapping = Mapping::parse(
        r#"(
            labels: {"Who": "Speaker", "What": "Claim"},
            drop: ["Verb"],
            events: [(trigger: "Say", from_role: "What", to_role: "Who", relation: "said_by",
                      attrs: {"cue": RoleText("Verb"), "mode": Value("indirect")})],
            relations: {"By": "said_by"},
            attributes: {"Sure": "certain"},
            text_attributes: {"Speaker": "entity"},
        )"#,
        "m.ron",
    )
    .unwrap();
    let r = read(&[dir.path().to_path_buf()], Some(mapping), None);
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("relation(s) of types the mapping does not name: \"Near\" 1")),
        "{:?}",
        r.notices
    );
    let (p, skipped) = import(r);
    assert!(skipped.is_empty(), "{skipped:?}");
    let doc = &p.documents[0];
    let id = |text: &str| doc.spans.iter().find(|s| doc.span_text(s) == text).unwrap();
    let (dana, officials) = (id("Dana Cole"), id("officials"));
    let (c1, c2) = (
        id("that the port would reopen in May"),
        id("The plan is late"),
    );
    assert_eq!(
        dana.attrs["entity"], "Dana R. Cole",
        "a note wins over the text"
    );
    assert_eq!(officials.attrs["entity"], "officials");
    assert_eq!(c1.attrs["certain"], "true");
    for c in [c1, c2] {
        assert_eq!(c.attrs["cue"], "said");
        assert_eq!(c.attrs["mode"], "indirect");
    }
    let links: Vec<_> = doc.relations.iter().map(|r| (r.from, r.to)).collect();
    assert!(links.contains(&(c1.id, dana.id)), "{links:?}");
    assert!(links.contains(&(c2.id, dana.id)), "Content2 is a Content");
    assert!(links.contains(&(c2.id, officials.id)), "the R line");
    assert_eq!(links.len(), 3);
}

#[test]
fn annotation_files_apart_from_texts_first_annotator_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("text");
    let anns = dir.path().join("attributions");
    write(&texts, "port.txt", TEXT);
    write(&texts, "port_extra.txt", "Bo Park said so.");
    write(&texts, "lonely.txt", "Nobody annotated this.");
    let one = t("T1", "Source", TEXT, "Dana Cole", 0);
    let two = t("T1", "Source", TEXT, "officials", 0);
    write(&anns, "port_zz01.ann", &one);
    write(&anns, "port_ab02.ann", &two);
    write(&anns, "port_extra_ab02.ann", "T1\tSource 0 7\tBo Park\n");
    write(&anns, "stray_ab02.ann", "");
    let r = read(
        std::slice::from_ref(&texts),
        Some(polnear()),
        Some(anns.clone()),
    );
    let notices = r.notices.join("\n");
    assert!(
        notices.contains("1 text(s) have several annotation files")
            && notices.contains("port_ab02.ann (of 2)"),
        "{notices}"
    );
    assert!(
        notices.contains("1 annotation file(s)") && notices.contains("stray_ab02.ann"),
        "{notices}"
    );
    let (p, skipped) = import(r);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].contains("lonely.txt") && skipped[0].contains("no annotation file lonely.ann"),
        "{skipped:?}"
    );
    let names: Vec<&str> = p.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["port", "port_extra"]);
    assert_eq!(span_text(&p.documents[0], "Speaker"), ["officials"]);
    assert_eq!(span_text(&p.documents[1], "Speaker"), ["Bo Park"]);
    assert!(
        p.documents[0]
            .source
            .as_deref()
            .unwrap()
            .ends_with("port_ab02.ann"),
        "{:?}",
        p.documents[0].source
    );
}

fn parse_err(src: &str) -> String {
    match Mapping::parse(src, "map.ron") {
        Err(e @ (MappingError::Syntax { .. } | MappingError::Invalid { .. })) => e.to_string(),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn bad_mapping_files_name_the_file_line_and_column() {
    let e = parse_err("(\n  labels: {\"Source\": \"Speaker\",\n  drop: [\"Cue\"],\n)");
    assert!(e.starts_with("map.ron:3:"), "{e}");
    let e = parse_err("(\n  lables: {\"Source\": \"Speaker\"},\n)");
    assert!(e.starts_with("map.ron:2:3:") && e.contains("lables"), "{e}");
    let e = parse_err("(\n  labels: {\"Cue\": \"Claim\"},\n  drop: [\"Attribution\", \"Cue\"],\n)");
    assert!(
        e.starts_with("map.ron:3:") && e.contains("both mapped") && e.contains("\"Cue\""),
        "{e}"
    );
    let e = parse_err(
        "(\n  labels: {\"Content\": \"Claim\"},\n  events: [\n    (trigger: \"Say\", from_role: \"Content\", to_role: \"Source\"),\n  ],\n)",
    );
    assert!(e.starts_with("map.ron:4:") && e.contains("relation"), "{e}");
    let e = parse_err(
        "(\n  labels: {\"Source\": \"Speaker\"},\n  text_attributes: {\"Speakr\": \"entity\"},\n)",
    );
    assert!(e.starts_with("map.ron:3:") && e.contains("Speakr"), "{e}");
    let e = parse_err(
        "(events: [(trigger: \"Say\", from_role: \"C\", attrs: {\"cue\": Text(\"x\")})])",
    );
    assert!(e.starts_with("map.ron:1:"), "{e}");
}

#[test]
fn a_missing_mapping_file_is_named() {
    let e = Mapping::load(Path::new("no/such/map.ron")).unwrap_err();
    assert!(
        e.to_string().starts_with("no/such/map.ron: cannot read"),
        "{e}"
    );
}
