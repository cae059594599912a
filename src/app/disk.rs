//! What the window knows of its project file on disk: the size, the
//! modification time and a hash of the bytes it loaded or saved last. Before
//! a save the window compares the file with this stamp, so that a project
//! changed by another program (a text editor, `git checkout`, a sync
//! client) is not silently overwritten.

use std::hash::Hasher;
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

use crate::model::Project;
use crate::project::{self, ProjectError};

/// A project file as the window last read or wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskStamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub hash: u64,
}

fn hash(bytes: &[u8]) -> u64 {
    // SipHash with fixed keys: the same bytes give the same value in this
    // process, which is all the comparison needs.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Reads the file at `path` once: its bytes and their stamp (the metadata
/// of the same open file, so both describe one version).
fn read(path: &Path) -> std::io::Result<(Vec<u8>, DiskStamp)> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    let stamp = DiskStamp {
        len: bytes.len() as u64,
        modified: meta.modified().ok(),
        hash: hash(&bytes),
    };
    Ok((bytes, stamp))
}

impl DiskStamp {
    /// The stamp of the file at `path` as it is now.
    pub fn of(path: &Path) -> std::io::Result<DiskStamp> {
        read(path).map(|(_, s)| s)
    }
}

/// Loads the project at `path` and stamps the bytes it was read from.
pub fn load(path: &Path) -> Result<(Project, DiskStamp), ProjectError> {
    let (bytes, stamp) = read(path).map_err(|error| ProjectError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    match String::from_utf8(bytes) {
        Ok(src) => project::from_str(&src, path).map(|p| (p, stamp)),
        // The library's loader says where the bad byte is.
        Err(_) => project::load(path).map(|p| (p, stamp)),
    }
}

/// How the file on disk compares with what the window last read or wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskCheck {
    /// The same bytes (a new modification time alone, e.g. `touch`, counts
    /// as the same file).
    Same,
    /// Other bytes: why, for the user.
    Changed(String),
    /// The file is gone (moved away or deleted).
    Missing,
}

/// Compares the file at `path` with `stamp`.
pub fn check(path: &Path, stamp: &DiskStamp) -> DiskCheck {
    match DiskStamp::of(path) {
        Ok(now) if now.len == stamp.len && now.hash == stamp.hash => DiskCheck::Same,
        Ok(now) => {
            let when = now
                .modified
                .map(|t| format!(", last changed {}", super::status_bar::ago(t)))
                .unwrap_or_default();
            DiskCheck::Changed(format!(
                "it now has {} bytes instead of {}{when}",
                now.len, stamp.len
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DiskCheck::Missing,
        Err(e) => DiskCheck::Changed(format!("it cannot be read to compare: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_tells_other_bytes_but_not_a_new_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.sayso");
        project::save(&Project::default(), &path).expect("save");
        let (_, stamp) = load(&path).expect("load");
        assert_eq!(check(&path, &stamp), DiskCheck::Same);
        // Same bytes written again: a new time, the same file.
        let bytes = std::fs::read(&path).expect("read");
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(check(&path, &stamp), DiskCheck::Same);
        // Same length, one byte different.
        let mut other = bytes.clone();
        let i = other.iter().position(|&b| b == b'1').expect("a digit");
        other[i] = b'2';
        std::fs::write(&path, &other).expect("write");
        assert!(matches!(check(&path, &stamp), DiskCheck::Changed(_)));
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(check(&path, &stamp), DiskCheck::Missing);
    }
}
