//! Tokenizer: Unicode word boundaries (`unicode-segmentation`) with code point and
//! byte offsets, a word shape, and flags the matcher tests (punctuation, capital
//! initial, quote marks, sentence start).
//!
//! Whitespace is not a token. A possessive `’s`/`'s` and a clitic `n’t`/`n't` are
//! split off their word as spaCy does, so `Putin’s` is `Putin` + `’s`.

use unicode_segmentation::UnicodeSegmentation;

/// What kind of token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits, apostrophes or inner dots: `U.S`, `don't`).
    Word,
    /// Digits, possibly with inner separators: `2023`, `3.5`.
    Number,
    /// Punctuation: `.`, `,`, `“`, `—`.
    Punct,
    /// Anything else: emoji, symbols.
    Symbol,
}

/// One token of a text. Offsets are Unicode code points (`start..end`) and UTF-8
/// bytes (`byte_start..byte_end`), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub kind: TokenKind,
    /// Starts a sentence (set by [`crate::rules::sentences`] analysis; `tokenize`
    /// alone marks the first token only).
    pub is_sent_start: bool,
    /// Whitespace containing a line break precedes this token.
    pub newline_before: bool,
    /// A blank line (two or more line breaks) precedes this token.
    pub para_start: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.byte_start..self.byte_end).unwrap_or("")
    }

    /// The token's lowercase form.
    pub fn lower(&self, src: &str) -> String {
        self.text(src).to_lowercase()
    }

    /// spaCy-like shape: letters become `X`/`x`, digits `d`, runs longer than
    /// four of the same class are cut to four (`Xxxxx` → `Xxxx`).
    pub fn shape(&self, src: &str) -> String {
        shape_of(self.text(src))
    }

    pub fn is_punct(&self) -> bool {
        self.kind == TokenKind::Punct
    }
}

/// spaCy-like word shape of a string.
pub fn shape_of(s: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in s.chars() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if m == last {
            run += 1;
        } else {
            run = 1;
            last = m;
        }
        if run <= 4 {
            out.push(m);
        }
    }
    out
}

fn classify(seg: &str) -> TokenKind {
    let mut chars = seg.chars();
    let Some(first) = chars.next() else {
        return TokenKind::Symbol;
    };
    if seg.chars().any(char::is_alphabetic) {
        TokenKind::Word
    } else if first.is_numeric() {
        TokenKind::Number
    } else if is_punct_char(first) {
        TokenKind::Punct
    } else {
        TokenKind::Symbol
    }
}

/// Punctuation in the sense of Unicode general categories P* (approximated).
pub fn is_punct_char(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '«' | '»' | '¡' | '¿' | '·' | '§' | '¶'
                | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{FF01}'..='\u{FF0F}'
        )
}

