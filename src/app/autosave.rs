//! Never lose work: every 30 s with unsaved changes the project is written
//! to a recovery file, one per window:
//!
//! - `P.sayso.recovery` next to a saved project (see
//!   [`crate::project::recovery_path`]): only the window that holds the
//!   project's lock (`P.sayso.lock`) has it open for writing, so only that
//!   window writes this file;
//! - `unsaved-HOST-PID-N.sayso.recovery` in the app's data folder for a
//!   project that was never saved (or a read-only copy), named after the
//!   window's host, process and a number unique in the process
//!   ([`RecoverySlot`]), so that two windows never write, offer or remove
//!   each other's file.
//!
//! A clean save or an explicit "don't save" removes the window's own file.
//! Finding one at start means a session did not end cleanly: the window
//! offers to restore `P.sayso.recovery` when it opens `P.sayso` and the file
//! is newer, and the newest recovery file of an unsaved project whose
//! window's process no longer runs on this host (or one of an earlier
//! version, `unsaved.sayso.recovery`). Restoring such a file first renames
//! it to the window's own name, so two windows cannot both take it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::io::atomic::process_running;
use crate::model::Project;
use crate::project;

pub const INTERVAL: Duration = Duration::from_secs(30);

/// The suffix of every recovery file.
const SUFFIX: &str = ".sayso.recovery";
/// The name earlier versions gave the one recovery file of unsaved work.
const LEGACY: &str = "unsaved.sayso.recovery";

/// This window's name for the recovery file of an unsaved project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverySlot {
    host: String,
    pid: u32,
    n: u64,
}

