//! The `.sayso` file: round trips, stable bytes, atomic saves, and clear
//! errors on broken files.

mod common;

use std::io::Write;

use sayso::model::{Document, Edit, Project};
use sayso::project::{self, ProjectError, backup_path};

#[test]
fn save_then_load_gives_the_same_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let p = common::sample_project();
    project::save(&p, &path).unwrap();
    let back = project::load(&path).unwrap();
    assert_eq!(back, p);
}

#[test]
fn two_saves_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sayso"), dir.path().join("b.sayso"));
    let p = common::sample_project();
    project::save(&p, &a).unwrap();
    let reloaded = project::load(&a).unwrap();
    project::save(&reloaded, &b).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn text_is_written_readably_line_by_line() {
    let text = project::to_string(&common::sample_project());
    assert!(text.contains("\n\nRussian President Vladimir Putin has raised alarms"));
    assert!(
        text.contains("United States’ Middle East policy"),
        "non-ASCII stays as it is"
    );
}

#[test]
fn saving_keeps_the_previous_version_as_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let mut p = common::sample_project();
    project::save(&p, &path).unwrap();
    let first = std::fs::read(&path).unwrap();
    Edit::SetDocStatus {
        doc: 0,
        status: sayso::model::DocStatus::Done,
    }
    .apply(&mut p)
    .unwrap();
    project::save(&p, &path).unwrap();
    assert_eq!(std::fs::read(backup_path(&path)).unwrap(), first);
    assert_eq!(project::load(&path).unwrap(), p);
}

/// A writer that fails like a full disk after `budget` bytes.
struct FullDisk<W> {
    inner: W,
    budget: usize,
}

impl<W: Write> Write for FullDisk<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.budget == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[test]
fn a_failure_halfway_through_a_save_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let mut p = common::sample_project();
    project::save(&p, &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    Edit::SetDocStatus {
        doc: 0,
        status: sayso::model::DocStatus::Done,
    }
    .apply(&mut p)
    .unwrap();
    let err = project::save_with(&p, &path, |f| FullDisk {
        inner: f,
        budget: 1000,
    })
    .unwrap_err();
    assert!(matches!(err, ProjectError::Write { .. }));
    assert!(err.to_string().contains("unchanged"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("p.sayso")],
        "no temporary file left behind"
    );
}

#[test]
fn a_crash_that_left_a_temporary_file_does_not_break_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let p = common::sample_project();
    project::save(&p, &path).unwrap();
    // A crash mid-write leaves a partial temporary file; the project stays.
    let tmp = dir
        .path()
        .join(format!("p.sayso.tmp{}", std::process::id()));
    std::fs::write(&tmp, b"(format: 1, proj").unwrap();
    assert_eq!(project::load(&path).unwrap(), p);
    project::save(&p, &path).unwrap();
    assert!(!tmp.exists());
    assert_eq!(project::load(&path).unwrap(), p);
}

fn load_str(src: &str) -> Result<Project, ProjectError> {
    project::from_str(src, std::path::Path::new("broken.sayso"))
}

#[test]
fn a_truncated_file_names_file_line_and_column() {
    let full = project::to_string(&common::sample_project());
    let cut = &full[..full.len() / 2];
    let err = load_str(cut).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, ProjectError::Syntax { line, .. } if line > 1),
        "{msg}"
    );
    assert!(msg.starts_with("broken.sayso:"), "{msg}");
}

#[test]
fn a_malformed_file_names_the_position_of_the_fault() {
    let full = project::to_string(&common::sample_project());
    let broken = full.replacen("next_span_id: 5", "next_span_id: five", 1);
    assert_ne!(broken, full);
    let line = broken.lines().position(|l| l.contains("five")).unwrap() + 1;
    match load_str(&broken).unwrap_err() {
        ProjectError::Syntax {
            line: l, column, ..
        } => {
            assert_eq!(l, line);
            assert!(column > 1);
        }
        e => panic!("wrong error {e}"),
    }
}

#[test]
fn a_newer_format_is_refused_with_advice() {
    let full = project::to_string(&common::sample_project());
    let newer = full.replacen("format: 1", "format: 99", 1);
    let err = load_str(&newer).unwrap_err();
    assert!(matches!(err, ProjectError::NewerFormat { found: 99, .. }));
    assert!(err.to_string().contains("Update Sayso"));
}

#[test]
fn unknown_fields_are_ignored() {
    let full = project::to_string(&common::sample_project());
    let extra = full.replacen(
        "  project: (\n",
        "  project: (\n    plugin_data: {\"x\": [1, 2]},\n",
        1,
    );
    assert_ne!(extra, full);
    assert_eq!(load_str(&extra).unwrap(), load_str(&full).unwrap());
}

