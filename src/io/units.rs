//! Tokens and sentences for the exporters that need them (CoNLL, token
//! indices in JSONL): Unicode word boundaries (UAX #29) without white
//! space, and sentences that end at `.`, `!` or `?` (plus closing quotes)
//! before white space and a capital or a digit, or at a blank line.
//! Offsets are code points.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Non-blank word-boundary tokens as code point ranges.
pub fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut chars = 0;
    let mut last_byte = 0;
    for (byte, word) in text.split_word_bound_indices() {
        chars += text[last_byte..byte].chars().count();
        last_byte = byte;
        let len = word.chars().count();
        if !word.trim().is_empty() {
            out.push(chars..chars + len);
        }
    }
    out
}

/// Sentence ranges in code points, covering every token.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut end = None;
        if c == '\n' && chars.get(i + 1) == Some(&'\n') {
            end = Some(i);
        } else if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '"' | '\'' | '”' | '’' | '»' | ')') {
                j += 1;
            }
            let ws = j < chars.len() && chars[j].is_whitespace();
            let mut k = j;
            while k < chars.len() && chars[k].is_whitespace() {
                k += 1;
            }
            let next_starts = k >= chars.len()
                || chars[k].is_uppercase()
                || chars[k].is_ascii_digit()
                || matches!(chars[k], '"' | '“' | '‘' | '«');
            let prev_word: String = chars[start..i]
                .iter()
                .rev()
                .take_while(|c| c.is_alphanumeric() || **c == '.')
                .collect();
            let abbreviation = c == '.'
                && (prev_word.chars().count() == 1
                    || prev_word.contains('.')
                    || ABBREVIATIONS
                        .contains(&prev_word.chars().rev().collect::<String>().as_str()));
            if (ws || j >= chars.len()) && next_starts && !abbreviation {
                end = Some(j);
            }
        }
        if let Some(e) = end {
            if chars[start..e].iter().any(|c| !c.is_whitespace()) {
                out.push(start..e);
            }
            start = e;
            i = e.max(i + 1);
        } else {
            i += 1;
        }
    }
    if chars[start..].iter().any(|c| !c.is_whitespace()) {
        out.push(start..chars.len());
    }
    out
}

const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "St", "Jr",
    "Sr", "Inc", "Ltd", "Co", "Corp", "vs", "etc", "No", "Jan", "Feb", "Mar", "Apr", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_skip_white_space_and_count_code_points() {
        let text = "Zoë’s “plan” 😀 works.";
        let toks: Vec<String> = tokens(text)
            .into_iter()
            .map(|r| text.chars().skip(r.start).take(r.len()).collect())
            .collect();
        assert_eq!(toks, ["Zoë’s", "“", "plan", "”", "😀", "works", "."]);
    }

    #[test]
    fn sentences_do_not_end_after_abbreviations() {
        let text = "Mr. Smith met U.S. officials. “Fine,” he said! Then 3 left.\n\nNew para";
        let got: Vec<String> = sentences(text)
            .into_iter()
            .map(|r| {
                text.chars()
                    .skip(r.start)
                    .take(r.len())
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .collect();
        assert_eq!(
            got,
            [
                "Mr. Smith met U.S. officials.",
                "“Fine,” he said!",
                "Then 3 left.",
                "New para"
            ]
        );
    }
}
