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

/// Writes `text` to standard output. A closed pipe comes back as an error
/// that [`is_broken_pipe`] recognises, and `main` ends quietly on it.
pub(crate) fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .context("cannot write to standard output")
}

/// A message on standard error (`sayso: …`); a closed standard error is
/// not an error of the command.
pub(crate) fn note(text: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "sayso: {text}");
}
