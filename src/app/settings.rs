//! User preferences that outlive a session, kept in eframe's storage (one
//! serde value under [`Settings::KEY`]): recent projects, zoom, theme,
//! window size, which side panels are shown and how, the annotator name, the rule file and review preferences. Project data never goes here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent projects the File menu lists.
const MAX_RECENT: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first; the first one opens when no path is given.
    pub recent: Vec<PathBuf>,
    /// Text zoom factor (1.0 = 17 pt body text).
    pub zoom: f32,
    pub dark: bool,
    /// Inner window size in points at the last exit.
    pub window_size: Option<[f32; 2]>,
    /// The name recorded on manual spans.
    pub annotator: String,
    /// False until the first start has been handled (the bundled example).
    pub started_before: bool,
    /// The rule file applied last from the rule editor (`None`: the
    /// bundled English news rules).
    pub rules_path: Option<PathBuf>,
    /// The text of the rules applied last, when it is not the bundled
    /// rules: edits applied but never saved to a file survive a restart.
    pub rules_text: Option<String>,
    /// Edits in the rule editor that were neither applied nor saved, kept
    /// so that closing the window does not lose them.
    pub rule_draft: Option<String>,
    /// Accepting a Claim or Stance also accepts the pending Speaker it
    /// links to (in the same undo step).
    pub accept_links_speaker: bool,
    /// The document list is shown (Ctrl+B, View menu).
    pub show_documents: bool,
    /// The inspector is shown (Ctrl+I, View menu).
    pub show_inspector: bool,
    /// The document list shows one line per document, counts in columns.
    pub compact_documents: bool,
    /// Folders chosen in Sayso's own path dialog, most recent first.
    pub recent_folders: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            zoom: 1.0,
            dark: false,
            window_size: None,
            annotator: crate::cli::default_annotator(),
            started_before: false,
            rules_path: None,
            rules_text: None,
            rule_draft: None,
            accept_links_speaker: false,
            show_documents: true,
            show_inspector: true,
            compact_documents: false,
            recent_folders: Vec::new(),
        }
    }
}

impl Settings {
    pub const KEY: &'static str = "sayso-settings";
    pub const MIN_ZOOM: f32 = 0.5;
    pub const MAX_ZOOM: f32 = 3.0;

    /// The settings in `storage`, or the defaults.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        let mut s: Settings = storage
            .and_then(|s| eframe::get_value(s, Self::KEY))
            .unwrap_or_default();
        s.zoom = s.zoom.clamp(Self::MIN_ZOOM, Self::MAX_ZOOM);
        if s.annotator.trim().is_empty() {
            s.annotator = crate::cli::default_annotator();
        }
        s
    }

    pub fn store(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Self::KEY, self);
    }

    /// Puts `path` first in the recent list.
    pub fn add_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Puts `folder` first among the recent folders.
    pub fn add_recent_folder(&mut self, folder: &Path) {
        let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        self.recent_folders.retain(|p| *p != folder);
        self.recent_folders.insert(0, folder);
        self.recent_folders.truncate(MAX_RECENT);
    }

    /// The folders to offer in Sayso's own path dialog: those chosen there,
    /// then those of the recent projects; existing ones only.
    pub fn recent_folders(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        let projects = self
            .recent
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf));
        for f in self.recent_folders.iter().cloned().chain(projects) {
            if f.is_dir() && !out.contains(&f) {
                out.push(f);
            }
        }
        out.truncate(MAX_RECENT);
        out
    }

    pub fn zoom_by(&mut self, step: f32) {
        self.zoom = ((self.zoom + step) * 10.0).round() / 10.0;
        self.zoom = self.zoom.clamp(Self::MIN_ZOOM, Self::MAX_ZOOM);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_is_unique_and_bounded() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.add_recent(Path::new(&format!("/nonexistent/p{i}.sayso")));
        }
        s.add_recent(Path::new("/nonexistent/p3.sayso"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], PathBuf::from("/nonexistent/p3.sayso"));
        assert_eq!(
            s.recent.iter().filter(|p| p.ends_with("p3.sayso")).count(),
            1
        );
    }

    #[test]
    fn zoom_stays_in_bounds() {
        let mut s = Settings::default();
        for _ in 0..50 {
            s.zoom_by(0.1);
        }
        assert_eq!(s.zoom, Settings::MAX_ZOOM);
    }
}
