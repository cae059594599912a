//! Exporting a project: which annotations go out (review states, done
//! documents, labels), the deterministic train/dev/test split, and the
//! summary. Each format's writer in [`super::formats`] receives the
//! selected documents as native [`Record`]s, so every format sees the same
//! selection and the same code point offsets.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::formats::{self, Format};
use super::record::{Record, RecordRelation, RecordSpan};
use crate::model::{DocStatus, Document, Origin, Project, ReviewState};

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("{0} exists already; choose another name, or pass --force to replace it")]
    Exists(PathBuf),
    #[error(
        "{0} is a Sayso project file; an export never writes over a project. Choose an output name with the format's extension (e.g. out.jsonl)"
    )]
    OverProject(PathBuf),
    #[error(
        "{path} is the project being exported ({project}) under another name; choose another output"
    )]
    IsInput { path: PathBuf, project: PathBuf },
    #[error("cannot write {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("bad --split {spec:?}: {why}. Write it as train=0.8,dev=0.1,test=0.1")]
    Split { spec: String, why: String },
}

impl ExportError {
    pub(crate) fn write(path: &Path, error: impl Into<std::io::Error>) -> Self {
        ExportError::Write {
            path: path.to_path_buf(),
            error: error.into(),
        }
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    /// Review states to include; default: accepted only.
    pub states: Vec<ReviewState>,
    /// Only documents marked done.
    pub done_only: bool,
    /// Only these labels (all when `None`).
    pub labels: Option<Vec<String>>,
    /// Texts only: no spans and no relations (`--no-spans`), e.g. to run
    /// the rules over the texts of a gold project.
    pub no_spans: bool,
    /// CSV: start with a UTF-8 byte order mark (for Excel); cells that a
    /// spreadsheet would run as a formula are then neutralised (see
    /// [`super::formats::csv`]) unless `csv_raw`.
    pub csv_bom: bool,
    /// CSV with a BOM: keep formula-like cells as they are (`--raw`).
    pub csv_raw: bool,
    /// doccano: leave out the inner of two overlapping spans, and its
    /// relations (`--no-overlap`), for projects that do not allow overlaps.
    pub no_overlap: bool,
    /// CoNLL: also one four-column CoNLL-2003 file per label beside the
    /// output (`--per-label`; see [`super::formats::conll`]).
    pub per_label: bool,
    /// Replace existing output.
    pub force: bool,
    /// The project file the export comes from: never written over, under
    /// any name (also with `force`).
    pub project_file: Option<PathBuf>,
}

impl ExportOptions {
    pub fn new(format: Format) -> Self {
        ExportOptions {
            format,
            states: vec![ReviewState::Accepted],
            done_only: false,
            labels: None,
            no_spans: false,
            csv_bom: false,
            csv_raw: false,
            no_overlap: false,
            per_label: false,
            force: false,
            project_file: None,
        }
    }
}

/// What an export wrote and left out.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ExportSummary {
    pub files: Vec<PathBuf>,
    pub documents: usize,
    pub spans_per_label: BTreeMap<String, usize>,
    pub relations: usize,
    /// What was left out and why, one line each.
    pub skipped: Vec<String>,
    /// Other things the user should know, one line each.
    pub notes: Vec<String>,
}

impl std::fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let spans: usize = self.spans_per_label.values().sum();
        writeln!(
            f,
            "exported {} document(s), {spans} span(s), {} relation(s) to:",
            self.documents, self.relations
        )?;
        for file in &self.files {
            writeln!(f, "  {}", file.display())?;
        }
        for (label, n) in &self.spans_per_label {
            writeln!(f, "  {label}: {n}")?;
        }
        for s in &self.skipped {
            writeln!(f, "  left out: {s}")?;
        }
        for s in &self.notes {
            writeln!(f, "  note: {s}")?;
        }
        Ok(())
    }
}

