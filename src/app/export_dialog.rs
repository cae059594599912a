//! File → Export…: the choices of `sayso export` (format, review states,
//! documents done only, labels, a train/dev/test split, CSV byte order
//! mark and formula cells kept raw, brat as folder or zip, doccano without
//! overlaps, CoNLL per label), then a path from the dialogs seam, then the
//! export's summary in the same window.

use std::collections::BTreeSet;

use eframe::egui;

use super::Action;
use crate::io::export::{ExportOptions, SplitPart, parse_split};
use crate::io::formats::Format;
use crate::model::{Project, ReviewState};

/// What the user asked to export; the app asks where and runs it.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub options: ExportOptions,
    pub split: Option<(Vec<SplitPart>, u64)>,
    /// brat into a `.zip` rather than a folder.
    pub zip: bool,
}

/// The state of the export window.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub open: bool,
    format: Format,
    accepted: bool,
    suggested: bool,
    rejected: bool,
    done_only: bool,
    /// Labels left out (all labels go out by default).
    left_out: BTreeSet<String>,
    split: bool,
    split_spec: String,
    seed: u64,
    bom: bool,
    /// CSV with a byte order mark: keep formula-like cells as they are.
    raw: bool,
    zip: bool,
    /// doccano: leave out the inner of two overlapping spans.
    no_overlap: bool,
    /// CoNLL: one four-column file per label beside the output.
    per_label: bool,
    replace: bool,
    /// The last export's summary, or why it failed.
    pub outcome: Option<(String, bool)>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        ExportDialog {
            open: false,
            format: Format::Jsonl,
            accepted: true,
            suggested: false,
            rejected: false,
            done_only: false,
            left_out: BTreeSet::new(),
            split: false,
            split_spec: "train=0.8,dev=0.1,test=0.1".into(),
            seed: 0,
            bom: false,
            raw: false,
            zip: false,
            no_overlap: false,
            per_label: false,
            replace: false,
            outcome: None,
        }
    }
}

fn format_text(f: Format) -> &'static str {
    match f {
        Format::Jsonl => "JSONL (native, Prodigy/spaCy spans)",
        Format::Doccano => "doccano JSONL",
        Format::Brat => "brat standoff",
        Format::Conll => "CoNLL (IOB2, a column per label)",
        Format::Csv => "CSV table of claims and stances",
        Format::LabelStudio => "Label Studio tasks and labelling config",
        Format::Inception => "INCEpTION (UIMA CAS XMI zip)",
    }
}

impl ExportDialog {
    /// The request the current choices make, or what is wrong with them.
    pub fn request(&self, project: &Project) -> Result<ExportRequest, String> {
        let mut options = ExportOptions::new(self.format);
        options.states = [
            (self.accepted, ReviewState::Accepted),
            (self.suggested, ReviewState::Suggested),
            (self.rejected, ReviewState::Rejected),
        ]
        .into_iter()
        .filter_map(|(on, s)| on.then_some(s))
        .collect();
        if options.states.is_empty() {
            return Err("choose at least one review state".into());
        }
        if !self.left_out.is_empty() {
            let labels: Vec<String> = project
                .schema
                .labels
                .iter()
                .map(|l| l.name.clone())
                .filter(|l| !self.left_out.contains(l))
                .collect();
            if labels.is_empty() {
                return Err("choose at least one label".into());
            }
            options.labels = Some(labels);
        }
        options.done_only = self.done_only;
        options.csv_bom = self.bom && self.format == Format::Csv;
        options.csv_raw = options.csv_bom && self.raw;
        options.no_overlap = self.no_overlap && self.format == Format::Doccano;
        options.per_label = self.per_label && self.format == Format::Conll;
        options.force = self.replace;
        let split = if self.split {
            Some((
                parse_split(&self.split_spec).map_err(|e| e.to_string())?,
                self.seed,
            ))
        } else {
            None
        };
        Ok(ExportRequest {
            options,
            split,
            zip: self.zip && self.format == Format::Brat,
        })
    }

    /// A file name to suggest for `project_name`.
    pub fn suggested_name(&self, project_name: &str) -> String {
        match (self.format, self.zip) {
            (Format::Brat, true) => format!("{project_name}-brat.zip"),
            (Format::Brat, false) => format!("{project_name}-brat"),
            (Format::Doccano, _) => format!("{project_name}.doccano.jsonl"),
            (Format::LabelStudio, _) => format!("{project_name}.labelstudio.json"),
            (Format::Inception, _) => format!("{project_name}-inception.zip"),
            (f, _) => format!("{project_name}.{}", f.extension()),
        }
    }
}

