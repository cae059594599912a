//! The rule editor pane: the rule file (the bundled `en-news.ron`, or a file
//! opened through the dialogs seam) in a code editor. "Preview" re-parses it
//! and compares its suggestions with the active rules' in a background
//! thread, for the current document and for the project; "Apply" makes it
//! the active rule set (and remembers its file in the settings); "Save as…"
//! writes the text to a file. Parse errors show inline with their line and
//! column, and the line is highlighted.

use std::path::PathBuf;

use eframe::egui;

use super::rule_run::PreviewRun;
use super::{Action, App};
use crate::rules::{RuleError, RuleSet};

/// The bundled rule file's text.
pub const DEFAULT_RULES: &str = include_str!("../../assets/rules/en-news.ron");

/// A parse error with its position (1-based; 0 when the error has none).
#[derive(Debug, Clone, PartialEq)]
pub struct EditorError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What a button of the editor asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorAction {
    Open,
    Reset,
    Preview,
    Apply,
    SaveAs,
}

pub struct RuleEditor {
    pub open: bool,
    pub text: String,
    /// The file the text came from or was saved to.
    pub path: Option<PathBuf>,
    pub error: Option<EditorError>,
    pub preview: Option<PreviewRun>,
    /// The text of the rules in use, to tell unapplied edits.
    pub applied: String,
}

impl Default for RuleEditor {
    fn default() -> Self {
        RuleEditor {
            open: false,
            applied: DEFAULT_RULES.to_owned(),
            text: DEFAULT_RULES.to_owned(),
            path: None,
            error: None,
            preview: None,
        }
    }
}

impl RuleEditor {
    fn file_name(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "en-news.ron".into())
    }

    /// The editor's text when it holds edits that are not in use.
    pub fn draft(&self) -> Option<String> {
        (self.text != self.applied).then(|| self.text.clone())
    }

    /// Parses the text; an error is kept for display.
    pub fn parse(&mut self) -> Option<RuleSet> {
        match RuleSet::from_ron_str(&self.text, &self.file_name()) {
            Ok(r) => {
                self.error = None;
                Some(r)
            }
            Err(e) => {
                let (line, column) = match &e {
                    RuleError::Syntax { line, column, .. }
                    | RuleError::Rule { line, column, .. } => (*line, *column),
                    _ => (0, 0),
                };
                self.error = Some(EditorError {
                    line,
                    column,
                    message: e.to_string(),
                });
                None
            }
        }
    }
}

impl App {
    pub fn rule_editor_action(&mut self, action: EditorAction) {
        match action {
            EditorAction::Open => {
                let Some(path) = self.env_dialogs.open_rules() else {
                    return;
                };
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        self.rule_editor.text = text;
                        self.rule_editor.path = Some(path);
                        self.rule_editor.error = None;
                        self.rule_editor.preview = None;
                    }
                    Err(e) => self.error(format!("cannot read {}: {e}", path.display())),
                }
            }
            EditorAction::Reset => {
                self.rule_editor.text = DEFAULT_RULES.to_owned();
                self.rule_editor.path = None;
                self.rule_editor.error = None;
                self.rule_editor.preview = None;
            }
            EditorAction::Preview => {
                self.rule_editor.preview = None;
                match self.rule_editor.parse() {
                    Some(new) => {
                        self.rule_editor.preview =
                            Some(PreviewRun::start(&self.project, &self.rules, &new));
                    }
                    None => self.error("the rule file has an error; see the rule editor"),
                }
            }
            EditorAction::Apply => match self.rule_editor.parse() {
                Some(new) => {
                    self.rules = new;
                    self.rules_generation += 1;
                    self.settings.rules_path = self.rule_editor.path.clone();
                    self.rule_editor.applied = self.rule_editor.text.clone();
                    self.settings.rules_text = (self.rule_editor.text != DEFAULT_RULES)
                        .then(|| self.rule_editor.text.clone());
                    self.rule_editor.preview = None;
                    self.info("applied the edited rules; F5 re-runs them on the document");
                }
                None => self.error("the rule file has an error; nothing was applied"),
            },
            EditorAction::SaveAs => {
                let suggested = self
                    .rule_editor
                    .path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "rules.ron".into());
                let Some(path) = self.env_dialogs.save_rules(&suggested) else {
                    return;
                };
                match std::fs::write(&path, &self.rule_editor.text) {
                    Ok(()) => {
                        self.info(format!("saved the rules to {}", path.display()));
                        self.rule_editor.path = Some(path);
                    }
                    Err(e) => self.error(format!("cannot write {}: {e}", path.display())),
                }
            }
        }
    }

    /// Brings back the rules applied last (their text, or else the file
    /// remembered in the settings) and any unapplied edits of the editor.
    pub fn load_remembered_rules(&mut self) {
        let path = self.settings.rules_path.clone();
        let name = path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "edited rules".into());
        let text = match (self.settings.rules_text.clone(), &path) {
            (Some(text), _) => Some(text),
            (None, Some(p)) => match std::fs::read_to_string(p) {
                Ok(text) => Some(text),
                Err(e) => {
                    self.error(format!(
                        "cannot read the rule file {}: {e}; using the bundled rules",
                        p.display()
                    ));
                    None
                }
            },
            (None, None) => None,
        };
        if let Some(text) = text {
            match RuleSet::from_ron_str(&text, &name) {
                Ok(r) => {
                    self.rules = r;
                    self.rules_generation += 1;
                    self.rule_editor.applied = text.clone();
                    self.rule_editor.text = text;
                    self.rule_editor.path = path;
                }
                Err(e) => self.error(format!("{e}; using the bundled rules")),
            }
        }
        if let Some(draft) = self.settings.rule_draft.take() {
            self.rule_editor.text = draft;
            self.info("the rule editor holds edits not applied yet, kept from the last session");
        }
    }
}

