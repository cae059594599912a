//! The desktop window: the annotation workbench.
//!
//! Layout: menu bar and find bar on top, the document list on the left,
//! the text view in the centre, the inspector on the right (with the review
//! panel stacked above it in review mode, the curation panel in curation
//! mode) and the status bar at the bottom;
//! one module per panel or widget. [`layout`] shares the width so that the
//! text column keeps at least [`layout::TEXT_MIN`] points.
//!
//! Architecture invariants:
//! - The model is changed only through [`Edit`] and [`History`]: drawing
//!   code collects [`Action`]s, and [`App::apply`] carries them out after
//!   the frame is drawn, so state never changes halfway through drawing.
//! - Every user action is a [`UiCommand`] (menus, shortcuts and the
//!   shortcuts window all go through it) or an [`Action`] made by a panel.
//! - Errors are shown once, in the status bar; nothing here panics on user
//!   input or file contents.

pub mod autosave;
pub mod commands;
pub mod curate_panel;
pub mod dialogs;
pub mod disk;
pub mod doc_list;
mod editing;
pub mod export_dialog;
mod files;
mod find;
mod help;
mod inspector;
pub mod layout;
pub mod layout_cache;
mod menus;
pub mod modal;
pub mod path_dialog;
pub mod review_panel;
pub mod rule_editor;
pub mod rule_run;
pub mod rules_panel;
pub mod settings;
mod status_bar;
pub mod text_nav;
pub mod text_view;

use eframe::egui;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use egui::ViewportCommand;

use crate::io::import::add_documents_edit;
use crate::model::{Document, Edit, History, Project, SpanId};
use crate::project;

use commands::Triggered;
pub use commands::UiCommand;
pub use dialogs::{FileDialogs, NativeDialogs, ScriptedDialogs};
use files::{is_project_file, project_name};
pub use modal::{Choice, Modal, Then};
pub use settings::Settings;
use text_view::{TextView, ViewInput};

/// The eframe app id: names the storage folder.
pub const APP_ID: &str = "sayso";

/// The example article bundled with the program.
pub const EXAMPLE_NAME: &str = "putin-gaza";
pub const EXAMPLE_TEXT: &str = include_str!("../../examples/putin-gaza.txt");

/// Body text size at zoom 1.
const BASE_FONT_SIZE: f32 = 17.0;

/// Something a panel asked for while drawing, applied after the frame.
#[derive(Debug, Clone)]
pub enum Action {
    Command(UiCommand),
    /// Tag the selection as (or relabel the selected span to) a label.
    Tag(String),
    Edit(Edit),
    GoToDocument(usize),
    SelectSpan {
        doc: usize,
        id: SpanId,
    },
    SelectRange {
        doc: usize,
        start: usize,
        end: usize,
    },
    /// Open a project file (asking to save first).
    OpenProject(PathBuf),
    /// Import files into the current project.
    AddFiles(Vec<PathBuf>),
    /// Tag every current find match as this label.
    TagAllMatches(String),
    ZoomTo(f32),
    Resolve(Choice),
    FocusInspector,
    /// Ask where, then export the dataset.
    Export(Box<export_dialog::ExportRequest>),
    /// A button of the rule editor.
    RuleEditor(rule_editor::EditorAction),
    /// A button of Sayso's own path dialog.
    PathDialog(path_dialog::PathAnswer),
    /// Link two spans of the document (dragged from `a` to `b`), with the
    /// relation type their labels call for, either way round.
    Link {
        doc: usize,
        a: SpanId,
        b: SpanId,
    },
}

/// What a message in the status bar is.
#[derive(Debug, Clone)]
pub struct Message {
    pub text: String,
    pub error: bool,
    pub at: Instant,
}

/// Where the app keeps files of its own and how it asks for paths.
pub struct AppEnv {
    pub dialogs: Box<dyn FileDialogs>,
    /// Recovery file of unsaved new projects; `None`: no such file.
    pub data_dir: Option<PathBuf>,
    pub settings: Settings,
}

