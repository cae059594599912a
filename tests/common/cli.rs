//! The `sayso` binary run as a user runs it, for the command-line tests.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `sayso ARGS` in `dir` and waits for it.
pub fn sayso(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the sayso binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