/// Draws the rule editor window.
pub fn rule_editor_ui(ctx: &egui::Context, app: &mut App, actions: &mut Vec<Action>) {
    if !app.rule_editor.open {
        return;
    }
    if let Some(p) = &mut app.rule_editor.preview
        && !p.poll()
    {
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
    }
    let doc = app.doc;
    let mut open = true;
    egui::Window::new("Rule editor")
        .open(&mut open)
        .default_width(760.0)
        .default_height(600.0)
        .show(ctx, |ui| {
            let ed = &mut app.rule_editor;
            ui.horizontal(|ui| {
                ui.label(format!("File: {}", ed.file_name()));
                for (text, a) in [
                    ("Open…", EditorAction::Open),
                    ("Bundled rules", EditorAction::Reset),
                    ("Save as…", EditorAction::SaveAs),
                    ("Preview", EditorAction::Preview),
                    ("Apply", EditorAction::Apply),
                ] {
                    if ui.button(text).clicked() {
                        actions.push(Action::RuleEditor(a));
                    }
                }
            });
            if let Some(err) = &ed.error {
                let text = if err.line > 0 {
                    format!("line {}, column {}: {}", err.line, err.column, err.message)
                } else {
                    err.message.clone()
                };
                ui.colored_label(ui.visuals().error_fg_color, text);
            }
            if let Some(p) = &ed.preview {
                match &p.result {
                    None => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("previewing…");
                        });
                    }
                    Some(r) => {
                        let here = |v: &[crate::rules::project::PreviewItem]| {
                            v.iter().filter(|i| i.doc == doc).count()
                        };
                        ui.label(format!(
                            "This document: {} would appear, {} would disappear. Project: {} would appear, {} would disappear.",
                            here(&r.appear),
                            here(&r.disappear),
                            r.appear.len(),
                            r.disappear.len()
                        ));
                        egui::ScrollArea::vertical()
                            .id_salt("preview-list")
                            .max_height(140.0)
                            .show(ui, |ui| {
                                for (sign, items) in [("+", &r.appear), ("-", &r.disappear)] {
                                    for i in items.iter().take(300) {
                                        ui.label(format!(
                                            "{sign} doc {} {} “{}” ({})",
                                            i.doc + 1,
                                            i.label,
                                            super::text_view::shorten(&i.text, 50),
                                            i.rule
                                        ));
                                    }
                                }
                            });
                    }
                }
            }
            ui.separator();
            let error_line = ed.error.as_ref().map(|e| e.line).filter(|&l| l > 0);
            let mut layouter = |ui: &egui::Ui, text: &dyn egui::TextBuffer, wrap: f32| {
                let font = egui::FontId::monospace(13.0);
                let color = ui.visuals().text_color();
                let mut job = egui::text::LayoutJob::default();
                for (n, line) in text.as_str().split_inclusive('\n').enumerate() {
                    let mut format = egui::TextFormat::simple(font.clone(), color);
                    if Some(n + 1) == error_line {
                        format.background = ui.visuals().error_fg_color.gamma_multiply(0.3);
                    }
                    job.append(line, 0.0, format);
                }
                job.wrap.max_width = wrap;
                ui.fonts_mut(|f| f.layout_job(job))
            };
            egui::ScrollArea::vertical()
                .id_salt("rule-text")
                .show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut ed.text)
                            .code_editor()
                            .desired_width(f32::INFINITY)
                            .desired_rows(30)
                            .layouter(&mut layouter),
                    )
                    .on_hover_text("rule file");
                });
        });
    if !open {
        app.rule_editor.open = false;
    }
}
