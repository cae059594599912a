//! The dataset formats: one module each, writing the selected documents
//! (native [`Record`]s) and, where the format carries annotations back,
//! reading them into records again.

pub mod brat;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod jsonl;

use std::io::Write;
use std::path::Path;

use super::export::{ExportError, ExportOptions};
use super::record::Record;
use crate::model::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Doccano,
    Brat,
    Conll,
    Csv,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Jsonl,
        Format::Doccano,
        Format::Brat,
        Format::Conll,
        Format::Csv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    /// Whether `sayso import` reads this format.
    pub fn can_import(self) -> bool {
        matches!(self, Format::Jsonl | Format::Doccano | Format::Brat)
    }

    /// The usual file extension of an export ("" for a brat folder).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl | Format::Doccano => "jsonl",
            Format::Brat => "",
            Format::Conll => "conll",
            Format::Csv => "csv",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Records read from a line-based file (JSONL, doccano) with their line
/// numbers, and the lines that could not be read, with the reason.
#[derive(Debug, Default)]
pub struct ReadLines {
    pub records: Vec<(usize, Record)>,
    pub bad: Vec<(usize, String)>,
}

/// Reads one record per non-blank line with `parse`.
pub(crate) fn read_lines(src: &str, parse: impl Fn(&str) -> Result<Record, String>) -> ReadLines {
    let mut out = ReadLines::default();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse(line) {
            Ok(r) => out.records.push((i + 1, r)),
            Err(e) => out.bad.push((i + 1, e)),
        }
    }
    out
}

/// Writes `records` to `path` in `format`; returns notes on what the format
/// could not carry.
pub fn write(
    format: Format,
    project: &Project,
    options: &ExportOptions,
    records: &[Record],
    path: &Path,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<String>, ExportError> {
    match format {
        Format::Jsonl => {
            write_file(path, |out| jsonl::write(records, out, progress)).map(|_| vec![])
        }
        Format::Doccano => {
            write_file(path, |out| doccano::write(records, out, progress)).map(|_| vec![])
        }
        Format::Brat => brat::write(project, records, path, progress),
        Format::Conll => {
            let labels: Vec<String> = project
                .schema
                .labels
                .iter()
                .map(|l| l.name.clone())
                .filter(|l| options.labels.as_ref().is_none_or(|ls| ls.contains(l)))
                .collect();
            write_file(path, |out| conll::write(records, &labels, out, progress))
        }
        Format::Csv => write_file(path, |out| {
            csv::write(records, options.csv_bom, out, progress)
        })
        .map(|_| vec![]),
    }
}

/// Writes a file through a buffer; the file is written under a temporary
/// name (created exclusively, unpredictable, in the same folder: see
/// [`crate::io::atomic`]) and renamed when complete, so a failed export
/// leaves no half file and a symbolic link is never followed. Missing
/// parent folders are created.
pub(crate) fn write_file<T>(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<T, ExportError> {
    let result = (|| -> std::io::Result<T> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        crate::io::atomic::write(path, body)
    })();
    result.map_err(|e| ExportError::write(path, e))
}
