//! brat standoff: per document `NAME.txt` (the text, UTF-8, exactly as
//! stored) and `NAME.ann`, plus `annotation.conf` and `visual.conf` that
//! declare the schema and colours, in a folder or a `.zip`.
//!
//! In `.ann`: `T` lines `T1\tLabel START END\ttext` (a span that crosses a
//! line break is written as fragments `START END;START END`, as brat
//! requires), `A` lines for choice attributes (`A1\tpolarity T2 against`),
//! `R` lines for relations (`R1\tsaid_by Arg1:T3 Arg2:T1`), and `#` notes
//! for free-text attributes (`#1\tAnnotatorNotes T1\tentity: Vladimir
//! Putin`). Offsets count code points, as brat (Python) does.
//!
//! Nothing of a span is lost: an empty attribute value is a note with an
//! empty value (`entity: `); a line break, tab or backslash in a note is
//! written `\n`, `\t`, `\\` (an `.ann` line cannot hold them) and read back;
//! the review state is an attribute (`A5\tstatus T3 suggested`, declared in
//! `annotation.conf`), and the origin, confidence and annotator are notes
//! (`origin: rule:quote-said`, `confidence: 0.7`, `annotator: ana`), all
//! read back on import. Document metadata has no place in brat.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::io::export::ExportError;
use crate::io::import::Skipped;
use crate::io::record::{Record, RecordRelation, RecordSpan};
use crate::model::{AttrKind, Project, ReviewState};

/// A brat type name: letters, digits, `_` and `-` only.
fn type_name(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() { "_".into() } else { t }
}

/// The most bytes of a file stem before its uniqueness suffix (`-12`) and
/// extension (`.txt`): file systems allow 255 bytes per name.
pub const MAX_STEM_BYTES: usize = 200;

/// A safe, unique file stem for each document name: no path separators,
/// no `..`, no leading dot, no control characters, at most
/// [`MAX_STEM_BYTES`] bytes (cut at a character boundary) before a
/// uniqueness suffix, unique ignoring case.
pub fn file_stems(names: &[String]) -> Vec<String> {
    let mut used = HashSet::new();
    names
        .iter()
        .map(|name| {
            let mut stem = String::new();
            for c in name.chars() {
                let c = if c.is_control()
                    || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                {
                    '_'
                } else {
                    c
                };
                if stem.len() + c.len_utf8() > MAX_STEM_BYTES {
                    break;
                }
                stem.push(c);
            }
            while stem.contains("..") {
                stem = stem.replace("..", "_");
            }
            let stem = stem.trim_start_matches('.').trim().to_string();
            let base = if stem.is_empty() || stem == "annotation" || stem == "visual" {
                format!("doc-{stem}")
            } else {
                stem
            };
            let mut candidate = base.clone();
            let mut n = 1;
            while !used.insert(candidate.to_lowercase()) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            candidate
        })
        .collect()
}

/// Attribute and note names that carry a span's review state and origin,
/// not attributes of the schema.
pub const RESERVED: [&str; 4] = ["status", "origin", "confidence", "annotator"];

