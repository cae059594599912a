//! Rule files: the bundled one parses; errors say file, line, column, rule and what.

use sayso::rules::{RuleError, RuleSet};

#[test]
fn bundled_rules_parse() {
    let src = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/rules/en-news.ron"
    ));
    let r = RuleSet::from_ron_str(src, "en-news.ron").unwrap_or_else(|e| panic!("{e}"));
    let infos = r.rules();
    assert!(infos.len() >= 10);
    assert!(infos.iter().all(|i| !i.description.is_empty()));
    assert_eq!(RuleSet::default_en_news().rules().len(), infos.len());
}

fn one_rule(pattern: &str) -> String {
    format!(
        r#"RuleFile(
    lexicons: {{ "verbs": ["said"] }},
    rules: [
        Rule(
            id: "r1",
            pattern: [{pattern}],
            spans: [(capture: "x", label: "Claim")],
        ),
    ],
)"#
    )
}

fn err(src: &str) -> RuleError {
    match RuleSet::from_ron_str(src, "my.ron") {
        Ok(_) => panic!("expected an error for {src}"),
        Err(e) => e,
    }
}

#[test]
fn syntax_error_has_position() {
    let e = err(
        "RuleFile(rules: [Rule(id: \"a\", pattern: [Tok(lower: [\"x\"], capture: \"x\")], spans: [(capture: \"x\" label: \"Claim\")])])",
    );
    let msg = e.to_string();
    assert!(matches!(e, RuleError::Syntax { line: 1, .. }), "{msg}");
    assert!(msg.starts_with("my.ron:1:"), "{msg}");
}

#[test]
fn a_misspelt_field_is_refused_with_its_position_not_ignored() {
    // `not_text` is no constraint: ignoring it would quietly match more
    // than the author meant.
    let e = err(&one_rule(
        "Tok(lower: [\"said\"], capture: \"x\"),\n Tok(not_text: [\"a\"])",
    ));
    let msg = e.to_string();
    assert!(matches!(e, RuleError::Syntax { line: 7, .. }), "{msg}");
    assert!(msg.contains("not_text"), "{msg}");
    // The same at the level of a rule.
    let src = one_rule("Tok(lower: [\"said\"], capture: \"x\")")
        .replace("id: \"r1\",", "id: \"r1\", priorty: 3,");
    let msg = err(&src).to_string();
    assert!(msg.contains("priorty"), "{msg}");
}

