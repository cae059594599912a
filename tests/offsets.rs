//! Offsets are code points, end exclusive, everywhere they leave the
//! program: property tests on random Unicode text.

use proptest::prelude::*;
use sayso::model::{Document, Edit, Project, Span, Text};
use sayso::project;

/// Text made of pieces that break byte or UTF-16 counting: combining
/// marks, emoji (astral, ZWJ sequences, flags), CJK, RTL, CRLF, curly quotes.
fn unicode_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("e\u{301}"),
        Just("😀"),
        Just("👩‍👩‍👧"),
        Just("🇺🇦"),
        Just("中文"),
        Just("שלום"),
        Just("مرحبا"),
        Just("\r\n"),
        Just("\n"),
        Just("“quoted”"),
        Just("’"),
        Just(" "),
        Just("plain"),
        Just("\t"),
        Just("\u{feff}"),
        Just("#\"r##"),
    ];
    prop_oneof![
        prop::collection::vec(piece, 1..60).prop_map(|v| v.concat()),
        "\\PC{1,80}",
    ]
}

/// Python's `text[start:end]`.
fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn text_index_agrees_with_counting_chars(s in unicode_text()) {
        let text = Text::new(s.clone());
        prop_assert_eq!(text.len_chars(), s.chars().count());
        for (i, (byte, _)) in s.char_indices().enumerate() {
            prop_assert_eq!(text.byte_of(i), byte);
            prop_assert_eq!(text.char_of(byte), i);
        }
    }

    #[test]
    fn span_text_round_trips_through_the_project_file(
        s in unicode_text(),
        cuts in prop::collection::vec((0usize..1000, 0usize..1000), 1..12),
    ) {
        let mut p = Project::default();
        Edit::AddDocument { at: 0, document: Box::new(Document::new("d", s.clone())) }
            .apply(&mut p)
            .unwrap();
        let len = s.chars().count();
        prop_assume!(len > 0);
        for (a, b) in cuts {
            let (a, b) = (a % (len + 1), b % (len + 1));
            if a == b { continue; }
            let id = p.new_span_id();
            let span = Span::manual(id, a.min(b), a.max(b), "Claim", "t");
            Edit::AddSpan { doc: 0, span, relations: vec![] }.apply(&mut p).unwrap();
        }
        let saved = project::to_string(&p);
        let back = project::from_str(&saved, std::path::Path::new("t.sayso")).unwrap();
        prop_assert_eq!(&back, &p);
        let doc = &back.documents[0];
        prop_assert_eq!(doc.text.as_str(), s.as_str());
        for span in &doc.spans {
            prop_assert_eq!(doc.span_text(span), py_slice(&s, span.start, span.end));
        }
    }
}
