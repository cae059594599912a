//! The rule editor pane: the rule file (the bundled `en-news.ron`, or a file
//! opened through the dialogs seam) in a code editor. "Preview" re-parses it
//! and compares its suggestions with the active rules' in a background
//! thread, for the current document and for the project; "Apply" makes it
//! the active rule set (and remembers its file in the settings); "Save as…"
//! writes the text to a file. Parse errors show inline with their line and
//! column, and the line is highlighted.
//!
//! The text is parsed and compiled off the window's thread ([`ParseJob`]: a
//! worker thread with its own large stack, its result polled every frame),
//! so a rule text that takes long, or even panics the parser, cannot freeze
//! or take down a window holding unsaved work; the editor shows "checking…"
//! with Cancel meanwhile.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Instant;

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
    /// Stop waiting for a running parse.
    CancelCheck,
    /// Replace the edits with the bundled rules after all (Reset asked first).
    ResetConfirmed,
    /// Keep the edits (Reset asked first).
    ResetCancelled,
}

/// How rule text becomes a rule set: [`RuleSet::from_ron_str`] (text, file
/// name); tests put in a slow or panicking one.
pub type ParseFn = Arc<dyn Fn(&str, &str) -> Result<RuleSet, RuleError> + Send + Sync>;

/// The default parser.
pub fn default_parser() -> ParseFn {
    Arc::new(|text: &str, name: &str| RuleSet::from_ron_str(text, name))
}

/// The stack of the parsing thread: far more than any rule file within the
/// library's bounds needs.
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// A parse of the editor's text running on a worker thread.
pub struct ParseJob {
    /// What to do with the rules once parsed (Preview or Apply).
    pub purpose: EditorAction,
    /// The text being parsed (what Apply then marks as applied).
    pub text: String,
    pub started: Instant,
    rx: Receiver<Result<RuleSet, EditorError>>,
}

impl ParseJob {
    /// Starts parsing `text` with `parser` on a new thread.
    pub fn start(
        parser: &ParseFn,
        text: String,
        name: String,
        purpose: EditorAction,
    ) -> std::io::Result<Self> {
        let (tx, rx) = std::sync::mpsc::channel();
        let parser = parser.clone();
        let input = text.clone();
        std::thread::Builder::new()
            .name("sayso-rule-parse".into())
            .stack_size(PARSE_STACK)
            .spawn(move || {
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser(&input, &name)));
                let result = match result {
                    Ok(Ok(rules)) => Ok(rules),
                    Ok(Err(e)) => Err(editor_error(&e)),
                    Err(panic) => {
                        let why = panic
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "no message".into());
                        Err(EditorError {
                            line: 0,
                            column: 0,
                            message: format!(
                                "the rule parser failed on this text ({why}); the window and your work are safe, but these rules cannot be used"
                            ),
                        })
                    }
                };
                // The window may have cancelled and dropped the receiver.
                let _ = tx.send(result);
            })?;
        Ok(ParseJob {
            purpose,
            text,
            started: Instant::now(),
            rx,
        })
    }

    /// The result once the thread has finished; `Some(Err)` also when the
    /// thread ended without one.
    pub fn poll(&self) -> Option<Result<RuleSet, EditorError>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(EditorError {
                line: 0,
                column: 0,
                message: "the rule parser stopped without an answer".into(),
            })),
        }
    }
}

fn editor_error(e: &RuleError) -> EditorError {
    let (line, column) = match e {
        RuleError::Syntax { line, column, .. } | RuleError::Rule { line, column, .. } => {
            (*line, *column)
        }
        _ => (0, 0),
    };
    EditorError {
        line,
        column,
        message: e.to_string(),
    }
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
    /// Turns text into rules, on [`ParseJob`]'s thread.
    pub parser: ParseFn,
    /// The parse running for Preview or Apply, if any.
    pub parsing: Option<ParseJob>,
    /// Bundled rules was asked for over edits that are neither applied
    /// nor saved: the editor asks before it throws them away.
    pub confirm_reset: bool,
    /// What "Find in rules" looks for.
    pub find: String,
    /// Ctrl+F was pressed in the editor: its find field takes the keyboard.
    pub focus_find: bool,
    /// A character range to select in the editor (a match, an error) once
    /// the editor has the keyboard: egui drops a selection made before.
    select: Option<(usize, usize)>,
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
            parser: default_parser(),
            parsing: None,
            confirm_reset: false,
            find: String::new(),
            focus_find: false,
            select: None,
        }
    }
}

