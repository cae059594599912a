//! The command-line interface: argument definitions (`clap`) and the
//! commands that do not need a window. Each command is a thin shell over
//! the library and returns an [`anyhow::Result`]; `main` prints errors once,
//! as `sayso: error: …`, and exits with status 1 (2 for bad arguments).
//! A reader that closes the pipe early (`sayso info P.sayso | head`) ends a
//! command quietly with status 0, as Unix tools do.

mod agree;
mod assign;
mod curate;
mod eval;
mod export;
mod import;
mod info;
mod merge;
mod new;
mod output;
mod suggest;
mod team_out;

use std::path::PathBuf;

pub use output::{error_message, shown, shown_json, shown_lines, shown_path};
pub use output::{is_broken_pipe, stdout_closed};
pub(crate) use output::{note, print_out};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sayso",
    version,
    about = "Mark up who said what in news articles, and where they stand.",
    long_about = "Mark up who said what in news articles, and where they stand.\n\n\
        With no command, opens the desktop window: on a project (`sayso P.sayso`), on a new \
        unsaved project of text files (`sayso a.txt b.txt`), or with no path on the last \
        project (the bundled example on first start).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project (.sayso) or text files to open in the window.
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a new project from text files, folders of .txt files, or JSONL.
    New(new::NewArgs),
    /// Print a project's documents, span counts per label, and statuses.
    Info(info::InfoArgs),
    /// Export a labelled dataset: jsonl, doccano, brat, conll, csv, labelstudio or inception.
    Export(export::ExportArgs),
    /// Add documents with their annotations (jsonl, doccano, brat, labelstudio, inception) to a project.
    Import(import::ImportArgs),
    /// Add rule suggestions to a project, or stream JSONL documents through the rules.
    Suggest(suggest::SuggestArgs),
    /// Score predictions against a reference annotation (precision, recall, F1).
    Eval(eval::EvalArgs),
    /// Hand a project's documents out to annotators: one project file each.
    Assign(assign::AssignArgs),
    /// Bring annotators' project files together into one project.
    Merge(merge::MergeArgs),
    /// Take a merged project apart: one project file per annotator.
    Split(merge::SplitArgs),
    /// Agreement between annotators: span F1, Cohen's kappa, Krippendorff's alpha.
    Agree(agree::AgreeArgs),
    /// Settle what a majority of annotators agrees on in a merged project.
    Curate(curate::CurateArgs),
}

impl Command {
    pub fn run(self) -> anyhow::Result<()> {
        match self {
            Command::New(args) => new::run(args),
            Command::Info(args) => info::run(args),
            Command::Export(args) => export::run(args),
            Command::Import(args) => import::run(args),
            Command::Suggest(args) => suggest::run(args),
            Command::Eval(args) => eval::run(args),
            Command::Assign(args) => assign::run(args),
            Command::Merge(args) => merge::run(args),
            Command::Split(args) => merge::run_split(args),
            Command::Agree(args) => agree::run(args),
            Command::Curate(args) => curate::run(args),
        }
    }
}

/// Takes the lock of the project at `path` for a command that changes it
/// (held until the returned lock is dropped); says so when it took over a
/// stale one.
pub(crate) fn take_lock(path: &std::path::Path) -> anyhow::Result<crate::project::ProjectLock> {
    let lock = crate::project::lock(path)?;
    if let Some(notice) = lock.notice() {
        note(notice);
    }
    Ok(lock)
}

/// Loads the project at `path`, removing the temporary files that killed
/// saves of it left, and says which (see [`crate::project::open`]).
pub(crate) fn open_project(path: &std::path::Path) -> anyhow::Result<crate::model::Project> {
    let opened = crate::project::open(path)?;
    if let Some(notice) = opened.notice() {
        note(notice);
    }
    Ok(opened.project)
}

/// The name recorded on manual spans: `$SAYSO_ANNOTATOR`, else the login
/// name, else "annotator".
pub fn default_annotator() -> String {
    ["SAYSO_ANNOTATOR", "USER", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "annotator".into())
}
