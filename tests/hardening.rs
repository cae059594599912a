//! Hardening (issue 14), run as a user runs the commands: a reader that
//! closes the pipe early, a closed standard output, output files that are
//! the input under another name (hard link, symbolic link, the same path,
//! a redirection), exports over projects, temporary files, locks.

#![cfg(unix)]

mod common;
use common::cli::{sayso, stderr, stdout};

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `sayso ARGS` through `sh -c SCRIPT`, where the script names the
/// program `"$0"` and its arguments `"$@"` (for redirections).
fn sayso_sh(script: &str, args: &[&str], dir: &Path) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_sayso"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sh runs")
}

/// A folder with texts, a project `p.sayso` of them, and `in.jsonl`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("t{i:02}.txt")),
            format!("“We will win number {i},” said Ann Lee, the mayor."),
        )
        .unwrap();
    }
    let out = sayso(&["new", "-o", "p.sayso", "."], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let mut jsonl = String::new();
    for i in 0..40 {
        jsonl.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"“We will win {i},” said Ann Lee.\"}}\n"
        ));
    }
    std::fs::write(dir.path().join("in.jsonl"), jsonl).unwrap();
    dir
}

#[test]
fn every_printing_command_ends_quietly_when_the_reader_closes_the_pipe() {
    let dir = workspace();
    let commands: &[&[&str]] = &[
        &["info", "p.sayso"],
        &["export", "p.sayso", "--format", "jsonl", "--out", "o.jsonl"],
        &["new", "-o", "n.sayso", "t00.txt"],
        &["import", "q.sayso", "in.jsonl", "--format", "jsonl"],
        &["suggest", "p.sayso"],
        &["eval", "--gold", "p.sayso", "p.sayso"],
        &["suggest", "--jsonl", "in.jsonl", "-"],
    ];
    for args in commands {
        // The reading end is closed before the program starts, so every
        // write to standard output meets a broken pipe.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_sayso"))
            .args(*args)
            .current_dir(dir.path())
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe") && !err.contains("error"),
            "{args:?}: {err}"
        );
    }
    // The commands did their work all the same.
    assert!(dir.path().join("o.jsonl").exists() && dir.path().join("n.sayso").exists());
}

