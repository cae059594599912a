//! Errors of loading rule files and streaming JSONL, with the file, line and
//! column, the rule id and what is wrong, so that an analyst can fix the file.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum RuleError {
    /// The file is not valid RON / JSON, or a field has the wrong type.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A rule is well-formed but cannot be used.
    #[error("{file}:{line}:{column}: rule `{rule}`: {message}")]
    Rule {
        file: String,
        line: usize,
        column: usize,
        rule: String,
        message: String,
    },

    /// Something wrong with the file as a whole (e.g. too many lexicons).
    #[error("{file}: {message}")]
    File { file: String, message: String },

    /// The file cannot be read.
    #[error("{file}: cannot read: {error}")]
    Io { file: String, error: std::io::Error },

    /// The rule file's extension is neither `.ron` nor `.jsonl`.
    #[error(
        "{file}: unknown rule file type; use a `.ron` rule file or a spaCy `.jsonl` patterns file"
    )]
    UnknownExtension { file: String },
}

/// Line and column (1-based) of a byte offset in `src`.
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(src.len());
    let mut b = byte;
    while b > 0 && !src.is_char_boundary(b) {
        b -= 1;
    }
    let before = &src[..b];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}
