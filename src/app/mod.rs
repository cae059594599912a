//! The desktop window (placeholder until the workbench lands).

use std::path::PathBuf;

pub fn run(_paths: Vec<PathBuf>) -> anyhow::Result<()> {
    Ok(())
}
