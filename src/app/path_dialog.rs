//! Sayso's own path dialog, for when the system file dialog cannot open (a
//! plain X session without an XDG desktop portal, zenity or kdialog): a text
//! field for the path, the entries of the folder typed so far to complete it
//! (click a folder to go in, a file to take it), the recent folders, and the
//! checks the native dialogs make (the file exists, it is a project, the
//! folder to save in exists, replacing a file asks first). The status bar
//! says why the system dialog is not used.

use std::path::{Path, PathBuf};

use eframe::egui;

use super::export_dialog::ExportRequest;
use super::{Action, Then};
use crate::project;

/// What the chosen path is for: the flow that continues with it.
#[derive(Debug, Clone)]
pub enum Purpose {
    OpenProject,
    /// Save the project there, then go on with `then` (a quit, an open).
    SaveProject {
        then: Option<Then>,
    },
    NewFromFiles,
    AddDocuments,
    Export(Box<ExportRequest>),
    OpenRules,
    SaveRules,
}

/// What kind of path a purpose needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An existing file with this extension.
    OpenFile(&'static str),
    /// A file to write, in an existing folder; this extension is added
    /// when the name has none; an existing file is replaced only after a
    /// second confirmation.
    SaveFile(&'static str),
    /// An existing file or folder (imports take folders of texts).
    Existing,
    /// Anything: the export checks and creates what it needs.
    Target,
}

impl Purpose {
    fn kind(&self) -> Kind {
        match self {
            Purpose::OpenProject => Kind::OpenFile(project::EXTENSION),
            Purpose::SaveProject { .. } => Kind::SaveFile(project::EXTENSION),
            Purpose::NewFromFiles | Purpose::AddDocuments => Kind::Existing,
            Purpose::Export(_) => Kind::Target,
            Purpose::OpenRules => Kind::OpenFile("ron"),
            Purpose::SaveRules => Kind::SaveFile("ron"),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Purpose::OpenProject => "Open a project",
            Purpose::SaveProject { .. } => "Save the project as",
            Purpose::NewFromFiles => "New project from files",
            Purpose::AddDocuments => "Add documents",
            Purpose::Export(_) => "Export to",
            Purpose::OpenRules => "Open a rule file",
            Purpose::SaveRules => "Save the rule file as",
        }
    }

    fn ok_text(&self) -> &'static str {
        match self.kind() {
            Kind::OpenFile(_) => "Open",
            Kind::SaveFile(_) => "Save",
            Kind::Existing => "Add",
            Kind::Target => "Export",
        }
    }

    fn hint(&self) -> &'static str {
        match self {
            Purpose::NewFromFiles | Purpose::AddDocuments => {
                "a .txt or .jsonl file, or a folder of them"
            }
            Purpose::Export(_) => "the file (or, for brat, the folder) to write",
            Purpose::OpenProject => "a .sayso project file",
            Purpose::SaveProject { .. } => "the project file to write (.sayso is added)",
            Purpose::OpenRules => "a .ron rule file",
            Purpose::SaveRules => "the rule file to write (.ron is added)",
        }
    }
}

/// An entry of the folder being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
}

/// The dialog's state while it is open.
#[derive(Debug, Clone)]
pub struct PathDialog {
    pub purpose: Purpose,
    /// The path as typed.
    pub field: String,
    /// Why the system dialog is not used.
    pub why: String,
    pub error: Option<String>,
    /// Folders to offer (most recent first).
    pub recent: Vec<PathBuf>,
    /// A file name to put after a folder picked from the recent ones.
    suggested: Option<String>,
    /// The existing file the user was warned about; a second OK replaces it.
    confirm_replace: Option<PathBuf>,
    /// The entries of the folder for `field` as it was when read.
    cache: Option<(String, Vec<Entry>)>,
    focus: bool,
}

/// At most this many entries of a folder are listed.
const MAX_ENTRIES: usize = 300;

/// `~` and `~/…` to the home folder.
fn expand(text: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (text.strip_prefix('~'), home) {
        (Some(""), Some(h)) => h,
        (Some(rest), Some(h)) if rest.starts_with('/') => h.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(text),
    }
}

/// The typed path as an absolute path (relative ones from the working
/// folder).
pub fn resolve(text: &str) -> Option<PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let p = expand(text);
    if p.is_absolute() {
        Some(p)
    } else {
        std::env::current_dir().ok().map(|d| d.join(p))
    }
}

/// The folder part of the field (up to its last `/`) and the start of a
/// name after it.
fn split_field(field: &str) -> (String, String) {
    match field.rfind('/') {
        Some(i) => (field[..=i].to_string(), field[i + 1..].to_string()),
        None => (String::new(), field.to_string()),
    }
}

