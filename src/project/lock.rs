//! One writer at a time: a command that changes a project holds
//! `P.sayso.lock` while it loads, changes and saves it. The lock file is
//! created with `create_new` (so two writers cannot both create it) and
//! names its holder (process id and host), so that a second writer is
//! refused with a message saying who has the project. A lock whose holder
//! is gone (a process of this host that no longer runs) is stale: the next
//! writer takes it over and says so. The holder also keeps an advisory
//! `flock` on the file, so that two writers cannot take over the same stale
//! lock at once.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use thiserror::Error;

use crate::io::atomic::process_running;
use crate::io::file_id;
use crate::model::Timestamp;

/// Who holds a lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    /// When it took the lock (RFC 3339), if the file says.
    pub since: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "process {} on {}", self.pid, self.host)?;
        if let Some(since) = &self.since {
            write!(f, ", since {since}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Error)]
pub enum LockError {
    #[error(
        "{project} is being changed by another Sayso ({holder}); wait until it has finished and try again. If no Sayso runs there any more, remove {lock}"
    )]
    Held {
        project: PathBuf,
        lock: PathBuf,
        holder: String,
    },
    #[error("cannot lock {project}: {error} (at {lock}); check that you may write in its folder")]
    Io {
        project: PathBuf,
        lock: PathBuf,
        error: io::Error,
    },
}

/// A held lock; dropping it removes the lock file.
#[derive(Debug)]
pub struct ProjectLock {
    path: PathBuf,
    file: File,
    /// The holder of the stale lock this one replaced, if it did
    /// (`None` inside for a lock file its writer never finished).
    pub took_over: Option<Option<Holder>>,
}

impl ProjectLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A line for the user when a stale lock was taken over.
    pub fn notice(&self) -> Option<String> {
        self.took_over.as_ref().map(|h| match h {
            Some(h) => format!(
                "took over the stale lock {} of {h}, which no longer runs",
                self.path.display()
            ),
            None => format!(
                "took over the stale lock {}, which its writer never finished",
                self.path.display()
            ),
        })
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Only our own file: never one a later writer made after ours was
        // taken over.
        let ours = file_id::of_file(&self.file, &self.path);
        if ours.is_some() && file_id::of_path(&self.path) == ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether another machine holds the lock of `project` (its lock file names
/// another host): its processes cannot be seen from here, so nothing of its
/// (such as temporary files) may be judged stale.
pub fn held_elsewhere(project: &Path) -> bool {
    std::fs::read_to_string(lock_path(project))
        .ok()
        .and_then(|text| parse(&text))
        .is_some_and(|h| h.host != host_name())
}

/// `P.sayso` → `P.sayso.lock`.
pub fn lock_path(project: &Path) -> PathBuf {
    let mut name = project.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// This machine's name, as lock files record it.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .chain(
            ["HOSTNAME", "COMPUTERNAME"]
                .iter()
                .filter_map(|v| std::env::var(v).ok()),
        )
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}

fn parse(text: &str) -> Option<Holder> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    };
    Some(Holder {
        pid: field("pid")?.parse().ok()?,
        host: field("host").filter(|h| !h.is_empty())?,
        since: field("since"),
    })
}

/// A file the lock's creator has not written yet is not taken over before
/// this much time has passed.
const UNWRITTEN_GRACE: Duration = Duration::from_secs(10);

enum State {
    Held(String),
    Stale(Option<Holder>),
}

fn judge(text: &str, file: &File) -> State {
    match parse(text) {
        Some(h) if h.host == host_name() && process_running(h.pid) == Some(false) => {
            State::Stale(Some(h))
        }
        Some(h) => State::Held(h.to_string()),
        None => {
            // Empty or garbled: stale when it is old (its writer died
            // before writing it); else its writer may be at work.
            let old = file
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > UNWRITTEN_GRACE);
            if old {
                State::Stale(None)
            } else {
                State::Held("a writer that has just started".into())
            }
        }
    }
}

fn write_holder(file: &mut File) -> io::Result<()> {
    let text = format!(
        "pid: {}\nhost: {}\nsince: {}\n",
        std::process::id(),
        host_name(),
        Timestamp::now().to_rfc3339()
    );
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Takes the lock of the project at `project` for writing.
pub fn lock(project: &Path) -> Result<ProjectLock, LockError> {
    let path = lock_path(project);
    let io_err = |error| LockError::Io {
        project: project.to_path_buf(),
        lock: path.clone(),
        error,
    };
    let held = |holder: String| LockError::Held {
        project: project.to_path_buf(),
        lock: path.clone(),
        holder,
    };
    let mut last = String::from("another writer");
    for _ in 0..5 {
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = file.try_lock();
                if let Err(e) = write_holder(&mut file) {
                    drop(file);
                    let _ = std::fs::remove_file(&path);
                    return Err(io_err(e));
                }
                return Ok(ProjectLock {
                    path,
                    file,
                    took_over: None,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_err(e)),
        }
        // There is a lock file: whose, and is its holder still there?
        let mut file = match OpenOptions::new().read(true).write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue, // just released
            Err(e) => return Err(io_err(e)),
        };
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let stale = match judge(&text, &file) {
            State::Held(holder) => return Err(held(holder)),
            State::Stale(holder) => holder,
        };
        // Take it over, unless another writer is doing so right now.
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                last = "another writer taking over a stale lock".into();
                continue;
            }
            // No advisory locks on this file system: the check below must do.
            Err(std::fs::TryLockError::Error(_)) => {}
        }
        let same_file = file_id::of_file(&file, &path);
        let mut now = String::new();
        let unchanged = same_file.is_some()
            && file_id::of_path(&path) == same_file
            && file.rewind().is_ok()
            && file.read_to_string(&mut now).is_ok()
            && now == text;
        if !unchanged {
            continue;
        }
        write_holder(&mut file).map_err(io_err)?;
        return Ok(ProjectLock {
            path,
            file,
            took_over: Some(stale),
        });
    }
    Err(held(last))
}
