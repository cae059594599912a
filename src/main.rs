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
        // The reader of standard output left (`sayso info P.sayso | head`):
        // end quietly, as Unix tools do.
        Err(e) if sayso::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{}", sayso::cli::error_message(&e));
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
