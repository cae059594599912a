//! The dataset formats: one module each, writing the selected documents
//! (native [`Record`]s) and, where the format carries annotations back,
//! reading them into records again.

pub mod brat;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod inception;
pub mod jsonl;
pub mod labelstudio;
pub mod utf16;
pub(crate) mod xml;

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
    LabelStudio,
    Inception,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Jsonl,
        Format::Doccano,
        Format::Brat,
        Format::Conll,
        Format::Csv,
        Format::LabelStudio,
        Format::Inception,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Csv => "csv",
            Format::LabelStudio => "labelstudio",
            Format::Inception => "inception",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    /// Whether `sayso import` reads this format.
    pub fn can_import(self) -> bool {
        matches!(
            self,
            Format::Jsonl
                | Format::Doccano
                | Format::Brat
                | Format::LabelStudio
                | Format::Inception
        )
    }

    /// The usual file extension of an export ("" for a brat folder; a
    /// Label Studio export also writes `NAME.config.xml` beside it).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl | Format::Doccano => "jsonl",
            Format::Brat => "",
            Format::Conll => "conll",
            Format::Csv => "csv",
            Format::LabelStudio => "json",
            Format::Inception => "zip",
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

/// The lines of a JSONL file's bytes, numbered from 1, each checked for
/// UTF-8 on its own (a BOM at the start and a `\r` before the `\n` are
/// dropped), so that one bad byte costs its line, not the file. A line that
/// is not UTF-8 comes back as the reason to give.
pub(crate) fn utf8_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, Result<&str, String>)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(move |_| !bytes.is_empty())
        .map(|(i, line)| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let text = std::str::from_utf8(line).map_err(|e| {
                format!(
                    "the line is not UTF-8 (byte {} of the line); the line was skipped, the rest of the file is read; convert the file to UTF-8 to keep it",
                    e.valid_up_to() + 1
                )
            });
            (i + 1, text)
        })
}

/// Reads one record per non-blank line with `parse`; a line that is not
/// UTF-8 or that `parse` refuses is reported and the others are read.
pub(crate) fn read_lines(
    src: impl AsRef<[u8]>,
    parse: impl Fn(&str) -> Result<Record, String>,
) -> ReadLines {
    let mut out = ReadLines::default();
    for (no, line) in utf8_lines(src.as_ref()) {
        match line {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => match parse(line) {
                Ok(r) => out.records.push((no, r)),
                Err(e) => out.bad.push((no, e)),
            },
            Err(e) => out.bad.push((no, e)),
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
            csv::write(
                records,
                options.csv_bom,
                options.csv_bom && !options.csv_raw,
                out,
                progress,
            )
        })
        .map(csv::neutralised_note),
        Format::LabelStudio => labelstudio::write(project, options, records, path, progress),
        Format::Inception => inception::write(project, options, records, path, progress),
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
