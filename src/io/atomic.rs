//! Writing a file so that it is never half written and never written
//! anywhere but where it was asked: the content goes to a temporary file
//! created exclusively (`O_EXCL`: never an existing file, never through a
//! symbolic link) with an unpredictable name in the target's folder, and is
//! renamed over the target when complete (a rename replaces a symbolic
//! link at the target, it does not follow it).
//!
//! Temporary names are `NAME.tmp<PID>.<random>` (`NAME.bak.tmp<PID>.…` for
//! a backup copy), so that the temporaries of a killed writer can be told
//! from those of a running one: [`remove_stale`] removes those whose
//! process is gone (and the `NAME.tmp<PID>` files of earlier versions).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// The folder `target` is in (`.` for a bare file name).
pub fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn file_name(target: &Path) -> io::Result<String> {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path names no file (it ends in `..` or is a root)",
            )
        })
}

/// A new temporary file for `target` (see the module's doc), in the
/// target's folder; `tag` is `.tmp` or `.bak.tmp`. It has the permissions
/// of `like` when that file exists, else those a new file gets (0666 less
/// the umask). It is removed when dropped unless persisted.
pub fn temporary_for(target: &Path, tag: &str, like: Option<&Path>) -> io::Result<NamedTempFile> {
    let prefix = format!("{}{tag}{}.", file_name(target)?, std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(8);
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        like.and_then(|p| std::fs::metadata(p).ok())
            .filter(|m| m.is_file())
            .map(|m| m.permissions())
            .unwrap_or_else(|| std::fs::Permissions::from_mode(0o666))
    };
    #[cfg(unix)]
    builder.permissions(permissions);
    #[cfg(not(unix))]
    let _ = like;
    builder.tempfile_in(folder_of(target))
}

/// Writes `target` atomically: `body` writes the content through a buffer
/// into a new temporary file (see [`temporary_for`]), which is synced and
/// renamed over `target`. On any error the temporary file is removed and
/// `target` is unchanged.
pub fn write<T>(
    target: &Path,
    body: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let tmp = temporary_for(target, ".tmp", Some(target))?;
    let mut out = io::BufWriter::new(tmp.as_file());
    let value = body(&mut out)?;
    out.flush()?;
    drop(out);
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(value)
}

/// Whether process `pid` runs on this machine: `None` when that cannot be
/// told (no `/proc`).
pub fn process_running(pid: u32) -> Option<bool> {
    if pid == std::process::id() {
        return Some(true);
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}

/// Removes the temporary files that writers of `target` killed before they
/// finished left behind (names `NAME<tag><PID>` or `NAME<tag><PID>.…` for
/// each tag, whose process no longer runs on this machine); returns them.
/// Files of running processes, and all of them where processes cannot be
/// checked, stay. A name of this process without the random part is a
/// leftover of an earlier version and goes too.
pub fn remove_stale(target: &Path, tags: &[&str]) -> Vec<PathBuf> {
    let Ok(name) = file_name(target) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(folder_of(target)) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else {
            continue;
        };
        let Some(rest) = tags
            .iter()
            .find_map(|tag| file.strip_prefix(&format!("{name}{tag}")))
        else {
            continue;
        };
        let (digits, random) = match rest.split_once('.') {
            Some((d, r)) => (d, Some(r)),
            None => (rest, None),
        };
        let Ok(pid) = digits.parse::<u32>() else {
            continue;
        };
        let stale = if pid == std::process::id() {
            random.is_none()
        } else {
            process_running(pid) == Some(false)
        };
        // Regular files and links (removing a link leaves what it points to).
        let plain = entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink());
        if stale && plain && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// Copies `from` into a new temporary file for `to` and renames it over
/// `to` (a backup that is whole or absent).
pub fn copy(from: &Path, to: &Path) -> io::Result<()> {
    let mut tmp = temporary_for(to, ".tmp", Some(from))?;
    io::copy(&mut File::open(from)?, tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(to).map_err(|e| e.error)?;
    Ok(())
}
