//! Never panic on any text; offsets are code points and consistent.

use proptest::prelude::*;
use sayso::rules::tokenize::reference_segments;
use sayso::rules::{RuleSet, SuggestScratch, Suggestion, Suggestions, default_sentences, tokenize};

fn check_text(rules: &RuleSet, text: &str) {
    let n = text.chars().count();
    let toks = tokenize(text);
    let chars: Vec<char> = text.chars().collect();
    for t in &toks {
        assert!(t.start < t.end && t.end <= n);
        let s: String = chars[t.start..t.end].iter().collect();
        assert_eq!(s, t.text(text));
    }
    for r in default_sentences(text) {
        assert!(r.start <= r.end && r.end <= n);
    }
    let s = rules.suggest(text);
    for sp in &s.spans {
        assert!(sp.start < sp.end && sp.end <= n, "{sp:?}");
    }
    for r in &s.relations {
        assert!(r.from < s.spans.len() && r.to < s.spans.len());
    }
    // The corpus pass (no explanation text, buffers reused) suggests the same.
    let mut sc = SuggestScratch::without_explanations();
    let mut quiet = Suggestions::default();
    rules.suggest_into("He said that this text comes first.", &mut sc, &mut quiet);
    rules.suggest_into(text, &mut sc, &mut quiet);
    assert_eq!(quiet.relations, s.relations);
    assert_eq!(quiet.spans.len(), s.spans.len());
    for (q, e) in quiet.spans.iter().zip(&s.spans) {
        assert!(
            q.explanation.is_empty() && !e.explanation.is_empty(),
            "{e:?}"
        );
        let strip = |x: &Suggestion| Suggestion {
            explanation: String::new(),
            ..x.clone()
        };
        assert_eq!(strip(q), strip(e));
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("He said".to_string()),
        Just(" that ".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just("‘".to_string()),
        Just("’s ".to_string()),
        Just("«".to_string()),
        Just(". ".to_string()),
        Just(", ".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("U.S. ".to_string()),
        Just("Vladimir Putin ".to_string()),
        Just("according to ".to_string()),
        Just("does not endorse ".to_string()),
        Just("e\u{301}\u{302} ".to_string()),
        Just("👩‍👩‍👧 ".to_string()),
        Just("北京市 ".to_string()),
        Just("שלום עולם ".to_string()),
        Just("مرحبا ".to_string()),
        Just("\u{200d}\u{feff}".to_string()),
        "\\PC{0,8}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_unicode(parts in proptest::collection::vec(piece(), 0..30)) {
        let rules = RuleSet::default_en_news();
        check_text(&rules, &parts.concat());
    }

    #[test]
    fn fast_path_matches_unicode_segmentation(s in "[a-zA-Z0-9 .,;:'_\\-\"!?()‘’“”«»–—é]{0,60}") {
        let fast: Vec<(usize, usize)> = tokenize(&s).iter().map(|t| (t.byte_start, t.byte_end)).collect();
        let reference: Vec<(usize, usize)> = reference_segments(&s)
            .into_iter()
            .filter(|(b, l)| !s[*b..b + l].chars().all(char::is_whitespace))
            .map(|(b, l)| (b, b + l))
            .collect();
        // Clitics split off ('s, n't) are the only difference allowed.
        let merged: Vec<(usize, usize)> = fast.iter().fold(Vec::new(), |mut acc: Vec<(usize, usize)>, &(a, b)| {
            match acc.last_mut() {
                Some(last) if last.1 == a && ["'s", "n't", "’s", "n’t"].iter().any(|c| s[a..b].eq_ignore_ascii_case(c)) => last.1 = b,
                _ => acc.push((a, b)),
            }
            acc
        });
        prop_assert_eq!(merged, reference);
    }
}

#[test]
fn edge_texts() {
    let rules = RuleSet::default_en_news();
    for t in [
        "",
        " ",
        "\n",
        "“",
        "”",
        "\"",
        "“unclosed",
        "He said: “",
        "said that",
        "\r\n\r\n“x",
        "’",
        "a’",
        "according to",
        "...",
    ] {
        check_text(&rules, t);
    }
    let long = "“".repeat(5000) + &"He said that x. ".repeat(2000);
    check_text(&rules, &long);
}

#[test]
fn astral_offsets_are_code_points() {
    let rules = RuleSet::default_en_news();
    let text = "😀😀 “We will win,” said Anna Berg.";
    let s = rules.suggest(text);
    let chars: Vec<char> = text.chars().collect();
    let claim = s
        .spans
        .iter()
        .find(|x| x.label == "Claim")
        .map(|x| chars[x.start..x.end].iter().collect::<String>());
    assert_eq!(claim.as_deref(), Some("We will win"));
}
