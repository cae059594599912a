//! The `sayso` command line, run as a user runs it.

mod common;
use common::cli::{sayso, stderr, stdout};

use std::path::Path;

#[test]
fn new_then_info() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Alice said it.").unwrap();
    std::fs::create_dir(dir.path().join("more")).unwrap();
    std::fs::write(dir.path().join("more/b.txt"), "Bob denied it.").unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = sayso(
        &["new", "-o", "p.sayso", "a.txt", "more", "empty.txt"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 document(s), 1 input(s) skipped"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("skipped empty.txt: the file is empty"),
        "{}",
        stderr(&out)
    );

    let out = sayso(&["info", "p.sayso"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("p.sayso: 2 document(s): 2 to do, 0 in progress, 0 done"),
        "{text}"
    );
    for word in ["Speaker", "Claim", "Stance", "a ", "b "] {
        assert!(text.contains(word), "{word:?} missing in {text}");
    }
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Text.").unwrap();
    std::fs::write(dir.path().join("p.sayso"), "precious").unwrap();
    let out = sayso(&["new", "-o", "p.sayso", "a.txt"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("exists already"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.sayso")).unwrap(),
        "precious"
    );
    let out = sayso(&["new", "-o", "p.sayso", "--force", "a.txt"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.sayso.bak")).unwrap(),
        "precious"
    );
}

#[test]
fn new_with_nothing_readable_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"\0\0\0").unwrap();
    let out = sayso(&["new", "-o", "p.sayso", "bin.txt"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no documents"), "{}", stderr(&out));
    assert!(!dir.path().join("p.sayso").exists());
}

#[test]
fn errors_name_the_file_and_exit_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    let out = sayso(&["info", "missing.sayso"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("sayso: error: cannot read missing.sayso"),
        "{}",
        stderr(&out)
    );
    std::fs::write(dir.path().join("bad.sayso"), "(format: 1,\n  project: [").unwrap();
    let out = sayso(&["info", "bad.sayso"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.sayso:2:"), "{}", stderr(&out));
}

#[test]
fn bad_arguments_exit_with_usage_status() {
    let dir = tempfile::tempdir().unwrap();
    let out = sayso(&["new", "a.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = sayso(
        &["new", "-o", "p.sayso", "--encoding", "klingon", "a.txt"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown encoding"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_bundled_example_project_matches_the_sample_article() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = sayso::project::load(&root.join("examples/putin-gaza.sayso")).unwrap();
    let text = std::fs::read_to_string(root.join("examples/putin-gaza.txt")).unwrap();
    assert_eq!(p.documents.len(), 1);
    assert_eq!(p.documents[0].text.as_str(), text);
}
