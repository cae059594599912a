//! Sentence splitter over tokens. Splits after `.`, `!`, `?`, `…` (and the
//! closing quotes or brackets that follow them) before a capital, digit or
//! opening mark, and at blank lines. Does not split after an abbreviation from
//! the rule file's list (`U.S.`, `Mr.`, `Dr.`), after an initial (`J. Smith`),
//! inside decimals (one token already) or inside a closed quotation.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::lexicon::FxHasher;
use std::ops::Range;

use super::quotes::{Quote, find_quotes};
use super::tokenize::{Token, TokenKind, tokenize};

/// Abbreviations after which a period does not end a sentence. Stored
/// lowercase without the final period (`"u.s"`, `"mr"`).
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    set: HashSet<String, BuildHasherDefault<FxHasher>>,
    /// The ASCII entries of 1 to 8 bytes packed into integers, sorted.
    short: Vec<u64>,
}

/// An ASCII word of 1 to 8 bytes, lowercased and packed (zero padded).
fn pack_short(word: &str) -> Option<u64> {
    let b = word.as_bytes();
    if b.is_empty() || b.len() > 8 || !b.is_ascii() {
        return None;
    }
    let mut arr = [0u8; 8];
    arr[..b.len()].copy_from_slice(b);
    arr.make_ascii_lowercase();
    Some(u64::from_le_bytes(arr))
}

/// The built-in English list used by [`default_sentences`].
pub const DEFAULT_ABBREVIATIONS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Gen.", "Lt.", "Col.", "Capt.",
    "Sgt.", "Adm.", "St.", "Jr.", "Sr.", "Rev.", "Hon.", "U.S.", "U.K.", "U.N.", "E.U.", "D.C.",
    "Inc.", "Ltd.", "Corp.", "Co.", "No.", "vs.", "etc.", "e.g.", "i.e.", "Jan.", "Feb.", "Mar.",
    "Apr.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "approx.", "Ave.", "Mt.",
];

impl Abbreviations {
    pub fn new<S: AsRef<str>>(items: &[S]) -> Self {
        let set = items
            .iter()
            .map(|s| s.as_ref().trim().trim_end_matches('.').to_lowercase())
            .filter(|s| !s.is_empty())
            .collect::<HashSet<String, BuildHasherDefault<FxHasher>>>();
        let mut short: Vec<u64> = set.iter().filter_map(|s| pack_short(s)).collect();
        short.sort_unstable();
        Abbreviations { set, short }
    }

    pub fn english() -> Self {
        Self::new(DEFAULT_ABBREVIATIONS)
    }

    pub fn contains(&self, word: &str) -> bool {
        if let Some(k) = pack_short(word) {
            return self.short.binary_search(&k).is_ok();
        }
        if word.is_ascii() && word.len() <= 16 {
            // Lowercased on the stack.
            let mut buf = [0u8; 16];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).is_ok_and(|w| self.set.contains(w))
        } else {
            self.set.contains(&word.to_lowercase())
        }
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

fn is_terminal(s: &str) -> bool {
    matches!(
        s,
        "." | "!" | "?" | "…" | "。" | "！" | "？" | "..." | "?!" | "!?"
    ) || (s.len() > 1 && s.chars().all(|c| matches!(c, '.' | '!' | '?')))
}

fn is_closer(s: &str) -> bool {
    matches!(
        s,
        "”" | "\"" | "’" | "'" | "»" | "›" | ")" | "]" | "」" | "』"
    )
}

fn starts_sentence_like(s: &str) -> bool {
    match s.chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(
                    c,
                    '“' | '"' | '‘' | '«' | '(' | '[' | '„' | '\'' | '—' | '-'
                )
                || (c.is_alphabetic() && !c.is_lowercase())
        }
        None => false,
    }
}

/// Splits tokens into sentences (token index ranges) and marks each
/// sentence's first token with `is_sent_start`.
pub fn split_tokens(
    text: &str,
    tokens: &mut [Token],
    quotes: &[Quote],
    abbr: &Abbreviations,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    split_tokens_into(text, tokens, quotes, abbr, &mut out);
    out
}

/// Whether a token with this first byte may end a sentence: every terminal
/// mark (`.` `!` `?` `…` `。` `！` `？`) begins with one of these bytes.
#[inline]
pub fn may_end_sentence(first_byte: u8) -> bool {
    static FIRST: [bool; 256] = {
        let mut t = [false; 256];
        t[b'.' as usize] = true;
        t[b'!' as usize] = true;
        t[b'?' as usize] = true;
        t[0xE2] = true;
        t[0xE3] = true;
        t[0xEF] = true;
        t
    };
    FIRST[first_byte as usize]
}