impl RecoverySlot {
    /// A slot no other window of any process of this host has.
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        RecoverySlot {
            host: safe_host(&project::lock::host_name()),
            pid: std::process::id(),
            n: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The file name: `unsaved-HOST-PID-N.sayso.recovery`.
    pub fn file_name(&self) -> String {
        format!("unsaved-{}-{}-{}{SUFFIX}", self.host, self.pid, self.n)
    }
}

impl Default for RecoverySlot {
    fn default() -> Self {
        Self::new()
    }
}

/// A host name usable in a file name and parsed back unambiguously.
fn safe_host(host: &str) -> String {
    let s: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if s.is_empty() { "host".into() } else { s }
}

/// The host and process of a slot's file name (`None`: not a slot's name).
fn parse_slot(file: &str) -> Option<(String, u32)> {
    let rest = file.strip_prefix("unsaved-")?.strip_suffix(SUFFIX)?;
    let mut parts = rest.rsplitn(3, '-');
    let _n: u64 = parts.next()?.parse().ok()?;
    let pid: u32 = parts.next()?.parse().ok()?;
    let host = parts.next()?.to_string();
    Some((host, pid))
}

/// The window's recovery file: next to the project at `path`, or its own
/// slot in `data_dir` for an unsaved project.
pub fn recovery_file(
    path: Option<&Path>,
    data_dir: Option<&Path>,
    slot: &RecoverySlot,
) -> Option<PathBuf> {
    match path {
        Some(p) => Some(project::recovery_path(p)),
        None => data_dir.map(|d| d.join(slot.file_name())),
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

/// The recovery file of the saved project at `path`, when it exists and is
/// newer than the project file.
pub fn pending_recovery(path: &Path) -> Option<PathBuf> {
    let file = project::recovery_path(path);
    let rec_time = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
    if let Ok(t) = std::fs::metadata(path).and_then(|m| m.modified())
        && t > rec_time
    {
        return None;
    }
    Some(file)
}

/// Recovery files of unsaved projects in `data_dir` whose window is gone
/// (its process no longer runs on this host), and the file of an earlier
/// version; newest first. Files of running windows, of other hosts, and all
/// slots where processes cannot be checked (no `/proc`) are left alone.
pub fn orphaned_recoveries(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return Vec::new();
    };
    let host = safe_host(&project::lock::host_name());
    let mut found: Vec<(SystemTime, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let orphan = name == LEGACY
            || parse_slot(name)
                .is_some_and(|(h, pid)| h == host && process_running(pid) == Some(false));
        if !orphan || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let time = entry
            .metadata()
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        found.push((time, entry.path()));
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().map(|(_, p)| p).collect()
}

/// Takes the recovery file `file` of a gone window as the window's own
/// (`to`), by renaming it: only one window can succeed.
pub fn claim(file: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::rename(file, to)
}

/// Removes the window's own recovery file.
pub fn remove_recovery(path: Option<&Path>, data_dir: Option<&Path>, slot: &RecoverySlot) {
    if let Some(file) = recovery_file(path, data_dir, slot) {
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

    /// Makes the next check due at once (tests; the interval is 30 s).
    pub fn expire(&mut self) {
        if let Some(t) = Instant::now().checked_sub(INTERVAL) {
            self.last = t;
        }
    }
}

impl super::App {
    /// Writes the recovery file when it is due (every [`INTERVAL`] while
    /// there are unsaved changes).
    pub(super) fn autosave_tick(&mut self, ctx: &eframe::egui::Context) {
        if !self.is_dirty() {
            return;
        }
        let state = (self.generation, self.history.state_id());
        let now = Instant::now();
        if self.autosave.due(state, now) {
            match recovery_file(
                self.path.as_deref(),
                self.data_dir.as_deref(),
                &self.recovery_slot,
            ) {
                Some(file) => match write_recovery(&self.project, &file) {
                    Ok(()) => self.autosave.mark_written(state, now),
                    Err(e) => {
                        self.autosave.mark_written(state, now);
                        self.error(format!("autosave to {} failed: {e}", file.display()));
                    }
                },
                None => self.autosave.mark_written(state, now),
            }
        }
        ctx.request_repaint_after(INTERVAL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_doc() -> Project {
        let mut project = Project::default();
        crate::io::import::add_documents_edit(
            &project,
            vec![crate::model::Document::new("d", "Hi.")],
        )
        .apply(&mut project)
        .expect("add");
        project
    }

    #[test]
    fn recovery_round_trips_and_is_offered_when_newer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = one_doc();
        let path = dir.path().join("p.sayso");
        project::save(&project, &path).expect("save");
        let slot = RecoverySlot::new();
        let file = recovery_file(Some(&path), Some(dir.path()), &slot).expect("file");
        assert!(pending_recovery(&path).is_none());
        std::thread::sleep(Duration::from_millis(20));
        write_recovery(&project, &file).expect("write");
        assert_eq!(pending_recovery(&path), Some(file.clone()));
        let back = project::load(&file).expect("load");
        assert_eq!(back, project);
        remove_recovery(Some(&path), Some(dir.path()), &slot);
        assert!(pending_recovery(&path).is_none());
    }

    #[test]
    fn each_window_has_its_own_slot_and_only_gone_windows_are_offered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (RecoverySlot::new(), RecoverySlot::new());
        assert_ne!(a.file_name(), b.file_name());
        let fa = recovery_file(None, Some(dir.path()), &a).expect("a");
        let fb = recovery_file(None, Some(dir.path()), &b).expect("b");
        write_recovery(&one_doc(), &fa).expect("write a");
        write_recovery(&one_doc(), &fb).expect("write b");
        // Both windows run (this process): neither file is offered.
        assert!(orphaned_recoveries(dir.path()).is_empty());
        remove_recovery(None, Some(dir.path()), &a);
        assert!(!fa.exists() && fb.exists(), "a removes only its own");
        assert_eq!(parse_slot(&b.file_name()).map(|(_, p)| p), Some(b.pid));
        // A window of a process that is gone, and an earlier version's file.
        if process_running(std::process::id()).is_some() {
            let gone = gone_pid();
            let orphan = dir
                .path()
                .join(format!("unsaved-{}-{gone}-1{SUFFIX}", a.host));
            write_recovery(&one_doc(), &orphan).expect("write orphan");
            let other_host = dir
                .path()
                .join(format!("unsaved-elsewhere-{gone}-1{SUFFIX}"));
            write_recovery(&one_doc(), &other_host).expect("write other host");
            std::thread::sleep(Duration::from_millis(20));
            let legacy = dir.path().join(LEGACY);
            write_recovery(&one_doc(), &legacy).expect("write legacy");
            assert_eq!(
                orphaned_recoveries(dir.path()),
                vec![legacy, orphan.clone()]
            );
            let mine = recovery_file(None, Some(dir.path()), &a).expect("a");
            claim(&orphan, &mine).expect("claim");
            assert!(claim(&orphan, &mine).is_err(), "only one window takes it");
        }
    }

    /// A process id that is not running: a child that has exited.
    fn gone_pid() -> u32 {
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("true runs");
        let pid = child.id();
        child.wait().expect("wait");
        pid
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
