//! The native JSONL dataset: one [`Record`] per line, spans with code
//! point offsets, their text, attributes, status, origin, and Prodigy/spaCy
//! token indices (`token_start`/`token_end`, inclusive).

use std::io::Write;

use crate::io::record::Record;

pub fn write(
    records: &[Record],
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<()> {
    for (i, r) in records.iter().enumerate() {
        serde_json::to_writer(&mut *out, r)?;
        out.write_all(b"\n")?;
        progress(i + 1);
    }
    Ok(())
}

/// Reads JSONL records; bad lines come back with their reason.
pub fn read(src: impl AsRef<[u8]>) -> super::ReadLines {
    super::read_lines(src, |line| {
        serde_json::from_str::<Record>(line).map_err(|e| format!("not a valid record: {e}"))
    })
}