pub fn export_dialog_ui(
    ctx: &egui::Context,
    d: &mut ExportDialog,
    project: &Project,
    actions: &mut Vec<Action>,
) {
    if !d.open {
        return;
    }
    let mut open = true;
    egui::Window::new("Export dataset")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(420.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::Grid::new("export-grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    let label = ui.label("Format");
                    egui::ComboBox::from_id_salt("export-format")
                        .selected_text(format_text(d.format))
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            for f in Format::ALL {
                                ui.selectable_value(&mut d.format, f, format_text(f));
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();

                    ui.label("Review states");
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut d.accepted, "accepted");
                        ui.checkbox(&mut d.suggested, "pending");
                        ui.checkbox(&mut d.rejected, "rejected");
                    });
                    ui.end_row();

                    ui.label("Documents");
                    ui.checkbox(&mut d.done_only, "only those marked done");
                    ui.end_row();

                    ui.label("Labels");
                    ui.horizontal_wrapped(|ui| {
                        for l in &project.schema.labels {
                            let mut on = !d.left_out.contains(&l.name);
                            if ui.checkbox(&mut on, &l.name).changed() {
                                if on {
                                    d.left_out.remove(&l.name);
                                } else {
                                    d.left_out.insert(l.name.clone());
                                }
                            }
                        }
                    });
                    ui.end_row();

                    ui.label("Split");
                    ui.vertical(|ui| {
                        ui.checkbox(&mut d.split, "split by document into parts");
                        if d.split {
                            ui.horizontal(|ui| {
                                let l = ui.label("Parts");
                                ui.text_edit_singleline(&mut d.split_spec).labelled_by(l.id);
                            });
                            ui.horizontal(|ui| {
                                let l = ui.label("Seed");
                                ui.add(egui::DragValue::new(&mut d.seed)).labelled_by(l.id);
                            });
                        }
                    });
                    ui.end_row();

                    match d.format {
                        Format::Csv => {
                            ui.label("Excel");
                            ui.vertical(|ui| {
                                ui.checkbox(&mut d.bom, "start with a UTF-8 byte order mark")
                                    .on_hover_text(
                                        "For Excel; cells starting with = + - @, a tab or a carriage return get a leading ' so that Excel shows them instead of running them",
                                    );
                                if d.bom {
                                    ui.checkbox(&mut d.raw, "keep formula-like cells as they are");
                                }
                            });
                            ui.end_row();
                        }
                        Format::Brat => {
                            ui.label("brat");
                            ui.checkbox(&mut d.zip, "write a .zip instead of a folder");
                            ui.end_row();
                        }
                        Format::Doccano => {
                            ui.label("doccano");
                            ui.checkbox(&mut d.no_overlap, "leave out the inner of overlapping spans")
                                .on_hover_text(
                                    "For a doccano project without \"Allow overlapping spans\": the inner of two overlapping spans and its links are left out and counted",
                                );
                            ui.end_row();
                        }
                        Format::Conll => {
                            ui.label("CoNLL");
                            ui.checkbox(&mut d.per_label, "also one file per label")
                                .on_hover_text(
                                    "OUT.Speaker.conll, OUT.Claim.conll, ... in the four-column CoNLL-2003 layout that spacy convert and Hugging Face read",
                                );
                            ui.end_row();
                        }
                        _ => {}
                    }

                    ui.label("Existing files");
                    ui.checkbox(&mut d.replace, "replace them");
                    ui.end_row();
                });
            ui.separator();
            let request = d.request(project);
            ui.horizontal(|ui| {
                let button = ui.add_enabled(request.is_ok(), egui::Button::new("Export…"));
                if button.clicked()
                    && let Ok(req) = &request
                {
                    actions.push(Action::Export(Box::new(req.clone())));
                }
                if let Err(why) = &request {
                    ui.colored_label(ui.visuals().error_fg_color, why);
                }
            });
            if let Some((text, error)) = &d.outcome {
                ui.separator();
                if *error {
                    ui.colored_label(ui.visuals().error_fg_color, text);
                } else {
                    ui.label(egui::RichText::new(text).monospace());
                }
            }
        });
    if !open {
        d.open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_options_reach_the_export_only_for_their_format() {
        let project = crate::app::example_project();
        let mut d = ExportDialog {
            format: Format::Conll,
            per_label: true,
            no_overlap: true,
            bom: true,
            ..ExportDialog::default()
        };
        let req = d.request(&project).expect("a request");
        assert!(req.options.per_label);
        assert!(!req.options.no_overlap, "--no-overlap is doccano's");
        d.format = Format::Doccano;
        let req = d.request(&project).expect("a request");
        assert!(req.options.no_overlap);
        assert!(!req.options.per_label, "--per-label is CoNLL's");
        assert!(!req.options.csv_bom, "--bom is CSV's");
    }

    #[test]
    fn raw_goes_with_the_byte_order_mark_only() {
        let project = crate::app::example_project();
        let mut d = ExportDialog {
            format: Format::Csv,
            raw: true,
            ..ExportDialog::default()
        };
        let req = d.request(&project).expect("a request");
        assert!(!req.options.csv_raw, "--raw requires --bom");
        d.bom = true;
        let req = d.request(&project).expect("a request");
        assert!(req.options.csv_bom && req.options.csv_raw);
        d.raw = false;
        let req = d.request(&project).expect("a request");
        assert!(req.options.csv_bom && !req.options.csv_raw);
    }
}