#[test]
fn spans_outside_the_text_are_refused_naming_document_and_span() {
    let p = common::sample_project();
    let span = &p.documents[0].spans[0];
    let full = project::to_string(&p);
    let bad = full.replacen(&format!("end: {},", span.end), "end: 999999,", 1);
    let err = load_str(&bad).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ProjectError::Invalid { .. }), "{msg}");
    assert!(
        msg.contains("putin-gaza") && msg.contains(&span.id.to_string()),
        "{msg}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bin.sayso");
    std::fs::write(&path, b"(format: 1,\n project: \xff\xfe)").unwrap();
    let err = project::load(&path).unwrap_err();
    assert!(
        matches!(
            err,
            ProjectError::Syntax {
                line: 2,
                column: 11,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn document_metadata_survives_a_round_trip() {
    let mut p = Project::default();
    let mut d = Document::new("d", "Some text.");
    d.meta.insert("source".into(), serde_json::json!("Reuters"));
    d.meta.insert(
        "tags".into(),
        serde_json::json!(["a", 1, null, {"k": true}]),
    );
    Edit::AddDocument {
        at: 0,
        document: Box::new(d),
    }
    .apply(&mut p)
    .unwrap();
    let back = load_str(&project::to_string(&p)).unwrap();
    assert_eq!(back, p);
}

/// The sample project's file with `from` replaced by `to` (once; `from`
/// must be there).
fn mutated(from: &str, to: &str) -> String {
    let full = project::to_string(&common::sample_project());
    assert!(full.contains(from), "{from:?} not in\n{full}");
    full.replacen(from, to, 1)
}

#[test]
fn values_that_are_accepted_but_invalid_are_refused_naming_document_and_span() {
    // Confidence: not a number, infinite, negative (the rule suggestion is
    // span s4 of the sample).
    for bad in ["NaN", "inf", "-inf", "-0.5", "1e999"] {
        let src = mutated("confidence: 0.8", &format!("confidence: {bad}"));
        let err = load_str(&src).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ProjectError::Invalid { .. }), "{bad}: {msg}");
        assert!(
            msg.contains("document \"putin-gaza\"")
                && msg.contains("span s4")
                && msg.contains("confidence"),
            "{bad}: {msg}"
        );
    }
    // A choice value outside its list.
    let src = mutated("\"polarity\": \"against\"", "\"polarity\": \"sideways\"");
    let msg = load_str(&src).unwrap_err().to_string();
    assert!(
        msg.contains("document \"putin-gaza\"")
            && msg.contains("span s2")
            && msg.contains("\"sideways\"")
            && msg.contains("favor, against"),
        "{msg}"
    );
    // An empty choice list, and a hotkey no key types.
    let src = mutated(r#"Choice(["favor", "against", "neutral"])"#, "Choice([])");
    let err = load_str(&src).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ProjectError::Schema { .. }), "{msg}");
    assert!(
        msg.contains("\"polarity\" of \"Stance\"") && msg.contains("without values"),
        "{msg}"
    );
    let src = mutated("hotkey: 's'", "hotkey: '\\0'");
    let msg = load_str(&src).unwrap_err().to_string();
    assert!(
        msg.contains("schema: the label \"Speaker\" has the hotkey '\\0'"),
        "{msg}"
    );
}

#[test]
fn metadata_numbers_that_cannot_be_saved_back_are_refused() {
    for bad in ["1e999", "-1e999", "inf", "NaN"] {
        let src = mutated(
            "meta: {}",
            &format!("meta: {{\"a\": 1, \"big\": [2, {bad}]}}"),
        );
        let err = load_str(&src).unwrap_err();
        let msg = err.to_string();
        let line = src.lines().position(|l| l.contains("\"big\"")).unwrap() + 1;
        assert!(
            matches!(err, ProjectError::Syntax { line: l, .. } if l == line),
            "{bad}: {msg}"
        );
        assert!(
            msg.contains("meta value \"big\"") && msg.contains("cannot be stored"),
            "{msg}"
        );
    }
    // Everything JSON holds loads and saves back exactly.
    let ok = "meta: {\"n\": -3, \"f\": 1.5, \"e\": 2.5e-7, \"u\": 18446744073709551615, \"s\": \"x\", \"b\": true, \"z\": (), \"l\": [1, \"two\", {\"k\": false}]}";
    let src = mutated("meta: {}", ok);
    let p = load_str(&src).unwrap();
    let meta = &p.documents[0].meta;
    assert_eq!(meta["u"], serde_json::json!(u64::MAX));
    assert_eq!(meta["f"], serde_json::json!(1.5));
    assert_eq!(meta["z"], serde_json::Value::Null);
    let again = load_str(&project::to_string(&p)).unwrap();
    assert_eq!(again, p);
}