/// A note value on one `.ann` line: `\`, line breaks and tabs escaped.
pub fn escape_note(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape_note`]; a backslash before any other character
/// is kept as it is.
pub fn unescape_note(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

/// The `.ann` text of one record.
pub fn ann(project: &Project, r: &Record) -> String {
    let chars: Vec<char> = r.text.chars().collect();
    let mut out = String::new();
    let mut tids = HashMap::new();
    let (mut a, mut n) = (1, 1);
    for (i, s) in r.spans.iter().enumerate() {
        let tid = format!("T{}", i + 1);
        tids.insert(s.id.as_str(), tid.clone());
        // Fragments split at line breaks; each keeps its own text.
        let mut frags = Vec::new();
        let mut start = s.start;
        let end = s.end.min(chars.len());
        for (k, c) in chars.iter().enumerate().take(end).skip(s.start) {
            if *c == '\n' {
                if k > start {
                    frags.push((start, k));
                }
                start = k + 1;
            }
        }
        if s.end > start {
            frags.push((start, s.end));
        }
        if frags.is_empty() {
            frags.push((s.start, s.end));
        }
        let offsets: Vec<String> = frags.iter().map(|(a, b)| format!("{a} {b}")).collect();
        let text: Vec<String> = frags
            .iter()
            .map(|(a, b)| chars[*a..(*b).min(chars.len())].iter().collect())
            .collect();
        let _ = writeln!(
            out,
            "{tid}\t{} {}\t{}",
            type_name(&s.label),
            offsets.join(";"),
            text.join(" ")
        );
        let def = project.schema.label(&s.label);
        let mut note = |out: &mut String, key: &str, value: &str| {
            let _ = writeln!(
                out,
                "#{n}\tAnnotatorNotes {tid}\t{key}: {}",
                escape_note(value)
            );
            n += 1;
        };
        for (key, value) in &s.attrs {
            let choice = def
                .and_then(|d| d.attribute(key))
                .is_some_and(|a| matches!(a.kind, AttrKind::Choice(_)))
                && !value.is_empty()
                && !value.contains(char::is_whitespace)
                && !RESERVED.contains(&key.as_str());
            if choice {
                let _ = writeln!(out, "A{a}\t{} {tid} {}", type_name(key), value);
                a += 1;
            } else {
                note(&mut out, key, value);
            }
        }
        if let Some(origin) = &s.origin {
            note(&mut out, "origin", origin);
        }
        if let Some(c) = s.confidence {
            note(
                &mut out,
                "confidence",
                &super::jsonl::shortest_confidence(c).to_string(),
            );
        }
        if let Some(who) = &s.annotator {
            note(&mut out, "annotator", who);
        }
        if let Some(status) = s
            .status
            .as_deref()
            .filter(|st| ReviewState::parse(st).is_some())
        {
            let _ = writeln!(out, "A{a}\tstatus {tid} {status}");
            a += 1;
        }
    }
    for (i, rel) in r.relations.iter().enumerate() {
        if let (Some(from), Some(to)) = (tids.get(rel.from.as_str()), tids.get(rel.to.as_str())) {
            let _ = writeln!(
                out,
                "R{}\t{} Arg1:{from} Arg2:{to}",
                i + 1,
                type_name(&rel.kind)
            );
        }
    }
    out
}

/// `annotation.conf`: entities, relations (overlaps allowed), attributes.
pub fn annotation_conf(project: &Project) -> String {
    let mut out =
        String::from("# Written by Sayso: the schema of the exported project.\n[entities]\n");
    for l in &project.schema.labels {
        let _ = writeln!(out, "{}", type_name(&l.name));
    }
    out.push_str("\n[relations]\n");
    for r in &project.schema.relations {
        let _ = writeln!(
            out,
            "{}\tArg1:{}, Arg2:{}",
            type_name(&r.name),
            type_name(&r.from),
            type_name(&r.to)
        );
    }
    out.push_str(
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n",
    );
    let mut attrs: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for l in &project.schema.labels {
        for a in &l.attributes {
            if let AttrKind::Choice(values) = &a.kind {
                let entry = attrs.entry(type_name(&a.name)).or_default();
                entry.0.push(type_name(&l.name));
                for v in values {
                    if !entry.1.contains(v) && !v.contains(char::is_whitespace) {
                        entry.1.push(v.clone());
                    }
                }
            }
        }
    }
    if !project.schema.labels.is_empty() && !attrs.contains_key("status") {
        let labels = project
            .schema
            .labels
            .iter()
            .map(|l| type_name(&l.name))
            .collect();
        let values = ["accepted", "suggested", "rejected"]
            .map(String::from)
            .to_vec();
        attrs.insert("status".into(), (labels, values));
    }
    for (name, (labels, values)) in attrs {
        let _ = writeln!(
            out,
            "{name}\tArg:{}, Value:{}",
            labels.join("|"),
            values.join("|")
        );
    }
    out
}

/// `visual.conf`: label colours.
pub fn visual_conf(project: &Project) -> String {
    let mut out = String::from("[labels]\n");
    for l in &project.schema.labels {
        let _ = writeln!(out, "{} | {}", type_name(&l.name), l.name);
    }
    out.push_str("\n[drawing]\nSPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\nARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n");
    for l in &project.schema.labels {
        let _ = writeln!(out, "{}\tbgColor:{}", type_name(&l.name), l.color.to_hex());
    }
    out
}

/// Writes the export to a folder, or a zip when `path` ends in `.zip`.
pub fn write(
    project: &Project,
    records: &[Record],
    path: &Path,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<String>, ExportError> {
    let names: Vec<String> = records
        .iter()
        .enumerate()
        .map(|(i, r)| r.id.clone().unwrap_or_else(|| format!("doc{}", i + 1)))
        .collect();
    let stems = file_stems(&names);
    let mut files: Vec<(String, String)> = vec![
        ("annotation.conf".into(), annotation_conf(project)),
        ("visual.conf".into(), visual_conf(project)),
    ];
    let mut notes = Vec::new();
    for ((r, stem), name) in records.iter().zip(&stems).zip(&names) {
        if stem != name {
            notes.push(format!(
                "document {name:?} written as {stem}.txt/.ann (a safe file name)"
            ));
        }
        files.push((format!("{stem}.txt"), r.text.clone()));
        files.push((format!("{stem}.ann"), ann(project, r)));
    }
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        super::write_file(path, |out| {
            let mut buf = std::io::Cursor::new(Vec::new());
            {
                let mut zip = zip::ZipWriter::new(&mut buf);
                let opts = zip::write::SimpleFileOptions::default();
                for (i, (name, body)) in files.iter().enumerate() {
                    zip.start_file(name.as_str(), opts)
                        .map_err(std::io::Error::other)?;
                    zip.write_all(body.as_bytes())?;
                    if i >= 2 && i % 2 == 1 {
                        progress((i - 1) / 2);
                    }
                }
                zip.finish().map_err(std::io::Error::other)?;
            }
            out.write_all(buf.get_ref())
        })?;
    } else {
        write_folder(path, &files, progress)?;
    }
    Ok(notes)
}

/// Writes the files into a new folder beside `path` (created exclusively,
/// with an unpredictable name) and renames it into place when all are
/// written, so that a failed export leaves nothing behind. An existing
/// `path` (the caller checked `--force`) is replaced as a whole: moved
/// aside, the new folder renamed in, the old one removed, so no stale file
/// of an earlier export stays.
fn write_folder(
    path: &Path,
    files: &[(String, String)],
    progress: &mut dyn FnMut(usize),
) -> Result<(), ExportError> {
    let err = |e: std::io::Error| ExportError::write(path, e);
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let base = path
        .file_name()
        .map_or_else(|| "brat".into(), |n| n.to_string_lossy().into_owned());
    let short: String = base.chars().take(40).collect();
    let new = tempfile::Builder::new()
        .prefix(&format!(".{short}.tmp"))
        .tempdir_in(parent)
        .map_err(err)?;
    for (i, (name, body)) in files.iter().enumerate() {
        let file = new.path().join(name);
        let written = std::fs::File::create_new(&file)
            .and_then(|mut f| f.write_all(body.as_bytes()).and_then(|()| f.sync_all()));
        written.map_err(|e| ExportError::write(&file, e))?;
        if i >= 2 && i % 2 == 1 {
            progress((i - 1) / 2);
        }
    }
    // The temporary folder is private (0700); give it the permissions a
    // folder made here would get (the umask's).
    #[cfg(unix)]
    {
        let probe = new.path().join(".probe");
        std::fs::create_dir(&probe)
            .and_then(|()| std::fs::metadata(&probe))
            .and_then(|m| {
                std::fs::remove_dir(&probe)?;
                std::fs::set_permissions(new.path(), m.permissions())
            })
            .map_err(err)?;
    }
    let old = if std::fs::symlink_metadata(path).is_ok() {
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{short}.old"))
            .tempdir_in(parent)
            .map_err(err)?;
        let aside_path = aside.path().join("old");
        std::fs::rename(path, &aside_path).map_err(err)?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(new.path(), path) {
        // Put the old export back; the new folder goes with `new`.
        if let Some(aside) = &old {
            let _ = std::fs::rename(aside.path().join("old"), path);
        }
        return Err(err(e));
    }
    // The folder is in place: nothing to remove any more.
    let _ = new.keep();
    // `old` (the earlier export) is removed when dropped.
    drop(old);
    Ok(())
}

/// A `T` line read against its text.
#[derive(Debug, Clone, PartialEq)]
pub struct TLine {
    pub label: String,
    /// The fragments, `(start, end)` in code points, as the line gives them.
    pub frags: Vec<(usize, usize)>,
    /// The span's text: the document text from the first start to the last
    /// end when the line's text matches its fragments (joined by a space, as
    /// brat joins them), else the line's text, so that a mismatch shows.
    pub text: String,
}

impl TLine {
    /// First start of the fragments.
    pub fn start(&self) -> usize {
        self.frags.iter().map(|f| f.0).min().unwrap_or(0)
    }
    /// Last end of the fragments.
    pub fn end(&self) -> usize {
        self.frags.iter().map(|f| f.1).max().unwrap_or(0)
    }
    /// The fragments' own texts joined by a space (what brat shows).
    pub fn fragment_text(&self, chars: &[char]) -> String {
        let parts: Vec<String> = self
            .frags
            .iter()
            .map(|(a, b)| {
                chars
                    .get(*a..*b)
                    .map(|c| c.iter().collect())
                    .unwrap_or_default()
            })
            .collect();
        parts.join(" ")
    }
}

/// Reads the body and text of a `T` line (`Label START END[;START END…]`,
/// `text`) against the document's characters.
pub fn parse_t(body: &str, rest: Option<&str>, chars: &[char]) -> Result<TLine, String> {
    let Some((label, offsets)) = body.split_once(' ') else {
        return Err("a T line needs `Label START END`".into());
    };
    let mut frags = Vec::new();
    for frag in offsets.split(';') {
        let mut nums = frag.split_whitespace().map(str::parse::<usize>);
        match (nums.next(), nums.next(), nums.next()) {
            (Some(Ok(a)), Some(Ok(b)), None) => frags.push((a, b)),
            _ => return Err(format!("{frag:?} is not `START END`")),
        }
    }
    let mut line = TLine {
        label: label.to_string(),
        frags,
        text: String::new(),
    };
    let given = rest.unwrap_or("");
    line.text = if line.fragment_text(chars) == given {
        chars
            .get(line.start()..line.end())
            .map(|c| c.iter().collect())
            .unwrap_or_default()
    } else {
        given.to_string()
    };
    Ok(line)
}

/// The columns of an `.ann` line: id, body and (for `T` and `#` lines) text.
pub fn columns(line: &str) -> (&str, &str, Option<&str>) {
    let mut cols = line.splitn(3, '\t');
    (
        cols.next().unwrap_or(""),
        cols.next().unwrap_or(""),
        cols.next(),
    )
}

/// An `A`/`M` line's body: `(name, target, value)`; a binary attribute
/// (`Name T1`) has the value `true`.
pub fn parse_attribute(body: &str) -> Result<(&str, &str, &str), String> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    match parts.as_slice() {
        [name, target] => Ok((name, target, "true")),
        [name, target, value] => Ok((name, target, value)),
        _ => Err("an A line needs `Name T1 [Value]`".into()),
    }
}

