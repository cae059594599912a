//! Atomic saving: the new file is written next to the old one (in a
//! temporary file created exclusively, with an unpredictable name), flushed
//! to disk, and only then renamed over it, after the old one was kept as
//! `NAME.sayso.bak`. A crash or a full disk at any point leaves the old
//! project (or the new one) whole; temporary files of saves that were
//! killed are removed by the next save, which names them.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ProjectError, to_string};
use crate::io::atomic;
use crate::model::Project;

/// `P.sayso` → `P.sayso.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    with_suffix(path, ".bak")
}

/// `P.sayso` → `P.sayso.recovery`: where the app autosaves unsaved work.
pub fn recovery_path(path: &Path) -> PathBuf {
    with_suffix(path, ".recovery")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// What a save did besides writing the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// Temporary files that earlier saves of this project left when they
    /// were killed (their process is gone), removed by this save.
    pub removed: Vec<PathBuf>,
}

impl Saved {
    /// A line for the user naming the removed files, if any.
    pub fn notice(&self) -> Option<String> {
        if self.removed.is_empty() {
            return None;
        }
        let names: Vec<String> = self
            .removed
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        Some(format!(
            "removed {} temporary file(s) that interrupted saves had left: {}",
            names.len(),
            names.join(", ")
        ))
    }
}

/// The tags of the temporary files of a project's saves, its backup and its
/// recovery file (`P.sayso.tmp<PID>…`, `P.sayso.bak.tmp<PID>…`,
/// `P.sayso.recovery.tmp<PID>…`).
const TEMPORARY_TAGS: [&str; 3] = [".tmp", ".bak.tmp", ".recovery.tmp"];

/// Removes the temporary files that killed saves of the project at `path`
/// left (see [`atomic::remove_stale`]); returns them. Nothing is removed
/// while another machine holds the project's lock: its processes cannot be
/// checked from here.
pub fn remove_stale(path: &Path) -> Vec<PathBuf> {
    if super::lock::held_elsewhere(path) {
        return Vec::new();
    }
    atomic::remove_stale(path, &TEMPORARY_TAGS)
}

/// Saves `project` to `path` atomically, keeping the previous file as a
/// backup.
pub fn save(project: &Project, path: &Path) -> Result<Saved, ProjectError> {
    save_with(project, path, |file| file)
}

/// [`save`] with the temporary file wrapped in `wrap`: tests use it to make
/// the disk "fill up" halfway through.
///
/// The temporary file is created exclusively with an unpredictable name in
/// the project's folder ([`atomic::temporary_for`]), so a symbolic link
/// planted there is never followed; the backup is made the same way.
pub fn save_with<W: Write>(
    project: &Project,
    path: &Path,
    wrap: impl FnOnce(File) -> W,
) -> Result<Saved, ProjectError> {
    let write_err = |error| ProjectError::Write {
        path: path.to_path_buf(),
        error,
    };
    let removed = remove_stale(path);
    let text = to_string(project);
    let tmp = (|| {
        let tmp = atomic::temporary_for(path, ".tmp", Some(path))?;
        let mut out = wrap(tmp.as_file().try_clone()?);
        out.write_all(text.as_bytes())?;
        out.flush()?;
        drop(out);
        tmp.as_file().sync_all()?;
        Ok(tmp)
    })()
    .map_err(write_err)?;
    if path.exists() {
        atomic::copy(path, &backup_path(path)).map_err(write_err)?;
    }
    // On an error the temporary file is removed as it is dropped.
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    sync_parent(path);
    Ok(Saved { removed })
}

/// Makes the rename itself durable where the platform allows it.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