#[test]
fn suggest_jsonl_to_a_closed_standard_output_is_an_error() {
    let dir = workspace();
    let out = sayso_sh(
        r#"exec "$0" "$@" >&-"#,
        &["suggest", "--jsonl", "in.jsonl", "-"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("standard output is closed"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("document(s) written"));
    // Standard output sent to the null device on purpose is not closed.
    let out = sayso_sh(
        r#"exec "$0" "$@" >/dev/null"#,
        &["suggest", "--jsonl", "in.jsonl", "-"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // With a file for OUT, a closed standard output does not matter.
    let out = sayso_sh(
        r#"exec "$0" "$@" >&-"#,
        &["suggest", "--jsonl", "in.jsonl", "out.jsonl"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 40);
    // And a printing command's summary lands nowhere, not in a file.
    let out = sayso_sh(
        r#"exec "$0" "$@" >&-"#,
        &["export", "p.sayso", "--format", "jsonl", "--out", "e.jsonl"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e = std::fs::read_to_string(dir.path().join("e.jsonl")).unwrap();
    assert!(!e.contains("exported"), "{e}");
}

#[test]
fn suggest_jsonl_refuses_an_output_that_is_the_input_under_another_name() {
    let dir = workspace();
    let d = dir.path();
    let original = std::fs::read(d.join("in.jsonl")).unwrap();
    std::fs::hard_link(d.join("in.jsonl"), d.join("hard.jsonl")).unwrap();
    std::os::unix::fs::symlink("in.jsonl", d.join("soft.jsonl")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    for out_name in ["hard.jsonl", "soft.jsonl", "in.jsonl", "./sub/../in.jsonl"] {
        let out = sayso(&["suggest", "--jsonl", "in.jsonl", out_name], d);
        assert_eq!(out.status.code(), Some(1), "{out_name}: {}", stderr(&out));
        assert!(stderr(&out).contains("same file"), "{}", stderr(&out));
        assert_eq!(
            std::fs::read(d.join("in.jsonl")).unwrap(),
            original,
            "{out_name}"
        );
    }
    // Hard link as the input, through standard input, and standard output
    // appending to the input.
    let out = sayso_sh(
        r#"exec "$0" "$@" < in.jsonl"#,
        &["suggest", "--jsonl", "-", "hard.jsonl"],
        d,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = sayso_sh(
        r#"exec "$0" "$@" >> in.jsonl"#,
        &["suggest", "--jsonl", "hard.jsonl", "-"],
        d,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("standard output is"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(d.join("in.jsonl")).unwrap(), original);
    // A different file is fine, and so is a pipe for both.
    let out = sayso(&["suggest", "--jsonl", "hard.jsonl", "other.jsonl"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sayso_sh(
        r#"cat in.jsonl | "$0" "$@" | wc -l"#,
        &["suggest", "--jsonl", "-", "-"],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "40");
}

#[test]
fn an_export_never_writes_over_a_project() {
    let dir = workspace();
    let d = dir.path();
    let original = std::fs::read(d.join("p.sayso")).unwrap();
    std::fs::hard_link(d.join("p.sayso"), d.join("hard.jsonl")).unwrap();
    std::os::unix::fs::symlink("p.sayso", d.join("soft.csv")).unwrap();
    std::fs::hard_link(d.join("p.sayso"), d.join("parts.b.jsonl")).unwrap();
    for format in ["jsonl", "doccano", "brat", "conll", "csv"] {
        for (out_name, why) in [
            ("p.sayso", "is a Sayso project file"),
            ("other.sayso", "is a Sayso project file"),
            ("Other.SAYSO", "is a Sayso project file"),
            ("hard.jsonl", "is the project being exported"),
            ("soft.csv", "is the project being exported"),
        ] {
            let args = [
                "export", "p.sayso", "--format", format, "--out", out_name, "--force",
            ];
            let out = sayso(&args, d);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
        }
        // One part of a split that is the project.
        let args = [
            "export",
            "p.sayso",
            "--format",
            format,
            "--out",
            "parts.jsonl",
            "--split",
            "a=0.5,b=0.5",
            "--force",
        ];
        let out = sayso(&args, d);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(!d.join("parts.a.jsonl").exists(), "nothing was written");
    }
    assert_eq!(std::fs::read(d.join("p.sayso")).unwrap(), original);
    assert!(!d.join("other.sayso").exists() && !d.join("Other.SAYSO").exists());
    // Any other name works.
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "jsonl",
            "--out",
            "fine.jsonl",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn saves_write_through_exclusive_unpredictable_temporaries_and_keep_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sayso");
    let p = sayso::model::Project::default();
    // The temporary file's name, seen from inside two saves.
    let mut seen = Vec::new();
    for _ in 0..2 {
        sayso::project::save_with(&p, &path, |f| {
            seen.extend(
                names(dir.path())
                    .into_iter()
                    .filter(|n| n.starts_with("p.sayso.tmp")),
            );
            f
        })
        .unwrap();
    }
    assert_eq!(seen.len(), 2, "{seen:?}");
    let prefix = format!("p.sayso.tmp{}.", std::process::id());
    for n in &seen {
        let random = n.strip_prefix(&prefix).unwrap_or_else(|| panic!("{n}"));
        assert_eq!(random.len(), 8, "{n}");
    }
    assert_ne!(seen[0], seen[1], "names are not predictable");
    assert_eq!(names(dir.path()), ["p.sayso", "p.sayso.bak"]);

    // A new project gets a new file's usual permissions (not 0600), and a
    // save keeps the permissions the file has.
    let plain = dir.path().join("plain");
    std::fs::write(&plain, "").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), mode(&plain));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    sayso::project::save(&p, &path).unwrap();
    assert_eq!(mode(&path), 0o640);
    assert_eq!(mode(&dir.path().join("p.sayso.bak")), 0o640);
}

#[test]
fn symbolic_links_at_old_temporary_names_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let p = sayso::model::Project::default();
    let path = d.join("p.sayso");
    sayso::project::save(&p, &path).unwrap();
    for name in [
        "p.sayso.bak.tmp".to_string(),
        format!("p.sayso.tmp{}", std::process::id()),
        "out.jsonl.part".to_string(),
    ] {
        std::os::unix::fs::symlink(&victim, d.join(name)).unwrap();
    }
    sayso::project::save(&p, &path).unwrap();
    sayso::project::save(&p, &path).unwrap();
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "jsonl",
            "--out",
            "out.jsonl",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(sayso::project::load(&path).is_ok());
    // A symbolic link at the target itself is replaced, not written through.
    std::os::unix::fs::symlink(&victim, d.join("link.jsonl")).unwrap();
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "jsonl",
            "--out",
            "link.jsonl",
            "--force",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!d.join("link.jsonl").is_symlink());
}

#[test]
fn temporaries_of_killed_saves_are_removed_at_the_next_save_and_named() {
    let dir = workspace();
    let d = dir.path();
    let dead = dead_pid();
    let live = std::process::id(); // the test's own, with a random part: a save under way
    let stale = [
        format!("p.sayso.tmp{dead}"),
        format!("p.sayso.tmp{dead}.Ab3dE9xQ"),
        format!("p.sayso.bak.tmp{dead}.Zz9yY8xX"),
    ];
    let kept = [
        format!("p.sayso.tmp{live}.Qq1wW2eE"),
        format!("other.sayso.tmp{dead}"),
        "p.sayso.tmpnotapid".to_string(),
    ];
    for n in stale.iter().chain(&kept) {
        std::fs::write(d.join(n), "(format: 1, proj").unwrap();
    }
    let out = sayso(&["suggest", "p.sayso"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("removed 3 temporary file(s)"), "{err}");
    for n in &stale {
        assert!(err.contains(n.as_str()), "{n}: {err}");
        assert!(!d.join(n).exists(), "{n}");
    }
    for n in &kept {
        assert!(d.join(n).exists(), "{n}");
    }
    // The library says the same.
    std::fs::write(d.join(&stale[1]), "x").unwrap();
    let p = sayso::project::load(&d.join("p.sayso")).unwrap();
    let saved = sayso::project::save(&p, &d.join("p.sayso")).unwrap();
    assert_eq!(saved.removed, vec![d.join(&stale[1])]);
}

fn write_lock(dir: &Path, pid: u32, host: &str) {
    std::fs::write(
        dir.join("p.sayso.lock"),
        format!("pid: {pid}\nhost: {host}\nsince: 2026-01-01T00:00:00Z\n"),
    )
    .unwrap();
}

#[test]
fn a_second_writer_is_refused_naming_the_holder_and_a_stale_lock_is_taken_over() {
    let dir = workspace();
    let d = dir.path();
    let host = sayso::project::lock::host_name();
    let before = std::fs::read(d.join("p.sayso")).unwrap();
    let writers: &[&[&str]] = &[
        &["suggest", "p.sayso"],
        &["import", "p.sayso", "in.jsonl", "--format", "jsonl"],
        &["new", "-o", "p.sayso", "--force", "t00.txt"],
    ];
    // A running holder (this test's process) on this host, and one on
    // another host: refused, nothing changes.
    for (pid, holder_host) in [(std::process::id(), host.as_str()), (1, "elsewhere")] {
        write_lock(d, pid, holder_host);
        for args in writers {
            let out = sayso(args, d);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains("is being changed by another Sayso")
                    && err.contains(&format!("process {pid} on {holder_host}"))
                    && err.contains("p.sayso.lock"),
                "{args:?}: {err}"
            );
            assert_eq!(std::fs::read(d.join("p.sayso")).unwrap(), before);
        }
    }
    // Readers do not mind the lock.
    assert!(sayso(&["info", "p.sayso"], d).status.success());

    // A stale lock (a process of this host that has ended) is taken over
    // with a notice, and removed when the writer is done.
    let dead = dead_pid();
    write_lock(d, dead, &host);
    let out = sayso(&["suggest", "p.sayso"], d);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("took over the stale lock") && err.contains(&format!("process {dead} on")),
        "{err}"
    );
    assert_ne!(std::fs::read(d.join("p.sayso")).unwrap(), before);
    assert!(!d.join("p.sayso.lock").exists());
    // A failing writer leaves no lock either.
    let out = sayso(&["suggest", "p.sayso", "--docs", "nope"], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(!d.join("p.sayso.lock").exists());
}

#[test]
fn two_writers_at_once_never_lose_work() {
    let dir = workspace();
    let d = dir.path();
    for trial in 0..6 {
        let out = sayso(&["new", "-o", "p.sayso", "--force", "."], d);
        assert!(out.status.success(), "{}", stderr(&out));
        let spawn = |doc: &str| {
            Command::new(env!("CARGO_BIN_EXE_sayso"))
                .args(["suggest", "p.sayso", "--docs", doc])
                .current_dir(d)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("t01"), spawn("t02"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let p = sayso::project::load(&d.join("p.sayso")).unwrap();
        let suggested = |name: &str| {
            let i = p.document_index(name).unwrap();
            !p.documents[i].spans.is_empty()
        };
        for (out, doc) in [(&a, "t01"), (&b, "t02")] {
            if out.status.success() {
                assert!(suggested(doc), "trial {trial}: {doc}'s run was lost");
            } else {
                assert!(
                    stderr(out).contains("is being changed by another Sayso"),
                    "{}",
                    stderr(out)
                );
                assert!(!suggested(doc));
            }
        }
        assert!(!d.join("p.sayso.lock").exists());
    }
}

#[test]
fn an_unfinished_lock_file_is_respected_while_fresh_and_taken_over_when_old() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.sayso");
    let lock_file = dir.path().join("p.sayso.lock");
    std::fs::write(&lock_file, "").unwrap();
    let err = sayso::project::lock(&project).unwrap_err();
    assert!(err.to_string().contains("just started"), "{err}");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&lock_file)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let lock = sayso::project::lock(&project).unwrap();
    assert!(lock.notice().unwrap().contains("never finished"));
    let text = std::fs::read_to_string(&lock_file).unwrap();
    assert!(
        text.contains(&format!("pid: {}", std::process::id())),
        "{text}"
    );
    // Held by this process now: a second lock is refused.
    assert!(sayso::project::lock(&project).is_err());
    drop(lock);
    assert!(!lock_file.exists());
    let again = sayso::project::lock(&project).unwrap();
    assert!(again.notice().is_none());
}

/// Writes a zip of `(name, bytes)` entries.
fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in entries {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap();
}

/// The names of a project's documents, as `sayso info` lists them.
fn info(dir: &Path, project: &str) -> Vec<String> {
    let out = sayso(&["info", project], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .skip_while(|l| !l.starts_with("DOCUMENT"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

#[test]
fn one_bad_line_or_document_costs_itself_not_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // JSONL with an invalid UTF-8 byte on line 2 and a bad line 3.
    let mut feed = b"{\"id\": \"one\", \"text\": \"First text.\"}\n".to_vec();
    feed.extend_from_slice(b"{\"id\": \"two\", \"text\": \"Caf\xe9.\"}\n");
    feed.extend_from_slice(b"{\"id\": oops\n");
    feed.extend_from_slice(b"{\"id\": \"four\", \"text\": \"Fourth text.\"}\n");
    std::fs::write(d.join("feed.jsonl"), &feed).unwrap();
    for args in [
        &["new", "-o", "new.sayso", "feed.jsonl"][..],
        &["import", "imp.sayso", "feed.jsonl", "--format", "jsonl"][..],
        &["import", "doc.sayso", "feed.jsonl", "--format", "doccano"][..],
    ] {
        let out = sayso(args, d);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("feed.jsonl:2:") && err.contains("UTF-8"),
            "{err}"
        );
        assert!(err.contains("feed.jsonl:3:"), "{err}");
        let listed = info(d, args[if args[0] == "new" { 2 } else { 1 }]);
        assert_eq!(listed, ["one", "four"], "{args:?}");
    }

    // brat: a good pair, an .ann without its .txt, an .ann that is not
    // UTF-8; as a folder and as a zip.
    let brat = d.join("brat");
    std::fs::create_dir(&brat).unwrap();
    let good_ann = b"T1\tSpeaker 0 3\tAnn\n";
    std::fs::write(brat.join("a.txt"), "Ann said it.").unwrap();
    std::fs::write(brat.join("a.ann"), good_ann).unwrap();
    std::fs::write(brat.join("b.ann"), good_ann).unwrap();
    std::fs::write(brat.join("c.txt"), "Ann said it.").unwrap();
    std::fs::write(brat.join("c.ann"), b"T1\tSpeaker 0 3\tA\xffn\n").unwrap();
    write_zip(
        &d.join("brat.zip"),
        &[
            ("x/a.txt", b"Ann said it."),
            ("x/a.ann", good_ann),
            ("x/b.ann", good_ann),
            ("x/c.txt", b"Ann said it."),
            ("x/c.ann", b"T1\tSpeaker 0 3\tA\xffn\n"),
        ],
    );
    for (input, project) in [("brat", "folder.sayso"), ("brat.zip", "zip.sayso")] {
        let out = sayso(&["import", project, input, "--format", "brat"], d);
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("b.ann") && err.contains("b.txt beside it"),
            "{input}: {err}"
        );
        assert!(err.contains("c.ann") && err.contains("UTF-8"), "{err}");
        assert!(
            stdout(&out).contains("imported 1 document(s), 1 span(s)"),
            "{}",
            stdout(&out)
        );
        let listed = info(d, project);
        assert_eq!(listed, ["a"], "{input}");
    }
}

/// Runs `sayso ARGS`, failing the test if it has not ended within 20 s
/// (the child is killed then).
fn sayso_within_20s(args: &[&str], dir: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sayso binary runs");
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("sayso {args:?} blocked for 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Makes a FIFO with the `mkfifo` command; false when there is none.
fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn fifos_and_other_non_regular_files_are_skipped_never_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let texts = d.join("texts");
    std::fs::create_dir(&texts).unwrap();
    std::fs::write(texts.join("a.txt"), "Ann said it.").unwrap();
    if !mkfifo(&texts.join("f.txt")) {
        eprintln!("no mkfifo command: test skipped");
        return;
    }
    assert!(mkfifo(&texts.join("g.jsonl")));
    let out = sayso_within_20s(&["new", "-o", "p.sayso", "texts"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["f.txt", "g.jsonl"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("not a regular file")),
            "{name}: {err}"
        );
    }
    assert_eq!(info(d, "p.sayso"), ["a"]);
    // Named on the command line, in every importer.
    for args in [
        &["new", "-o", "q.sayso", "texts/f.txt"][..],
        &["import", "q.sayso", "texts/g.jsonl", "--format", "jsonl"][..],
        &["import", "q.sayso", "texts/g.jsonl", "--format", "doccano"][..],
    ] {
        let out = sayso_within_20s(args, d);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
        assert!(!d.join("q.sayso").exists());
    }

    // brat: a FIFO .ann beside its text, a FIFO text beside its .ann.
    let brat = d.join("brat");
    std::fs::create_dir(&brat).unwrap();
    std::fs::write(brat.join("a.txt"), "Ann said it.").unwrap();
    std::fs::write(brat.join("a.ann"), "T1\tSpeaker 0 3\tAnn\n").unwrap();
    std::fs::write(brat.join("b.txt"), "Ann said it.").unwrap();
    assert!(mkfifo(&brat.join("b.ann")));
    std::fs::write(brat.join("c.ann"), "T1\tSpeaker 0 3\tAnn\n").unwrap();
    assert!(mkfifo(&brat.join("c.txt")));
    let out = sayso_within_20s(&["import", "b.sayso", "brat", "--format", "brat"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["b.ann", "c.txt"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("not a regular file")),
            "{name}: {err}"
        );
    }
    assert_eq!(info(d, "b.sayso"), ["a"]);
    // --ann-dir: a FIFO among the texts and among the annotation files.
    let out = sayso_within_20s(
        &[
            "import",
            "c.sayso",
            "brat",
            "--format",
            "brat",
            "--ann-dir",
            "brat",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["b.ann", "c.txt"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("not a regular file")),
            "{name}: {err}"
        );
    }
    assert_eq!(info(d, "c.sayso"), ["a"]);
}

#[test]
fn zip_entries_are_capped_in_inflated_size_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ann: &[u8] = b"T1\tSpeaker 0 3\taaa\n";
    // One entry of 3 MB (a few KB compressed).
    let big = vec![b'a'; 3 << 20];
    write_zip(&d.join("big.zip"), &[("big.txt", &big), ("big.ann", ann)]);
    let out = sayso(
        &[
            "import",
            "p.sayso",
            "big.zip",
            "--format",
            "brat",
            "--max-unzipped-mb",
            "2",
        ],
        d,
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("big.zip: entry big.txt inflates to more than 2 MB")
            && err.contains("--max-unzipped-mb"),
        "{err}"
    );
    assert!(!d.join("p.sayso").exists());
    // Raised cap: read.
    let out = sayso(
        &[
            "import",
            "p.sayso",
            "big.zip",
            "--format",
            "brat",
            "--max-unzipped-mb",
            "3",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Entries under the cap one by one, over it together (4 × 1 MB).
    let part = vec![b'a'; 900 << 10];
    let names: Vec<(String, String)> = (0..5)
        .map(|i| (format!("d{i}.txt"), format!("d{i}.ann")))
        .collect();
    let mut entries: Vec<(&str, &[u8])> = Vec::new();
    for (txt, a) in &names {
        entries.push((txt, &part));
        entries.push((a, ann));
    }
    write_zip(&d.join("many.zip"), &entries);
    let out = sayso(
        &[
            "import",
            "q.sayso",
            "many.zip",
            "--format",
            "brat",
            "--max-unzipped-mb",
            "1",
        ],
        d,
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("many.zip: entry d4.txt inflates to more than what is left of the cap for all entries (4 MB in all)"),
        "{err}"
    );
    let out = sayso(&["import", "q.sayso", "many.zip", "--format", "brat"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("imported 5 document(s)"));
}

#[test]
fn info_escapes_control_characters_of_user_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("feed.jsonl"),
        "{\"id\": \"evil\\u001b]0;owned\\u0007\\u001b[2J\\u202e\", \"text\": \"Some text.\"}\n",
    )
    .unwrap();
    let out = sayso(&["new", "-o", "p.sayso", "feed.jsonl"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sayso(&["info", "p.sayso"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        !text
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
        "{text:?}"
    );
    assert!(
        text.contains(r"evil\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}"),
        "{text}"
    );
}

#[test]
fn an_export_says_which_missing_folders_it_created() {
    let dir = workspace();
    let d = dir.path();
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "jsonl",
            "--out",
            "new/sub/out.jsonl",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(d.join("new/sub/out.jsonl").is_file());
    let text = stdout(&out);
    assert!(
        text.contains("note: created the folder new/sub, which did not exist"),
        "{text}"
    );
    // Nothing to say when the folder is there.
    let out = sayso(
        &[
            "export",
            "p.sayso",
            "--format",
            "jsonl",
            "--out",
            "new/sub/again.jsonl",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("created the folder"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn csv_for_excel_neutralises_formula_cells_and_raw_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "=HYPERLINK(\"http://x\") said +Ann. @Bob said -Carl.";
    let line = serde_json::json!({"id": "=1+1", "text": text, "spans": [
        {"id": "a", "start": 0, "end": 22, "label": "Claim", "text": "=HYPERLINK(\"http://x\")"},
        {"id": "b", "start": 28, "end": 32, "label": "Claim", "text": "+Ann"},
        {"id": "c", "start": 34, "end": 38, "label": "Claim", "text": "@Bob"},
        {"id": "d", "start": 44, "end": 49, "label": "Claim", "text": "-Carl"},
    ]});
    std::fs::write(d.join("in.jsonl"), format!("{line}\n")).unwrap();
    let out = sayso(&["import", "p.sayso", "in.jsonl", "--format", "jsonl"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let export = |args: &[&str], name: &str| {
        let mut all = vec!["export", "p.sayso", "--format", "csv", "--out", name];
        all.extend_from_slice(args);
        let out = sayso(&all, d);
        assert!(out.status.success(), "{}", stderr(&out));
        let mut reader = csv::Reader::from_path(d.join(name)).unwrap();
        reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let excel = export(&["--bom"], "excel.csv");
    let texts: Vec<&str> = excel.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(
        texts,
        ["'=HYPERLINK(\"http://x\")", "'+Ann", "'@Bob", "'-Carl"]
    );
    assert!(excel.iter().all(|r| r[0] == "'=1+1"), "{excel:?}");
    for rows in [
        export(&["--bom", "--raw"], "raw.csv"),
        export(&[], "plain.csv"),
    ] {
        let texts: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(texts, ["=HYPERLINK(\"http://x\")", "+Ann", "@Bob", "-Carl"]);
        assert!(rows.iter().all(|r| r[0] == "=1+1"));
    }
}

/// Entries of `dir` whose names start with a dot (temporary folders).
fn hidden(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn brat_folder_exports_are_whole_or_absent_and_force_replaces_them() {
    let dir = workspace();
    let d = dir.path();
    // Long names in four-byte characters (the issue's ENAMETOOLONG).
    let long = "😀".repeat(62);
    let big = "Ann said it. ".repeat(2_000);
    let feed = format!(
        "{}\n{}\n",
        serde_json::json!({"id": long, "text": "Ann said it."}),
        serde_json::json!({"id": "big", "text": big}),
    );
    std::fs::write(d.join("long.jsonl"), feed).unwrap();
    let out = sayso(&["new", "-o", "long.sayso", "long.jsonl"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sayso(
        &["export", "long.sayso", "--format", "brat", "--out", "b1"],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let written = names(&d.join("b1"));
    assert_eq!(written.len(), 6, "{written:?}");
    assert!(written.iter().all(|n| n.len() <= 255), "{written:?}");

    // A failed export (files limited to 8 blocks by `ulimit -f`, so the big
    // text cannot be written) leaves nothing behind.
    let before = hidden(d);
    let out = sayso_sh(
        "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"",
        &["export", "long.sayso", "--format", "brat", "--out", "b2"],
        d,
    );
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("b2"), "{}", stderr(&out));
    assert!(!d.join("b2").exists());
    assert_eq!(hidden(d), before);

    // --force replaces the folder as a whole: no stale file stays.
    std::fs::write(d.join("b1/stale.ann"), "T1\tClaim 0 1\tx\n").unwrap();
    let out = sayso(&["export", "p.sayso", "--format", "brat", "--out", "b1"], d);
    assert!(!out.status.success());
    assert!(d.join("b1/stale.ann").exists());
    let out = sayso(
        &[
            "export", "p.sayso", "--format", "brat", "--out", "b1", "--force",
        ],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let written = names(&d.join("b1"));
    assert!(!written.contains(&"stale.ann".to_string()), "{written:?}");
    assert!(!written.contains(&"big.txt".to_string()), "{written:?}");
    assert_eq!(written.len(), 2 + 2 * 40, "{written:?}");
    assert_eq!(hidden(d), before);
}

/// A rule file with `extra` unused lexicons besides the ones its rules use:
/// engine lexicons (named so that they sort after the others) and
/// `lex_a`..`lex_d`, used in every way a rule can use a lexicon.
fn lexicon_rules(extra: usize) -> String {
    let mut lexicons = String::new();
    for i in 0..extra {
        lexicons.push_str(&format!(
            "\"lex{i:03}\": [\"w{i:03}\", \"phrase w{i:03} here\"],\n"
        ));
    }
    format!(
        r#"RuleFile(
    lexicons: {{
        {lexicons}
        "zz_a": ["wa", "phrase wa here"],
        "zz_b": ["wb"],
        "zz_c": ["wc"],
        "zz_pronouns": ["she"],
        "pronouns": ["she", "he"],
        "titles": ["mayor"],
        "reporting_verbs": ["said"],
    }},
    tagged_lexicons: {{ "zz_tagged": {{ "wd": "good", "phrase wd here": "better" }} }},
    rules: [
        Rule(id: "lex", pattern: [Lex(name: "zz_a", capture: "x")],
            spans: [(capture: "x", label: "A")]),
        Rule(id: "tok", pattern: [Tok(lex: "zz_b", capture: "x"), Tok(lower: ["now"])],
            spans: [(capture: "x", label: "B")]),
        Rule(id: "not", pattern: [Tok(lower: ["see"]), Tok(not_lex: "zz_c", capture: "x")],
            spans: [(capture: "x", label: "C")]),
        Rule(id: "tag", pattern: [Lex(name: "zz_tagged", capture: "x")],
            spans: [(capture: "x", label: "D", attrs: {{"tag": Tag(lexicon: "zz_tagged", capture: "x")}})]),
        Rule(id: "said", pattern: [Mention(capture: "s"), Lex(name: "reporting_verbs"),
                ToClauseEnd(capture: "c")],
            spans: [(capture: "c", label: "Claim")],
            relations: [(kind: "said_by", from: "c", to: "s")]),
    ],
)"#
    )
}

#[test]
fn rule_files_with_more_lexicons_than_feature_bits_work_alike() {
    use sayso::rules::RuleSet;
    // 119 lexicons were the most a rule file could have (one feature bit
    // each). Past the bits, lexicons are looked up instead; the engine's own
    // (`pronouns`, `titles`, …) keep their bits even when they sort last.
    let text = "Today wa came, and phrase wa here went. Then wb now, wc now. \
                See wc and see w000 too. A wd and a phrase wd here. \
                The report came, and she said it was late, very late. Mayor Ann Lee said so.";
    let few = RuleSet::from_ron_str(&lexicon_rules(0), "few.ron").unwrap_or_else(|e| panic!("{e}"));
    let want = few.suggest(text);
    let count = |label: &str| want.spans.iter().filter(|s| s.label == label).count();
    assert_eq!(
        [
            count("A"),
            count("B"),
            count("C"),
            count("D"),
            count("Speaker")
        ],
        [2, 1, 1, 2, 2],
        "{:#?}",
        want.spans
    );
    let tags: Vec<&str> = want
        .spans
        .iter()
        .filter(|s| s.label == "D")
        .map(|s| s.attrs["tag"].as_str())
        .collect();
    assert_eq!(tags, ["good", "better"]);
    // A clause ends at a comma before a reporting verb (the engine's
    // `reporting_verbs`), not at this one.
    let claims: Vec<&str> = want
        .spans
        .iter()
        .filter(|s| s.label == "Claim")
        .map(|s| &text[s.start..s.end])
        .collect();
    assert_eq!(claims, ["it was late, very late", "so"]);
    for extra in [119, 130, 300] {
        let many = RuleSet::from_ron_str(&lexicon_rules(extra), "many.ron")
            .unwrap_or_else(|e| panic!("{extra} lexicons: {e}"));
        assert_eq!(many.suggest(text), want, "{extra} lexicons");
    }
    // Past a lexicon index's range: refused, naming the file, with what to do.
    let too_many: String = (0..=65_535)
        .map(|i| format!("\"l{i}\": [\"x\"],"))
        .collect();
    let src = format!("RuleFile(lexicons: {{ {too_many} }}, rules: [])");
    let e = RuleSet::from_ron_str(&src, "huge.ron")
        .expect_err("65,536 lexicons")
        .to_string();
    assert!(
        e.starts_with("huge.ron: 65536 lexicons; at most 65535") && e.contains("merge lexicons"),
        "{e}"
    );
}

#[test]
fn suggest_jsonl_writes_to_dev_null_and_other_files_that_cannot_be_emptied() {
    // `OUT` is emptied before it is written; `/dev/null` cannot be (EINVAL),
    // and was refused with "cannot write /dev/null: Invalid argument".
    let dir = workspace();
    let out = sayso(&["suggest", "--jsonl", "in.jsonl", "/dev/null"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("40 document(s) written"),
        "{}",
        stderr(&out)
    );
}