/// The native record of a document with all its spans and relations.
pub fn document_record(doc: &Document) -> Record {
    let tokens = formats::jsonl::prodigy_tokens(doc.text.as_str());
    let spans = doc
        .spans
        .iter()
        .map(|s| {
            let confidence = match &s.origin {
                Origin::Rule { confidence, .. } => Some(f64::from(*confidence)),
                _ => None,
            };
            let annotator = s.annotator().map(str::to_string);
            let range = formats::jsonl::token_range(&tokens, s.start, s.end);
            let (token_start, token_end) = (range.map(|r| r.0), range.map(|r| r.1));
            RecordSpan {
                id: s.id.to_string(),
                start: s.start,
                end: s.end,
                label: s.label.clone(),
                text: doc.span_text(s).to_string(),
                attrs: s.attrs.clone(),
                status: Some(s.review.as_str().to_string()),
                origin: Some(s.origin.short()),
                confidence,
                annotator,
                token_start,
                token_end,
            }
        })
        .collect();
    let relations = doc
        .relations
        .iter()
        .map(|r| RecordRelation {
            kind: r.kind.clone(),
            from: r.from.to_string(),
            to: r.to.to_string(),
        })
        .collect();
    Record {
        id: Some(doc.name.clone()),
        text: doc.text.as_str().to_string(),
        meta: doc.meta.clone(),
        spans,
        relations,
        extra: Default::default(),
    }
}

/// The documents and annotations that `options` selects, as records, and
/// what was left out.
pub fn select(project: &Project, options: &ExportOptions) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut not_done = 0;
    let mut by_state: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_label = 0;
    let mut dangling = 0;
    for doc in &project.documents {
        if options.done_only && doc.status != DocStatus::Done {
            not_done += 1;
            continue;
        }
        let mut record = document_record(doc);
        if options.no_spans {
            record.spans.clear();
            record.relations.clear();
            records.push(record);
            continue;
        }
        let mut kept = HashSet::new();
        record.spans.retain(|s| {
            let state = s.status.as_deref().and_then(ReviewState::parse);
            let state_ok = state.is_some_and(|st| options.states.contains(&st));
            let label_ok = options
                .labels
                .as_ref()
                .is_none_or(|ls| ls.contains(&s.label));
            if !state_ok {
                *by_state
                    .entry(state.map_or("unknown", ReviewState::as_str))
                    .or_default() += 1;
            } else if !label_ok {
                by_label += 1;
            }
            let keep = state_ok && label_ok;
            if keep {
                kept.insert(s.id.clone());
            }
            keep
        });
        let before = record.relations.len();
        record
            .relations
            .retain(|r| kept.contains(&r.from) && kept.contains(&r.to));
        dangling += before - record.relations.len();
        records.push(record);
    }
    let mut skipped = Vec::new();
    if not_done > 0 {
        skipped.push(format!("{not_done} document(s) not marked done"));
    }
    for (state, n) in by_state {
        skipped.push(format!("{n} {state} span(s) (review state not asked for)"));
    }
    if by_label > 0 {
        skipped.push(format!("{by_label} span(s) of labels not asked for"));
    }
    if dangling > 0 {
        skipped.push(format!(
            "{dangling} relation(s) whose other end was left out"
        ));
    }
    (records, skipped)
}

/// The labels a CoNLL export writes: the schema's, or those asked for.
fn conll_labels(project: &Project, options: &ExportOptions) -> Vec<String> {
    project
        .schema
        .labels
        .iter()
        .map(|l| l.name.clone())
        .filter(|l| options.labels.as_ref().is_none_or(|ls| ls.contains(l)))
        .collect()
}