/// An `R` line's body: `(type, arg1, arg2)`.
pub fn parse_relation(body: &str) -> Result<(&str, &str, &str), String> {
    fn arg(p: &str) -> Option<&str> {
        p.split_once(':').map(|(_, v)| v)
    }
    let parts: Vec<&str> = body.split_whitespace().collect();
    match parts.as_slice() {
        [kind, a1, a2] => match (arg(a1), arg(a2)) {
            (Some(from), Some(to)) => Ok((kind, from, to)),
            _ => Err("an R line needs `Type Arg1:T1 Arg2:T2`".into()),
        },
        _ => Err("an R line needs `Type Arg1:T1 Arg2:T2`".into()),
    }
}

/// A `#` note (`AnnotatorNotes T1`, `key: value`): `(target, key, value)`;
/// a note without a `key: ` prefix has the key `note`.
pub fn parse_note<'a>(body: &'a str, rest: Option<&'a str>) -> (&'a str, &'a str, &'a str) {
    let target = body.split_whitespace().nth(1).unwrap_or("");
    let note = rest.unwrap_or("");
    let plain_key = |k: &str| !k.is_empty() && !k.contains(char::is_whitespace);
    let (key, value) = match note.split_once(": ") {
        Some((k, v)) if plain_key(k) => (k, v),
        // An empty value whose trailing space an editor removed.
        _ => match note.strip_suffix(':') {
            Some(k) if plain_key(k) && !k.contains(':') => (k, ""),
            _ => ("note", note),
        },
    };
    (target, key, value)
}

