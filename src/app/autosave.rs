//! Never lose work: every 30 s with unsaved changes the project is written
//! to a recovery file, `P.sayso.recovery` next to a saved project (see
//! [`crate::project::recovery_path`]) or `unsaved.sayso.recovery` in the
//! app's data folder for a project that was never saved. A clean save or
//! an explicit "don't save" removes it; finding one at start means the last
//! session did not end cleanly, and the app offers to restore it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::model::Project;
use crate::project;

pub const INTERVAL: Duration = Duration::from_secs(30);

/// The recovery file for a project at `path`, or for an unsaved project
/// (in `data_dir`).
pub fn recovery_file(path: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    match path {
        Some(p) => Some(project::recovery_path(p)),
        None => data_dir.map(|d| d.join("unsaved.sayso.recovery")),
    }
}

/// Writes `project` to `file` atomically (an exclusive temporary file, then
/// rename; see [`crate::io::atomic`]).
pub fn write_recovery(project: &Project, file: &Path) -> std::io::Result<()> {
    if let Some(dir) = file.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let text = project::to_string(project);
    crate::io::atomic::write(file, |out| out.write_all(text.as_bytes()))
}

/// A recovery file worth offering: it exists and is newer than the
/// project file (if there is one).
pub fn pending_recovery(path: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    let file = recovery_file(path, data_dir)?;
    let rec_time = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
    if let Some(p) = path
        && let Ok(t) = std::fs::metadata(p).and_then(|m| m.modified())
        && t > rec_time
    {
        return None;
    }
    Some(file)
}

pub fn remove_recovery(path: Option<&Path>, data_dir: Option<&Path>) {
    if let Some(file) = recovery_file(path, data_dir) {
        let _ = std::fs::remove_file(file);
    }
}

/// When to write the next recovery file.
pub struct Autosave {
    last: Instant,
    /// The (generation, history state) written last.
    written: Option<(u64, u64)>,
    pub last_write: Option<SystemTime>,
}

impl Default for Autosave {
    fn default() -> Self {
        Autosave {
            last: Instant::now(),
            written: None,
            last_write: None,
        }
    }
}

impl Autosave {
    /// Whether it is time to write `state` (unsaved changes are pending).
    pub fn due(&self, state: (u64, u64), now: Instant) -> bool {
        self.written != Some(state) && now.duration_since(self.last) >= INTERVAL
    }

    pub fn mark_written(&mut self, state: (u64, u64), now: Instant) {
        self.last = now;
        self.written = Some(state);
        self.last_write = Some(SystemTime::now());
    }

    /// Restarts the interval (after a real save).
    pub fn reset(&mut self, now: Instant) {
        self.last = now;
        self.written = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_round_trips_and_is_offered_when_newer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut project = Project::default();
        crate::io::import::add_documents_edit(
            &project,
            vec![crate::model::Document::new("d", "Hi.")],
        )
        .apply(&mut project)
        .expect("add");
        let file = recovery_file(None, Some(dir.path())).expect("file");
        assert!(pending_recovery(None, Some(dir.path())).is_none());
        write_recovery(&project, &file).expect("write");
        assert_eq!(pending_recovery(None, Some(dir.path())), Some(file.clone()));
        let back = project::load(&file).expect("load");
        assert_eq!(back, project);
        remove_recovery(None, Some(dir.path()));
        assert!(pending_recovery(None, Some(dir.path())).is_none());
    }

    #[test]
    fn autosave_waits_for_the_interval() {
        let t0 = Instant::now();
        let mut a = Autosave {
            last: t0,
            ..Autosave::default()
        };
        assert!(!a.due((0, 1), t0 + Duration::from_secs(5)));
        assert!(a.due((0, 1), t0 + INTERVAL));
        a.mark_written((0, 1), t0 + INTERVAL);
        assert!(!a.due((0, 1), t0 + INTERVAL * 3));
        assert!(a.due((0, 2), t0 + INTERVAL * 2));
    }
}
