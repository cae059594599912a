//! Temporary files that killed saves left are removed, and named, when the
//! project is opened, not only at its next save (issue 14).
#![cfg(target_os = "linux")]

mod common;
use common::cli::sayso;

use std::path::Path;
use std::process::Command;

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn project(dir: &Path) {
    std::fs::write(dir.join("a.txt"), "“We will win,” said Ann Lee.").unwrap();
    let out = sayso(&["new", "-o", "p.sayso", "a.txt"], dir);
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn temporaries_of_killed_saves_are_removed_and_named_when_the_project_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    project(d);
    let dead = dead_pid();
    let live = std::process::id();
    let stale = [
        format!("p.sayso.tmp{dead}.Ab3dE9xQ"),
        format!("p.sayso.bak.tmp{dead}.Zz9yY8xX"),
        format!("p.sayso.recovery.tmp{dead}.Rr5tT6yY"),
    ];
    let kept = [
        format!("p.sayso.tmp{live}.Qq1wW2eE"),
        format!("other.sayso.tmp{dead}.Ab3dE9xQ"),
    ];
    let plant = |names: &[String]| {
        for n in names {
            std::fs::write(d.join(n), "(format: 1, proj").unwrap();
        }
    };
    plant(&stale);
    plant(&kept);
    // A reader: `info` prints what it always prints, and names the files on
    // standard error.
    let out = sayso(&["info", "p.sayso"], d);
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("removed 3 temporary file(s) that interrupted saves had left"),
        "{err}"
    );
    for n in &stale {
        assert!(err.contains(n.as_str()), "{n}: {err}");
        assert!(!d.join(n).exists(), "{n}");
    }
    for n in &kept {
        assert!(d.join(n).exists(), "{n}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("p.sayso: 1 document(s)"));

    // Every command that opens a project does it: export, and the library's
    // `open` (the window's way in) returns the names.
    plant(&stale[..1]);
    let out = sayso(
        &["export", "p.sayso", "--format", "jsonl", "--out", "o.jsonl"],
        d,
    );
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(stale[0].as_str()));
    plant(&stale[1..2]);
    let opened = sayso::project::open(&d.join("p.sayso")).unwrap();
    assert_eq!(opened.removed, vec![d.join(&stale[1])]);
    assert!(opened.notice().unwrap().contains(stale[1].as_str()));
    // `load` alone only reads.
    plant(&stale[1..2]);
    sayso::project::load(&d.join("p.sayso")).unwrap();
    assert!(d.join(&stale[1]).exists());
    std::fs::remove_file(d.join(&stale[1])).unwrap();

    // A project that does not load removes nothing.
    plant(&stale[..1]);
    std::fs::write(d.join("q.sayso"), "(format: 1, proj").unwrap();
    let q_stale = format!("q.sayso.tmp{dead}.Ab3dE9xQ");
    std::fs::write(d.join(&q_stale), "x").unwrap();
    assert!(sayso::project::open(&d.join("q.sayso")).is_err());
    assert!(d.join(&q_stale).exists());
}

#[test]
fn nothing_is_removed_while_another_machine_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    project(d);
    let tmp = format!("p.sayso.tmp{}.Ab3dE9xQ", dead_pid());
    std::fs::write(d.join(&tmp), "x").unwrap();
    std::fs::write(
        d.join("p.sayso.lock"),
        "pid: 1\nhost: another-machine-entirely\nsince: 2026-01-01T00:00:00Z\n",
    )
    .unwrap();
    let opened = sayso::project::open(&d.join("p.sayso")).unwrap();
    assert!(opened.removed.is_empty());
    assert!(
        d.join(&tmp).exists(),
        "its writer may be at work over there"
    );
    std::fs::remove_file(d.join("p.sayso.lock")).unwrap();
    let opened = sayso::project::open(&d.join("p.sayso")).unwrap();
    assert_eq!(opened.removed, vec![d.join(&tmp)]);
}
