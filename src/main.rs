//! The `sayso` program: the desktop window, or a command-line command.

use std::process::ExitCode;

use clap::Parser;
use sayso::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => command.run(),
        None => open_window(cli.paths),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sayso: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_window(paths: Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    sayso::app::run(paths)
}

#[cfg(not(feature = "gui"))]
fn open_window(_paths: Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this sayso was built without the window (feature `gui`); use a command, see `sayso --help`"
    )
}
