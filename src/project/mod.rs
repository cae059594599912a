//! The `.sayso` project file: format, loading with exact error positions,
//! atomic saving with a backup, and the lock of a project's writer.
//!
//! A project file is one pretty-printed RON value:
//! `(format: 1, project: (created: …, schema: …, next_span_id: …, documents: […]))`.
//! Strings are written unescaped (RON raw strings where needed), so
//! document text stays readable line by line in a diff. The output depends
//! only on the project, so two saves of the same project are identical.
//!
//! Leniency policy: a file with a `format` newer than [`FORMAT`] is refused
//! (it may hold data this version would drop on save). In a file of this
//! format or older, fields Sayso does not know are ignored, and optional
//! fields that are missing take their defaults; everything that decides the
//! meaning of an annotation (offsets, labels, relations) is checked, and a
//! file that breaks those rules is refused with the document and span named.

pub mod lock;
mod save;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{AttrKind, Origin, Project};

pub use lock::{LockError, ProjectLock, lock};
pub use save::{Saved, backup_path, recovery_path, remove_stale, save, save_with};

/// The project file format this version writes and the newest it reads.
pub const FORMAT: u32 = 1;

/// Span ids stay below this (2^53, the largest integer that every JSON
/// reader keeps exactly), so that a project can always hand out the next
/// id; a file with a larger one is refused when it loads.
pub const MAX_SPAN_ID: u64 = 1 << 53;

/// The extension of project files.
pub const EXTENSION: &str = "sayso";

#[derive(Debug, Error)]
pub enum ProjectError {
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "cannot save {path}: {error}. The file on disk is unchanged; {}, then save again.",
        write_advice(error)
    )]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: {message}. The file is not a valid Sayso project; {}",
        syntax_advice(path, backup.as_deref())
    )]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        /// The backup the last save kept (`P.sayso.bak`), when there is
        /// one: the message offers it only then.
        backup: Option<PathBuf>,
    },
    #[error(
        "{path} was written by a newer Sayso (project format {found}); this version reads formats up to {FORMAT}. Update Sayso to open it."
    )]
    NewerFormat { path: PathBuf, found: u32 },
    #[error("{path}: schema: {message}")]
    Schema { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Value { path: PathBuf, message: String },
    #[error("{path}: document {document:?}: {message}")]
    Invalid {
        path: PathBuf,
        document: String,
        message: String,
    },
}

/// What a user can do when a save failed with `error`.
pub(crate) fn write_advice(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    // ENOSPC and EDQUOT (Linux, and the BSDs' and macOS's EDQUOT).
    let full = matches!(
        error.kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded
    ) || matches!(error.raw_os_error(), Some(28 | 122) if cfg!(target_os = "linux"));
    if full {
        return "the disk (or your quota) is full: free some space or choose a folder on another disk";
    }
    match error.kind() {
        ErrorKind::PermissionDenied => {
            "you may not write there: check the permissions of the file and its folder, or choose another folder"
        }
        ErrorKind::ReadOnlyFilesystem => {
            "the disk is mounted read-only: choose a folder on another disk"
        }
        ErrorKind::NotFound => {
            "its folder does not exist (any more): create it or choose another folder"
        }
        ErrorKind::FileTooLarge => {
            "the file is larger than this system allows (a file size limit, `ulimit -f`, or the file system's): raise the limit or choose another disk"
        }
        _ => "check that the disk is connected and writable, or choose another folder",
    }
}

/// What a user can do with a project file that does not parse.
fn syntax_advice(path: &Path, backup: Option<&Path>) -> String {
    match backup {
        Some(bak) => format!(
            "fix it at that place, or go back to the version before the last save: copy {} over {}",
            bak.display(),
            path.display()
        ),
        None => {
            "fix it at that place (a text editor will do; there is no .bak of it to go back to)"
                .to_string()
        }
    }
}

/// The backup of `path` when it exists.
fn existing_backup(path: &Path) -> Option<PathBuf> {
    let bak = backup_path(path);
    bak.is_file().then_some(bak)
}

/// The RON parser's message, in words for a user where it was written for
/// a developer; `what` names the kind of file ("Sayso project").
pub(crate) fn ron_message(code: &ron::Error, what: &str) -> String {
    let deep = format!(
        "values are nested more than {RECURSION_LIMIT} deep here; no {what} nests that deep, so the file is damaged or was not written as one"
    );
    match code {
        ron::Error::ExceededRecursionLimit => deep,
        // The same error passed on inside another message (`meta value
        // "a": …`).
        other => {
            let text = other.to_string();
            let developer = ron::Error::ExceededRecursionLimit.to_string();
            text.replace(&developer, &deep)
        }
    }
}

/// How deep the RON parser lets values nest (its default): a Sayso project
/// nests about 8 deep (metadata can nest deeper, up to this).
const RECURSION_LIMIT: usize = 128;

#[derive(Serialize)]
struct FileOut<'a> {
    format: u32,
    project: &'a Project,
}

#[derive(Deserialize)]
struct FileIn {
    format: u32,
    project: Project,
}

#[derive(Deserialize)]
struct Probe {
    format: u32,
}

