//! spaCy/Prodigy `patterns.jsonl` (issue 14): errors name the real column,
//! one bad line costs only itself, and any number of phrase labels loads.

use std::process::Command;

use sayso::rules::patterns_jsonl::{self, MAX_PHRASE_LEXICONS};
use sayso::rules::{RuleError, RuleSet};

/// The (line, column) of the error of a one-line patterns file.
fn place(src: &str) -> (usize, usize, String) {
    match RuleSet::from_patterns_jsonl(src, "p.jsonl") {
        Ok(_) => panic!("{src} loaded"),
        Err(e @ (RuleError::Syntax { .. } | RuleError::Rule { .. })) => {
            let msg = e.to_string();
            match e {
                RuleError::Syntax { line, column, .. } | RuleError::Rule { line, column, .. } => {
                    (line, column, msg)
                }
                _ => unreachable!(),
            }
        }
        Err(e) => panic!("{e}"),
    }
}

/// The 1-based column of the first `needle` in `line`, in characters.
fn col(line: &str, needle: &str) -> usize {
    line[..line.find(needle).unwrap()].chars().count() + 1
}

#[test]
fn errors_name_the_real_column() {
    // JSON syntax: the second comma.
    let line = r#"{"label": "ORG", "pattern": "Acme",, "id": "x"}"#;
    let (l, c, msg) = place(&format!(
        "{{\"label\": \"A\", \"pattern\": \"a\"}}\n{line}\n"
    ));
    assert_eq!((l, c), (2, col(line, ",,") + 1), "{msg}");
    assert!(
        msg.starts_with(&format!("p.jsonl:2:{c}: not JSON")),
        "{msg}"
    );

    // Columns count characters, and leading white space counts.
    let line = r#"   {"label": "ÄÖÜ€", "pattern": "x" "#;
    let (_, c, msg) = place(line);
    assert_eq!(c, line.chars().count() + 1, "{msg}");

    // An attribute that is not supported, in the second token: its key.
    let line = r#"{"label": "X", "pattern": [{"LOWER": "a"}, {"LOWER": "b", "POS": "NOUN"}]}"#;
    let (_, c, msg) = place(line);
    assert_eq!(c, col(line, "\"POS\""), "{msg}");
    assert!(msg.contains("token 2") && msg.contains("POS"), "{msg}");

    // A token that is not an object: where it starts.
    let line = r#"{"label": "X", "pattern": [{"LOWER": "a"}, "b"]}"#;
    let (_, c, msg) = place(line);
    assert_eq!(c, col(line, "\"b\"]"), "{msg}");

    // A label that is not a string: the key; a pattern of the wrong type:
    // its key.
    let line = r#"{"id": "q", "label": 7, "pattern": "a"}"#;
    assert_eq!(place(line).1, col(line, "\"label\""));
    let line = r#"{"label": "X", "pattern": 7}"#;
    assert_eq!(place(line).1, col(line, "\"pattern\""));

    // A rule the engine refuses (a bad regex): its pattern.
    let line = r#"{"label": "X", "pattern": [{"TEXT": {"REGEX": "(unclosed"}}]}"#;
    let (_, c, msg) = place(line);
    assert_eq!(c, col(line, "\"pattern\""), "{msg}");
}

const MIXED: &str = r#"{"label": "ORG", "pattern": "European Union"}
{"label": "ORG", "pattern": "Acme",}
{"label": "X", "pattern": [{"POS": "NOUN"}]}
not json at all
{"label": "MONEY", "pattern": [{"ORTH": "$"}, {"LIKE_NUM": true}]}
{"label": "X", "pattern": [{"TEXT": {"REGEX": "(unclosed"}}]}
{"label": "GPE", "pattern": "Gaza"}
"#;

#[test]
fn a_bad_line_is_skipped_with_its_place_and_the_rest_loads() {
    let (rules, skipped) = patterns_jsonl::load(MIXED, "p.jsonl").unwrap();
    let places: Vec<String> = skipped
        .iter()
        .map(|e| e.to_string().split(": ").next().unwrap().to_string())
        .collect();
    assert_eq!(
        places,
        [
            "p.jsonl:2:36",
            "p.jsonl:3:29",
            "p.jsonl:4:2",
            "p.jsonl:6:16"
        ],
        "{skipped:#?}"
    );
    let text = "The European Union pledged $5 to Gaza, not to Acme.";
    let got: Vec<(String, &str)> = rules
        .suggest(text)
        .spans
        .iter()
        .map(|s| (s.label.clone(), &text[s.start..s.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("ORG".to_string(), "European Union"),
            ("MONEY".to_string(), "$5"),
            ("GPE".to_string(), "Gaza"),
        ]
    );
    // The strict API still refuses the file, at the first bad line.
    let err = RuleSet::from_patterns_jsonl(MIXED, "p.jsonl")
        .err()
        .unwrap();
    assert!(err.to_string().starts_with("p.jsonl:2:36: "), "{err}");
    // A file of bad lines only is an error (the first one).
    let err = patterns_jsonl::load("nope\n{\"label\": 1}\n", "p.jsonl")
        .err()
        .unwrap();
    assert!(
        err.to_string().starts_with("p.jsonl:1:2: not JSON"),
        "{err}"
    );
    assert!(!err.to_string().contains("at line"), "{err}");
}

#[test]
fn suggest_skips_bad_pattern_lines_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = dir.path().join("p.jsonl");
    std::fs::write(&patterns, MIXED).unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"id\": \"a\", \"text\": \"Aid for Gaza.\"}\n").unwrap();
    let out = dir.path().join("out.jsonl");
    let run = Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(["suggest", "--rules"])
        .arg(&patterns)
        .arg("--jsonl")
        .arg(&input)
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    for at in [
        "p.jsonl:2:36: ",
        "p.jsonl:3:29: ",
        "p.jsonl:4:2: ",
        "p.jsonl:6:16: ",
    ] {
        assert!(err.contains(at), "{at}: {err}");
    }
    assert!(err.contains("4 line(s) of"), "{err}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("\"GPE\""), "{written}");
}