/// `--per-label`: one CoNLL-2003 file per label beside `path`; returns the
/// files and the sentence breaks dropped (the same as in the main file).
fn write_per_label(
    project: &Project,
    options: &ExportOptions,
    records: &[Record],
    path: &Path,
) -> Result<(Vec<PathBuf>, usize), ExportError> {
    let mut files = Vec::new();
    let mut joined = 0;
    for label in conll_labels(project, options) {
        let file = formats::conll::per_label_path(path, &label);
        joined = formats::write_file(&file, |out| {
            formats::conll::write_layout(
                records,
                std::slice::from_ref(&label),
                formats::conll::Layout::Conll2003,
                out,
                &mut |_| {},
            )
        })?;
        files.push(file);
    }
    Ok((files, joined))
}

/// What the chosen format could not carry, counted over all parts.
#[derive(Debug, Default)]
struct Losses {
    /// Spans left out, with the reason, and how many.
    spans: BTreeMap<String, usize>,
    relations: usize,
    /// Relations left out with `--no-overlap` (their spans were).
    overlap_relations: usize,
    attr_values: usize,
    not_accepted: usize,
    origins: usize,
    metadata: usize,
    /// doccano without `--no-overlap`: spans that overlap another.
    overlapping: usize,
    /// Label Studio: relations of rejected spans.
    rejected_relations: usize,
    /// Label Studio: relations between an accepted and a pending span.
    cross_relations: usize,
    /// Label Studio: attributes set to the empty value.
    empty_values: usize,
}

impl Losses {
    fn lines(&self, options: &ExportOptions) -> Vec<String> {
        let format = options.format;
        let mut out: Vec<String> = self
            .spans
            .iter()
            .map(|(why, n)| format!("{n} {why}"))
            .collect();
        if self.overlap_relations > 0 {
            out.push(format!(
                "{} relation(s) of spans left out by --no-overlap",
                self.overlap_relations
            ));
        }
        if self.relations > 0 {
            out.push(match format {
                Format::Csv => format!(
                    "{} relation(s) beyond the first of their span (a CSV row names one speaker)",
                    self.relations
                ),
                _ => format!("{} relation(s) ({format} has no relations)", self.relations),
            });
        }
        if self.attr_values > 0 {
            out.push(match format {
                Format::Csv => format!(
                    "{} attribute value(s) that have no column (the columns are entity, mode, cue, polarity, target)",
                    self.attr_values
                ),
                _ => format!(
                    "{} attribute value(s) ({format} has no attributes)",
                    self.attr_values
                ),
            });
        }
        if self.not_accepted > 0 {
            out.push(format!(
                "the review state of {} span(s) that are not accepted ({format} has no review state; they import as accepted)",
                self.not_accepted
            ));
        }
        if self.rejected_relations > 0 {
            out.push(format!(
                "{} relation(s) of rejected spans",
                self.rejected_relations
            ));
        }
        if self.cross_relations > 0 {
            out.push(format!(
                "{} relation(s) between an accepted and a pending span (in Label Studio an annotation and a prediction cannot link to each other)",
                self.cross_relations
            ));
        }
        if self.empty_values > 0 {
            out.push(format!(
                "{} empty attribute value(s) (Label Studio has no empty choice or text; they import as unset)",
                self.empty_values
            ));
        }
        if self.origins > 0 {
            out.push(match format {
                Format::LabelStudio => format!(
                    "the origin (annotator, or rule with its confidence) of {} span(s) (Label Studio has no place for it; a pending suggestion's confidence is its score; they import with origin import)",
                    self.origins
                ),
                _ => format!(
                    "the origin (manual or rule, with confidence) of {} span(s) ({format} has no place for it)",
                    self.origins
                ),
            });
        }
        if self.metadata > 0 {
            out.push(format!(
                "the metadata of {} document(s) ({format} has no place for it)",
                self.metadata
            ));
        }
        out
    }