/// Length in bytes of a trailing clitic to split off a word (`’s`, `'s`, `n’t`, `n't`).
#[inline(always)]
fn clitic_len(word: &[u8]) -> usize {
    let n = word.len();
    // Every clitic ends in `s` or `t` after an apostrophe (`'` or the last byte of `’`).
    if n < 3 || !matches!(word[n - 1] | 0x20, b's' | b't') || !matches!(word[n - 2], b'\'' | 0x99) {
        return 0;
    }
    let ends = |suffix: &str| {
        let k = suffix.len();
        n > k && word[n - k..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    for suffix in ["n’t", "n't", "’s", "'s"] {
        if ends(suffix) {
            return suffix.len();
        }
    }
    0
}

/// Non-ASCII characters the fast path handles: `‘` `’` (UAX #29 MidNumLet, like
/// `'` between letters or digits) and `“` `”` `«` `»` `–` `—` (Other: always a
/// segment of their own). Their byte length and whether they join.
#[inline]
fn fast_char(b: &[u8], i: usize) -> Option<(usize, bool)> {
    match b.get(i..i + 2)? {
        [0xC2, 0xAB | 0xBB] => Some((2, false)),
        [0xE2, 0x80] => match b.get(i + 2)? {
            0x98 | 0x99 => Some((3, true)),
            0x93 | 0x94 | 0x9C | 0x9D => Some((3, false)),
            _ => None,
        },
        _ => None,
    }
}

/// Tokens being built: the current code point offset and line breaks since the last token.
struct Builder {
    tokens: Vec<Token>,
    cp: usize,
    newlines: usize,
}

impl Builder {
    #[inline]
    fn push(&mut self, bs: usize, be: usize, s: usize, e: usize, kind: TokenKind, nl: usize) {
        self.tokens.push(Token {
            start: s,
            end: e,
            byte_start: bs,
            byte_end: be,
            kind,
            is_sent_start: false,
            newline_before: nl > 0,
            para_start: nl > 1,
        });
    }

    /// A non-whitespace segment `b..e` of `text` with `n_cp` code points.
    #[inline(always)]
    fn seg(&mut self, text: &str, b: usize, e: usize, n_cp: usize, kind: TokenKind) {
        let cp = self.cp;
        let newlines = self.newlines;
        let split = if kind == TokenKind::Word {
            clitic_len(&text.as_bytes()[b..e])
        } else {
            0
        };
        if split > 0 {
            let h = e - split;
            let head = &text.as_bytes()[b..h];
            let head_cp = if head.is_ascii() {
                head.len()
            } else {
                text[b..h].chars().count()
            };
            self.push(b, h, cp, cp + head_cp, kind, newlines);
            self.push(h, e, cp + head_cp, cp + n_cp, TokenKind::Word, 0);
        } else {
            self.push(b, e, cp, cp + n_cp, kind, newlines);
        }
        self.newlines = 0;
        self.cp += n_cp;
    }

    /// A whitespace run.
    fn ws(&mut self, seg: &str) {
        let lf = seg.bytes().filter(|&c| c == b'\n').count();
        self.newlines += if lf > 0 {
            lf
        } else {
            seg.bytes().filter(|&c| c == b'\r').count()
        };
        self.cp += if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().count()
        };
    }
}

const C_WS: u8 = 1;
const C_WORD: u8 = 2;
const C_ALPHA: u8 = 4;
const C_DIGIT: u8 = 8;
/// `.` `'`: join letters and digits.
const C_MID_BOTH: u8 = 16;
/// `:` joins letters.
const C_MID_LETTER: u8 = 32;
/// `,` `;` join digits.
const C_MID_NUM: u8 = 64;
const C_PUNCT: u8 = 128;

/// Byte classes of ASCII (non-ASCII bytes are 0).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        let mut k = 0;
        if b.is_ascii_whitespace() {
            k |= C_WS;
        }
        if b.is_ascii_alphabetic() {
            k |= C_WORD | C_ALPHA;
        }
        if b.is_ascii_digit() {
            k |= C_WORD | C_DIGIT;
        }
        if b == b'_' {
            k |= C_WORD;
        }
        if b == b'.' || b == b'\'' {
            k |= C_MID_BOTH;
        }
        if b == b':' {
            k |= C_MID_LETTER;
        }
        if b == b',' || b == b';' {
            k |= C_MID_NUM;
        }
        if b.is_ascii_punctuation() {
            k |= C_PUNCT;
        }
        t[c] = k;
        c += 1;
    }
    t
};

/// Segments one chunk (the text from `i` to the next whitespace) on the fast
/// path: ASCII and [`fast_char`]s, as UAX #29 splits them (letters and digits
/// joined across `.` `'` `’` `‘` `:` between letters and `.` `,` `;` `'` `’`
/// `‘` between digits, `_` joining; any other character alone). Returns the
/// chunk end, or `None` at a character it does not handle (the caller then
/// drops the tokens pushed for this chunk and takes the general path).
#[inline]
fn fast_chunk(text: &str, mut i: usize, tk: &mut Builder) -> Option<usize> {
    let b = text.as_bytes();
    let n = b.len();
    while i < n {
        let c = b[i];
        let k = CLASS[c as usize];
        if k & C_WORD != 0 {
            let mut j = i + 1;
            let mut alpha = k & C_ALPHA != 0;
            let mut wide = 0; // bytes of joined non-ASCII marks beyond their first
            loop {
                // The run of word bytes, and whether one is a letter.
                let mut acc = 0u8;
                for &c in &b[j..] {
                    let k = CLASS[c as usize];
                    if k & C_WORD == 0 {
                        break;
                    }
                    acc |= k;
                    j += 1;
                }
                alpha |= acc & C_ALPHA != 0;
                if j + 1 >= n {
                    break;
                }
                let m = b[j];
                let (ml, mk) = if m < 0x80 {
                    (1, CLASS[m as usize])
                } else {
                    match fast_char(b, j) {
                        Some((l, true)) => (l, C_MID_BOTH),
                        _ => break,
                    }
                };
                if mk & (C_MID_BOTH | C_MID_LETTER | C_MID_NUM) == 0 || j + ml >= n {
                    break;
                }
                let (p, x) = (CLASS[b[j - 1] as usize], CLASS[b[j + ml] as usize]);
                let letters = p & x & C_ALPHA != 0 && mk & (C_MID_BOTH | C_MID_LETTER) != 0;
                let digits = p & x & C_DIGIT != 0 && mk & (C_MID_BOTH | C_MID_NUM) != 0;
                if !(letters || digits) {
                    break;
                }
                alpha |= letters;
                j += ml + 1;
                wide += ml - 1;
            }
            let kind = if alpha {
                TokenKind::Word
            } else if k & C_DIGIT != 0 {
                TokenKind::Number
            } else {
                TokenKind::Punct // `_`
            };
            tk.seg(text, i, j, j - i - wide, kind);
            i = j;
        } else if k & C_WS != 0 {
            return Some(i);
        } else if c < 0x80 {
            let kind = if k & C_PUNCT != 0 {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            };
            tk.seg(text, i, i + 1, 1, kind);
            i += 1;
        } else if let Some((l, _)) = fast_char(b, i) {
            tk.seg(text, i, i + l, 1, TokenKind::Punct);
            i += l;
        } else {
            return match text[i..].chars().next() {
                Some(ch) if ch.is_whitespace() => Some(i),
                _ => None,
            };
        }
    }
    Some(i)
}

