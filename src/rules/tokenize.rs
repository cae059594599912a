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
fn clitic_len(word: &str) -> usize {
    let lower_ends = |suffix: &str| {
        word.len() > suffix.len()
            && word.is_char_boundary(word.len() - suffix.len())
            && word[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    for suffix in ["n’t", "n't"] {
        if lower_ends(suffix) {
            return suffix.len();
        }
    }
    for suffix in ["’s", "'s"] {
        if lower_ends(suffix) {
            return suffix.len();
        }
    }
    0
}

/// Pushes the word-boundary segments of an ASCII chunk without whitespace, as
/// UAX #29 gives them (letters and digits joined across `.` `'` `:` between
/// letters and `.` `,` `;` `'` between digits, `_` joining; any other character alone).
fn ascii_segments(chunk: &str, base: usize, tk: &mut Builder) {
    let b = chunk.as_bytes();
    let n = b.len();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < n {
        if word(b[i]) {
            let mut j = i + 1;
            loop {
                if j < n && word(b[j]) {
                    j += 1;
                    continue;
                }
                if j + 1 < n && j > i {
                    let (p, m, x) = (b[j - 1], b[j], b[j + 1]);
                    let letters = p.is_ascii_alphabetic()
                        && x.is_ascii_alphabetic()
                        && matches!(m, b'.' | b':' | b'\'');
                    let digits = p.is_ascii_digit()
                        && x.is_ascii_digit()
                        && matches!(m, b'.' | b',' | b';' | b'\'');
                    if letters || digits {
                        j += 2;
                        continue;
                    }
                }
                break;
            }
            tk.ascii_seg(&chunk[i..j], base + i);
            i = j;
        } else {
            tk.ascii_seg(&chunk[i..i + 1], base + i);
            i += 1;
        }
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

    /// A non-whitespace segment at byte `b` with `n_cp` code points.
    #[inline]
    fn seg(&mut self, b: usize, seg: &str, n_cp: usize, kind: TokenKind) {
        let cp = self.cp;
        let newlines = self.newlines;
        let split = if kind == TokenKind::Word {
            clitic_len(seg)
        } else {
            0
        };
        if split > 0 {
            let head = &seg[..seg.len() - split];
            let head_cp = if head.is_ascii() {
                head.len()
            } else {
                head.chars().count()
            };
            self.push(b, b + head.len(), cp, cp + head_cp, kind, newlines);
            self.push(
                b + head.len(),
                b + seg.len(),
                cp + head_cp,
                cp + n_cp,
                TokenKind::Word,
                0,
            );
        } else {
            self.push(b, b + seg.len(), cp, cp + n_cp, kind, newlines);
        }
        self.newlines = 0;
        self.cp += n_cp;
    }

    /// An ASCII segment (no whitespace).
    #[inline]
    fn ascii_seg(&mut self, s: &str, b: usize) {
        let seg = s.as_bytes();
        let first = seg[0];
        let kind = if seg.iter().any(u8::is_ascii_alphabetic) {
            TokenKind::Word
        } else if first.is_ascii_digit() {
            TokenKind::Number
        } else if first.is_ascii_punctuation() {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        self.seg(b, s, seg.len(), kind);
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

/// Tokens of the whole text: whitespace runs are skipped, the chunks between
/// them split at word boundaries (ASCII chunks on a fast path, others through
/// `unicode-segmentation`).
fn segments(text: &str, tk: &mut Builder) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // Whitespace run (ASCII or Unicode).
        let ws_start = i;
        while i < n {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
            } else if bytes[i] >= 0x80 {
                match text[i..].chars().next() {
                    Some(c) if c.is_whitespace() => i += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        if i > ws_start {
            tk.ws(&text[ws_start..i]);
        }
        let start = i;
        let mut ascii = true;
        while i < n {
            let c = bytes[i];
            if c.is_ascii_whitespace() {
                break;
            }
            if c >= 0x80 {
                match text[i..].chars().next() {
                    Some(ch) if ch.is_whitespace() => break,
                    Some(ch) => {
                        ascii = false;
                        i += ch.len_utf8();
                    }
                    None => break,
                }
            } else {
                i += 1;
            }
        }
        if i > start {
            if ascii {
                ascii_segments(&text[start..i], start, tk);
            } else {
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
                    tk.seg(start + b, seg, n_cp, classify(seg));
                }
            }
        }
    }
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
    let mut tk = Builder {
        tokens: Vec::with_capacity(text.len() / 5 + 1),
        cp: 0,
        newlines: 0,
    };
    segments(text, &mut tk);
    let mut tokens = tk.tokens;
    if let Some(t) = tokens.first_mut() {
        t.is_sent_start = true;
        t.para_start = true;
    }
    tokens
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