    fn notes(&self, options: &ExportOptions) -> Vec<String> {
        let mut out = Vec::new();
        if options.format == Format::Doccano {
            if self.overlapping > 0 {
                out.push(format!(
                    "{} span(s) overlap another span: create the doccano project with \"Allow overlapping spans\" (and relation labels) checked, or doccano drops them and fails on their relations; or export again with --no-overlap",
                    self.overlapping
                ));
            }
            out.push(
                "import into a doccano \"Sequence Labeling\" project with \"Use relation labeling\" checked, file format JSONL; the file is ASCII (non-ASCII characters are \\u escapes), so any encoding setting reads it".into(),
            );
        }
        out
    }
}

/// Takes out of `records` what `options.format` cannot carry, so that the
/// summary counts what the file holds, each span once, and counts each loss.
fn fit(
    project: &Project,
    options: &ExportOptions,
    records: Vec<Record>,
    losses: &mut Losses,
) -> Vec<Record> {
    let count = |records: &[Record], losses: &mut Losses, attrs: bool, state: bool, meta: bool| {
        for r in records {
            if meta && !r.meta.is_empty() {
                losses.metadata += 1;
            }
            for s in &r.spans {
                if attrs {
                    losses.attr_values += s.attrs.len();
                }
                if state {
                    if s.status.as_deref().is_some_and(|st| st != "accepted") {
                        losses.not_accepted += 1;
                    }
                    if s.origin.as_deref().is_some_and(|o| o != "import") {
                        losses.origins += 1;
                    }
                }
            }
        }
    };
    match options.format {
        Format::Doccano => {
            let mut records = if options.no_overlap {
                let (records, spans, relations) = formats::doccano::without_overlaps(&records);
                if spans > 0 {
                    *losses
                        .spans
                        .entry("span(s) inside or overlapping another span (--no-overlap)".into())
                        .or_default() += spans;
                }
                losses.overlap_relations += relations;
                records
            } else {
                losses.overlapping += formats::doccano::overlapping(&records);
                records
            };
            // Metadata goes in doccano's `meta`.
            count(&records, losses, true, true, false);
            for r in &mut records {
                for s in &mut r.spans {
                    s.attrs.clear();
                }
            }
            records
        }
        Format::Brat => {
            count(&records, losses, false, false, true);
            records
        }
        Format::Conll => {
            let fitted = formats::conll::fit(&records, &conll_labels(project, options));
            for (label, n) in &fitted.nested {
                *losses
                    .spans
                    .entry(format!(
                        "{label} span(s) nested in or overlapping another {label} span (CoNLL has one tag per token and label)"
                    ))
                    .or_default() += n;
            }
            if fitted.no_token > 0 {
                *losses
                    .spans
                    .entry("span(s) covering no token (whitespace only)".into())
                    .or_default() += fitted.no_token;
            }
            if fitted.other_label > 0 {
                *losses
                    .spans
                    .entry("span(s) of labels not in the schema".into())
                    .or_default() += fitted.other_label;
            }
            let mut records = fitted.records;
            count(&records, losses, true, true, true);
            for r in &mut records {
                losses.relations += r.relations.len();
                r.relations.clear();
            }
            records
        }
        Format::Csv => {
            let (records, lost) = formats::csv::fit(records);
            *losses
                .spans
                .entry("span(s) that are no Claim or Stance and link to none (a CSV row is a Claim or Stance with its speaker)".into())
                .or_default() += lost.spans;
            losses.spans.retain(|_, n| *n > 0);
            losses.relations += lost.relations;
            losses.attr_values += lost.attr_values;
            count(&records, losses, false, false, true);
            records
        }
        Format::LabelStudio => {
            // An annotation (accepted) and a prediction (pending): no place
            // for a rejected suggestion, nor for its links, nor for a link
            // between the two; no empty answer; no origin.
            let mut records = records;
            let mut spans = 0;
            for r in &mut records {
                let state = |s: &RecordSpan| {
                    s.status
                        .as_deref()
                        .and_then(ReviewState::parse)
                        .unwrap_or(ReviewState::Accepted)
                };
                let before = r.spans.len();
                r.spans.retain(|s| state(s) != ReviewState::Rejected);
                spans += before - r.spans.len();
                let states: HashMap<String, ReviewState> =
                    r.spans.iter().map(|s| (s.id.clone(), state(s))).collect();
                r.relations
                    .retain(|x| match (states.get(&x.from), states.get(&x.to)) {
                        (Some(a), Some(b)) if a == b => true,
                        (Some(_), Some(_)) => {
                            losses.cross_relations += 1;
                            false
                        }
                        _ => {
                            losses.rejected_relations += 1;
                            false
                        }
                    });
                for s in &mut r.spans {
                    let before = s.attrs.len();
                    s.attrs.retain(|_, v| !v.is_empty());
                    losses.empty_values += before - s.attrs.len();
                    if s.origin.as_deref().is_some_and(|o| o != "import") {
                        losses.origins += 1;
                    }
                }
            }
            if spans > 0 {
                *losses
                    .spans
                    .entry("rejected span(s): Label Studio has annotations and predictions, no rejected suggestions".into())
                    .or_default() += spans;
            }
            records
        }
        _ => records,
    }
}