/// Tokens of the whole text: whitespace runs are skipped, the chunks between
/// them split at word boundaries (on a fast path when they hold only ASCII and
/// common quote marks and dashes, others through `unicode-segmentation`).
fn segments(text: &str, tk: &mut Builder) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // One space between words, the common case.
        if bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|&c| c > b' ' && c < 0x80) {
            i += 1;
            tk.cp += 1;
        }
        // Whitespace run (ASCII or Unicode).
        let (mut cps, mut lf, mut cr) = (0usize, 0usize, 0usize);
        while i < n {
            let c = bytes[i];
            if c < 0x80 {
                if CLASS[c as usize] & C_WS == 0 {
                    break;
                }
                lf += usize::from(c == b'\n');
                cr += usize::from(c == b'\r');
                i += 1;
            } else {
                match text[i..].chars().next() {
                    Some(c) if c.is_whitespace() => i += c.len_utf8(),
                    _ => break,
                }
            }
            cps += 1;
        }
        if cps > 0 {
            tk.newlines += if lf > 0 { lf } else { cr };
            tk.cp += cps;
        }
        if i >= n {
            break;
        }
        let start = i;
        let saved = (tk.tokens.len(), tk.cp, tk.newlines);
        if let Some(end) = fast_chunk(text, i, tk) {
            i = end;
            continue;
        }
        // General path for the whole chunk.
        tk.tokens.truncate(saved.0);
        tk.cp = saved.1;
        tk.newlines = saved.2;
        i = general_chunk(text, start, tk);
    }
}

/// Segments the chunk from `start` to the next whitespace through
/// `unicode-segmentation` (the characters the fast path does not handle);
/// returns the chunk end. Kept out of line so that the fast loop stays small.
#[inline(never)]
fn general_chunk(text: &str, start: usize, tk: &mut Builder) -> usize {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = start;
    while i < n {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            break;
        }
        if c >= 0x80 {
            match text[i..].chars().next() {
                Some(ch) if ch.is_whitespace() => break,
                Some(ch) => i += ch.len_utf8(),
                None => break,
            }
        } else {
            i += 1;
        }
    }
    let chunk = &text[start..i];
    for (b, seg) in chunk.split_word_bound_indices() {
        let n_cp = if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().count()
        };
        if seg.chars().all(char::is_whitespace) {
            tk.ws(seg);
            continue;
        }
        tk.seg(text, start + b, start + b + seg.len(), n_cp, classify(seg));
    }
    i
}

/// The same segmentation as [`tokenize`] uses, through `unicode-segmentation`
/// only (for tests comparing the fast path).
pub fn reference_segments(text: &str) -> Vec<(usize, usize)> {
    text.split_word_bound_indices()
        .map(|(b, s)| (b, s.len()))
        .collect()
}

/// Splits `text` into tokens. Never panics; whitespace is skipped.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into `tokens` (cleared first; its capacity is reused).
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    tokens.reserve(text.len() / 5 + 1);
    let mut tk = Builder {
        tokens: std::mem::take(tokens),
        cp: 0,
        newlines: 0,
    };
    segments(text, &mut tk);
    *tokens = tk.tokens;
    if let Some(t) = tokens.first_mut() {
        t.is_sent_start = true;
        t.para_start = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_clitics() {
        let t = "Putin’s “aide” doesn't—U.S. 3.5 😀";
        let toks = tokenize(t);
        let texts: Vec<&str> = toks.iter().map(|x| x.text(t)).collect();
        assert_eq!(
            texts,
            [
                "Putin", "’s", "“", "aide", "”", "does", "n't", "—", "U.S", ".", "3.5", "😀"
            ]
        );
        let chars: Vec<char> = t.chars().collect();
        for tok in &toks {
            let s: String = chars[tok.start..tok.end].iter().collect();
            assert_eq!(s, tok.text(t));
        }
        assert_eq!(shape_of("Putin"), "Xxxxx");
        assert_eq!(shape_of("Washington"), "Xxxxx");
        assert_eq!(shape_of("2023"), "dddd");
    }
}
