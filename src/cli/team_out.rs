//! Writing the new project files of the team commands (`assign`, `merge`,
//! `split`, `curate`) with the checks every command makes: the lock of each
//! file is taken first, an existing file is replaced only with `--force`
//! (its old version kept as `.bak`), and an input is never written over,
//! under any name.

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::io::file_id;
use crate::model::Project;
use crate::project::{self, ProjectLock};

/// Files about to be written, with their locks held.
pub(super) struct Outputs {
    files: Vec<(PathBuf, Project)>,
    _locks: Vec<ProjectLock>,
}

/// Checks and locks `files` for writing; `inputs` are the files read.
pub(super) fn prepare(
    files: Vec<(PathBuf, Project)>,
    inputs: &[PathBuf],
    force: bool,
) -> anyhow::Result<Outputs> {
    for (path, _) in &files {
        let out = file_id::of_path(path);
        if let Some(input) = inputs
            .iter()
            .find(|i| file_id::same_regular_file(file_id::of_path(i).as_ref(), out.as_ref()))
        {
            bail!(
                "{} is {}, which this command reads; choose another output (an input is never written over)",
                super::shown_path(path),
                super::shown_path(input)
            );
        }
    }
    let mut locks = Vec::new();
    for (path, _) in &files {
        locks.push(super::take_lock(path)?);
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| super::shown_path(p))
        .collect();
    if !existing.is_empty() && !force {
        bail!(
            "{} exist(s) already; choose another name or folder, or pass --force to replace (the old files are kept as .bak)",
            existing.join(", ")
        );
    }
    Ok(Outputs {
        files,
        _locks: locks,
    })
}

impl Outputs {
    /// Saves every file atomically; returns their paths.
    pub(super) fn save(self) -> anyhow::Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (path, p) in &self.files {
            let saved = project::save(p, path)?;
            if let Some(notice) = saved.notice() {
                super::note(notice);
            }
            written.push(path.clone());
        }
        Ok(written)
    }
}

/// `DIR/NAME.sayso`.
pub(super) fn file_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.{}", project::EXTENSION))
}

/// Creates the folder `dir` if it is missing.
pub(super) fn make_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!("{} is not a folder", super::shown_path(dir));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the folder {}: {e}", super::shown_path(dir)))
}