/// The entries of `folder` whose names start with `prefix` (hidden ones
/// only when the prefix starts with a dot), folders first, by name.
pub fn entries(folder: &Path, prefix: &str) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let lower = prefix.to_lowercase();
    let mut out: Vec<Entry> = read
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            if name.starts_with('.') && !prefix.starts_with('.') {
                return None;
            }
            if !name.to_lowercase().starts_with(&lower) {
                return None;
            }
            // Follows links, so a link to a folder is a folder.
            let is_dir = e.path().is_dir();
            Some(Entry { name, is_dir })
        })
        .take(MAX_ENTRIES * 4)
        .collect();
    out.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    out.truncate(MAX_ENTRIES);
    out
}

impl PathDialog {
    /// Opens for `purpose`, starting in `folder` (with `suggested` as the
    /// file name for saves).
    pub fn new(
        purpose: Purpose,
        why: String,
        folder: Option<PathBuf>,
        suggested: Option<String>,
        recent: Vec<PathBuf>,
    ) -> Self {
        let mut field = folder
            .map(|f| {
                let mut s = f.display().to_string();
                if !s.ends_with('/') {
                    s.push('/');
                }
                s
            })
            .unwrap_or_default();
        if let Some(name) = &suggested {
            field.push_str(name);
        }
        PathDialog {
            purpose,
            field,
            why,
            error: None,
            recent,
            suggested,
            confirm_replace: None,
            cache: None,
            focus: true,
        }
    }

    /// The entries that complete the field (read again when it changed).
    pub fn completions(&mut self) -> &[Entry] {
        let stale = self.cache.as_ref().is_none_or(|(f, _)| *f != self.field);
        if stale {
            let (folder, prefix) = split_field(&self.field);
            let list = match resolve(if folder.is_empty() { "." } else { &folder }) {
                Some(dir) => entries(&dir, &prefix),
                None => Vec::new(),
            };
            self.cache = Some((self.field.clone(), list));
        }
        self.cache.as_ref().map_or(&[], |(_, l)| l.as_slice())
    }

    /// Takes the entry `e` of the folder typed so far: a folder is gone
    /// into, a file becomes the path.
    pub fn take_entry(&mut self, e: &Entry) {
        let (folder, _) = split_field(&self.field);
        self.field = format!("{folder}{}{}", e.name, if e.is_dir { "/" } else { "" });
        self.error = None;
        self.focus = true;
    }

    /// Gives the keyboard back to the field in the next frame.
    pub fn focus_field(&mut self) {
        self.focus = true;
    }

    /// Starts again in the folder `f`.
    pub fn take_folder(&mut self, f: &Path) {
        let mut s = f.display().to_string();
        if !s.ends_with('/') {
            s.push('/');
        }
        if matches!(self.purpose.kind(), Kind::SaveFile(_))
            && let Some(name) = &self.suggested
        {
            s.push_str(name);
        }
        self.field = s;
        self.error = None;
        self.focus = true;
    }

    /// The checks of the native dialogs: the chosen paths, or what is wrong
    /// (shown under the field).
    pub fn check(&mut self) -> Result<Vec<PathBuf>, String> {
        let Some(mut path) = resolve(&self.field) else {
            return Err("type a path first".into());
        };
        let shown = |p: &Path| p.display().to_string();
        match self.purpose.kind() {
            Kind::OpenFile(ext) => {
                if !path.exists() {
                    return Err(format!("{} does not exist", shown(&path)));
                }
                if path.is_dir() {
                    return Err(format!(
                        "{} is a folder; choose a .{ext} file in it",
                        shown(&path)
                    ));
                }
                let matches = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case(ext));
                if !matches {
                    return Err(format!("{} is not a .{ext} file", shown(&path)));
                }
            }
            Kind::SaveFile(ext) => {
                if self.field.trim_end().ends_with('/') || path.is_dir() {
                    return Err(format!("{} is a folder; add a file name", shown(&path)));
                }
                if path.extension().is_none() {
                    path.set_extension(ext);
                }
                let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                if !folder.is_dir() {
                    return Err(format!("the folder {} does not exist", shown(&folder)));
                }
                if path.exists() && self.confirm_replace.as_deref() != Some(path.as_path()) {
                    self.confirm_replace = Some(path.clone());
                    return Err(format!(
                        "{} exists already; press {} again to replace it",
                        shown(&path),
                        self.purpose.ok_text()
                    ));
                }
            }
            Kind::Existing => {
                if !path.exists() {
                    return Err(format!("{} does not exist", shown(&path)));
                }
            }
            Kind::Target => {}
        }
        Ok(vec![path])
    }
}