/// A `key: value` note read into its span: the reserved keys (`origin`,
/// `confidence`, `annotator`) into the span's fields, others as
/// attributes, unescaped (see [`escape_note`]). A note without a key is
/// kept as it is, under `note`.
pub fn note_into(span: &mut RecordSpan, key: &str, value: &str) {
    let value = if key == "note" {
        value.to_string()
    } else {
        unescape_note(value)
    };
    match key {
        "origin" => span.origin = Some(value),
        "annotator" => span.annotator = Some(value),
        "confidence" if value.parse::<f64>().is_ok() => span.confidence = value.parse().ok(),
        _ => {
            span.attrs.insert(key.to_string(), value);
        }
    }
}

/// Why a line with this id is not read: events without a mapping,
/// normalisations, or a line that is no annotation at all (often the rest
/// of a span text that held a line break).
pub fn unread_line(id: &str, mapped: bool) -> String {
    let shown: String = id.chars().take(40).collect();
    let shown = if shown.len() < id.len() {
        format!("{shown}…")
    } else {
        shown
    };
    let numbered = |c: char| {
        id.strip_prefix(c)
            .is_some_and(|n| !n.is_empty() && n.chars().all(|d| d.is_ascii_digit()))
    };
    if numbered('E') && !mapped {
        format!("{shown:?}: event lines are not read without a mapping file (--map)")
    } else if numbered('N') {
        format!("{shown:?}: normalisation lines are not read by Sayso")
    } else {
        format!(
            "{shown:?} is not an annotation line (T1, A1, R1, E1, #1 …); is it the rest of a span text with a line break on the line before?"
        )
    }
}

