//! brat corpora that keep texts and annotation files apart
//! (`sayso import … --format brat --ann-dir DIR`), as PolNeAR does:
//! `data/dev/text/NAME.txt` and `data/dev/attributions/NAME_ANNOTATOR.ann`.
//!
//! The documents are the texts (`.txt` files, and the `.txt` files of
//! folders, in name order). A text `NAME.txt` reads `DIR/NAME.ann` when it
//! exists, else the first in name order of `DIR/NAME_*.ann` (one file per
//! annotator); an annotation file belongs to the text with the longest stem
//! that it starts with (`a_b_1.ann` goes to `a_b.txt` when there is one, not
//! to `a.txt`). Texts with several annotation files, and annotation files
//! that belong to no text, are counted in notices; a text without an
//! annotation file is skipped with a message.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::import::Skipped;

/// A text and the annotation file read for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The document name: the text's file stem.
    pub name: String,
    pub ann_path: PathBuf,
    pub text: String,
    pub ann: String,
}

/// What [`collect`] found.
#[derive(Debug, Default)]
pub struct Collected {
    pub pairs: Vec<Pair>,
    pub notices: Vec<String>,
    pub skipped: Vec<Skipped>,
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The files of `dir` ending in `.ext`, in name order; those that are no
/// regular files (FIFOs, devices: reading them could block) are reported in
/// `skipped`.
fn files_with(dir: &Path, ext: &str, skipped: &mut Vec<Skipped>) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list the folder: {e}"))?;
    for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if !has_ext(&p, ext) {
            continue;
        }
        if p.is_file() {
            files.push(p);
        } else if let Some(reason) = super::import::not_regular(&p) {
            skipped.push(Skipped {
                what: p.display().to_string(),
                reason,
            });
        }
    }
    files.sort();
    Ok(files)
}

/// Some names, and how many more.
fn some(names: &[String]) -> String {
    let mut s = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 3 {
        s.push_str(&format!(" and {} more", names.len() - 3));
    }
    s
}

/// The texts of `paths` (text files or folders of them) with their
/// annotation files from `ann_dir`.
pub fn collect(paths: &[PathBuf], ann_dir: &Path) -> Collected {
    let mut out = Collected::default();
    let mut texts = Vec::new();
    for path in paths {
        let what = path.display().to_string();
        if path.is_dir() {
            match files_with(path, "txt", &mut out.skipped) {
                Ok(files) if files.is_empty() => out.skipped.push(Skipped {
                    what,
                    reason: "the folder has no .txt files (with --ann-dir, name the texts)".into(),
                }),
                Ok(files) => texts.extend(files),
                Err(reason) => out.skipped.push(Skipped { what, reason }),
            }
        } else if has_ext(path, "txt") {
            match super::import::not_regular(path) {
                Some(reason) => out.skipped.push(Skipped { what, reason }),
                None => texts.push(path.clone()),
            }
        } else {
            out.skipped.push(Skipped {
                what,
                reason: "with --ann-dir, name .txt files or folders of them; the .ann files are found in the --ann-dir folder".into(),
            });
        }
    }
    let anns = match files_with(ann_dir, "ann", &mut out.skipped) {
        Ok(a) => a,
        Err(reason) => {
            out.skipped.push(Skipped {
                what: ann_dir.display().to_string(),
                reason,
            });
            return out;
        }
    };
    // Each annotation file goes to the text with the longest stem it
    // starts with (the stem itself, or the stem and `_`).
    let stems: HashSet<String> = texts.iter().map(|t| stem(t)).collect();
    let mut by_text: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut orphans = Vec::new();
    for ann in anns {
        let mut candidate = stem(&ann);
        let owner = loop {
            if stems.contains(&candidate) {
                break Some(candidate);
            }
            match candidate.rsplit_once('_') {
                Some((head, _)) => candidate = head.to_string(),
                None => break None,
            }
        };
        match owner {
            Some(s) => by_text.entry(s).or_default().push(ann),
            None => orphans.push(
                ann.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            ),
        }
    }
    let mut several = Vec::new();
    for text in texts {
        let name = stem(&text);
        let mut files = by_text.get(&name).cloned().unwrap_or_default();
        // `NAME.ann` first, then `NAME_*.ann` in name order.
        files.sort_by_key(|f| (stem(f) != name, f.clone()));
        let Some(ann_path) = files.first().cloned() else {
            out.skipped.push(Skipped {
                what: text.display().to_string(),
                reason: format!(
                    "no annotation file {name}.ann or {name}_*.ann in {}",
                    ann_dir.display()
                ),
            });
            continue;
        };
        if files.len() > 1 {
            several.push(format!(
                "{} (of {})",
                ann_path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                files.len()
            ));
        }
        let read = |p: &Path| {
            let what = p.display().to_string();
            match super::import::not_regular(p) {
                Some(reason) => Err(Skipped { what, reason }),
                None => std::fs::read_to_string(p).map_err(|e| Skipped {
                    what,
                    reason: format!("cannot read it: {e}"),
                }),
            }
        };
        match (read(&text), read(&ann_path)) {
            (Ok(text), Ok(ann)) => out.pairs.push(Pair {
                name,
                ann_path,
                text,
                ann,
            }),
            (Err(e), _) | (_, Err(e)) => out.skipped.push(e),
        }
    }
    if !several.is_empty() {
        out.notices.push(format!(
            "{} text(s) have several annotation files (one per annotator); the first in name order was read: {}",
            several.len(),
            some(&several)
        ));
    }
    if !orphans.is_empty() {
        out.notices.push(format!(
            "{} annotation file(s) in {} belong to none of the texts and were not read: {}",
            orphans.len(),
            ann_dir.display(),
            some(&orphans)
        ));
    }
    out
}
