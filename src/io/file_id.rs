//! File identity: whether two names (paths, or a path and a standard
//! stream) are one file. On Unix this compares device and inode, so hard
//! links, symbolic links and different spellings of a path are all caught;
//! elsewhere it compares canonical paths.

use std::fs::{File, Metadata};
use std::path::Path;
#[cfg(not(unix))]
use std::path::PathBuf;

/// Names one file on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(not(unix))]
    path: PathBuf,
    /// A regular file (not a terminal, pipe or device).
    pub regular: bool,
}

impl FileId {
    #[cfg(unix)]
    fn new(meta: &Metadata, _path: Option<&Path>) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            dev_ino: (meta.dev(), meta.ino()),
            regular: meta.is_file(),
        })
    }

    #[cfg(not(unix))]
    fn new(meta: &Metadata, path: Option<&Path>) -> Option<FileId> {
        Some(FileId {
            path: path?.canonicalize().ok()?,
            regular: meta.is_file(),
        })
    }
}

/// The file `path` names (following symbolic links); `None` if there is
/// none (or it cannot be examined).
pub fn of_path(path: &Path) -> Option<FileId> {
    FileId::new(&std::fs::metadata(path).ok()?, Some(path))
}

/// The file an open handle reads or writes, opened from `path`.
pub fn of_file(file: &File, path: &Path) -> Option<FileId> {
    FileId::new(&file.metadata().ok()?, Some(path))
}

/// The file standard input reads from (Unix only).
pub fn of_stdin() -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
        FileId::new(&File::from(fd).metadata().ok()?, None)
    }
    #[cfg(not(unix))]
    None
}

/// The file standard output writes to (Unix only).
pub fn of_stdout() -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
        FileId::new(&File::from(fd).metadata().ok()?, None)
    }
    #[cfg(not(unix))]
    None
}

/// Whether `a` and `b` are the same regular file.
pub fn same_regular_file(a: Option<&FileId>, b: Option<&FileId>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.regular && a == b)
}