/// The file's text for `project`.
pub fn to_string(project: &Project) -> String {
    let config = ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("  ")
        .escape_strings(false)
        .depth_limit(5);
    let file = FileOut {
        format: FORMAT,
        project,
    };
    // Serialising plain data with string keys cannot fail.
    let mut text = ron::ser::to_string_pretty(&file, config).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a project from the text of a file; `path` names it in errors.
pub fn from_str(src: &str, path: &Path) -> Result<Project, ProjectError> {
    let syntax = |e: ron::error::SpannedError| ProjectError::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: ron_message(&e.code, "Sayso project"),
        backup: existing_backup(path),
    };
    let newer = |found| ProjectError::NewerFormat {
        path: path.to_path_buf(),
        found,
    };
    let file: FileIn = match ron::from_str(src) {
        Ok(file) => file,
        // A newer format may not parse at all; say so rather than where.
        Err(e) => match ron::from_str::<Probe>(src) {
            Ok(probe) if probe.format > FORMAT => return Err(newer(probe.format)),
            _ => return Err(syntax(e)),
        },
    };
    if file.format > FORMAT {
        return Err(newer(file.format));
    }
    let mut project = file.project;
    project
        .schema
        .check()
        .map_err(|message| ProjectError::Schema {
            path: path.to_path_buf(),
            message,
        })?;
    if project.next_span_id > MAX_SPAN_ID {
        return Err(ProjectError::Value {
            path: path.to_path_buf(),
            message: format!(
                "next_span_id is {}, above {MAX_SPAN_ID}, the largest Sayso counts to; set it to one more than the largest span id",
                project.next_span_id
            ),
        });
    }
    validate(&mut project).map_err(|(document, message)| ProjectError::Invalid {
        path: path.to_path_buf(),
        document,
        message,
    })?;
    Ok(project)
}

/// Reads the project file at `path`.
pub fn load(path: &Path) -> Result<Project, ProjectError> {
    let bytes = std::fs::read(path).map_err(|error| ProjectError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let src = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        ProjectError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not UTF-8 text".into(),
            backup: existing_backup(path),
        }
    })?;
    from_str(&src, path)
}

/// A project as [`open`] loaded it.
#[derive(Debug)]
pub struct Opened {
    pub project: Project,
    /// Temporary files that killed saves of this project had left (their
    /// process is gone), removed as it was opened.
    pub removed: Vec<PathBuf>,
}

impl Opened {
    /// A line for the user naming the removed files, if any.
    pub fn notice(&self) -> Option<String> {
        Saved {
            removed: self.removed.clone(),
        }
        .notice()
    }
}

/// Reads the project file at `path` ([`load`]) and, when it loaded,
/// removes the temporary files that killed saves of it left
/// ([`remove_stale`]), naming them in [`Opened::removed`]: they are not
/// kept until the next save.
pub fn open(path: &Path) -> Result<Opened, ProjectError> {
    let project = load(path)?;
    let removed = remove_stale(path);
    Ok(Opened { project, removed })
}

/// Checks what the model's edit commands otherwise guarantee, and brings
/// the canonical order back if a hand edit disturbed it.
fn validate(project: &mut Project) -> Result<(), (String, String)> {
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    let mut max_id = 0;
    for doc in &mut project.documents {
        let err = |message: String| (doc.name.clone(), message);
        if !names.insert(doc.name.clone()) {
            return Err(err("a second document has this name".into()));
        }
        let len = doc.text.len_chars();
        for span in &doc.spans {
            if !(span.start < span.end && span.end <= len) {
                return Err(err(format!(
                    "span {} runs from {} to {}, outside the text of {len} characters",
                    span.id, span.start, span.end
                )));
            }
            if project.schema.label(&span.label).is_none() {
                return Err(err(format!(
                    "span {} has the label {:?}, which the schema does not define",
                    span.id, span.label
                )));
            }
            if let Origin::Rule { confidence, .. } = &span.origin
                && !(confidence.is_finite() && *confidence >= 0.0)
            {
                return Err(err(format!(
                    "span {} has the confidence {confidence}; a confidence is a number from 0 to 1",
                    span.id
                )));
            }
            if let Some(def) = project.schema.label(&span.label) {
                for (key, value) in &span.attrs {
                    if let Some(a) = def.attribute(key)
                        && !a.allows(value)
                    {
                        let AttrKind::Choice(values) = &a.kind else {
                            continue;
                        };
                        return Err(err(format!(
                            "span {} has {key} = {value:?}, which is not one of the values of {key:?} ({}); add the value to the schema or correct the span",
                            span.id,
                            values.join(", ")
                        )));
                    }
                }
            }
            if !ids.insert(span.id) {
                return Err(err(format!("span id {} is used twice", span.id)));
            }
            if span.id.0 >= MAX_SPAN_ID {
                return Err(err(format!(
                    "span {} has an id above {}, the largest Sayso gives out (ids only need to be unique: give it a smaller unused one)",
                    span.id,
                    MAX_SPAN_ID - 1
                )));
            }
            max_id = max_id.max(span.id.0);
        }
        for rel in &doc.relations {
            let Some(def) = project.schema.relation(&rel.kind) else {
                return Err(err(format!(
                    "a relation has the type {:?}, which the schema does not define",
                    rel.kind
                )));
            };
            let from = doc.spans.iter().find(|s| s.id == rel.from);
            let to = doc.spans.iter().find(|s| s.id == rel.to);
            match (from, to) {
                (Some(f), Some(t)) if f.label == def.from && t.label == def.to => {}
                _ => {
                    return Err(err(format!(
                        "the {} relation from {} to {} does not join a {} and a {} of this document",
                        rel.kind, rel.from, rel.to, def.from, def.to
                    )));
                }
            }
        }
        doc.spans.sort_by_key(|s| s.sort_key());
        doc.relations.sort();
        doc.relations.dedup();
    }
    project.disabled_rules.sort();
    project.disabled_rules.dedup();
    project.next_span_id = project.next_span_id.max(max_id + 1);
    Ok(())
}