pub struct App {
    pub project: Project,
    pub history: History,
    /// Where the project is saved; `None` for a new unsaved project (or a
    /// read-only copy of a project another Sayso is changing).
    pub path: Option<PathBuf>,
    /// The lock of the project file this window writes (`P.sayso.lock`),
    /// taken when it is opened or first saved; see [`crate::project::lock`].
    lock: Option<project::ProjectLock>,
    /// The project file as this window last read or wrote it (checked
    /// before every save to `path`).
    disk: Option<disk::DiskStamp>,
    /// The name of this window's recovery file while the project is unsaved.
    recovery_slot: autosave::RecoverySlot,
    /// A name for an unsaved project (window title, Save As suggestion).
    pub name: String,
    saved_state: u64,
    /// Bumped whenever another project is loaded.
    generation: u64,
    /// Bumped on every change of the model.
    revision: u64,
    pub doc: usize,
    pub view: TextView,
    find: find::FindState,
    pub doc_list: doc_list::DocListState,
    inspector: inspector::InspectorState,
    pub settings: Settings,
    env_dialogs: Box<dyn FileDialogs>,
    data_dir: Option<PathBuf>,
    pub message: Option<Message>,
    pub last_save: Option<SystemTime>,
    pub modal: Option<Modal>,
    pub show_shortcuts: bool,
    /// The annotation guide and About windows.
    pub help: help::HelpWindows,
    /// A text field had the keyboard at the end of the last frame.
    text_field_had_focus: bool,
    /// This frame's Escape took the keyboard from a text field.
    escape_from_field: bool,
    pub export: export_dialog::ExportDialog,
    /// Sayso's own path dialog, open when a system file dialog could not.
    pub path_dialog: Option<path_dialog::PathDialog>,
    pub autosave: autosave::Autosave,
    allow_close: bool,
    title: String,
    applied_theme: Option<bool>,
    pending_viewport: Vec<ViewportCommand>,
    /// The active rule set (F5 runs it).
    pub rules: crate::rules::RuleSet,
    /// Bumped whenever `rules` is replaced.
    rules_generation: u64,
    pub review: review_panel::ReviewPanel,
    /// Curation mode and its queue of disagreements.
    pub curate: curate_panel::CuratePanel,
    pub rules_panel: rules_panel::RulesPanel,
    pub rule_editor: rule_editor::RuleEditor,
    /// The rules running in the background, if they are.
    pub run: Option<rule_run::RuleRun>,
    /// Pending suggestions are drawn (H toggles; always in review mode).
    pub show_pending: bool,
    /// How the last frame shared the window's width ([`layout::budget`]).
    pub layout_budget: layout::Budget,
    /// Where the last frame drew the panels and the text column.
    pub panel_rects: layout::PanelRects,
}

impl App {
    /// The window's app: opens `paths` (see [`run`]) with native dialogs
    /// and settings from eframe's storage.
    pub fn new(cc: &eframe::CreationContext<'_>, paths: Vec<PathBuf>) -> Self {
        let settings = Settings::load(cc.storage);
        let env = AppEnv {
            dialogs: Box::new(NativeDialogs::new()),
            data_dir: eframe::storage_dir(APP_ID),
            settings,
        };
        let mut app = Self::with_project(cc, example_project(), None, env);
        app.name = EXAMPLE_NAME.into();
        app.startup(paths);
        app
    }