impl RuleEditor {
    /// The text differs from the bundled rules, from the rules in use and
    /// from its file: replacing it would lose work.
    pub fn has_unkept_edits(&self) -> bool {
        self.text != DEFAULT_RULES
            && self.text != self.applied
            && self
                .path
                .as_ref()
                .is_none_or(|p| std::fs::read_to_string(p).ok().as_deref() != Some(&self.text))
    }

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
}

impl App {
    pub fn rule_editor_action(&mut self, action: EditorAction) {
        match action {
            EditorAction::Open => self.pick(super::path_dialog::Purpose::OpenRules),
            EditorAction::Reset if self.rule_editor.has_unkept_edits() => {
                self.rule_editor.confirm_reset = true;
            }
            EditorAction::ResetCancelled => self.rule_editor.confirm_reset = false,
            EditorAction::Reset | EditorAction::ResetConfirmed => {
                self.rule_editor.confirm_reset = false;
                self.rule_editor.text = DEFAULT_RULES.to_owned();
                self.rule_editor.path = None;
                self.rule_editor.error = None;
                self.rule_editor.preview = None;
                self.clear_rule_error();
            }
            EditorAction::Preview | EditorAction::Apply => {
                if action == EditorAction::Preview {
                    self.rule_editor.preview = None;
                }
                let ed = &mut self.rule_editor;
                match ParseJob::start(&ed.parser, ed.text.clone(), ed.file_name(), action) {
                    Ok(job) => ed.parsing = Some(job),
                    Err(e) => self.error(format!("cannot start checking the rules: {e}")),
                }
            }
            EditorAction::CancelCheck => {
                // The thread finishes on its own; its answer is dropped.
                self.rule_editor.parsing = None;
                self.info("stopped waiting for the rule check");
            }
            EditorAction::SaveAs => self.pick(super::path_dialog::Purpose::SaveRules),
        }
    }

