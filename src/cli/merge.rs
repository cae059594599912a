//! `sayso merge FILES... -o team.sayso`: the annotators' files in one
//! project, and `sayso split team.sayso --out DIR`, the way back.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::team::{TeamFile, merge, split};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The annotators' project files (e.g. DIR/*.sayso).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// The merged project to write.
    #[arg(short, long, value_name = "team.sayso")]
    pub output: PathBuf,
    /// Replace the output if it exists (the old one is kept as .bak).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SplitArgs {
    /// A merged project.
    #[arg(value_name = "team.sayso")]
    pub project: PathBuf,
    /// The folder to write one project per annotator to (DIR/NAME.sayso).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace existing files (the old ones are kept as .bak).
    #[arg(long)]
    pub force: bool,
}

/// Reads the files of a team: each with its annotator (the one `assign`
/// recorded, else the file's stem).
pub(super) fn read_team(paths: &[PathBuf]) -> anyhow::Result<Vec<TeamFile>> {
    paths
        .iter()
        .map(|path| {
            let project = super::open_project(path)?;
            let annotator = project.annotator.clone().unwrap_or_else(|| stem(path));
            Ok(TeamFile {
                path: super::shown_path(path),
                annotator,
                project,
            })
        })
        .collect()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn run(args: MergeArgs) -> anyhow::Result<()> {
    let team = read_team(&args.files)?;
    let merged = merge(&team)?;
    for n in &merged.notices {
        super::note(n);
    }
    let docs = merged.project.documents.len();
    let shared = merged
        .project
        .documents
        .iter()
        .filter(|d| crate::team::annotators_of(d).len() >= 2)
        .count();
    let outputs = super::team_out::prepare(
        vec![(args.output.clone(), merged.project)],
        &args.files,
        args.force,
    )?;
    outputs.save()?;
    let per: Vec<String> = merged
        .spans
        .iter()
        .map(|(a, n)| format!("{a} {n}"))
        .collect();
    super::print_out(&format!(
        "{}: {docs} document(s) from {} file(s), {shared} shared by two or more; spans per annotator: {}\n",
        super::shown_path(&args.output),
        team.len(),
        if per.is_empty() {
            "none".to_string()
        } else {
            per.join(", ")
        }
    ))
}

pub fn run_split(args: SplitArgs) -> anyhow::Result<()> {
    let project = super::open_project(&args.project)?;
    let (files, nobody) = split(&project)?;
    if files.is_empty() {
        anyhow::bail!(
            "{} names no annotators (it is not a merged project); nothing to split",
            super::shown_path(&args.project)
        );
    }
    if nobody > 0 {
        super::note(format!(
            "{nobody} span(s) belong to no annotator (curated spans without a curator) and are in none of the files"
        ));
    }
    super::team_out::make_dir(&args.out)?;
    let summary: Vec<String> = files
        .iter()
        .map(|(name, p)| {
            let spans: usize = p.documents.iter().map(|d| d.spans.len()).sum();
            format!("{name}: {} document(s), {spans} span(s)", p.documents.len())
        })
        .collect();
    let files = files
        .into_iter()
        .map(|(name, p)| (super::team_out::file_in(&args.out, &name), p))
        .collect();
    let outputs = super::team_out::prepare(files, std::slice::from_ref(&args.project), args.force)?;
    let written = outputs.save()?;
    let mut text = summary.join("\n") + "\nwritten:\n";
    for p in written {
        text.push_str(&format!("  {}\n", super::shown_path(&p)));
    }
    super::print_out(&text)
}