/// One `.ann` file read into a record.
#[derive(Debug, Clone, Default)]
pub struct AnnRead {
    pub record: Record,
    /// The `.ann` line of each span, in `record.spans` order.
    pub span_lines: Vec<usize>,
    /// Lines that could not be used, with the reason.
    pub bad: Vec<(usize, String)>,
    /// Spans written as several fragments (`T5 Claim 12 20;25 30`), read as
    /// one span from the first start to the last end.
    pub fragmented: usize,
}

/// One `.ann` parsed against its text, as it is: labels, attributes and
/// relation types keep their names. Lines that cannot be used (events among
/// them; see [`crate::io::mapping`] to read those) come back as
/// `(line, reason)`.
pub fn read_ann(name: &str, text: &str, ann: &str) -> AnnRead {
    let chars: Vec<char> = text.chars().collect();
    let mut out = AnnRead::default();
    let mut spans: Vec<RecordSpan> = Vec::new();
    let mut relations = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, line) in ann.lines().enumerate() {
        let no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let (id, body, rest) = columns(line);
        match id.chars().next() {
            Some('T') => {
                let t = match parse_t(body, rest, &chars) {
                    Ok(t) => t,
                    Err(e) => {
                        out.bad.push((no, e));
                        continue;
                    }
                };
                if t.frags.len() > 1 {
                    out.fragmented += 1;
                }
                index.insert(id.to_string(), spans.len());
                out.span_lines.push(no);
                spans.push(RecordSpan {
                    id: id.to_string(),
                    start: t.start(),
                    end: t.end(),
                    label: t.label,
                    text: t.text,
                    ..RecordSpan::default()
                });
            }
            Some('A') | Some('M') => match parse_attribute(body) {
                Ok((name, target, value)) => match index.get(target) {
                    Some(&k) if name == "status" && ReviewState::parse(value).is_some() => {
                        spans[k].status = Some(value.to_string());
                    }
                    Some(&k) => {
                        spans[k].attrs.insert(name.to_string(), value.to_string());
                    }
                    None => out
                        .bad
                        .push((no, format!("attribute of unknown annotation {target}"))),
                },
                Err(e) => out.bad.push((no, e)),
            },
            Some('R') => match parse_relation(body) {
                Ok((kind, from, to)) => relations.push(RecordRelation {
                    kind: kind.to_string(),
                    from: from.to_string(),
                    to: to.to_string(),
                }),
                Err(e) => out.bad.push((no, e)),
            },
            Some('#') => {
                let (target, key, value) = parse_note(body, rest);
                match index.get(target) {
                    Some(&k) => note_into(&mut spans[k], key, value),
                    None => out
                        .bad
                        .push((no, format!("note on unknown annotation {target:?}"))),
                }
            }
            _ => out.bad.push((no, unread_line(id, false))),
        }
    }
    out.record = Record {
        id: Some(name.to_string()),
        text: text.to_string(),
        spans,
        relations,
        ..Record::default()
    };
    out
}

