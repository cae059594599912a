//! Document text with fast conversion between code point and byte offsets.
//!
//! Sayso counts every offset in Unicode code points (the indices of a Python
//! `str`), end exclusive. Rust strings are indexed by byte, so [`Text`] keeps
//! a small index of byte positions (one every [`STRIDE`] code points) that
//! turns a code point offset into a byte offset in constant time. Pure ASCII
//! text needs no index at all.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Code points between two checkpoints of the index.
const STRIDE: usize = 32;

/// Immutable document text plus its offset index.
#[derive(Clone, Default)]
pub struct Text {
    text: String,
    chars: usize,
    /// `checkpoints[i]` is the byte offset of code point `i * STRIDE`;
    /// empty when the text is ASCII (byte offset = code point offset).
    checkpoints: Vec<usize>,
}

impl Text {
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let mut checkpoints = Vec::new();
        let chars = if text.is_ascii() {
            text.len()
        } else {
            let mut count = 0;
            for (byte, _) in text.char_indices() {
                if count % STRIDE == 0 {
                    checkpoints.push(byte);
                }
                count += 1;
            }
            count
        };
        Self {
            text,
            chars,
            checkpoints,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in code points.
    pub fn len_chars(&self) -> usize {
        self.chars
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Byte offset of code point `pos`; `pos` past the end gives the length.
    pub fn byte_of(&self, pos: usize) -> usize {
        if pos >= self.chars {
            return self.text.len();
        }
        if self.checkpoints.is_empty() {
            return pos;
        }
        let base = self.checkpoints[pos / STRIDE];
        let skip = pos % STRIDE;
        match self.text[base..].char_indices().nth(skip) {
            Some((offset, _)) => base + offset,
            None => self.text.len(),
        }
    }

    /// Code point offset of byte `byte`, rounded down to a char boundary.
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.text.len() {
            return self.chars;
        }
        if self.checkpoints.is_empty() {
            return byte;
        }
        let block = self.checkpoints.partition_point(|&b| b <= byte) - 1;
        let base = self.checkpoints[block];
        block * STRIDE
            + self.text[base..]
                .char_indices()
                .take_while(|(o, _)| base + o <= byte)
                .count()
            - 1
    }

    /// The text between two code point offsets; out-of-range offsets are
    /// clamped, so this never panics.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let start = self.byte_of(start);
        let end = self.byte_of(end).max(start);
        &self.text[start..end]
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text.fmt(f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.text.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Text::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_trip_on_mixed_text() {
        let s = "a’b😀c\u{301}d 中文 שלום\r\n".repeat(20);
        let text = Text::new(s.clone());
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        assert_eq!(text.len_chars(), chars.len());
        for (i, (byte, _)) in chars.iter().enumerate() {
            assert_eq!(text.byte_of(i), *byte);
            assert_eq!(text.char_of(*byte), i);
        }
        assert_eq!(text.byte_of(chars.len()), s.len());
        assert_eq!(text.slice(1, 2), "’");
        assert_eq!(text.slice(3, 4), "😀");
    }

    #[test]
    fn slice_clamps_instead_of_panicking() {
        let text = Text::new("abc");
        assert_eq!(text.slice(2, 10), "c");
        assert_eq!(text.slice(5, 1), "");
    }
}
