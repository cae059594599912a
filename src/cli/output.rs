//! Standard output and error for the commands: a reader that closes the pipe
//! early (`sayso info P.sayso | head`) ends the command quietly instead of a
//! panic, messages on standard error never fail a command, and a closed
//! standard output (`>&-`) can be told from one that goes somewhere.

use std::io::Write;

use anyhow::Context;

/// Whether standard output was closed when the program started (`>&-`).
///
/// Rust's runtime opens a closed standard stream on `/dev/null`, read and
/// write, before `main`, so that no file the program opens takes its number;
/// a shell's `>/dev/null` opens it for writing only. So standard output on
/// `/dev/null` that can be read from was closed by the caller.
pub fn stdout_closed() -> bool {
    #[cfg(unix)]
    {
        use std::io::Read;
        use std::os::fd::AsFd;
        let null = crate::io::file_id::of_path(std::path::Path::new("/dev/null"));
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
            return true;
        };
        let mut out = std::fs::File::from(fd);
        let is_null = null.is_some()
            && crate::io::file_id::of_file(&out, std::path::Path::new("/dev/stdout")) == null;
        is_null && out.read(&mut [0u8; 1]).is_ok()
    }
    #[cfg(not(unix))]
    false
}

/// Whether `e` (or what caused it) is a write to a pipe whose reader left.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Whether `c` is printed as an escape: control characters (a terminal
/// obeys escape sequences, a carriage return overwrites the line) and the
/// bidirectional embeddings, overrides and isolates (which reorder what a
/// terminal shows).
fn escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s`, one value from the user's data (a document or file name, a label),
/// as the commands print it: the characters of [`escaped`] written as
/// escapes (`evil\u{1b}[2J`, `a\nb`), so that it cannot send escape
/// sequences to the terminal nor pass for another line.
pub fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A path from the user as the commands print it (see [`shown`]).
pub fn shown_path(path: &std::path::Path) -> String {
    shown(&path.display().to_string())
}

/// Text of whole lines (a message, a summary, a table) as the commands
/// print it: like [`shown`], but its line breaks stay. Everything the
/// commands write to the terminal passes here ([`print_out`], [`note`],
/// the error `main` prints), so a name inside a library's message is
/// escaped too; names put into messages by the commands themselves go
/// through [`shown`], so that a line break in one is escaped as well.
pub fn shown_lines(s: &str) -> String {
    s.split('\n').map(shown).collect::<Vec<_>>().join("\n")
}

/// JSON text as the commands print it: the bidirectional controls inside
/// its strings written as JSON escapes (`\u202e`), which a JSON reader
/// reads as the same characters (`serde_json` escapes control characters
/// itself).
pub fn shown_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if escaped(c) && !c.is_control() {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes `text` to standard output, escaped by [`shown_lines`]. A closed
/// pipe comes back as an error that [`is_broken_pipe`] recognises, and
/// `main` ends quietly on it.
pub(crate) fn print_out(text: &str) -> anyhow::Result<()> {
    let text = shown_lines(text);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .context("cannot write to standard output")
}

/// A message on standard error (`sayso: …`), escaped by [`shown_lines`]; a
/// closed standard error is not an error of the command.
pub(crate) fn note(text: impl std::fmt::Display) {
    let text = shown_lines(&text.to_string());
    let _ = writeln!(std::io::stderr().lock(), "sayso: {text}");
}

/// The message `main` prints for a failed command (`sayso: error: …`),
/// escaped by [`shown_lines`].
pub fn error_message(e: &anyhow::Error) -> String {
    format!("sayso: error: {}", shown_lines(&format!("{e:#}")))
}
