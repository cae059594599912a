//! Writing XML text safely by hand (the Label Studio config, UIMA XMI and
//! its type system), and the one rule XML 1.0 adds: some characters cannot
//! be written at all.
//!
//! Attribute values escape `&`, `<`, `>`, `"` and also tab, line feed and
//! carriage return as character references: a reader normalises raw ones in
//! an attribute to spaces, which would change a document text kept in one
//! (UIMA's `sofaString`). Characters that XML 1.0 forbids even as references
//! (most C0 controls, U+FFFE, U+FFFF) become U+FFFD, one character for one,
//! so code point and UTF-16 offsets stay as they were; the caller counts them.

/// Whether XML 1.0 can hold `c` (its `Char` production).
pub fn is_xml10_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// How many characters of `s` XML 1.0 cannot hold.
pub fn illegal_chars(s: &str) -> usize {
    s.chars().filter(|&c| !is_xml10_char(c)).count()
}

/// `s` escaped for an attribute value in double quotes.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if !is_xml10_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a conforming reader gives back for an attribute we wrote.
    fn read_back(value: &str) -> String {
        let doc = format!("<a v=\"{}\"/>", attr(value));
        let mut reader = quick_xml::Reader::from_str(&doc);
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Empty(e) => {
                let a = e.attributes().next().unwrap().unwrap();
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .unwrap()
                    .into_owned()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn attribute_values_survive_normalisation() {
        for s in ["a\r\nb\tc\n", "<&>\"'", "😀 東京 e\u{301}", ""] {
            assert_eq!(read_back(s), s);
        }
    }

    #[test]
    fn characters_xml_cannot_hold_become_replacement_characters() {
        assert_eq!(illegal_chars("a\u{1}b\u{FFFF}c\u{B}"), 3);
        assert_eq!(read_back("a\u{1}b"), "a\u{FFFD}b");
        assert_eq!(illegal_chars("a\tb\n😀"), 0);
    }
}
