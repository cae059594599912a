//! `sayso suggest`: rule suggestions for a project's documents, or for a
//! stream of JSONL documents.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::rules::RuleSet;
use crate::rules::project::suggest_edit;
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

fn load_rules(path: Option<&Path>) -> anyhow::Result<RuleSet> {
    Ok(match path {
        Some(p) => RuleSet::load(p)?,
        None => RuleSet::default_en_news(),
    })
}

pub fn run(args: SuggestArgs) -> anyhow::Result<()> {
    let rules = load_rules(args.rules.as_deref())?;
    if let Some(paths) = &args.jsonl {
        return stream(&rules, &paths[0], &paths[1], args.threads);
    }
    let Some(path) = args.project else {
        bail!("name a project, or --jsonl IN OUT");
    };
    let mut project = project::load(&path)?;
    let docs: Vec<usize> = match &args.docs {
        None => (0..project.documents.len()).collect(),
        Some(names) => names
            .iter()
            .map(|n| {
                project
                    .document_index(n)
                    .with_context(|| format!("{} has no document {n:?}", path.display()))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let (edit, summary) = suggest_edit(&mut project, &rules, &docs);
    edit.apply(&mut project)
        .context("the suggestions do not fit the project")?;
    project::save(&project, &path)?;
    for note in &summary.notes {
        eprintln!("sayso: {note}");
    }
    println!(
        "{}: {} document(s): {} new suggestion(s), {} relation(s), {} outdated suggestion(s) withdrawn",
        path.display(),
        summary.documents,
        summary.added,
        summary.relations,
        summary.withdrawn
    );
    Ok(())
}

fn stream(
    rules: &RuleSet,
    input: &Path,
    output: &Path,
    threads: Option<usize>,
) -> anyhow::Result<()> {
    let dash = Path::new("-");
    let name = input.display().to_string();
    let reader: Box<dyn BufRead + Send> = if input == dash {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(input).with_context(|| format!("cannot read {name}"))?;
        Box::new(BufReader::with_capacity(1 << 20, f))
    };
    let writer: Box<dyn Write + Send> = if output == dash {
        Box::new(BufWriter::new(std::io::stdout()))
    } else {
        if output.exists() && output.canonicalize().ok() == input.canonicalize().ok() {
            bail!(
                "OUT must not be IN: {} would be overwritten while read",
                output.display()
            );
        }
        let f = std::fs::File::create(output)
            .with_context(|| format!("cannot write {}", output.display()))?;
        Box::new(BufWriter::with_capacity(1 << 20, f))
    };
    let summary = match threads {
        Some(1) => rules::suggest_jsonl(rules, reader, writer, &name)?,
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
            pool.install(|| rules::suggest_jsonl_parallel(rules, reader, writer, &name, 256))?
        }
        None => rules::suggest_jsonl_parallel(rules, reader, writer, &name, 256)?,
    };
    for bad in &summary.bad_lines {
        eprintln!("sayso: skipped {bad}");
    }
    eprintln!(
        "sayso: {} document(s) written, {} suggestion(s), {} relation(s), {} bad line(s) skipped",
        summary.records_written,
        summary.spans_suggested,
        summary.relations_suggested,
        summary.bad_lines.len()
    );
    Ok(())
}
