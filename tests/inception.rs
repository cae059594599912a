//! INCEpTION both ways: UIMA CAS XMI in a zip out, XMI (ours, or an
//! INCEpTION export with its zips inside) in; the same annotations after a
//! round trip; UTF-16 offsets next to emoji; sentences and tokens that fit
//! the spans; caps and bad input.

mod common;

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::Path;

use common::cli::{sayso, stderr, stdout};
use common::formats::{EMOJI, annotations, export_to, import_from, mixed_project};
use sayso::io::annotated::{self, ReadOptions};
use sayso::io::formats::Format;
use sayso::io::formats::inception::read::parse;
use sayso::model::{Document, Edit, Project, ReviewState};

const ALL: [ReviewState; 3] = [
    ReviewState::Accepted,
    ReviewState::Suggested,
    ReviewState::Rejected,
];

fn zip_entries(path: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(f.name().unwrap().to_string(), s);
    }
    out
}

#[test]
fn round_trip_keeps_spans_attributes_states_and_relations() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.zip");
    let summary = export_to(&p, Format::Inception, &out, &ALL);
    let entries = zip_entries(&out);
    assert!(entries.contains_key("TypeSystem.xml"));
    assert!(
        entries.contains_key("emoji & CJK.xmi"),
        "{:?}",
        entries.keys()
    );
    let (back, skipped, notices) = import_from(Format::Inception, &out);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back.documents.len(), p.documents.len());
    for a in &p.documents {
        let b = back
            .documents
            .iter()
            .find(|b| b.name == a.name)
            .expect("the same name comes back");
        assert_eq!(
            a.text.as_str(),
            b.text.as_str(),
            "CR, tabs and emoji survive XML"
        );
        assert_eq!(annotations(a, &ALL), annotations(b, &ALL), "{}", a.name);
    }
    // Metadata has no place in DocumentMetaData: counted when there is some.
    let with_meta = p.documents.iter().filter(|d| !d.meta.is_empty()).count();
    let text = summary.to_string();
    assert_eq!(text.contains("the metadata of"), with_meta > 0, "{text}");
}

/// `text[begin..end]` in UTF-16 code units.
fn utf16_slice(text: &str, begin: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[begin..end]).unwrap()
}

/// The attributes of every element of type `local` in an XMI.
fn elements(xmi: &str, local: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xmi);
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)
                if e.local_name().as_ref() == local.as_bytes() =>
            {
                out.push(
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                    .unwrap()
                                    .into_owned(),
                            )
                        })
                        .collect(),
                )
            }
            _ => {}
        }
    }
    out
}

#[test]
fn xmi_offsets_are_utf16_units_and_spans_cover_whole_tokens_of_one_sentence() {
    let p = mixed_project();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.zip");
    export_to(&p, Format::Inception, &out, &ALL);
    let xmi = &zip_entries(&out)["emoji & CJK.xmi"];
    let sofa = &elements(xmi, "Sofa")[0]["sofaString"];
    assert_eq!(sofa, EMOJI);
    let num = |m: &BTreeMap<String, String>, k: &str| m[k].parse::<usize>().unwrap();
    let spans = elements(xmi, "Sayso");
    assert_eq!(spans.len(), 7);
    let doc = &p.documents[1];
    for s in &spans {
        let text = utf16_slice(EMOJI, num(s, "begin"), num(s, "end"));
        assert!(
            doc.spans
                .iter()
                .any(|d| doc.span_text(d) == text && d.label == s["label"]),
            "{text:?}"
        );
    }
    // The Claim after 💩 starts at code point 2 but UTF-16 unit 3.
    assert!(
        spans
            .iter()
            .any(|s| s["begin"] == "3" && s["label"] == "Claim")
    );
    let tokens: Vec<(usize, usize)> = elements(xmi, "Token")
        .iter()
        .map(|t| (num(t, "begin"), num(t, "end")))
        .collect();
    let sentences: Vec<(usize, usize)> = elements(xmi, "Sentence")
        .iter()
        .map(|t| (num(t, "begin"), num(t, "end")))
        .collect();
    for s in &spans {
        let (b, e) = (num(s, "begin"), num(s, "end"));
        assert!(tokens.iter().any(|t| t.0 == b), "a token starts at {b}");
        assert!(tokens.iter().any(|t| t.1 == e), "a token ends at {e}");
        assert!(
            sentences.iter().any(|x| x.0 <= b && e <= x.1),
            "one sentence holds {b}..{e}: {sentences:?}"
        );
    }
    let relations = elements(xmi, "SaysoRelation");
    assert_eq!(relations.len(), 3);
    for r in &relations {
        let dep = spans
            .iter()
            .find(|s| s["xmi:id"] == r["Dependent"])
            .unwrap();
        assert_eq!(dep["label"], "Speaker");
        assert_eq!((&r["begin"], &r["end"]), (&dep["begin"], &dep["end"]));
    }
    let meta = &elements(xmi, "DocumentMetaData")[0];
    assert_eq!(meta["documentTitle"], "emoji & CJK");
    let ts = &zip_entries(&out)["TypeSystem.xml"];
    for part in [
        "<name>webanno.custom.Sayso</name>",
        "<name>webanno.custom.SaysoRelation</name>",
        "<name>Governor</name>",
        "<rangeTypeName>webanno.custom.Sayso</rangeTypeName>",
        "<name>polarity</name>",
        "<name>de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token</name>",
    ] {
        assert!(ts.contains(part), "{part}");
    }
}

