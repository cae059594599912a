//! `sayso export P.sayso --format F --out PATH [filters]`.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::io::export::{ExportOptions, ExportSummary, export, parse_split};
use crate::io::formats::Format;
use crate::model::ReviewState;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The project file.
    #[arg(value_name = "P.sayso")]
    pub project: PathBuf,
    /// jsonl (native), doccano, brat (folder, or .zip), conll, csv, labelstudio (tasks .json
    /// and NAME.config.xml beside it), inception (UIMA CAS XMI in a .zip).
    #[arg(short, long, value_parser = parse_format)]
    pub format: Format,
    /// Where to write: a file, or for brat a folder or a .zip.
    #[arg(short, long, value_name = "PATH")]
    pub out: PathBuf,
    /// Review states to export, comma-separated: accepted, suggested, rejected.
    #[arg(long, default_value = "accepted", value_delimiter = ',', value_parser = parse_state)]
    pub status: Vec<ReviewState>,
    /// Only documents marked done.
    #[arg(long)]
    pub done_only: bool,
    /// Only these labels, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Texts only, without spans or relations (e.g. to run `sayso suggest --jsonl` over the
    /// texts of a gold project).
    #[arg(long, conflicts_with_all = ["status", "labels"])]
    pub no_spans: bool,
    /// Split by document into separate outputs, e.g. train=0.8,dev=0.1,test=0.1.
    #[arg(long)]
    pub split: Option<String>,
    /// Seed of the split: the same seed gives the same split.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// CSV: begin with a UTF-8 byte order mark (for Excel); cells starting with =, +, -, @,
    /// a tab or a carriage return then get a leading ' so that Excel does not run them.
    #[arg(long)]
    pub bom: bool,
    /// CSV with --bom: keep cells that look like formulas as they are.
    #[arg(long, requires = "bom")]
    pub raw: bool,
    /// doccano: leave out the inner of two overlapping spans (and its relations), for a
    /// doccano project that does not allow overlapping spans; the summary counts them.
    #[arg(long)]
    pub no_overlap: bool,
    /// CoNLL: also write one file per label beside OUT (OUT.Speaker.conll, ...) in the
    /// four-column CoNLL-2003 layout that spacy convert and Hugging Face loaders read.
    #[arg(long)]
    pub per_label: bool,
    /// Replace existing output.
    #[arg(long)]
    pub force: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format {s:?}; choose one of {}", names.join(", "))
    })
}

fn parse_state(s: &str) -> Result<ReviewState, String> {
    ReviewState::parse(s.trim())
        .ok_or_else(|| format!("unknown review state {s:?}; use accepted, suggested or rejected"))
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    if args.no_overlap && args.format != Format::Doccano {
        bail!(
            "--no-overlap is for --format doccano; leave it out for {}",
            args.format
        );
    }
    if args.per_label && args.format != Format::Conll {
        bail!(
            "--per-label is for --format conll; leave it out for {}",
            args.format
        );
    }
    let project = super::open_project(&args.project)?;
    if let Some(labels) = &args.labels
        && let Some(unknown) = labels.iter().find(|l| project.schema.label(l).is_none())
    {
        bail!("the project has no label {unknown:?}");
    }
    let options = ExportOptions {
        format: args.format,
        states: args.status,
        done_only: args.done_only,
        labels: args.labels,
        no_spans: args.no_spans,
        csv_bom: args.bom,
        csv_raw: args.raw,
        no_overlap: args.no_overlap,
        per_label: args.per_label,
        force: args.force,
        project_file: Some(args.project.clone()),
    };
    let parts = args.split.as_deref().map(parse_split).transpose()?;
    let total = project.documents.len();
    let step = (total / 10).max(1);
    let mut progress = |done: usize, total: usize| {
        if total >= 200 && (done.is_multiple_of(step) || done == total) {
            super::note(format!("exported {done}/{total} documents"));
        }
    };
    let summary = export(
        &project,
        &options,
        &args.out,
        parts.as_deref().map(|p| (p, args.seed)),
        &mut progress,
    )?;
    super::print_out(&shown_summary(summary).to_string())
}

/// The summary with the names it prints (files, labels) escaped, each as
/// one value (see [`super::shown`]).
fn shown_summary(mut summary: ExportSummary) -> ExportSummary {
    summary.files = summary
        .files
        .iter()
        .map(|f| super::shown_path(f).into())
        .collect();
    summary.spans_per_label = summary
        .spans_per_label
        .into_iter()
        .map(|(label, n)| (super::shown(&label), n))
        .collect();
    summary
}
