//! Atomic saving: the new file is written next to the old one, flushed to
//! disk, and only then renamed over it, after the old one was kept as
//! `NAME.sayso.bak`. A crash or a full disk at any point leaves the old
//! project (or the new one) whole.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ProjectError, to_string};
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

/// Saves `project` to `path` atomically, keeping the previous file as a
/// backup.
pub fn save(project: &Project, path: &Path) -> Result<(), ProjectError> {
    save_with(project, path, |file| file)
}

/// [`save`] with the temporary file wrapped in `wrap`: tests use it to make
/// the disk "fill up" halfway through.
pub fn save_with<W: Write>(
    project: &Project,
    path: &Path,
    wrap: impl FnOnce(File) -> W,
) -> Result<(), ProjectError> {
    let write_err = |error| ProjectError::Write {
        path: path.to_path_buf(),
        error,
    };
    let text = to_string(project);
    let tmp = with_suffix(path, &format!(".tmp{}", std::process::id()));
    let written = (|| {
        let file = File::create(&tmp)?;
        let mut out = wrap(file);
        out.write_all(text.as_bytes())?;
        out.flush()?;
        drop(out);
        // Reopen to sync: the wrapper owns the handle we wrote through.
        fs::OpenOptions::new().write(true).open(&tmp)?.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(write_err(e));
    }
    if path.exists() {
        let bak = backup_path(path);
        let bak_tmp = with_suffix(&bak, ".tmp");
        let kept = fs::copy(path, &bak_tmp).and_then(|_| fs::rename(&bak_tmp, &bak));
        if let Err(e) = kept {
            let _ = fs::remove_file(&tmp);
            let _ = fs::remove_file(&bak_tmp);
            return Err(write_err(e));
        }
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(write_err(e));
    }
    sync_parent(path);
    Ok(())
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