/// A named share of the documents (`train=0.8`).
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPart {
    pub name: String,
    pub share: f64,
}

/// Parses `train=0.8,dev=0.1,test=0.1`; shares must add up to 1.
pub fn parse_split(spec: &str) -> Result<Vec<SplitPart>, ExportError> {
    let err = |why: String| ExportError::Split {
        spec: spec.to_string(),
        why,
    };
    let mut parts = Vec::new();
    for item in spec.split(',') {
        let (name, share) = item
            .split_once('=')
            .ok_or_else(|| err(format!("{item:?} has no '='")))?;
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(err(format!("{name:?} is not a plain name")));
        }
        let share: f64 = share
            .trim()
            .parse()
            .map_err(|_| err(format!("{share:?} is not a number")))?;
        if !(0.0..=1.0).contains(&share) {
            return Err(err(format!("{share} is not between 0 and 1")));
        }
        if parts.iter().any(|p: &SplitPart| p.name == name) {
            return Err(err(format!("{name:?} appears twice")));
        }
        parts.push(SplitPart {
            name: name.to_string(),
            share,
        });
    }
    let total: f64 = parts.iter().map(|p| p.share).sum();
    if (total - 1.0).abs() > 1e-6 {
        return Err(err(format!("the shares add up to {total}, not 1")));
    }
    Ok(parts)
}

/// Splits records by document, deterministically for a given seed: the
/// same project and seed always give the same parts.
pub fn split(records: Vec<Record>, parts: &[SplitPart], seed: u64) -> Vec<(String, Vec<Record>)> {
    let n = records.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed;
    // Fisher–Yates with splitmix64: small, fast, and stable across
    // platforms and versions (unlike a library RNG whose stream may change).
    for i in (1..n).rev() {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        order.swap(i, (z % (i as u64 + 1)) as usize);
    }
    let mut slots: Vec<Option<Record>> = records.into_iter().map(Some).collect();
    let mut out = Vec::new();
    let mut taken = 0;
    let mut cumulative = 0.0;
    for (i, part) in parts.iter().enumerate() {
        cumulative += part.share;
        let upto = if i + 1 == parts.len() {
            n
        } else {
            ((cumulative * n as f64).round() as usize).min(n)
        };
        let mut docs: Vec<(usize, Record)> = order[taken..upto.max(taken)]
            .iter()
            .filter_map(|&k| slots[k].take().map(|r| (k, r)))
            .collect();
        docs.sort_by_key(|(k, _)| *k);
        taken = upto.max(taken);
        out.push((
            part.name.clone(),
            docs.into_iter().map(|(_, r)| r).collect(),
        ));
    }
    out
}

/// Where one part of a split goes: `data.jsonl` + `train` →
/// `data.train.jsonl`; a brat folder `out` → `out.train`.
pub fn part_path(out: &Path, part: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match out.extension() {
        Some(ext) => format!("{stem}.{part}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{part}"),
    };
    out.with_file_name(name)
}

