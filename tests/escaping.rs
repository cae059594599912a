//! No command prints escape sequences from the user's data (issue 14):
//! document names, labels and file names in summaries, skip messages,
//! errors and `eval` are written with their control characters and
//! bidirectional overrides escaped, as `sayso info` does.
#![cfg(unix)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output};

use sayso::cli::{shown, shown_json, shown_lines};

/// A name that would retitle and clear the terminal and reverse the line.
const EVIL: &str = "evil\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}";
const EVIL_SHOWN: &str = r"evil\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}";
/// The same as JSON text.
const EVIL_JSON: &str = r"evil\u001b]0;owned\u0007\u001b[2J\u202e";

fn sayso(args: &[&OsStr], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn os(s: &str) -> &OsStr {
    OsStr::from_bytes(s.as_bytes())
}

/// Standard output and error, checked for raw escapes.
fn clean(out: &Output) -> (String, String) {
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    for text in [&o, &e] {
        assert!(
            !text
                .chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
            "raw escape in {text:?}"
        );
    }
    (o, e)
}

#[test]
fn the_helpers_escape_control_characters_and_bidi_overrides() {
    assert_eq!(shown(EVIL), EVIL_SHOWN);
    assert_eq!(shown("a\nb\tc"), r"a\nb\tc");
    assert_eq!(shown("Łódź – “quoted” 👩‍👩‍👧"), "Łódź – “quoted” 👩‍👩‍👧");
    assert_eq!(
        shown_lines(&format!("one {EVIL}\ntwo\r\n")),
        format!("one {EVIL_SHOWN}\ntwo\\r\n")
    );
    let json = serde_json::to_string(EVIL).unwrap();
    let escaped = shown_json(&json);
    assert_eq!(escaped, format!("\"{EVIL_JSON}\""));
    assert_eq!(serde_json::from_str::<String>(&escaped).unwrap(), EVIL);
}

#[test]
fn new_and_import_escape_file_and_document_names_in_every_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A JSONL file with an evil name: one good line, one bad.
    let feed = format!("{EVIL}.jsonl");
    std::fs::write(
        d.join(&feed),
        format!("{{\"id\": \"{EVIL_JSON}\", \"text\": \"Some text.\"}}\nnot json\n"),
    )
    .unwrap();
    let project = format!("{EVIL}.sayso");
    let out = sayso(&[os("new"), os("-o"), os(&project), os(&feed)], d);
    assert!(out.status.success(), "{out:?}");
    let (o, e) = clean(&out);
    assert!(
        o.contains(&format!("{EVIL_SHOWN}.sayso: 1 document(s)")),
        "{o}"
    );
    assert!(
        e.contains(&format!("skipped {EVIL_SHOWN}.jsonl:2: ")),
        "{e}"
    );

    // `import` of the same file as annotated JSONL: its summary and its
    // skip messages; labels the schema lacks are named in notices.
    std::fs::write(
        d.join(&feed),
        format!(
            "{{\"id\": \"{EVIL_JSON}\", \"text\": \"Some text.\", \"spans\": [{{\"id\": \"a\", \"start\": 0, \"end\": 4, \"text\": \"Some\", \"label\": \"{EVIL_JSON}\"}}]}}\nnot json\n"
        ),
    )
    .unwrap();
    let out = sayso(
        &[
            os("import"),
            os(&project),
            os(&feed),
            os("--format"),
            os("jsonl"),
        ],
        d,
    );
    assert!(out.status.success(), "{out:?}");
    let (o, e) = clean(&out);
    assert!(
        o.contains(&format!("{EVIL_SHOWN}.sayso: imported 1 document(s)")),
        "{o}"
    );
    assert!(e.contains(EVIL_SHOWN), "the label's notice: {e}");
    assert!(
        e.contains(&format!("skipped {EVIL_SHOWN}.jsonl:2: ")),
        "{e}"
    );

    // `export`: the summary's file and label lines.
    let target = format!("{EVIL}.jsonl.out");
    let out = sayso(
        &[
            os("export"),
            os(&project),
            os("--format"),
            os("jsonl"),
            os("--out"),
            os(&target),
        ],
        d,
    );
    assert!(out.status.success(), "{out:?}");
    let (o, _) = clean(&out);
    assert!(o.contains(&format!("  {EVIL_SHOWN}.jsonl.out\n")), "{o}");
    assert!(o.contains(&format!("  {EVIL_SHOWN}: 1\n")), "{o}");

    // An error naming a file.
    let missing = format!("{EVIL}-missing.sayso");
    let out = sayso(&[os("info"), os(&missing)], d);
    assert!(!out.status.success());
    let (_, e) = clean(&out);
    assert!(e.contains(&format!("{EVIL_SHOWN}-missing.sayso")), "{e}");
}

#[test]
fn suggest_and_eval_escape_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = format!("{EVIL}.jsonl");
    std::fs::write(
        d.join(&input),
        "{\"id\": \"a\", \"text\": \"“We will win,” said Anna Berg.\"}\nbad line\n",
    )
    .unwrap();
    let out = sayso(
        &[os("suggest"), os("--jsonl"), os(&input), os("out.jsonl")],
        d,
    );
    assert!(out.status.success(), "{out:?}");
    let (_, e) = clean(&out);
    assert!(
        e.contains(&format!("skipped {EVIL_SHOWN}.jsonl:2: ")),
        "{e}"
    );

    // eval: labels in the table, and in JSON as JSON escapes.
    let record = |label: &str| {
        format!(
            "{{\"id\": \"a\", \"text\": \"Some text.\", \"spans\": [{{\"id\": \"s\", \"start\": 0, \"end\": 4, \"text\": \"Some\", \"label\": \"{label}\"}}]}}\n"
        )
    };
    std::fs::write(d.join("gold.jsonl"), record(EVIL_JSON)).unwrap();
    std::fs::write(d.join("pred.jsonl"), record(EVIL_JSON)).unwrap();
    let args = [os("eval"), os("--gold"), os("gold.jsonl"), os("pred.jsonl")];
    let out = sayso(&args, d);
    assert!(out.status.success(), "{out:?}");
    let (o, _) = clean(&out);
    assert!(o.contains(EVIL_SHOWN), "{o}");
    let mut json_args = args.to_vec();
    json_args.push(os("--json"));
    let out = sayso(&json_args, d);
    assert!(out.status.success(), "{out:?}");
    let (o, _) = clean(&out);
    let value: serde_json::Value = serde_json::from_str(&o).unwrap();
    assert!(
        mentions(&value, EVIL),
        "the JSON still means the label: {o}"
    );
}

/// Whether `v` holds `s` as a key or a string.
fn mentions(v: &serde_json::Value, s: &str) -> bool {
    match v {
        serde_json::Value::String(x) => x == s,
        serde_json::Value::Array(a) => a.iter().any(|x| mentions(x, s)),
        serde_json::Value::Object(o) => o.iter().any(|(k, x)| k == s || mentions(x, s)),
        _ => false,
    }
}
