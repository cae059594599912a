//! File → Export… offers every format and each format's own choices
//! (issue 11): Label Studio's tasks with their config, INCEpTION's zip,
//! doccano without overlaps, CoNLL per label, CSV for Excel with formula
//! cells kept raw. Headless (egui_kittest), the save dialog scripted.

#![cfg(feature = "gui")]

mod common;

use std::io::Read as _;
use std::path::Path;

use common::formats::mixed_project;
use common::gui::{Fixture, fixture};
use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

/// Picks `format` (its text in the list) from the Format list.
fn choose_format(f: &mut Fixture, format: &str) {
    f.harness
        .get_by_role_and_label(Role::ComboBox, "Format")
        .click();
    f.settle();
    f.harness.get_by_label(format).click();
    f.settle();
}

/// Exports to `out` with the window's current choices; returns the
/// summary the window shows.
fn export_to(f: &mut Fixture, out: &Path) -> String {
    f.dialogs.answer_save(out);
    f.harness.get_by_label("Export…").click();
    f.settle();
    let (text, error) = f.app().export.outcome.clone().expect("an outcome");
    assert!(!error, "{text}");
    text
}

#[test]
fn the_export_window_offers_label_studio_and_inception_and_each_format_s_options() {
    let mut f = fixture(mixed_project(), None);
    f.key_mod(Modifiers::COMMAND, Key::E);
    assert!(f.app().export.open);
    let dir = f.dir.path().to_path_buf();

    choose_format(&mut f, "Label Studio tasks and labelling config");
    let summary = export_to(&mut f, &dir.join("tasks.json"));
    assert!(summary.contains("tasks.config.xml"), "{summary}");
    let config = std::fs::read_to_string(dir.join("tasks.config.xml")).unwrap();
    assert!(config.contains("<Relations>"), "{config}");
    let tasks: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("tasks.json")).unwrap()).unwrap();
    assert_eq!(tasks.as_array().unwrap().len(), 2);

    choose_format(&mut f, "INCEpTION (UIMA CAS XMI zip)");
    export_to(&mut f, &dir.join("inception.zip"));
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(dir.join("inception.zip")).unwrap()).unwrap();
    let mut ts = String::new();
    zip.by_name("TypeSystem.xml")
        .unwrap()
        .read_to_string(&mut ts)
        .unwrap();
    assert!(ts.contains("webanno.custom.SaysoRelation"));

    // doccano: the overlap note, then with the inner spans left out.
    choose_format(&mut f, "doccano JSONL");
    let summary = export_to(&mut f, &dir.join("a.doccano.jsonl"));
    assert!(summary.contains("Allow overlapping spans"), "{summary}");
    f.harness
        .get_by_label("leave out the inner of overlapping spans")
        .click();
    f.settle();
    let summary = export_to(&mut f, &dir.join("b.doccano.jsonl"));
    assert!(!summary.contains("Allow overlapping spans"), "{summary}");
    assert!(
        summary.contains("inside or overlapping another span (--no-overlap)"),
        "{summary}"
    );

    choose_format(&mut f, "CoNLL (IOB2, a column per label)");
    f.harness.get_by_label("also one file per label").click();
    f.settle();
    export_to(&mut f, &dir.join("c.conll"));
    for label in ["Speaker", "Claim", "Stance"] {
        let body = std::fs::read_to_string(dir.join(format!("c.{label}.conll"))).unwrap();
        assert!(body.starts_with("-DOCSTART- -X- O O\n"), "{label}");
    }

    // CSV: the formula option shows with the byte order mark only.
    choose_format(&mut f, "CSV table of claims and stances");
    assert!(
        f.harness
            .query_by_label("keep formula-like cells as they are")
            .is_none()
    );
    f.harness
        .get_by_label("start with a UTF-8 byte order mark")
        .click();
    f.settle();
    f.harness
        .get_by_label("keep formula-like cells as they are")
        .click();
    f.settle();
    let request = f.app().export.request(&f.app().project).unwrap();
    assert!(request.options.csv_bom && request.options.csv_raw);
    export_to(&mut f, &dir.join("t.csv"));
    let bytes = std::fs::read(dir.join("t.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
}