#[test]
fn characters_xml_cannot_hold_are_replaced_and_counted() {
    let mut p = Project::default();
    Edit::AddDocument {
        at: 0,
        document: Box::new(Document::new("ctl", "Bell\u{7} rang. Form\u{c}feed.")),
    }
    .apply(&mut p)
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.zip");
    let summary = export_to(&p, Format::Inception, &out, &ALL);
    assert!(
        summary
            .to_string()
            .contains("2 character(s) that XML 1.0 cannot hold"),
        "{summary}"
    );
    let (back, skipped, _) = import_from(Format::Inception, &out);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(
        back.documents[0].text.as_str(),
        "Bell\u{FFFD} rang. Form\u{FFFD}feed."
    );
}

/// An XMI as INCEpTION writes it: its own namespaces and prefixes, a
/// CASMetadata, a NamedEntity of another layer, a relation, an annotation
/// without a label and one whose offset splits an emoji.
const INCEPTION_XMI: &str = r#"<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:tcas="http:///uima/tcas.ecore" xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmlns:type2="http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore" xmlns:type4="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmlns:type5="http:///de/tudarmstadt/ukp/dkpro/core/api/segmentation/type.ecore" xmlns:custom="http:///webanno/custom.ecore" xmlns:type="http:///de/tudarmstadt/ukp/clarin/webanno/api/type.ecore" xmi:version="2.0"><cas:NULL xmi:id="0"/><type:CASMetadata xmi:id="1" sofa="12" begin="0" end="0" projectId="3" username="admin"/><type2:DocumentMetaData xmi:id="2" sofa="12" begin="0" end="31" language="x-unspecified" documentTitle="story.txt" documentId="story.txt" isLastSegment="false"/><type5:Sentence xmi:id="3" sofa="12" begin="0" end="31"/><custom:Sayso xmi:id="20" sofa="12" begin="3" end="7" label="Speaker" entity="Anna K&#246;hler"/><custom:Sayso xmi:id="21" sofa="12" begin="15" end="30" label="Claim" mode="direct" status="suggested"/><custom:Sayso xmi:id="22" sofa="12" begin="9" end="13"/><custom:Sayso xmi:id="23" sofa="12" begin="1" end="8" label="Speaker"/><type4:NamedEntity xmi:id="30" sofa="12" begin="3" end="7" value="PER"/><custom:SaysoRelation xmi:id="40" sofa="12" begin="3" end="7" Governor="21" Dependent="20" label="said_by"/><cas:Sofa xmi:id="12" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="😀 Anna said:&#10;&#13;&quot;we &lt;won&gt; &amp; go&quot;."/><cas:View sofa="12" members="1 2 3 20 21 22 23 30 40"/></xmi:XMI>"#;

