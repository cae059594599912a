//! Turning the bytes of a text file into document text.
//!
//! UTF-8 (with or without BOM) and UTF-16 with a BOM are read as they are;
//! anything else is either the encoding the user chose or the one that
//! `chardetng` detects (news archives are often Windows-1252), and the
//! result says which was used so the user can be warned. Binary and empty
//! files are refused. Line endings become `\n`.

use encoding_rs::{Encoding, UTF_8};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("the file is empty (or holds only white space)")]
    Empty,
    #[error(
        "the file looks binary (a NUL byte at byte {offset}), not text; convert it to plain text first"
    )]
    Binary { offset: usize },
    #[error(
        "unknown encoding {0:?}; use a WHATWG label such as utf-8, windows-1252, iso-8859-2, shift_jis"
    )]
    UnknownEncoding(String),
}

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Set when the user should know how the file was read: a guessed
    /// legacy encoding, or bytes that had to be replaced.
    pub warning: Option<String>,
}

/// Finds an encoding by its WHATWG label (`windows-1252`, `latin1`, …).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))
}

/// Decodes a text file's bytes. `chosen` overrides detection (a BOM still
/// wins over it, as it is unambiguous).
pub fn decode(bytes: &[u8], chosen: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    let (encoding, body, mut warning) = match Encoding::for_bom(bytes) {
        Some((enc, bom)) => (enc, &bytes[bom..], None),
        None => {
            if let Some(offset) = bytes.iter().take(8192).position(|&b| b == 0) {
                return Err(DecodeError::Binary { offset });
            }
            match chosen {
                Some(enc) => (enc, bytes, None),
                None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes, None),
                None => {
                    let mut detector =
                        chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                    detector.feed(bytes, true);
                    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
                    let note = format!(
                        "not UTF-8; read as {} (detected). If characters look wrong, import again with the right encoding",
                        enc.name()
                    );
                    (enc, bytes, Some(note))
                }
            }
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        let note = format!(
            "some bytes are not valid {}; they were replaced by U+FFFD",
            encoding.name()
        );
        warning = Some(match warning {
            Some(w) => format!("{w}; {note}"),
            None => note,
        });
    }
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(DecodeError::Binary { offset });
    }
    let text = normalize_newlines(&text);
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text,
        encoding,
        warning,
    })
}

/// `\r\n` and lone `\r` become `\n`.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn unknown_encoding_label_is_refused() {
        assert!(matches!(
            encoding_for_label("klingon"),
            Err(DecodeError::UnknownEncoding(_))
        ));
        assert_eq!(encoding_for_label("latin1").unwrap().name(), "windows-1252");
    }
}