    /// Puts the rule file at `path` in the editor.
    pub fn open_rules_file(&mut self, path: PathBuf) {
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

    /// Writes the editor's text to `path`.
    pub fn save_rules_file(&mut self, path: PathBuf) {
        match std::fs::write(&path, &self.rule_editor.text) {
            Ok(()) => {
                self.info(format!("saved the rules to {}", path.display()));
                self.rule_editor.path = Some(path);
            }
            Err(e) => self.error(format!("cannot write {}: {e}", path.display())),
        }
    }

    /// Takes the result of a finished rule parse: previews or applies it.
    pub fn poll_rule_parse(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.rule_editor.parsing else {
            return;
        };
        let Some(result) = job.poll() else {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        let Some(job) = self.rule_editor.parsing.take() else {
            return;
        };
        let new = match result {
            Ok(rules) => {
                self.rule_editor.error = None;
                self.clear_rule_error();
                rules
            }
            Err(e) => {
                self.rule_editor.error = Some(e);
                self.error(if job.purpose == EditorAction::Apply {
                    format!("{RULE_ERROR}; nothing was applied")
                } else {
                    format!("{RULE_ERROR}; see the rule editor")
                });
                return;
            }
        };
        if job.purpose == EditorAction::Preview {
            self.rule_editor.preview = Some(PreviewRun::start(&self.project, &self.rules, &new));
            return;
        }
        self.rules = new;
        self.rules_generation += 1;
        self.settings.rules_path = self.rule_editor.path.clone();
        self.settings.rules_text = (job.text != DEFAULT_RULES).then(|| job.text.clone());
        self.rule_editor.applied = job.text;
        self.rule_editor.preview = None;
        self.info("applied the edited rules; F5 re-runs them on the document");
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
                let checking = ed.parsing.is_some();
                for (text, a) in [
                    ("Open…", EditorAction::Open),
                    ("Bundled rules", EditorAction::Reset),
                    ("Save as…", EditorAction::SaveAs),
                    ("Preview", EditorAction::Preview),
                    ("Apply", EditorAction::Apply),
                ] {
                    let busy = checking && matches!(a, EditorAction::Preview | EditorAction::Apply);
                    if ui.add_enabled(!busy, egui::Button::new(text)).clicked() {
                        actions.push(Action::RuleEditor(a));
                    }
                }
            });
            // Find in the rule text: Enter selects the next match after the
            // cursor (from the top again after the last one) and gives the
            // editor the keyboard; Ctrl+F there comes back for the next one.
            let mut go_to: Option<(usize, usize)> = None;
            ui.horizontal(|ui| {
                let label = ui.label("Find in rules");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut ed.find)
                            .id(find_id())
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                if ed.focus_find {
                    field.request_focus();
                    ed.focus_find = false;
                }
                // The Enter is taken here: the editor, which gets the
                // keyboard below, must not type it over the match.
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if enter {
                    ui.input_mut(|i| {
                        i.events.retain(|e| {
                            !matches!(e, egui::Event::Key { key: egui::Key::Enter, .. })
                        })
                    });
                }
                if enter && !ed.find.is_empty() {
                    let from = egui::TextEdit::load_state(ui.ctx(), editor_id())
                        .and_then(|s| s.cursor.char_range())
                        .map_or(0, |r| usize::from(r.primary.index).max(r.secondary.index.into()));
                    match find_from(&ed.text, &ed.find, from) {
                        Some(range) => go_to = Some(range),
                        None => {
                            ui.ctx().data_mut(|d| d.insert_temp(find_id(), true));
                        }
                    }
                }
                if ui.ctx().data(|d| d.get_temp::<bool>(find_id())).unwrap_or(false) {
                    ui.weak("not found");
                    if field.changed() {
                        ui.ctx().data_mut(|d| d.remove::<bool>(find_id()));
                    }
                }
            });
            if ed.confirm_reset {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "The editor has edits that are neither applied nor saved.",
                    );
                    if ui.button("Replace them with the bundled rules").clicked() {
                        actions.push(Action::RuleEditor(EditorAction::ResetConfirmed));
                    }
                    if ui.button("Keep my edits").clicked() {
                        actions.push(Action::RuleEditor(EditorAction::ResetCancelled));
                    }
                });
            }
            if let Some(job) = &ed.parsing {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "checking the rule file… ({:.0} s; the window stays usable)",
                        job.started.elapsed().as_secs_f32()
                    ));
                    if ui.button("Cancel check").clicked() {
                        actions.push(Action::RuleEditor(EditorAction::CancelCheck));
                    }
                });
            }
            if let Some(err) = &ed.error {
                let text = if err.line > 0 {
                    format!("line {}, column {}: {}", err.line, err.column, err.message)
                } else {
                    err.message.clone()
                };
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(ui.visuals().error_fg_color, text);
                    if err.line > 0 && ui.button("Go to the error").clicked() {
                        let at = char_index(&ed.text, err.line, err.column);
                        go_to = Some((at, at));
                    }
                });
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
                // Long lines do not wrap: the area scrolls sideways, and a
                // line number is one line of the file.
                let _ = wrap;
                job.wrap.max_width = f32::INFINITY;
                ui.fonts_mut(|f| f.layout_job(job))
            };
            let lines = ed.text.split('\n').count();
            let numbers: String = (1..=lines).map(|n| format!("{n}\n")).collect();
            let editor_id = editor_id();
            if go_to.is_some() {
                ed.select = go_to;
            }
            // The cursor goes to the error or the match once the editor has
            // the keyboard; then it scrolls there.
            let has_focus = ctx.memory(|m| m.has_focus(editor_id));
            let selecting = if has_focus { ed.select.take() } else { None };
            if let Some((a, b)) = selecting {
                let mut state = egui::TextEdit::load_state(ctx, editor_id).unwrap_or_default();
                state.cursor.set_char_range(Some(egui::text::CCursorRange::two(
                    egui::text::CCursor::new(a),
                    egui::text::CCursor::new(b),
                )));
                state.store(ctx, editor_id);
            }
            egui::ScrollArea::both()
                .id_salt("rule-text")
                .show(ui, |ui| {
                    ui.horizontal_top(|ui| {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(numbers.trim_end())
                                    .monospace()
                                    .size(13.0)
                                    .weak(),
                            )
                            .selectable(false),
                        );
                        let r = ui
                            .add(
                                egui::TextEdit::multiline(&mut ed.text)
                                    .id(editor_id)
                                    .code_editor()
                                    .desired_width(f32::INFINITY)
                                    .desired_rows(30)
                                    .layouter(&mut layouter),
                            )
                            .on_hover_text("rule file");
                        if ed.select.is_some() {
                            r.request_focus();
                            ctx.request_repaint();
                        }
                        if selecting.is_some()
                            && let Some(state) = egui::TextEdit::load_state(ctx, editor_id)
                            && let Some(range) = state.cursor.char_range()
                        {
                            let row = ed.text.chars().take(range.primary.index.into()).filter(|&c| c == '\n').count();
                            let h = r.rect.height() / lines.max(1) as f32;
                            let y = r.rect.top() + h * row as f32;
                            ui.scroll_to_rect(
                                egui::Rect::from_min_size(egui::pos2(r.rect.left(), y), egui::vec2(1.0, h)),
                                Some(egui::Align::Center),
                            );
                        }
                    });
                });
        });
    if !open {
        app.rule_editor.open = false;
    }
}