#[test]
fn an_inception_xmi_is_read_with_its_offsets_converted() {
    let parsed = parse(INCEPTION_XMI.as_bytes(), "fallback").unwrap();
    let r = &parsed.record;
    assert_eq!(r.id.as_deref(), Some("story.txt"));
    assert_eq!(r.text, "😀 Anna said:\n\r\"we <won> & go\".");
    let spans: Vec<_> = r
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str(), s.text.as_str()))
        .collect();
    assert_eq!(
        spans,
        [
            (2, 6, "Speaker", "Anna"),
            (14, 29, "Claim", "\"we <won> & go\"")
        ]
    );
    assert_eq!(r.spans[0].attrs["entity"], "Anna Köhler");
    assert_eq!(r.spans[1].status.as_deref(), Some("suggested"));
    assert_eq!(r.relations.len(), 1);
    assert_eq!(
        (r.relations[0].from.as_str(), r.relations[0].to.as_str()),
        ("21", "20")
    );
    let bad = parsed.bad.join("\n");
    assert!(
        bad.contains("annotation 22 of the Sayso layer has no label"),
        "{bad}"
    );
    assert!(
        bad.contains("annotation 23: begin 1 (UTF-16) falls inside a character"),
        "{bad}"
    );
    assert_eq!(
        parsed
            .other
            .get("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"),
        Some(&1)
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn an_inception_project_export_with_zips_inside_imports() {
    let inner = zip_of(&[
        ("admin.xmi", INCEPTION_XMI.as_bytes()),
        ("TypeSystem.xml", b"<typeSystemDescription/>"),
    ]);
    let outer = zip_of(&[
        ("exportedproject1.json", b"{}"),
        ("annotation/story.txt/webanno1export.zip", &inner),
        ("curation/story.txt/webanno2export.zip", &inner),
        ("source/story.txt", b"text"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.zip");
    std::fs::write(&path, outer).unwrap();
    let (p, skipped, notices) = import_from(Format::Inception, &path);
    assert_eq!(p.documents.len(), 2);
    assert_eq!(p.documents[0].name, "story.txt");
    assert_eq!(p.documents[1].name, "story.txt-2");
    assert_eq!(p.documents[0].spans.len(), 2);
    assert_eq!(p.documents[0].relations.len(), 1);
    assert!(
        skipped
            .iter()
            .any(|s| s.contains("project.zip:annotation/story.txt/webanno1export.zip:admin.xmi")),
        "{skipped:?}"
    );
    let notices = notices.join("\n");
    assert!(notices.contains("2 annotation(s) of the layer de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity were not read"), "{notices}");
    assert!(
        notices.contains("1 document(s) came more than once"),
        "{notices}"
    );
}

#[test]
fn a_zip_that_inflates_past_the_cap_is_refused() {
    let big = vec![b' '; 2 * 1024 * 1024];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    std::fs::write(&path, zip_of(&[("a.xmi", &big)])).unwrap();
    let options = ReadOptions {
        max_unzipped_mb: Some(1),
        ..ReadOptions::default()
    };
    let read = annotated::read_with(Format::Inception, &[path], &options);
    assert!(read.sources.is_empty());
    assert!(
        read.skipped[0]
            .reason
            .contains("inflates to more than the cap (1 MB"),
        "{:?}",
        read.skipped
    );
}

#[test]
fn broken_xml_and_folders_are_reported_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.xmi"), INCEPTION_XMI).unwrap();
    std::fs::write(dir.path().join("b.xmi"), "<xmi:XMI><unclosed").unwrap();
    std::fs::write(
        dir.path().join("c.xmi"),
        "<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\"/>",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let (p, skipped, _) = import_from(Format::Inception, dir.path());
    assert_eq!(p.documents.len(), 1);
    let all = skipped.join("\n");
    assert!(all.contains("b.xmi: not well-formed XML"), "{all}");
    assert!(all.contains("c.xmi: no XMI content"), "{all}");
    let empty = tempfile::tempdir().unwrap();
    let (_, skipped, _) = import_from(Format::Inception, empty.path());
    assert!(
        skipped[0].contains("the folder has no .xmi or .zip files"),
        "{skipped:?}"
    );
}

#[test]
fn the_command_line_exports_and_imports_inception() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/putin-gaza.sayso");
    std::fs::copy(&src, dir.path().join("p.sayso")).unwrap();
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "inception",
            "--out",
            "p.zip",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sayso(
        &["import", "q.sayso", "p.zip", "--format", "inception"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 1 document(s)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn origins_confidences_annotators_and_empty_values_come_back() {
    use sayso::model::Origin;
    let mut p = mixed_project();
    // An empty entity on the emoji document's first Speaker.
    let doc = &p.documents[1];
    let speaker = doc.spans.iter().find(|s| s.label == "Speaker").unwrap().id;
    Edit::SetAttr {
        doc: 1,
        id: speaker,
        key: "entity".into(),
        value: Some(String::new()),
    }
    .apply(&mut p)
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.zip");
    export_to(&p, Format::Inception, &out, &ALL);
    let ts = &zip_entries(&out)["TypeSystem.xml"];
    assert!(ts.contains("<name>annotator</name>"), "{ts}");
    let (back, skipped, _) = import_from(Format::Inception, &out);
    assert!(skipped.is_empty(), "{skipped:?}");
    let describe = |o: &Origin| match o {
        Origin::Manual { annotator } => format!("manual {annotator}"),
        Origin::Rule {
            rule, confidence, ..
        } => format!("rule {rule} {confidence}"),
        Origin::Import { .. } => "import".into(),
        other => format!("{other:?}"),
    };
    let all = |d: &Document| {
        d.spans
            .iter()
            .map(|s| {
                (
                    (s.start, s.end, s.label.clone()),
                    format!("{:?}", s.attrs),
                    describe(&s.origin),
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
    };
    let mut origins = std::collections::BTreeSet::new();
    for a in &p.documents {
        let b = back.documents.iter().find(|b| b.name == a.name).unwrap();
        assert_eq!(all(a), all(b), "{}", a.name);
        origins.extend(all(b).into_iter().map(|x| x.2));
    }
    assert!(origins.contains("manual ana"), "{origins:?}");
    assert!(origins.contains("rule r1 0.7"), "{origins:?}");
    let emoji = back
        .documents
        .iter()
        .find(|d| d.name == "emoji & CJK")
        .unwrap();
    assert!(
        emoji
            .spans
            .iter()
            .any(|s| s.attrs.get("entity").is_some_and(String::is_empty)),
        "the empty entity comes back"
    );
}