/// [`split_tokens`] into `out` (cleared first; its capacity is reused).
pub fn split_tokens_into(
    text: &str,
    tokens: &mut [Token],
    quotes: &[Quote],
    abbr: &Abbreviations,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    let ends: Vec<u32> = (0..tokens.len())
        .filter(|&i| {
            let t = &tokens[i];
            t.kind == TokenKind::Punct
                && may_end_sentence(bytes.get(t.byte_start).copied().unwrap_or(0))
        })
        .map(|i| i as u32)
        .collect();
    split_tokens_among(text, tokens, quotes, abbr, &ends, out);
}

/// [`split_tokens_into`] given the punctuation tokens that may end a
/// sentence ([`may_end_sentence`]), in order: no other token ends one.
pub fn split_tokens_among(
    text: &str,
    tokens: &mut [Token],
    quotes: &[Quote],
    abbr: &Abbreviations,
    ends: &[u32],
    out: &mut Vec<Range<usize>>,
) {
    out.clear();
    let n = tokens.len();
    // Closed, single-paragraph quotes as token intervals `open + 1..close`:
    // a token inside one is not a sentence start.
    // Per token, how many such intervals hold it (a difference array, then
    // its running sum: linear in tokens and quotes).
    let mut depth = vec![0i32; n + 1];
    for q in quotes {
        if let (Some(c), false) = (q.close_tok, q.multi_paragraph)
            && q.open_tok < c
        {
            depth[(q.open_tok + 1).min(n)] += 1;
            depth[c.min(n)] -= 1;
        }
    }
    let mut run = 0;
    for d in depth.iter_mut() {
        run += *d;
        *d = run;
    }
    let quoted = |i: usize| depth.get(i).is_some_and(|&d| d > 0);
    for (i, t) in tokens.iter_mut().enumerate() {
        t.is_sent_start = i == 0 || t.para_start;
    }
    // Next token that may end a sentence (the closers after one are skipped).
    let mut next = 0;
    for &j in ends {
        let j = j as usize;
        if j < next || j >= n {
            continue;
        }
        let s = tokens[j].text(text);
        if !is_terminal(s) {
            continue;
        }
        let mut k = j + 1;
        while k < n && tokens[k].start == tokens[k - 1].end && is_closer(tokens[k].text(text)) {
            k += 1;
        }
        if k < n && !quoted(k) && (k > j + 1 || !quoted(j)) {
            let next = tokens[k].text(text);
            let mut split = starts_sentence_like(next);
            if s == "." && j > 0 && tokens[j - 1].end == tokens[j].start {
                let prev = tokens[j - 1].text(text);
                if abbr.contains(prev) || is_initials(prev) {
                    split = false;
                }
            }
            if split {
                tokens[k].is_sent_start = true;
            }
        }
        next = k.max(j + 1);
    }
    let mut begin = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is_sent_start && i > begin {
            out.push(begin..i);
            begin = i;
        }
    }
    if n > begin {
        out.push(begin..n);
    }
}

/// `J` or dotted initials such as `G.K` (the tokenizer leaves the last
/// period apart): a name goes on after them.
fn is_initials(word: &str) -> bool {
    word.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
    })
}

/// Sentences of `text` as code point ranges (from the first token's start to
/// the last token's end).
pub fn sentences(text: &str, abbreviations: &Abbreviations) -> Vec<Range<usize>> {
    let mut tokens = tokenize(text);
    let quotes = find_quotes(text, &tokens);
    split_tokens(text, &mut tokens, &quotes, abbreviations)
        .into_iter()
        .map(|r| tokens[r.start].start..tokens[r.end - 1].end)
        .collect()
}

/// [`sentences`] with the built-in English abbreviations.
pub fn default_sentences(text: &str) -> Vec<Range<usize>> {
    sentences(text, &Abbreviations::english())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<String> {
        let chars: Vec<char> = t.chars().collect();
        default_sentences(t)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn abbreviations_initials_quotes() {
        assert_eq!(
            split("The U.S. policy failed. Mr. Smith met J. Doe at 3.5 p.m. today. Fine!"),
            [
                "The U.S. policy failed.",
                "Mr. Smith met J. Doe at 3.5 p.m. today.",
                "Fine!"
            ]
        );
        assert_eq!(
            split("“We won. We will win again,” he said. Then “Stop.” She left."),
            [
                "“We won. We will win again,” he said.",
                "Then “Stop.”",
                "She left."
            ]
        );
        assert_eq!(split("One\n\nTwo"), ["One", "Two"]);
        assert_eq!(
            split("Rep. G.K. Butterfield and J.R.R. Tolkien spoke. Then A. B. left."),
            [
                "Rep. G.K. Butterfield and J.R.R. Tolkien spoke.",
                "Then A. B. left."
            ]
        );
    }
}