    /// An app on `project` (saved at `path`, if any), for tests and
    /// embedding: nothing is read from the user's settings or files.
    pub fn with_project(
        cc: &eframe::CreationContext<'_>,
        project: Project,
        path: Option<PathBuf>,
        env: AppEnv,
    ) -> Self {
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let name = path
            .as_deref()
            .map(project_name)
            .unwrap_or_else(|| "untitled".into());
        let mut app = App {
            project,
            history: History::new(),
            disk: path.as_deref().and_then(|p| disk::DiskStamp::of(p).ok()),
            path,
            lock: None,
            recovery_slot: autosave::RecoverySlot::new(),
            name,
            saved_state: 0,
            generation: 1,
            revision: 1,
            doc: 0,
            view: TextView::new(),
            find: find::FindState::default(),
            doc_list: doc_list::DocListState::default(),
            inspector: inspector::InspectorState::default(),
            settings: env.settings,
            env_dialogs: env.dialogs,
            data_dir: env.data_dir,
            message: None,
            last_save: None,
            modal: None,
            show_shortcuts: false,
            help: help::HelpWindows::default(),
            text_field_had_focus: false,
            escape_from_field: false,
            export: export_dialog::ExportDialog::default(),
            path_dialog: None,
            autosave: autosave::Autosave::default(),
            allow_close: false,
            title: String::new(),
            applied_theme: None,
            pending_viewport: Vec::new(),
            rules: crate::rules::RuleSet::default_en_news(),
            rules_generation: 1,
            review: review_panel::ReviewPanel::default(),
            curate: curate_panel::CuratePanel::default(),
            rules_panel: rules_panel::RulesPanel::default(),
            rule_editor: rule_editor::RuleEditor::default(),
            run: None,
            show_pending: true,
            layout_budget: layout::budget(f32::INFINITY, true, true),
            panel_rects: layout::PanelRects::default(),
        };
        app.load_remembered_rules();
        app
    }

    /// What to open at start: a project, text files, the last project, or
    /// the bundled example; then offer any recovery file.
    fn startup(&mut self, paths: Vec<PathBuf>) {
        let first_start = !self.settings.started_before;
        self.settings.started_before = true;
        if let Some(p) = paths.iter().find(|p| is_project_file(p)) {
            if paths.len() > 1 {
                self.error("only the first project is opened; give text files or one project");
            }
            self.open_project(p.clone());
        } else if !paths.is_empty() {
            self.new_from_files(&paths);
        } else if first_start {
            self.info(help::FIRST_START_HINT);
        } else {
            match self.settings.recent.first().cloned() {
                Some(p) if p.exists() => self.open_project(p),
                Some(p) => self.error(format!(
                    "the last project, {}, is gone; showing the example",
                    p.display()
                )),
                None => {}
            }
        }
        // Whose work this is: asked once, changed later from the status bar.
        self.help.name = first_start;
        self.help.name_unfocused = first_start;
        self.offer_recovery();
    }

    /// Offers to restore a recovery file, when no question is open: the
    /// open project's (newer than its file), else the newest of an unsaved
    /// project whose window is gone (see [`autosave`]).
    pub fn offer_recovery(&mut self) {
        if self.modal.is_some() {
            return;
        }
        let own = self.path.as_deref().and_then(autosave::pending_recovery);
        let orphan = || {
            self.data_dir
                .as_deref()
                .and_then(|d| autosave::orphaned_recoveries(d).into_iter().next())
        };
        if let Some(file) = own.or_else(orphan) {
            self.modal = Some(Modal::Restore(file));
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.history.state_id() != self.saved_state
    }

    fn document(&self) -> Option<&Document> {
        self.project.documents.get(self.doc)
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
            at: Instant::now(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            at: Instant::now(),
        });
    }

    /// Replaces the project (after opening or creating one).
    /// The lock of the project is not kept: callers that open a project
    /// set it again.
    fn replace_project(&mut self, project: Project, path: Option<PathBuf>, name: String) {
        self.lock = None;
        self.disk = None;
        self.project = project;
        self.history = History::new();
        self.saved_state = 0;
        self.path = path;
        self.name = name;
        self.generation += 1;
        self.revision += 1;
        self.doc = 0;
        self.view.reset_position();
        self.view.request_focus();
        self.find.invalidate();
        self.autosave.reset(Instant::now());
    }

