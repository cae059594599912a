//! Messages reach users, not developers (issue 14): each says what is
//! wrong and what the user can do, and offers only what exists.

mod common;

use std::io::Write;
use std::path::Path;

use sayso::model::{Edit, EditError, Span, SpanId};
use sayso::project::{self, ProjectError};

fn sample_text() -> String {
    project::to_string(&common::sample_project())
}

/// Words written for developers that must not reach a user.
fn assert_no_developer_words(msg: &str) {
    for word in [
        "recursion_limit",
        "serde_stacker",
        "new_span_id",
        "Project::",
        "ron::",
    ] {
        assert!(!msg.contains(word), "{word:?} in: {msg}");
    }
}

#[test]
fn deep_nesting_in_a_project_file_says_the_file_is_damaged_not_how_to_tune_the_parser() {
    let full = sample_text();
    // In the metadata (any value nests there) and in the structure itself.
    let deep_meta = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let with_meta = full.replacen(
        "name: \"putin-gaza\",",
        &format!("name: \"putin-gaza\",\n      meta: {{\"a\": {deep_meta}}},"),
        1,
    );
    assert_ne!(with_meta, full);
    let deep_map = format!("{}1{}", "{\"a\": ".repeat(300), "}".repeat(300));
    let with_map = full.replacen(
        "name: \"putin-gaza\",",
        &format!("name: \"putin-gaza\",\n      meta: {{\"a\": {deep_map}}},"),
        1,
    );
    for src in [with_meta, with_map] {
        let err = project::from_str(&src, Path::new("deep.sayso")).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ProjectError::Syntax { .. }), "{msg}");
        assert_no_developer_words(&msg);
        assert!(
            msg.contains("nested more than 128 deep") && msg.contains("damaged"),
            "{msg}"
        );
    }
}

#[test]
fn a_huge_span_id_is_refused_at_load_naming_the_document_and_span() {
    let full = sample_text();
    let p = common::sample_project();
    let id = p.documents[0].spans[0].id.0;
    let huge = full.replacen(&format!("(id: {id},"), "(id: 18446744073709551615,", 1);
    assert_ne!(huge, full);
    let huge = huge
        .replace(&format!("from: {id},"), "from: 18446744073709551615,")
        .replace(&format!("to: {id})"), "to: 18446744073709551615)");
    let err = project::from_str(&huge, Path::new("big.sayso")).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ProjectError::Invalid { .. }), "{msg}");
    assert!(
        msg.contains("putin-gaza") && msg.contains("18446744073709551615"),
        "{msg}"
    );
    assert!(msg.contains("smaller unused one"), "{msg}");
    assert_no_developer_words(&msg);

    // A next_span_id that cannot be counted on from.
    let next = full.replacen(
        &format!("next_span_id: {}", p.next_span_id),
        "next_span_id: 18446744073709551615",
        1,
    );
    assert_ne!(next, full);
    let msg = project::from_str(&next, Path::new("big.sayso"))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("next_span_id") && msg.contains("largest span id"),
        "{msg}"
    );

    // The largest id allowed still loads, and the next one can be given out.
    let ok = full
        .replacen(&format!("(id: {id},"), "(id: 9007199254740991,", 1)
        .replace(&format!("from: {id},"), "from: 9007199254740991,")
        .replace(&format!("to: {id})"), "to: 9007199254740991)");
    let mut loaded = project::from_str(&ok, Path::new("ok.sayso")).unwrap();
    assert_eq!(loaded.new_span_id(), SpanId(project::MAX_SPAN_ID));
}

#[test]
fn an_edit_with_an_id_not_given_out_explains_itself_without_naming_functions() {
    let mut p = common::sample_project();
    let mut span: Span = p.documents[0].spans[0].clone();
    span.id = SpanId(p.next_span_id + 10);
    span.start += 1;
    let err = Edit::AddSpan {
        doc: 0,
        span,
        relations: vec![],
    }
    .apply(&mut p)
    .unwrap_err();
    assert!(matches!(err, EditError::UnallocatedSpan(_)));
    let msg = err.to_string();
    assert_no_developer_words(&msg);
    assert!(msg.contains("next_span_id"), "{msg}");
}

#[test]
fn a_syntax_error_offers_the_backup_only_when_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let broken = sample_text().replacen("next_span_id: ", "next_span_id: five", 1);
    std::fs::write(&path, &broken).unwrap();
    let msg = project::load(&path).unwrap_err().to_string();
    assert!(!msg.contains("p.sayso.bak"), "no backup exists: {msg}");
    assert!(msg.contains("fix it at that place"), "{msg}");

    std::fs::write(project::backup_path(&path), sample_text()).unwrap();
    let err = project::load(&path).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(&err, ProjectError::Syntax { backup: Some(b), .. } if b == &project::backup_path(&path)),
        "{msg}"
    );
    assert!(msg.contains("copy") && msg.contains("p.sayso.bak"), "{msg}");

    // Bytes that are not UTF-8 say the same.
    std::fs::remove_file(project::backup_path(&path)).unwrap();
    std::fs::write(&path, b"(format: 1,\n project: \xff)").unwrap();
    let msg = project::load(&path).unwrap_err().to_string();
    assert!(
        msg.contains("not UTF-8") && !msg.contains("p.sayso.bak"),
        "{msg}"
    );
}

/// A writer that fails with `kind` (and `raw`, an OS error number) at once.
struct Failing(std::io::ErrorKind, Option<i32>);

impl Write for Failing {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(match self.1 {
            Some(raw) => std::io::Error::from_raw_os_error(raw),
            None => std::io::Error::new(self.0, "failed"),
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failed_save_says_free_some_space_only_when_the_disk_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let p = common::sample_project();
    let save = |kind, raw| {
        project::save_with(&p, &path, |_| Failing(kind, raw))
            .unwrap_err()
            .to_string()
    };
    use std::io::ErrorKind::*;
    for (kind, raw) in [
        (StorageFull, None),
        (QuotaExceeded, None),
        (Other, Some(28)),
    ] {
        let msg = save(kind, raw);
        assert!(msg.contains("free some space"), "{kind:?}: {msg}");
        assert!(msg.contains("unchanged"), "{msg}");
    }
    for (kind, words) in [
        (PermissionDenied, "permissions"),
        (ReadOnlyFilesystem, "read-only"),
        (Other, "choose another folder"),
    ] {
        let msg = save(kind, None);
        assert!(!msg.contains("free some space"), "{kind:?}: {msg}");
        assert!(msg.contains(words), "{kind:?}: {msg}");
    }
    // A folder that does not exist is said so.
    let gone = dir.path().join("gone").join("p.sayso");
    let msg = project::save(&p, &gone).unwrap_err().to_string();
    assert!(
        !msg.contains("free some space") && msg.contains("does not exist"),
        "{msg}"
    );
}
