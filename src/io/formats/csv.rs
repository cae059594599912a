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

/// What [`fit`] took out: what a CSV row cannot hold.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Lost {
    /// Spans that are neither a row (a Claim, a Stance, or the source of a
    /// relation) nor the speaker of one.
    pub spans: usize,
    /// Relations beyond the first of their span (a row names one speaker).
    pub relations: usize,
    /// Attribute values with no column.
    pub attr_values: usize,
}

/// The attributes that have a column: of the row's span, and of its speaker.
const ROW_ATTRS: [&str; 4] = ["mode", "cue", "polarity", "target"];
const SPEAKER_ATTRS: [&str; 1] = ["entity"];

/// Whether a span is a row of the table.
fn is_row(r: &Record, s: &crate::io::record::RecordSpan) -> bool {
    s.label == "Claim" || s.label == "Stance" || r.relations.iter().any(|rel| rel.from == s.id)
}

/// The records with only what the table shows: row spans, their first
/// relation, and the spans at its other end; the rest is counted.
pub fn fit(records: Vec<Record>) -> (Vec<Record>, Lost) {
    let mut lost = Lost::default();
    let records = records
        .into_iter()
        .map(|mut r| {
            let mut first = std::collections::HashSet::new();
            let before = r.relations.len();
            r.relations.retain(|rel| first.insert(rel.from.clone()));
            lost.relations += before - r.relations.len();
            let rows: std::collections::HashSet<String> = r
                .spans
                .iter()
                .filter(|s| is_row(&r, s))
                .map(|s| s.id.clone())
                .collect();
            let speakers: std::collections::HashSet<String> =
                r.relations.iter().map(|rel| rel.to.clone()).collect();
            let before = r.spans.len();
            r.spans
                .retain(|s| rows.contains(&s.id) || speakers.contains(&s.id));
            lost.spans += before - r.spans.len();
            for s in &r.spans {
                let kept = |k: &String| {
                    (rows.contains(&s.id) && ROW_ATTRS.contains(&k.as_str()))
                        || (speakers.contains(&s.id) && SPEAKER_ATTRS.contains(&k.as_str()))
                };
                lost.attr_values += s.attrs.keys().filter(|k| !kept(k)).count();
            }
            r
        })
        .collect();
    (records, lost)
}

/// The note on cells neutralised for Excel, if any.
pub fn neutralised_note(n: usize) -> Vec<String> {
    if n == 0 {
        return vec![];
    }
    vec![format!(
        "{n} cell(s) starting with =, +, -, @, a tab or a carriage return got a leading ' so that Excel shows them instead of running them as formulas (--raw keeps them as they are)"
    )]
}

/// Whether a spreadsheet would read `cell` as a formula.
fn is_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `cell`, with a leading `'` when a spreadsheet would read it as a formula.
pub fn neutralised(cell: String) -> String {
    if is_formula(&cell) {
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
) -> std::io::Result<usize> {
    let mut changed = 0;
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    for (i, r) in records.iter().enumerate() {
        let by_id: HashMap<&str, _> = r.spans.iter().map(|s| (s.id.as_str(), s)).collect();
        for s in &r.spans {
            let link = r.relations.iter().find(|rel| rel.from == s.id);
            if !is_row(r, s) {
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
                changed += row.iter().filter(|c| is_formula(c)).count();
                w.write_record(row.map(neutralised))?;
            } else {
                w.write_record(&row)?;
            }
        }
        progress(i + 1);
    }
    w.flush()?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_lead_is_neutralised_and_nothing_else() {
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = format!("{lead}1+1");
            assert_eq!(neutralised(cell.clone()), format!("'{cell}"), "{lead:?}");
        }
        for plain in ["Putin said", " =1", "'=1", "", "\n=1", "1-1"] {
            assert_eq!(neutralised(plain.to_string()), plain, "{plain:?}");
        }
    }
}