/// A `.txt`/`.ann` pair: `(name, ann_path_for_messages, text, ann)`.
pub type Found = (String, PathBuf, String, String);

/// What [`collect`] found in one path: the pairs that could be read, and the
/// documents that could not (a `.ann` without its `.txt`, a file that
/// cannot be read or is not UTF-8), each with the reason.
#[derive(Debug, Default)]
pub struct Collected {
    pub pairs: Vec<Found>,
    pub skipped: Vec<Skipped>,
}

impl Collected {
    fn skip(&mut self, what: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            what: what.into(),
            reason: reason.into(),
        });
    }
}

/// The `.txt`/`.ann` pairs of a folder or zip (or single `.ann` files). One
/// bad document is skipped and the others are read; the error is for a
/// path that cannot be read at all (a folder that cannot be listed, a file
/// that is no zip).
pub fn collect(path: &Path, max_unzipped_mb: u64) -> Result<Collected, String> {
    let read = |p: &Path| match crate::io::import::not_regular(p) {
        Some(reason) => Err(reason),
        None => std::fs::read_to_string(p).map_err(|e| format!("cannot read it: {e}")),
    };
    let mut out = Collected::default();
    if path.is_dir() {
        let mut anns: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot list {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ann"))
            .collect();
        anns.sort();
        for ann in anns {
            let txt = ann.with_extension("txt");
            let name = ann
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !txt.exists() {
                out.skip(
                    ann.display().to_string(),
                    format!(
                        "no {} beside it, so the document was skipped; when the texts are in another folder, import that folder with --ann-dir {}",
                        txt.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                        path.display()
                    ),
                );
                continue;
            }
            match (read(&txt), read(&ann)) {
                (Ok(text), Ok(body)) => out.pairs.push((name, ann, text, body)),
                (Err(e), _) => out.skip(txt.display().to_string(), e),
                (_, Err(e)) => out.skip(ann.display().to_string(), e),
            }
        }
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        collect_zip(path, max_unzipped_mb, &mut out)?;
    } else {
        let ann = if path.extension().is_some_and(|e| e == "txt") {
            path.with_extension("ann")
        } else {
            path.to_path_buf()
        };
        let name = ann
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let txt = ann.with_extension("txt");
        let text = read(&txt).map_err(|e| format!("{}: {e}", txt.display()))?;
        let body = read(&ann).map_err(|e| format!("{}: {e}", ann.display()))?;
        out.pairs.push((name, ann, text, body));
    }
    Ok(out)
}

/// The default of `--max-unzipped-mb`.
pub const DEFAULT_MAX_UNZIPPED_MB: u64 = 256;

/// The pairs of a zip. Only the names are listed first; each `.ann` and
/// its `.txt` are then inflated one pair at a time. No entry may inflate to
/// more than `max_mb` MB, and all of them together to no more than four
/// times that: a zip that would is refused, naming the entry.
fn collect_zip(path: &Path, max_mb: u64, out: &mut Collected) -> Result<(), String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a zip file: {e}", path.display()))?;
    let mut names: Vec<String> = Vec::new();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if !f.is_file() {
            continue;
        }
        match f.name() {
            Ok(n) => names.push(n.to_string()),
            Err(e) => out.skip(
                format!("{}: entry {}", path.display(), i + 1),
                format!("its name cannot be read: {e}"),
            ),
        }
    }
    names.sort();
    let present: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut budget = Budget {
        zip: path,
        max_mb,
        left: max_mb.saturating_mul(4 << 20),
    };
    for name in &names {
        let Some(stem) = name.strip_suffix(".ann") else {
            continue;
        };
        let what = path.join(name).display().to_string();
        let txt_name = format!("{stem}.txt");
        if !present.contains(txt_name.as_str()) {
            out.skip(
                what,
                format!("no {txt_name} beside it in the zip, so the document was skipped"),
            );
            continue;
        }
        let text = match read_entry(&mut zip, &txt_name, &mut budget)? {
            Ok(t) => t,
            Err(e) => {
                out.skip(path.join(&txt_name).display().to_string(), e);
                continue;
            }
        };
        let body = match read_entry(&mut zip, name, &mut budget)? {
            Ok(b) => b,
            Err(e) => {
                out.skip(what, e);
                continue;
            }
        };
        let short = stem.rsplit('/').next().unwrap_or(stem).to_string();
        out.pairs.push((short, path.join(name), text, body));
    }
    Ok(())
}

