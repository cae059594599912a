//! `sayso suggest`: rule suggestions for a project's documents, or for a
//! stream of JSONL documents.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::io::file_id::{self, FileId};
use crate::rules::jsonl;
use crate::rules::project::suggest_edit;
use crate::rules::{RuleError, RuleSet};
use crate::{project, rules};

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The project to add suggestions to (saved in place; the old file is kept as .bak).
    #[arg(value_name = "P.sayso", required_unless_present = "jsonl")]
    pub project: Option<PathBuf>,
    /// A rule file (.ron) or spaCy/Prodigy patterns (.jsonl) instead of the default English news rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Only these documents (names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub docs: Option<Vec<String>>,
    /// Stream JSONL documents from IN to OUT ("-" for standard input/output) instead of a project.
    #[arg(long, num_args = 2, value_names = ["IN", "OUT"], conflicts_with_all = ["project", "docs"])]
    pub jsonl: Option<Vec<PathBuf>>,
    /// Worker threads for --jsonl (default: all cores; 1 streams line by line).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The rules of `--rules` (the default ones without it). A spaCy patterns
/// file loads without its bad lines, each named on standard error.
fn load_rules(path: Option<&Path>) -> anyhow::Result<RuleSet> {
    let Some(p) = path else {
        return Ok(RuleSet::default_en_news());
    };
    let is_patterns = p
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
    if !is_patterns {
        return Ok(RuleSet::load(p)?);
    }
    let (rules, skipped) = rules::patterns_jsonl::load_path(p)?;
    for bad in &skipped {
        super::note(format!("skipped {bad}"));
    }
    if !skipped.is_empty() {
        super::note(format!(
            "{} line(s) of {} skipped, {} rule(s) loaded from the others",
            skipped.len(),
            super::shown_path(p),
            rules.rules().len()
        ));
    }
    Ok(rules)
}

pub fn run(args: SuggestArgs) -> anyhow::Result<()> {
    let rules = load_rules(args.rules.as_deref())?;
    if let Some(paths) = &args.jsonl {
        return stream(&rules, &paths[0], &paths[1], args.threads);
    }
    let Some(path) = args.project else {
        bail!("name a project, or --jsonl IN OUT");
    };
    let _lock = super::take_lock(&path)?;
    let mut project = super::open_project(&path)?;
    let docs: Vec<usize> = match &args.docs {
        None => (0..project.documents.len()).collect(),
        Some(names) => names
            .iter()
            .map(|n| {
                project
                    .document_index(n)
                    .with_context(|| format!("{} has no document {n:?}", super::shown_path(&path)))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let (edit, summary) = suggest_edit(&mut project, &rules, &docs);
    edit.apply(&mut project)
        .context("the suggestions do not fit the project")?;
    let saved = project::save(&project, &path)?;
    if let Some(notice) = saved.notice() {
        super::note(notice);
    }
    for note in &summary.notes {
        super::note(note);
    }
    super::print_out(&format!(
        "{}: {} document(s): {} new suggestion(s), {} relation(s), {} outdated suggestion(s) withdrawn\n",
        super::shown_path(&path),
        summary.documents,
        summary.added,
        summary.relations,
        summary.withdrawn
    ))
}

fn stream(
    rules: &RuleSet,
    input: &Path,
    output: &Path,
    threads: Option<usize>,
) -> anyhow::Result<()> {
    let dash = Path::new("-");
    let name = super::shown_path(input);
    let (reader, in_id): (Box<dyn BufRead + Send>, _) = if input == dash {
        (
            Box::new(BufReader::new(std::io::stdin())),
            file_id::of_stdin(),
        )
    } else {
        let f = File::open(input).with_context(|| format!("cannot read {name}"))?;
        let id = file_id::of_file(&f, input);
        (Box::new(BufReader::with_capacity(1 << 20, f)), id)
    };
    let same = |out_id: Option<&FileId>| file_id::same_regular_file(in_id.as_ref(), out_id);
    let (writer, out_name): (Box<dyn Write + Send>, String) = if output == dash {
        if super::stdout_closed() {
            bail!(
                "standard output is closed, so the suggestions cannot be written; \
                 name an output file instead of -, or redirect standard output to one"
            );
        }
        if same(file_id::of_stdout().as_ref()) {
            bail!(
                "standard output is {name}, which would be overwritten while it is read; \
                 write to another file"
            );
        }
        let out = BufWriter::new(std::io::stdout());
        (Box::new(out), "standard output".into())
    } else {
        let out_name = super::shown_path(output);
        // Opened without truncating, so that the identity check (a hard
        // link, a symbolic link or another spelling of IN) comes first.
        let f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(output)
            .with_context(|| format!("cannot write {out_name}"))?;
        if same(file_id::of_file(&f, output).as_ref()) {
            bail!(
                "OUT must not be IN: {out_name} is the same file as {name} (the same path, a \
                 hard link or a symbolic link), which would be emptied while it is read; \
                 choose another output file"
            );
        }
        // Only a regular file is emptied: `/dev/null`, a FIFO or a
        // terminal cannot be (and need not be) truncated.
        if f.metadata().map_or(true, |m| m.is_file()) {
            f.set_len(0)
                .with_context(|| format!("cannot write {out_name}"))?;
        }
        (Box::new(BufWriter::with_capacity(1 << 20, f)), out_name)
    };
    // Bad lines are reported as they come; the summary keeps only the first.
    let mut report = |bad: &rules::BadLine| super::note(format!("skipped {bad}"));
    let result = match threads {
        Some(1) => jsonl::suggest_jsonl_reporting(rules, reader, writer, &name, &mut report),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
            pool.install(|| {
                jsonl::suggest_jsonl_parallel_reporting(
                    rules,
                    reader,
                    writer,
                    &name,
                    256,
                    &mut report,
                )
            })
        }
        None => {
            jsonl::suggest_jsonl_parallel_reporting(rules, reader, writer, &name, 256, &mut report)
        }
    };
    let summary = match result {
        Ok(summary) => summary,
        // The stream names its output "<output>"; say which it is.
        Err(RuleError::Io { file, error }) if file == "<output>" => {
            return Err(anyhow::Error::new(error).context(format!(
                "cannot write {out_name}; what was written before the error is incomplete"
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let not_kept = match summary.bad_lines_not_kept() {
        0 => String::new(),
        n => format!(
            " (each reported above as it came; {n} of them beyond the first {} were counted, not kept)",
            jsonl::MAX_KEPT_BAD_LINES
        ),
    };
    super::note(format!(
        "{} document(s) written, {} suggestion(s), {} relation(s), {} bad line(s) skipped{not_kept}",
        summary.records_written,
        summary.spans_suggested,
        summary.relations_suggested,
        summary.bad_count
    ));
    Ok(())
}