#[test]
fn any_number_of_phrase_labels_loads_and_each_matches() {
    let labels = 300;
    assert!(labels > MAX_PHRASE_LEXICONS + 100);
    let mut src = String::new();
    for i in 0..labels {
        // Label i has i % 7 + 1 phrases: one word, then two and three words.
        for k in 0..(i % 7 + 1) {
            let phrase = match k % 3 {
                0 => format!("w{i}x{k}"),
                1 => format!("alpha w{i}x{k}"),
                _ => format!("alpha w{i}x{k} omega"),
            };
            src.push_str(&format!(
                "{{\"label\": \"L{i}\", \"pattern\": \"{phrase}\"}}\n"
            ));
        }
    }
    let (rules, skipped) = patterns_jsonl::load(&src, "many.jsonl").unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(RuleSet::from_patterns_jsonl(&src, "many.jsonl").is_ok());
    for i in 0..labels {
        for k in 0..(i % 7 + 1) {
            let phrase = match k % 3 {
                0 => format!("W{i}x{k}"),
                1 => format!("Alpha w{i}x{k}"),
                _ => format!("alpha W{i}x{k} omega"),
            };
            let text = format!("They met {phrase} today.");
            let got: Vec<(String, &str)> = rules
                .suggest(&text)
                .spans
                .iter()
                .map(|s| (s.label.clone(), &text[s.start..s.end]))
                .collect();
            assert_eq!(got, [(format!("L{i}"), phrase.as_str())], "label {i}");
        }
    }
}

#[test]
fn a_label_with_more_phrases_than_one_rule_holds_is_split_into_rules() {
    // 301 labels, the last with 3,000 two-word phrases (no lexicon left
    // for it when it is not among the largest: the others have more).
    let mut src = String::new();
    for i in 0..300 {
        for k in 0..3 {
            src.push_str(&format!(
                "{{\"label\": \"L{i}\", \"pattern\": \"p{i}x{k}\"}}\n"
            ));
        }
    }
    for k in 0..3000 {
        src.push_str(&format!(
            "{{\"label\": \"BIG\", \"pattern\": \"big{k} thing\"}}\n"
        ));
    }
    let (rules, skipped) = patterns_jsonl::load(&src, "big.jsonl").unwrap();
    assert!(skipped.is_empty());
    // BIG has the most phrases, so it has a lexicon; make one without.
    let ids: Vec<String> = rules.rules().iter().map(|r| r.id.clone()).collect();
    assert!(ids.contains(&"phrases-BIG".to_string()));
    let text = "A big2999 thing and p299x2.";
    let got: Vec<String> = rules
        .suggest(text)
        .spans
        .iter()
        .map(|s| s.label.clone())
        .collect();
    assert_eq!(got, ["BIG", "L299"]);

    // Without a lexicon: as many labels as there are lexicons, each with as
    // many phrases as Z, come before it (ties go by name), so Z's 1,500
    // three-word phrases are token rules, split in several.
    let mut src = String::new();
    for i in 0..MAX_PHRASE_LEXICONS {
        for k in 0..1500 {
            src.push_str(&format!(
                "{{\"label\": \"A{i:03}\", \"pattern\": \"a{i}x{k}\"}}\n"
            ));
        }
    }
    for k in 0..1500 {
        src.push_str(&format!(
            "{{\"label\": \"Z\", \"pattern\": \"z{k} thing more\"}}\n"
        ));
    }
    let (rules, _) = patterns_jsonl::load(&src, "split.jsonl").unwrap();
    let z_rules = rules
        .rules()
        .iter()
        .filter(|r| r.id.starts_with("phrases-Z"))
        .count();
    assert!(z_rules >= 2, "{z_rules}");
    let text = "One z0 thing more and z1499 thing more.";
    let got: Vec<&str> = rules
        .suggest(text)
        .spans
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect();
    assert_eq!(got, ["z0 thing more", "z1499 thing more"]);
}