/// What a zip may still inflate to.
struct Budget<'a> {
    zip: &'a Path,
    max_mb: u64,
    /// Bytes left for all entries together.
    left: u64,
}

impl Budget<'_> {
    fn refuse(&self, entry: &str, what: &str) -> String {
        format!(
            "{}: entry {entry} inflates to more than {what}; the zip was not read (a zip bomb?). If you trust it, raise the cap with --max-unzipped-mb (now {}; the total may be four times that)",
            self.zip.display(),
            self.max_mb
        )
    }
}

/// One zip entry as text, inflated within the budget. The outer error
/// refuses the whole zip (over the cap); the inner one skips the document.
fn read_entry(
    zip: &mut zip::ZipArchive<std::fs::File>,
    name: &str,
    budget: &mut Budget,
) -> Result<Result<String, String>, String> {
    let per_entry = budget.max_mb.saturating_mul(1 << 20);
    let cap = per_entry.min(budget.left);
    let over = |b: &Budget| {
        if cap == per_entry {
            b.refuse(name, &format!("{} MB, the cap for one entry", b.max_mb))
        } else {
            b.refuse(
                name,
                &format!(
                    "what is left of the cap for all entries ({} MB in all)",
                    b.max_mb.saturating_mul(4)
                ),
            )
        }
    };
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(e) => return Ok(Err(format!("cannot read it: {e}"))),
    };
    if f.size() > cap {
        return Err(over(budget));
    }
    let mut body = Vec::new();
    // The declared size may lie: never inflate more than the cap (and one
    // byte, to tell a full entry from a longer one).
    if let Err(e) = std::io::Read::read_to_end(&mut std::io::Read::take(f, cap + 1), &mut body) {
        return Ok(Err(format!("cannot read it: {e}")));
    }
    if body.len() as u64 > cap {
        return Err(over(budget));
    }
    budget.left -= body.len() as u64;
    Ok(String::from_utf8(body).map_err(|e| {
        format!(
            "not UTF-8 (byte {}); convert it to UTF-8",
            e.utf8_error().valid_up_to()
        )
    }))
}