#[test]
fn unknown_lexicon_names_rule_and_line() {
    let e = err(&one_rule(r#"Lex(name: "nope", capture: "x")"#));
    let msg = e.to_string();
    assert!(msg.contains("my.ron:5:"), "{msg}");
    assert!(
        msg.contains("rule `r1`") && msg.contains("unknown lexicon `nope`"),
        "{msg}"
    );
}

#[test]
fn empty_match_is_refused() {
    let msg = err(&one_rule(r#"Tok(lower: ["a"], op: "*", capture: "x")"#)).to_string();
    assert!(msg.contains("empty string"), "{msg}");
}

#[test]
fn bad_regex_and_operator_are_refused() {
    let msg = err(&one_rule(r#"Tok(regex: "(", capture: "x")"#)).to_string();
    assert!(msg.contains("bad regex"), "{msg}");
    let msg = err(&one_rule(r#"Tok(lower: ["a"], op: "{3,1}", capture: "x")"#)).to_string();
    assert!(msg.contains("maximum is below minimum"), "{msg}");
    let msg = err(&one_rule(r#"Tok(lower: ["a"], op: "~", capture: "x")"#)).to_string();
    assert!(msg.contains("unknown operator"), "{msg}");
}

#[test]
fn undefined_capture_is_refused() {
    let msg = err(&one_rule(r#"Tok(lower: ["a"], capture: "y")"#)).to_string();
    assert!(msg.contains("capture `x`"), "{msg}");
}

#[test]
fn duplicate_ids_are_refused() {
    let src = r#"RuleFile(rules: [
        Rule(id: "a", pattern: [Tok(lower: ["x"])]),
        Rule(id: "a", pattern: [Tok(lower: ["y"])]),
    ])"#;
    assert!(err(src).to_string().contains("same id"));
}

#[test]
fn operators_alternatives_regex_and_captures_match() {
    let src = r#"RuleFile(
    lexicons: { "orgs": ["Acme Corp", "Globex"] },
    rules: [
        Rule(id: "price", confidence: 0.9, pattern: [
            Lex(name: "orgs", capture: "org"),
            Any(alts: [[Tok(lower: ["raised"])], [Tok(lower: ["cut"])]], capture: "verb"),
            Tok(lower: ["its", "the"], op: "?"),
            Tok(regex: "[a-z]+", op: "{1,2}"),
            Tok(lower: ["to"]),
            Tok(shape: ["dd", "d"], capture: "num"),
        ], spans: [
            (capture: "org", label: "ORG"),
            (capture: "num", label: "NUM", attrs: {"verb": Text("verb")}),
        ]),
    ],
)"#;
    let r = RuleSet::from_ron_str(src, "t.ron").unwrap_or_else(|e| panic!("{e}"));
    let s = r.suggest("Yesterday Acme Corp raised the price to 12 and Globex cut prices to 9.");
    let got: Vec<(String, usize, usize)> = s
        .spans
        .iter()
        .map(|x| (x.label.clone(), x.start, x.end))
        .collect();
    assert_eq!(
        got,
        [
            ("ORG".into(), 10, 19),
            ("NUM".into(), 40, 42),
            ("ORG".into(), 47, 53),
            ("NUM".into(), 68, 69)
        ]
    );
    assert_eq!(s.spans[1].attrs["verb"], "raised");
    assert!(s.spans[1].explanation.contains("price"));
    let off = r.with_disabled(&["price".to_string()]);
    assert!(
        off.suggest("Acme Corp raised the price to 12")
            .spans
            .is_empty()
    );
}

#[test]
fn spacy_patterns_jsonl() {
    let src = r#"{"label": "ORG", "pattern": "European Union"}
{"label": "ORG", "pattern": [{"LOWER": "the"}, {"LOWER": {"IN": ["kremlin", "pentagon"]}}], "id": "gov"}
{"label": "MONEY", "pattern": [{"ORTH": "$"}, {"LIKE_NUM": true}, {"LOWER": {"IN": ["million", "billion"]}, "OP": "?"}]}
"#;
    let r = RuleSet::from_patterns_jsonl(src, "p.jsonl").unwrap_or_else(|e| panic!("{e}"));
    let s = r.suggest("The Kremlin and the European Union agreed on $5 billion.");
    let got: Vec<(&str, &str)> = s
        .spans
        .iter()
        .map(|x| {
            (
                x.label.as_str(),
                &"The Kremlin and the European Union agreed on $5 billion."[x.start..x.end],
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ORG", "The Kremlin"),
            ("ORG", "European Union"),
            ("MONEY", "$5 billion")
        ]
    );
    let bad = RuleSet::from_patterns_jsonl(
        "{\"label\": \"X\", \"pattern\": [{\"POS\": \"NOUN\"}]}\n",
        "p.jsonl",
    );
    let msg = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("p.jsonl:1:") && msg.contains("POS"), "{msg}");
}

#[test]
fn load_by_extension() {
    let dir = std::env::temp_dir().join(format!("sayso-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join("x.jsonl");
    std::fs::write(&p, "{\"label\": \"ORG\", \"pattern\": \"Acme\"}\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(RuleSet::load(&p).map(|r| r.rules().len()).ok(), Some(1));
    let q = dir.join("x.txt");
    std::fs::write(&q, "").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        RuleSet::load(&q),
        Err(RuleError::UnknownExtension { .. })
    ));
    assert!(matches!(
        RuleSet::load(&dir.join("missing.ron")),
        Err(RuleError::Io { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn from_sentence_start_and_not_after() {
    let src = r#"RuleFile(
    rules: [
        // The words before `, he said.` are the claim; an anchor at the comma.
        Rule(id: "before", pattern: [
            FromSentenceStart(capture: "claim"),
            Tok(text: [","]),
            Tok(lower: ["he"], capture: "who"),
            Tok(lower: ["said"], not_after: ["to"]),
        ], spans: [(capture: "claim", label: "Claim")],
           relations: [(kind: "said_by", from: "claim", to: "who")]),
    ],
)"#;
    let r = RuleSet::from_ron_str(src, "t.ron").unwrap_or_else(|e| panic!("{e}"));
    let text = "First. The plan would fail, he said.";
    let s = r.suggest(text);
    let claims: Vec<String> = s
        .spans
        .iter()
        .filter(|x| x.label == "Claim")
        .map(|x| text.chars().skip(x.start).take(x.end - x.start).collect())
        .collect();
    assert_eq!(claims, ["The plan would fail"]);
    // Nothing before the anchor in its sentence: no match.
    assert!(r.suggest(", he said.").spans.is_empty());
}

#[test]
fn relation_targets_are_named_in_errors() {
    let src = r#"RuleFile(rules: [Rule(id: "x", pattern: [Tok(lower: ["said"], capture: "v")],
        spans: [(capture: "v", label: "Claim")],
        relations: [(kind: "said_by", from: "v", to: "@nobody")])])"#;
    let e = RuleSet::from_ron_str(src, "t.ron")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("@clause_subject") && e.contains("@sentence_subject"),
        "{e}"
    );
    for target in [
        "@subject",
        "@clause_subject",
        "@sentence_subject",
        "@previous",
    ] {
        let ok = src.replace("@nobody", target);
        assert!(RuleSet::from_ron_str(&ok, "t.ron").is_ok(), "{target}");
    }
}

/// A rule whose pattern nests `Any(op: OP)` `depth` deep around one token.
fn nested(op: &str, depth: usize) -> String {
    let mut inner = r#"Tok(lower: ["a"])"#.to_string();
    for _ in 0..depth {
        inner = format!(r#"Any(op: "{op}", alts: [[{inner}]])"#);
    }
    format!(
        r#"RuleFile(rules: [Rule(id: "deep", pattern: [
{inner}, Tok(lower: ["b"], capture: "x")],
spans: [(capture: "x", label: "Claim")])])"#
    )
}

/// Loads `src` on a thread with a small stack (as the window's and the
/// tests' threads have), so that a runaway recursion shows as a crash.
fn load_small_stack(src: String) -> Result<RuleSet, RuleError> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || RuleSet::from_ron_str(&src, "deep.ron"))
        .unwrap()
        .join()
        .expect("loading does not crash")
}

#[test]
fn nested_repetitions_are_refused_with_rule_line_and_column_not_a_crash() {
    // The issue's reproductions: `{0,40}` three deep (a stack overflow in
    // 261 bytes) and `{64}` four deep (gigabytes).
    let small = nested("{0,40}", 3);
    assert!(small.len() < 300, "{}", small.len());
    for src in [
        small,
        nested("{64}", 4),
        nested("{0,64}", 8),
        nested("", 10),
    ] {
        let t = std::time::Instant::now();
        let e = load_small_stack(src).expect_err("refused");
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        let msg = e.to_string();
        assert!(
            matches!(
                e,
                RuleError::Rule {
                    line: 1,
                    column: 23,
                    ..
                }
            ),
            "{msg}"
        );
        assert!(msg.starts_with("deep.ron:1:23: rule `deep`:"), "{msg}");
        assert!(
            msg.contains("nested") || msg.contains("repetitions"),
            "{msg}"
        );
    }
    // Generous bounds: what real rules do compiles, with a wide margin over
    // the bundled rules (repetitions up to `{1,30}`, `Any` three deep).
    for src in [
        nested("{1,30}", 1),
        nested("{0,8}", 3),
        nested("?", 8),
        nested("{1,30}", 2),
        // 3,923 steps, just under the bound.
        nested("{1,36}", 2),
    ] {
        load_small_stack(src.clone()).unwrap_or_else(|e| panic!("{e}\n{src}"));
    }
}

#[test]
fn brackets_nested_too_deeply_get_a_message_for_users() {
    let deep = format!(
        "RuleFile(rules: [Rule(id: \"r\", pattern: [{}Tok(lower: [\"x\"]){}])])",
        "Any(alts: [[".repeat(200),
        "]])".repeat(200)
    );
    let msg = err(&deep).to_string();
    assert!(msg.contains("nest too deeply"), "{msg}");
    assert!(!msg.contains("recursion_limit"), "{msg}");
}

#[test]
fn a_subject_mention_stands_where_a_subject_can() {
    let src = r#"RuleFile(
    lexicons: { "verbs": ["said"], "pronouns": ["he"] },
    rules: [
        Rule(id: "say", pattern: [
            Mention(capture: "who", subject: true),
            Lex(name: "verbs"),
            ToClauseEnd(capture: "claim"),
        ], spans: [(capture: "claim", label: "Claim")],
           relations: [(kind: "said_by", from: "claim", to: "who")]),
    ],
)"#;
    let r = RuleSet::from_ron_str(src, "t.ron").unwrap_or_else(|e| panic!("{e}"));
    // At the start of its sentence: a subject.
    assert_eq!(r.suggest("He said the plan failed.").relations.len(), 1);
    // A pronoun inside a relative clause: not one.
    let s = r.suggest("Trump blasted the system which he said runs the risk.");
    assert!(s.relations.is_empty(), "{:?}", s.spans);
    // A name stands anywhere.
    let s = r.suggest("Trump blasted the system which John Smith said runs the risk.");
    assert_eq!(s.relations.len(), 1);
    // Only a Mention takes `subject`.
    let msg = err(&one_rule(r#"ToSentenceEnd(capture: "x", subject: true)"#)).to_string();
    assert!(msg.contains("belongs to `Mention` only"), "{msg}");
}

#[test]
fn a_mention_can_refuse_words_of_a_lexicon() {
    let src = r#"RuleFile(
    lexicons: { "labels": ["correction", "latest"] },
    rules: [
        Rule(id: "line", pattern: [
            Mention(capture: "who", sent_start: true, not_lex: "labels"),
            Tok(text: [":"]),
            ToSentenceEnd(capture: "claim"),
        ], spans: [(capture: "claim", label: "Claim")],
           relations: [(kind: "said_by", from: "claim", to: "who")]),
    ],
)"#;
    let r = RuleSet::from_ron_str(src, "t.ron").unwrap_or_else(|e| panic!("{e}"));
    let speakers = |text: &str| {
        let s = r.suggest(text);
        s.relations
            .iter()
            .map(|x| {
                let sp = &s.spans[x.to];
                text.chars()
                    .skip(sp.start)
                    .take(sp.end - sp.start)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(speakers("Warren: Trump is a failure."), ["Warren"]);
    // A mention with a word of the lexicon speaks for no one.
    assert!(speakers("CORRECTION: An article misstated the date.").is_empty());
    assert!(speakers("The Latest: Sanders wins Minnesota.").is_empty());
    // Only a Mention (or a Tok) takes `not_lex`.
    let msg = err(&one_rule(
        r#"ToSentenceEnd(capture: "x", not_lex: "verbs")"#,
    ))
    .to_string();
    assert!(msg.contains("belongs to `Mention` and `Tok` only"), "{msg}");
    let msg = err(&one_rule(r#"Mention(capture: "x", not_lex: "nope")"#)).to_string();
    assert!(msg.contains("nope"), "{msg}");
}

#[test]
fn a_lexicon_entry_can_refuse_the_word_before_it() {
    let src = r#"RuleFile(
    lexicons: { "cues": ["criticism", "strong support"] },
    rules: [
        Rule(id: "cue", pattern: [
            Lex(name: "cues", capture: "c", not_after: ["faced"]),
        ], spans: [(capture: "c", label: "Stance")]),
    ],
)"#;
    let r = RuleSet::from_ron_str(src, "t.ron").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.suggest("He voiced criticism.").spans.len(), 1);
    assert!(r.suggest("He faced criticism.").spans.is_empty());
    // Phrases too.
    assert_eq!(r.suggest("It has strong support.").spans.len(), 1);
    assert!(r.suggest("It faced strong support.").spans.is_empty());
}