    /// Applies an edit through the history; errors go to the status bar.
    pub fn apply_edit(&mut self, edit: Edit) -> bool {
        match self.history.apply(&mut self.project, edit) {
            Ok(()) => {
                self.revision += 1;
                true
            }
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }

    fn go_to_document(&mut self, doc: usize) {
        if doc < self.project.documents.len() && doc != self.doc {
            self.doc = doc;
            self.view.reset_position();
        }
        self.view.request_focus();
    }
}

// Carrying out actions and commands.
impl App {
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Command(cmd) => self.command(cmd),
            Action::Tag(label) => self.tag(&label),
            Action::Edit(edit) => {
                self.apply_edit(edit);
            }
            Action::GoToDocument(doc) => self.go_to_document(doc),
            Action::SelectSpan { doc, id } => {
                self.go_to_document(doc);
                if let Some(span) = self.document().and_then(|d| d.span(id)).cloned() {
                    self.view.select_span(&span);
                }
            }
            Action::SelectRange { doc, start, end } => {
                self.go_to_document(doc);
                self.view.select_range(start, end);
            }
            Action::OpenProject(p) => self.guard(Then::Open(p)),
            Action::Export(request) => self.pick(path_dialog::Purpose::Export(request)),
            Action::PathDialog(answer) => self.path_dialog_answer(answer),
            Action::AddFiles(files) => self.add_files(&files),
            Action::TagAllMatches(label) => self.tag_all_matches(&label),
            Action::ZoomTo(z) => {
                self.settings.zoom = z.clamp(Settings::MIN_ZOOM, Settings::MAX_ZOOM);
            }
            Action::Resolve(choice) => self.resolve(choice),
            Action::FocusInspector => self.inspector.focus_next_frame = true,
            Action::RuleEditor(a) => self.rule_editor_action(a),
            Action::Link { doc, a, b } => self.link_spans(doc, a, b),
        }
    }

    fn command(&mut self, cmd: UiCommand) {
        use UiCommand::*;
        match cmd {
            NewFromFiles => self.guard(Then::NewFromFiles),
            Open => self.guard(Then::OpenDialog),
            Save => {
                self.save(false, false, None);
            }
            SaveAs => {
                self.save(true, false, None);
            }
            AddDocuments => self.pick(path_dialog::Purpose::AddDocuments),
            Export => {
                self.export.open = true;
                self.export.outcome = None;
            }
            Quit => self.guard(Then::Quit),
            Undo => self.undo_redo(true),
            Redo => self.undo_redo(false),
            Find => self.find.open(false),
            FindInProject => self.find.open(true),
            FindNext | FindPrevious => {
                if let Some(m) = self.find.step(cmd == FindNext) {
                    self.apply(Action::SelectRange {
                        doc: m.doc,
                        start: m.start,
                        end: m.end,
                    });
                }
            }
            ZoomIn => self.settings.zoom_by(0.1),
            ZoomOut => self.settings.zoom_by(-0.1),
            ZoomReset => self.settings.zoom = 1.0,
            ThemeLight => self.settings.dark = false,
            ThemeDark => self.settings.dark = true,
            ToggleDocuments => {
                self.settings.show_documents = !self.settings.show_documents;
                self.info(if self.settings.show_documents {
                    "document list shown (Ctrl+B hides it)"
                } else {
                    "document list hidden (Ctrl+B shows it)"
                });
            }
            CompactDocuments => {
                self.settings.compact_documents = !self.settings.compact_documents;
                self.info(if self.settings.compact_documents {
                    "compact document list: one line per document, click a column header to sort"
                } else {
                    "document list with two lines per document"
                });
            }
            ToggleInspector => {
                self.settings.show_inspector = !self.settings.show_inspector;
                self.info(if self.settings.show_inspector {
                    "inspector shown (Ctrl+I hides it)"
                } else {
                    "inspector hidden (Ctrl+I shows it)"
                });
            }
            Shortcuts => self.show_shortcuts = !self.show_shortcuts,
            AnnotationGuide => self.help.guide = !self.help.guide,
            About => self.help.about = !self.help.about,
            MarkDoneNext => self.mark_done_next(false),
            MarkTodo => self.mark_todo(),
            NextDocument => {
                let n = self.project.documents.len();
                if n > 0 {
                    self.go_to_document((self.doc + 1).min(n - 1));
                }
            }
            PreviousDocument => self.go_to_document(self.doc.saturating_sub(1)),
            WordRight
            | WordLeft
            | ExtendWordRight
            | ExtendWordLeft
            | SentenceNext
            | SentencePrevious
            | ExtendSentenceNext
            | ExtendSentencePrevious
            | DocumentStart
            | DocumentEnd
            | PageDown
            | PageUp => self.navigate(cmd),
            NextSpan | PreviousSpan => self.cycle_span(cmd == NextSpan),
            GrowEnd | ShrinkEnd | GrowStart | ShrinkStart => {
                if !self.curate_resize(cmd) {
                    self.resize_selected(cmd);
                }
            }
            DeleteSpan => {
                if let Some(id) = self.view.selected {
                    if self.apply_edit(Edit::RemoveSpan { doc: self.doc, id }) {
                        self.view.selected = None;
                        self.info("deleted the span (Ctrl+Z brings it back)");
                    }
                } else {
                    self.info("select a span first (Tab or click), then press Delete");
                }
            }
            OpenInspector => {
                if self.view.selected.is_some() {
                    self.inspector.focus_next_frame = true;
                }
            }
            ClearSelection => {
                if self.show_shortcuts {
                    self.show_shortcuts = false;
                } else if self.find.is_open() {
                    // The first Escape closes the find bar and keeps the
                    // match selected, ready for a label key.
                    self.find.close();
                } else if self.escape_from_field {
                    // Escape in an inspector field leaves the field; its
                    // value is kept (as with Enter and Tab) and so is the span.
                } else {
                    self.view.anchor = None;
                    self.view.selected = None;
                }
                self.view.request_focus();
            }
            ToggleSuggestions => {
                self.show_pending = !self.show_pending;
                self.info(if self.show_pending {
                    "pending suggestions shown (H hides them)"
                } else if self.review.open {
                    "pending suggestions hidden outside review mode (H shows them)"
                } else {
                    "pending suggestions hidden (H shows them)"
                });
            }
            RunRulesDocument => self.start_rule_run(false),
            RunRulesProject => self.start_rule_run(true),
            ReviewPanel => {
                if !self.review.open {
                    self.curate.open = false;
                }
                self.toggle_review();
            }
            RulesPanel => self.rules_panel.open = !self.rules_panel.open,
            RuleEditor => self.rule_editor.open = !self.rule_editor.open,
            ReviewAccept => self.review_decide(true),
            ReviewReject => self.review_decide(false),
            ReviewNext => self.review_step(true),
            ReviewPrevious => self.review_step(false),
            ReviewAcceptRule => self.review_accept_rule(),
            CurationMode => self.toggle_curation(),
            CuratePick(n) => {
                let k = usize::from(n.max(1)) - 1;
                self.curate_decide(crate::team::Pick::Version(k));
            }
            CurateKeepAll => self.curate_decide(crate::team::Pick::KeepAll),
            CurateNone => self.curate_decide(crate::team::Pick::Nothing),
            CurateNext => self.curate_step(true),
            CuratePrevious => self.curate_step(false),
        }
    }
}