/// Refuses an output that is a project file: one named `*.sayso`, or the
/// project being exported under any name (compared by file identity, so a
/// hard or symbolic link is caught too).
pub(crate) fn check_not_a_project(
    path: &Path,
    project_file: Option<&Path>,
) -> Result<(), ExportError> {
    let sayso = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(crate::project::EXTENSION));
    if sayso {
        return Err(ExportError::OverProject(path.to_path_buf()));
    }
    if let Some(project) = project_file
        && let Some(id) = super::file_id::of_path(path)
        && super::file_id::of_path(project).as_ref() == Some(&id)
    {
        return Err(ExportError::IsInput {
            path: path.to_path_buf(),
            project: project.to_path_buf(),
        });
    }
    Ok(())
}

/// Exports `project` to `out` (a file, or a folder or `.zip` for brat).
/// `split`: parts and seed; `progress(done, total)` is called as documents
/// are written.
pub fn export(
    project: &Project,
    options: &ExportOptions,
    out: &Path,
    split_by: Option<(&[SplitPart], u64)>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportSummary, ExportError> {
    let (records, mut skipped) = select(project, options);
    let sets = match split_by {
        Some((parts, seed)) => split(records, parts, seed)
            .into_iter()
            .map(|(name, recs)| (part_path(out, &name), recs))
            .collect(),
        None => vec![(out.to_path_buf(), records)],
    };
    for (path, _) in &sets {
        check_not_a_project(path, options.project_file.as_deref())?;
    }
    if !options.force
        && let Some((path, _)) = sets.iter().find(|(p, _)| p.exists())
    {
        return Err(ExportError::Exists(path.clone()));
    }
    if options.format == Format::Conll && options.per_label && !options.force {
        for (path, _) in &sets {
            for label in conll_labels(project, options) {
                let extra = formats::conll::per_label_path(path, &label);
                check_not_a_project(&extra, options.project_file.as_deref())?;
                if extra.exists() {
                    return Err(ExportError::Exists(extra));
                }
            }
        }
    }
    let total: usize = sets.iter().map(|(_, r)| r.len()).sum();
    let mut summary = ExportSummary::default();
    for (path, _) in &sets {
        for stale in super::atomic::remove_stale(path, &[".tmp"]) {
            summary.notes.push(format!(
                "removed {}, a temporary file that an interrupted export had left",
                stale.display()
            ));
        }
    }
    // Missing parent folders are created, and the summary says so.
    for (path, _) in &sets {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.exists()
        {
            // (Parts of a split share a folder: it is created, and named, once.)
            std::fs::create_dir_all(dir).map_err(|e| ExportError::write(path, e))?;
            summary.notes.push(format!(
                "created the folder {}, which did not exist",
                dir.display()
            ));
        }
    }
    let mut done = 0;
    let mut losses = Losses::default();
    for (path, recs) in sets {
        let recs = fit(project, options, recs, &mut losses);
        for r in &recs {
            for s in &r.spans {
                *summary.spans_per_label.entry(s.label.clone()).or_default() += 1;
            }
            summary.relations += r.relations.len();
        }
        summary.documents += recs.len();
        let mut tick = |n: usize| progress(done + n, total);
        let notes = formats::write(options.format, project, options, &recs, &path, &mut tick)?;
        done += recs.len();
        summary.notes.extend(notes);
        summary.files.push(path.clone());
        if options.format == Format::LabelStudio {
            summary.files.push(formats::labelstudio::config_path(&path));
        }
        if options.format == Format::Conll && options.per_label {
            let (files, _) = write_per_label(project, options, &recs, &path)?;
            summary.files.extend(files);
        }
    }
    skipped.extend(losses.lines(options));
    summary.notes.extend(losses.notes(options));
    summary.skipped = skipped;
    Ok(summary)
}
