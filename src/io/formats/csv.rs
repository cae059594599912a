//! The analyst's table: one row per Claim and per Stance (any span that
//! is the source of a relation, for custom schemas), with its speaker
//! (the span at the other end of its relation) and attributes, offsets in
//! code points. Quoting follows RFC 4180, so it opens cleanly in a
//! spreadsheet; an optional UTF-8 BOM helps Excel. For Excel (the BOM),
//! cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return are
//! neutralised with a leading `'`, as OWASP advises against formula
//! injection, so that a span text like `=HYPERLINK(…)` is shown, not run;
//! `--raw` keeps them as they are.

use std::collections::HashMap;
use std::io::Write;

use crate::io::record::Record;

pub const HEADER: [&str; 17] = [
    "document",
    "label",
    "text",
    "start",
    "end",
    "speaker",
    "speaker_entity",
    "speaker_start",
    "speaker_end",
    "mode",
    "cue",
    "polarity",
    "target",
    "status",
    "origin",
    "confidence",
    "span_id",
];

/// `cell`, with a leading `'` when a spreadsheet would read it as a formula.
pub fn neutralised(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

pub fn write(
    records: &[Record],
    bom: bool,
    neutralise: bool,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> std::io::Result<()> {
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    for (i, r) in records.iter().enumerate() {
        let by_id: HashMap<&str, _> = r.spans.iter().map(|s| (s.id.as_str(), s)).collect();
        for s in &r.spans {
            let link = r.relations.iter().find(|rel| rel.from == s.id);
            if !(s.label == "Claim" || s.label == "Stance" || link.is_some()) {
                continue;
            }
            let speaker = link.and_then(|rel| by_id.get(rel.to.as_str()));
            let attr = |k: &str| s.attrs.get(k).cloned().unwrap_or_default();
            let row = [
                r.id.clone().unwrap_or_default(),
                s.label.clone(),
                s.text.clone(),
                s.start.to_string(),
                s.end.to_string(),
                speaker.map(|p| p.text.clone()).unwrap_or_default(),
                speaker
                    .and_then(|p| p.attrs.get("entity").cloned())
                    .unwrap_or_default(),
                speaker.map(|p| p.start.to_string()).unwrap_or_default(),
                speaker.map(|p| p.end.to_string()).unwrap_or_default(),
                attr("mode"),
                attr("cue"),
                attr("polarity"),
                attr("target"),
                s.status.clone().unwrap_or_default(),
                s.origin.clone().unwrap_or_default(),
                s.confidence.map(|c| format!("{c:.3}")).unwrap_or_default(),
                s.id.clone(),
            ];
            if neutralise {
                w.write_record(row.map(neutralised))?;
            } else {
                w.write_record(&row)?;
            }
        }
        progress(i + 1);
    }
    w.flush()?;
    Ok(())
}