/// The bundled example as a new unsaved project.
pub fn example_project() -> Project {
    let mut project = Project::default();
    let mut doc = Document::new(EXAMPLE_NAME, EXAMPLE_TEXT);
    doc.source = Some("bundled example".into());
    let edit = add_documents_edit(&project, vec![doc]);
    // Adding one fresh document to an empty project cannot fail.
    let _ = edit.apply(&mut project);
    project
}

// Drawing.
impl App {
    fn font_size(&self) -> f32 {
        BASE_FONT_SIZE * self.settings.zoom
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let name = match &self.path {
            Some(_) => self.name.clone(),
            None => format!("{} (unsaved project)", self.name),
        };
        let title = format!(
            "{}{} — Sayso",
            if self.is_dirty() { "● " } else { "" },
            name
        );
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_dirty() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved(Then::Quit));
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) -> Vec<Action> {
        if self.modal.is_some() || self.path_dialog.is_some() {
            return Vec::new();
        }
        rule_editor::take_find_key(ctx, &mut self.rule_editor);
        let hotkeys: Vec<(char, String)> = self
            .project
            .schema
            .labels
            .iter()
            .map(|l| (l.hotkey, l.name.clone()))
            .collect();
        // Keys for the text go to the text view unless a text field has
        // the keyboard.
        // Escape takes the keyboard from a text field before the frame
        // starts (egui): such an Escape only leaves the field (see
        // `ClearSelection`).
        self.escape_from_field =
            self.text_field_had_focus && ctx.input(|i| i.key_pressed(egui::Key::Escape));
        let text_focus = ctx.text_edit_focused();
        let view = self.view.id();
        let panel_focus = ctx.memory(|m| m.focused()).is_some_and(|id| id != view);
        let mode = if self.review.open {
            commands::Mode::Review
        } else if self.curate.open {
            commands::Mode::Curate
        } else {
            commands::Mode::Annotate
        };
        let triggered =
            ctx.input_mut(|i| commands::take_shortcuts(i, &hotkeys, text_focus, mode, panel_focus));
        triggered
            .into_iter()
            .map(|t| match t {
                Triggered::Command(c) => Action::Command(c),
                Triggered::Label(l) => Action::Tag(l),
            })
            .collect()
    }

    fn dropped_files(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (projects, files): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| is_project_file(p));
        if let Some(p) = projects.into_iter().next() {
            actions.push(Action::OpenProject(p));
        } else if !files.is_empty() {
            actions.push(Action::AddFiles(files));
        }
    }

    fn text_view_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let font_size = self.font_size();
        // Curation mode draws the spans annotators agree on once.
        let collapsed = if self.curate.open {
            self.curate_agreed()
        } else {
            std::rc::Rc::default()
        };
        self.view.set_collapsed(collapsed);
        let Some(doc) = self.project.documents.get(self.doc) else {
            ui.centered_and_justified(|ui| {
                ui.label("This project has no documents. Use File › Add documents…, or drop .txt files here.");
            });
            return;
        };
        text_view::doc_header_ui(ui, doc, &self.project.schema, actions);
        ui.separator();
        let input = ViewInput {
            doc,
            schema: &self.project.schema,
            doc_key: (self.generation, self.doc),
            spans_rev: self.revision,
            font_size,
            show_pending: self.show_pending || self.review.open,
        };
        self.view.find_matches.clear();
        if self.find.is_open() {
            let here = self.doc;
            self.view.find_matches.extend(
                self.find
                    .matches()
                    .iter()
                    .filter(|m| m.doc == here)
                    .map(|m| (m.start, m.end)),
            );
        }
        self.view.ui(ui, &input);
        match self.view.take_event() {
            Some(text_view::ViewEvent::Link { from, to }) => actions.push(Action::Link {
                doc: self.doc,
                a: from,
                b: to,
            }),
            None => {}
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.view.check_fonts(&ctx);
        if self.applied_theme != Some(self.settings.dark) {
            ctx.set_theme(if self.settings.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.applied_theme = Some(self.settings.dark);
        }
        self.handle_close_request(&ctx);
        let mut actions = self.keyboard(&ctx);
        self.dropped_files(&ctx, &mut actions);
        self.poll_rule_run(&ctx);
        self.poll_rule_parse(&ctx);

        egui::Panel::top("sayso-menu").show(ui, |ui| menus::menu_bar_ui(ui, self, &mut actions));
        if self.find.is_open() {
            egui::Panel::top("sayso-find").show(ui, |ui| {
                find::find_ui(
                    ui,
                    &mut self.find,
                    &self.project,
                    self.doc,
                    (self.generation, self.revision),
                    &mut actions,
                )
            });
        }
        let ask_name = egui::Panel::bottom("sayso-status")
            .show(ui, |ui| status_bar::status_bar_ui(ui, self))
            .inner;
        if ask_name {
            self.help.name = true;
            self.help.name_unfocused = true;
        }
        if let Some(run) = &self.run {
            let cancel = egui::Panel::bottom("sayso-run")
                .show(ui, |ui| rule_run::run_progress_ui(ui, run))
                .inner;
            if cancel {
                run.cancel();
            }
        }
        self.side_panels_ui(ui, &mut actions);
        let central =
            egui::CentralPanel::default().show(ui, |ui| self.text_view_ui(ui, &mut actions));
        self.panel_rects.text = Some(central.response.rect);
        rules_panel::rules_panel_ui(&ctx, self, &mut actions);
        rule_editor::rule_editor_ui(&ctx, self, &mut actions);

        if let Some(modal) = &self.modal {
            modal::modal_ui(&ctx, modal, &self.name, &mut actions);
        }
        if let Some(dialog) = &mut self.path_dialog {
            path_dialog::path_dialog_ui(&ctx, dialog, &mut actions);
        }
        if self.show_shortcuts {
            help::shortcuts_ui(&ctx, &self.project.schema, &mut actions);
        }
        self.help_ui(&ctx);
        export_dialog::export_dialog_ui(&ctx, &mut self.export, &self.project, &mut actions);
        self.text_field_had_focus = ctx.text_edit_focused();
        if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
            let screen = ctx.content_rect();
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(140));
            painter.text(
                screen.center(),
                egui::Align2::CENTER_CENTER,
                "Drop .sayso to open, .txt to add documents",
                egui::FontId::proportional(22.0),
                egui::Color32::WHITE,
            );
        }

        for action in actions {
            self.apply(action);
        }
        if self.modal.is_none()
            && self.path_dialog.is_none()
            && !self.show_shortcuts
            && !self.export.open
            && ctx.memory(|m| m.focused().is_none())
        {
            self.view.request_focus();
        }
        for cmd in self.pending_viewport.drain(..) {
            ctx.send_viewport_cmd(cmd);
        }
        if let Some(r) = ctx.input(|i| i.viewport().inner_rect) {
            self.settings.window_size = Some([r.width(), r.height()]);
        }
        self.autosave_tick(&ctx);
        self.update_title(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.rule_draft = self.rule_editor.draft();
        self.settings.store(storage);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A clean exit with nothing unsaved leaves no recovery file behind.
        if !self.is_dirty() {
            autosave::remove_recovery(
                self.path.as_deref(),
                self.data_dir.as_deref(),
                &self.recovery_slot,
            );
        }
    }
}

/// Opens the window: `paths` are a project, text files, or nothing (the
/// last project, or the bundled example on first start).
pub fn run(paths: Vec<PathBuf>) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Sayso")
        .with_app_id(APP_ID)
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    if let Some(size) = stored_window_size() {
        viewport = viewport.with_inner_size(size);
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| Ok(Box::new(App::new(cc, paths)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// The window size of the last session, read before the window exists.
fn stored_window_size() -> Option<[f32; 2]> {
    let dir = eframe::storage_dir(APP_ID)?;
    let text = std::fs::read_to_string(dir.join("app.ron")).ok()?;
    let map: std::collections::HashMap<String, String> = ron::from_str(&text).ok()?;
    let settings: Settings = ron::from_str(map.get(Settings::KEY)?).ok()?;
    settings
        .window_size
        .filter(|[w, h]| *w >= 300.0 && *h >= 200.0)
}