/// What the user did in the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathAnswer {
    Ok,
    Cancel,
}

/// Draws the dialog (a modal window).
pub fn path_dialog_ui(ctx: &egui::Context, dialog: &mut PathDialog, actions: &mut Vec<Action>) {
    let modal = egui::Modal::new(egui::Id::unique("sayso-path-dialog")).show(ctx, |ui| {
        ui.set_width(560.0_f32.min(ctx.content_rect().width() - 40.0));
        ui.heading(dialog.purpose.title());
        ui.weak(format!(
            "Sayso's own path dialog, because {}. Type the path, or pick it below.",
            dialog.why
        ));
        ui.add_space(6.0);
        let label = ui.label(format!("Path ({})", dialog.purpose.hint()));
        let field = ui
            .add(egui::TextEdit::singleline(&mut dialog.field).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if dialog.focus {
            // The keyboard back in the field, the caret at the end of what
            // a click on an entry or a folder put there.
            field.request_focus();
            if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), field.id) {
                let end = egui::text::CCursor::new(dialog.field.chars().count());
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(end)));
                state.store(ui.ctx(), field.id);
            }
            dialog.focus = false;
        }
        if field.changed() {
            dialog.error = None;
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if let Some(e) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.add_space(4.0);
        let (folder, _) = split_field(&dialog.field);
        ui.weak(if folder.is_empty() {
            "In the working folder:".to_string()
        } else {
            format!("In {folder}:")
        });
        let entries = dialog.completions().to_vec();
        let mut take = None;
        egui::ScrollArea::vertical()
            .id_salt("path-entries")
            .max_height(180.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if entries.is_empty() {
                    ui.weak("(nothing here matches)");
                }
                for e in &entries {
                    let text = if e.is_dir {
                        format!("{}/", e.name)
                    } else {
                        e.name.clone()
                    };
                    if ui
                        .add(egui::Button::new(text).frame(false).truncate())
                        .clicked()
                    {
                        take = Some(e.clone());
                    }
                }
            });
        if let Some(e) = take {
            dialog.take_entry(&e);
        }
        if !dialog.recent.is_empty() {
            ui.add_space(4.0);
            ui.weak("Recent folders:");
            let mut pick = None;
            ui.horizontal_wrapped(|ui| {
                for f in &dialog.recent {
                    let name = f
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| f.display().to_string());
                    if ui
                        .button(name)
                        .on_hover_text(f.display().to_string())
                        .clicked()
                    {
                        pick = Some(f.clone());
                    }
                }
            });
            if let Some(f) = pick {
                dialog.take_folder(&f);
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(dialog.purpose.ok_text()).clicked() || enter {
                actions.push(Action::PathDialog(PathAnswer::Ok));
            }
            if ui.button("Cancel").clicked() {
                actions.push(Action::PathDialog(PathAnswer::Cancel));
            }
        });
    });
    if modal.should_close() {
        actions.push(Action::PathDialog(PathAnswer::Cancel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_lists_folders_first_and_checks_follow_the_purpose() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("projects")).expect("mkdir");
        std::fs::write(dir.path().join("press.txt"), "Hi.").expect("write");
        std::fs::write(dir.path().join(".hidden"), "").expect("write");
        let names: Vec<String> = entries(dir.path(), "p")
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["projects", "press.txt"]);
        assert!(entries(dir.path(), "").iter().all(|e| e.name != ".hidden"));

        let folder = Some(dir.path().to_path_buf());
        let mut d = PathDialog::new(
            Purpose::SaveProject { then: None },
            "test".into(),
            folder.clone(),
            Some("new.sayso".into()),
            vec![],
        );
        assert_eq!(d.check(), Ok(vec![dir.path().join("new.sayso")]));
        d.field = format!("{}/projects/", dir.path().display());
        assert!(d.check().is_err(), "a folder is not a file to save");
        d.field = format!("{}/nowhere/p", dir.path().display());
        assert!(d.check().unwrap_err().contains("does not exist"));
        d.field = format!("{}/press.txt", dir.path().display());
        let first = d.check().unwrap_err();
        assert!(first.contains("exists already"), "{first}");
        assert_eq!(d.check(), Ok(vec![dir.path().join("press.txt")]));

        let mut d = PathDialog::new(Purpose::OpenProject, "test".into(), folder, None, vec![]);
        d.field.push_str("press.txt");
        assert!(d.check().unwrap_err().contains("not a .sayso file"));
        d.field = "~".into();
        if std::env::var_os("HOME").is_some() {
            assert!(d.check().unwrap_err().contains("is a folder"));
        }
    }
}
