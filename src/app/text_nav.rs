//! Word and sentence boundaries over a document's text, selection snapping,
//! and the "nearest preceding speaker" rule used to auto-link new spans.
//!
//! Every offset here is a code point offset into [`Text`], end exclusive.
//! Sentences come from the rule engine's splitter, through one function,
//! [`sentence_starts`].

use crate::model::{Document, Relation, Schema, Span, SpanId, Text};

/// Characters that belong to a word. Apostrophes and hyphens join two word
/// characters (`Putin’s`, `Israel-Gaza`) and are handled in [`is_joiner`].
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐')
}

/// Code points of `text` from `pos` onwards.
fn chars_from(text: &Text, pos: usize) -> std::str::Chars<'_> {
    text.as_str()[text.byte_of(pos)..].chars()
}

/// Code points of `text` before `pos`, nearest first.
fn chars_before(text: &Text, pos: usize) -> std::iter::Rev<std::str::Chars<'_>> {
    text.as_str()[..text.byte_of(pos)].chars().rev()
}

/// Whether the code point at `pos` is part of a word (joiners count when
/// they sit between two word characters).
fn word_at(text: &Text, pos: usize) -> bool {
    let mut after = chars_from(text, pos);
    let Some(c) = after.next() else {
        return false;
    };
    if is_word_char(c) {
        return true;
    }
    if is_joiner(c) {
        let next = after.next().is_some_and(is_word_char);
        let prev = chars_before(text, pos).next().is_some_and(is_word_char);
        return next && prev;
    }
    false
}

/// Start of the word that `pos` lies in (or `pos` itself when the code
/// point at `pos` is not part of a word).
pub fn word_start(text: &Text, pos: usize) -> usize {
    let mut p = pos.min(text.len_chars());
    if word_at(text, p) {
        while p > 0 && word_at(text, p - 1) {
            p -= 1;
        }
    }
    p
}

/// End of the word that the code point before `pos` lies in (or `pos`
/// itself when that code point is not part of a word).
pub fn word_end(text: &Text, pos: usize) -> usize {
    let len = text.len_chars();
    let mut p = pos.min(len);
    if p > 0 && word_at(text, p - 1) {
        while p < len && word_at(text, p) {
            p += 1;
        }
    }
    p
}

/// The word (or the single non-space code point) at `pos`.
pub fn word_range_at(text: &Text, pos: usize) -> Option<(usize, usize)> {
    let len = text.len_chars();
    if pos >= len {
        return None;
    }
    if word_at(text, pos) {
        return Some((word_start(text, pos), word_end(text, pos + 1)));
    }
    match chars_from(text, pos).next() {
        Some(c) if !c.is_whitespace() => Some((pos, pos + 1)),
        _ => None,
    }
}

/// The caret position one word to the right: the end of the next word (or
/// punctuation mark).
pub fn next_word(text: &Text, pos: usize) -> usize {
    let len = text.len_chars();
    let mut p = pos.min(len);
    let mut it = chars_from(text, p).peekable();
    while it.peek().is_some_and(|c| c.is_whitespace()) {
        it.next();
        p += 1;
    }
    if p >= len {
        return len;
    }
    if word_at(text, p) {
        word_end(text, p + 1)
    } else {
        p + 1
    }
}

/// The caret position one word to the left: the start of the previous word
/// (or punctuation mark).
pub fn prev_word(text: &Text, pos: usize) -> usize {
    let mut p = pos.min(text.len_chars());
    let mut it = chars_before(text, p).peekable();
    while it.peek().is_some_and(|c| c.is_whitespace()) {
        it.next();
        p -= 1;
    }
    if p == 0 {
        return 0;
    }
    if word_at(text, p - 1) {
        word_start(text, p - 1)
    } else {
        p - 1
    }
}

/// Turns a raw selection into span bounds: whitespace is trimmed at both
/// ends and, when `snap` is set, partial words grow to whole words. `None`
/// when nothing but whitespace is selected.
pub fn snap_selection(text: &Text, a: usize, b: usize, snap: bool) -> Option<(usize, usize)> {
    let len = text.len_chars();
    let (mut start, mut end) = (a.min(b).min(len), a.max(b).min(len));
    if snap {
        start = word_start(text, start);
        end = word_end(text, end);
    }
    let slice = text.slice(start, end);
    let lead = slice.chars().take_while(|c| c.is_whitespace()).count();
    let trail = slice
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    let n = slice.chars().count();
    if lead == n {
        return None;
    }
    start += lead;
    end -= trail;
    Some((start, end))
}

/// Code point offsets where sentences start (always including 0): the
/// rule engine's splitter ([`crate::rules::default_sentences`]), so that
/// the window and the suggestions agree on sentences. This is the one place
/// the window asks for sentences.
pub fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = crate::rules::default_sentences(text)
        .into_iter()
        .map(|r| r.start)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.dedup();
    starts
}

/// Index of the sentence that contains `pos`, given [`sentence_starts`].
pub fn sentence_index(starts: &[usize], pos: usize) -> usize {
    starts.partition_point(|&s| s <= pos).saturating_sub(1)
}

/// The relation that a new span of `label` should get automatically: to
/// the nearest span before `start` whose label the schema links it to, in
/// the same or the previous sentence. `within_sentences` = `None` lifts the
/// sentence limit (the inspector's "nearest preceding speaker").
pub fn nearest_preceding_link(
    schema: &Schema,
    doc: &Document,
    starts: &[usize],
    from: SpanId,
    label: &str,
    start: usize,
    within_sentences: Option<usize>,
) -> Option<Relation> {
    let rel = schema.relations.iter().find(|r| r.from == label)?;
    let sentence = sentence_index(starts, start);
    let min_start = within_sentences.map_or(0, |w| starts[sentence.saturating_sub(w)]);
    doc.spans
        .iter()
        .filter(|s| s.label == rel.to && s.id != from && s.start < start && s.start >= min_start)
        .max_by_key(|s| (s.start, s.end))
        .map(|s: &Span| Relation {
            from,
            kind: rel.name.clone(),
            to: s.id,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_move_and_snap() {
        let t = Text::new("Said “Putin’s men”, Israel-Gaza.");
        assert_eq!(next_word(&t, 0), 4);
        assert_eq!(next_word(&t, 4), 6); // the opening quote
        assert_eq!(next_word(&t, 6), 13); // Putin’s
        assert_eq!(prev_word(&t, 13), 6);
        assert_eq!(snap_selection(&t, 8, 10, true), Some((6, 13)));
        assert_eq!(snap_selection(&t, 8, 10, false), Some((8, 10)));
        assert_eq!(snap_selection(&t, 3, 5, true), Some((0, 4)));
        assert_eq!(snap_selection(&t, 4, 5, true), None);
        assert_eq!(word_range_at(&t, 22), Some((20, 31)));
        assert_eq!(word_range_at(&t, 5), Some((5, 6)));
    }

    #[test]
    fn sentences_split_but_not_after_abbreviations() {
        let s = "He met Mr. Smith in the U.S. today. “It failed,” he said! Then\n\nNext line. ok.";
        let starts = sentence_starts(s);
        let text: Vec<&str> = starts
            .iter()
            .map(|&i| &s[s.char_indices().nth(i).map(|(b, _)| b).unwrap_or(0)..])
            .map(|rest| rest.split_whitespace().next().unwrap_or(""))
            .collect();
        assert_eq!(text, vec!["He", "“It", "Then", "Next"]);
    }
}