/// The rule text editor's widget id.
pub fn editor_id() -> egui::Id {
    egui::Id::unique("sayso-rule-text")
}

/// The "Find in rules" field's widget id.
fn find_id() -> egui::Id {
    egui::Id::unique("sayso-rule-find")
}

/// Ctrl+F while the rule editor or its find field has the keyboard: the
/// find field takes it (instead of the document's find bar). Consumes the key.
pub fn take_find_key(ctx: &egui::Context, ed: &mut RuleEditor) -> bool {
    let here = ctx
        .memory(|m| m.focused())
        .is_some_and(|id| id == editor_id() || id == find_id());
    if here && ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
        ed.focus_find = true;
        return true;
    }
    false
}

/// The next match of `needle` in `text` (case-insensitive) starting at or
/// after character `from`, else the first one: a character range.
fn find_from(text: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    let hay: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let pat: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    // Lowercasing can change lengths (İ): match on the original characters
    // when it does.
    let (hay, pat) = if hay.len() == text.chars().count() && pat.len() == needle.chars().count() {
        (hay, pat)
    } else {
        (text.chars().collect(), needle.chars().collect())
    };
    if pat.is_empty() || pat.len() > hay.len() {
        return None;
    }
    let at =
        |start: usize| (start..=hay.len() - pat.len()).find(|&i| hay[i..i + pat.len()] == pat[..]);
    at(from.min(hay.len()))
        .or_else(|| at(0))
        .map(|i| (i, i + pat.len()))
}

/// The character index of 1-based `line` and `column` in `text` (clamped to
/// the line's end and the text's).
fn char_index(text: &str, line: usize, column: usize) -> usize {
    let mut at = 0;
    for (n, l) in text.split('\n').enumerate() {
        let len = l.chars().count();
        if n + 1 == line {
            return at + column.saturating_sub(1).min(len);
        }
        at += len + 1;
    }
    text.chars().count()
}

/// The start of the status messages about a rule file with an error.
const RULE_ERROR: &str = "the rule file has an error";

impl App {
    /// Takes a rule file error off the status bar once the editor holds
    /// rules without one (bundled rules restored, or a clean check).
    fn clear_rule_error(&mut self) {
        if self
            .message
            .as_ref()
            .is_some_and(|m| m.error && m.text.starts_with(RULE_ERROR))
        {
            self.message = None;
        }
    }
}
