//! Reading text files, folders of text files and JSONL files into
//! documents.
//!
//! One bad input never stops an import: each file (or JSONL line) that
//! cannot be read is reported in [`Imported::skipped`] with the reason,
//! and the rest goes on. Document names come from file names (or the
//! JSONL `id`) and are made unique when added to a project.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use super::decode::{DecodeError, decode};
use super::record::Record;
use crate::model::{Document, Edit, Project};

/// What an import produced.
#[derive(Debug, Default)]
pub struct Imported {
    pub documents: Vec<Document>,
    /// Things the user should know about the documents that were read
    /// (e.g. a guessed encoding), one line each, naming the file.
    pub warnings: Vec<String>,
    /// Inputs (files or JSONL lines) that were not imported, and why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, with `:LINE` for a JSONL line.
    pub what: String,
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.reason)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Read files without a BOM in this encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
}

/// Whether a path is imported as JSONL (by extension).
fn is_jsonl(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("jsonl" | "ndjson")
    )
}

/// Why a path that names a file is not read, when it is no regular file:
/// reading a FIFO (or a device) can block forever, so it is skipped.
pub(crate) fn not_regular(path: &Path) -> Option<String> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => Some(
            "not a regular file (a FIFO, a device or a socket), so it was skipped: reading it could wait forever"
                .into(),
        ),
        _ => None,
    }
}

/// Imports files and folders. A folder contributes its `.txt`, `.jsonl`
/// and `.ndjson` files (not sub-folders), in name order.
pub fn import_paths(paths: &[PathBuf], options: ImportOptions) -> Imported {
    let mut out = Imported::default();
    for path in paths {
        if path.is_dir() {
            match folder_files(path, &mut out) {
                Ok(files) if files.is_empty() => out.skipped.push(Skipped {
                    what: path.display().to_string(),
                    reason: "the folder has no .txt or .jsonl files".into(),
                }),
                Ok(files) => {
                    for file in files {
                        import_file(&file, options, &mut out);
                    }
                }
                Err(e) => out.skipped.push(Skipped {
                    what: path.display().to_string(),
                    reason: format!("cannot list the folder: {e}"),
                }),
            }
        } else {
            import_file(path, options, &mut out);
        }
    }
    out
}

/// The importable files of a folder; those with an importable name that
/// are no regular files (FIFOs, devices) are reported in `out`.
fn folder_files(dir: &Path, out: &mut Imported) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut odd = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("txt" | "jsonl" | "ndjson")) {
            continue;
        }
        if path.is_file() {
            files.push(path);
        } else if let Some(reason) = not_regular(&path) {
            odd.push(Skipped {
                what: path.display().to_string(),
                reason,
            });
        }
    }
    files.sort();
    odd.sort_by(|a, b| a.what.cmp(&b.what));
    out.skipped.extend(odd);
    Ok(files)
}

fn import_file(path: &Path, options: ImportOptions, out: &mut Imported) {
    let what = path.display().to_string();
    if let Some(reason) = not_regular(path) {
        out.skipped.push(Skipped { what, reason });
        return;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            out.skipped.push(Skipped {
                what,
                reason: format!("cannot read it: {e}"),
            });
            return;
        }
    };
    if is_jsonl(path) {
        import_jsonl(&bytes, path, out);
        return;
    }
    match decode(&bytes, options.encoding) {
        Ok(decoded) => {
            if let Some(w) = decoded.warning {
                out.warnings.push(format!("{what}: {w}"));
            }
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "document".into());
            let mut doc = Document::new(name, decoded.text);
            doc.source = Some(what);
            out.documents.push(doc);
        }
        Err(e) => out.skipped.push(Skipped {
            what,
            reason: e.to_string(),
        }),
    }
}

/// JSONL: one `{"id"?, "text", "meta"?}` object per line. Blank lines are
/// passed over. Spans on the lines are not read here (see `sayso import`).
fn import_jsonl(bytes: &[u8], path: &Path, out: &mut Imported) {
    let file = path.display().to_string();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "line".into());
    let mut read_any = false;
    // Each line is checked for UTF-8 on its own: a bad byte costs its line.
    for (line_no, line) in super::formats::utf8_lines(bytes) {
        let line = match line {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => line,
            Err(reason) => {
                read_any = true;
                out.skipped.push(Skipped {
                    what: format!("{file}:{line_no}"),
                    reason,
                });
                continue;
            }
        };
        read_any = true;
        let skip = |reason: String| Skipped {
            what: format!("{file}:{line_no}"),
            reason,
        };
        let record: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                out.skipped.push(skip(format!(
                    "not a JSON object with a \"text\" string: {e}"
                )));
                continue;
            }
        };
        if record.text.trim().is_empty() {
            out.skipped
                .push(skip(DecodeError::Empty.to_string().replace("file", "text")));
            continue;
        }
        if !record.spans.is_empty() {
            out.warnings.push(format!(
                "{file}:{line_no}: the line's {} spans were not read; use `sayso import --format jsonl` to bring annotations in",
                record.spans.len()
            ));
        }
        let name = record
            .id
            .clone()
            .unwrap_or_else(|| format!("{stem}-{line_no}"));
        let mut doc = Document::new(name, super::decode::normalize_newlines(&record.text));
        doc.source = Some(format!("{file}:{line_no}"));
        doc.meta = record.meta;
        out.documents.push(doc);
    }
    if !read_any {
        out.skipped.push(Skipped {
            what: file,
            reason: DecodeError::Empty.to_string(),
        });
    }
}

/// One undoable edit that appends `documents` to `project`, renaming any
/// whose name is taken (`name-2`, …). Linear in the number of documents:
/// names are checked in a hash set, and repeated names continue from the
/// last number given to their base name.
pub fn add_documents_edit(project: &Project, documents: Vec<Document>) -> Edit {
    let mut names: HashSet<String> = project.documents.iter().map(|d| d.name.clone()).collect();
    let mut next: HashMap<String, usize> = HashMap::new();
    let at = project.documents.len();
    let documents: Vec<Document> = documents
        .into_iter()
        .map(|mut doc| {
            if names.contains(&doc.name) {
                let base = std::mem::take(&mut doc.name);
                let n = next.entry(base.clone()).or_insert(1);
                loop {
                    *n += 1;
                    let name = format!("{base}-{n}");
                    if !names.contains(&name) {
                        doc.name = name;
                        break;
                    }
                }
            }
            names.insert(doc.name.clone());
            doc
        })
        .collect();
    Edit::AddDocuments { at, documents }
}
