//! Find (Ctrl+F in the document, Ctrl+Shift+F in the project) with "tag all
//! matches as…", which adds one span per match in a single undo step.

use eframe::egui;
use egui::{Key, Ui};

use super::{Action, UiCommand};
use crate::model::{Project, Text};

/// At most this many matches are collected.
const MAX_MATCHES: usize = 10_000;

/// One match, in code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub doc: usize,
    pub start: usize,
    pub end: usize,
}

/// Query, whole project, match case, document, (generation, revision).
type FindKey = (String, bool, bool, usize, (u64, u64));

#[derive(Default)]
pub struct FindState {
    open: bool,
    pub query: String,
    pub project_wide: bool,
    pub match_case: bool,
    matches: Vec<Match>,
    current: Option<usize>,
    /// What the matches were computed for.
    key: Option<FindKey>,
    focus: bool,
    tag_label: Option<String>,
}

impl FindState {
    pub fn open(&mut self, project_wide: bool) {
        self.open = true;
        self.project_wide = project_wide;
        self.focus = true;
    }

    pub fn close(&mut self) {
        self.open = false;
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn invalidate(&mut self) {
        self.key = None;
        self.matches.clear();
        self.current = None;
    }

    pub fn matches(&self) -> &[Match] {
        &self.matches
    }

    /// The next (or previous) match, wrapping around.
    pub fn step(&mut self, forward: bool) -> Option<Match> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        let k = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(k), true) => (k + 1) % n,
            (Some(k), false) => (k + n - 1) % n,
        };
        self.current = Some(k);
        Some(self.matches[k])
    }

    fn refresh(&mut self, project: &Project, doc: usize, rev: (u64, u64)) {
        let key = (
            self.query.clone(),
            self.project_wide,
            self.match_case,
            doc,
            rev,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.key = Some(key);
        self.matches.clear();
        self.current = None;
        if self.query.is_empty() {
            return;
        }
        let docs: Vec<usize> = if self.project_wide {
            (0..project.documents.len()).collect()
        } else if doc < project.documents.len() {
            vec![doc]
        } else {
            vec![]
        };
        for d in docs {
            let text = &project.documents[d].text;
            for (start, end) in find_all(text, &self.query, self.match_case) {
                self.matches.push(Match { doc: d, start, end });
                if self.matches.len() >= MAX_MATCHES {
                    return;
                }
            }
        }
    }
}

/// Every non-overlapping occurrence of `needle` in `text`, in code points.
/// Without `match_case`, letters compare by their lower-case forms.
pub fn find_all(text: &Text, needle: &str, match_case: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let hay = text.as_str();
    let n_chars = needle.chars().count();
    if needle.is_empty() {
        return out;
    }
    if match_case {
        for (byte, m) in hay.match_indices(needle) {
            let start = text.char_of(byte);
            let _ = m;
            out.push((start, start + n_chars));
        }
        return out;
    }
    let low: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = hay.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // Compare lower-cased characters one by one.
        let mut k = 0;
        let mut j = i;
        let mut ok = true;
        while k < low.len() {
            let Some(c) = chars.get(j) else {
                ok = false;
                break;
            };
            for lc in c.to_lowercase() {
                if low.get(k) != Some(&lc) {
                    ok = false;
                    break;
                }
                k += 1;
            }
            if !ok {
                break;
            }
            j += 1;
        }
        if ok && k == low.len() {
            out.push((i, j));
            i = j.max(i + 1);
        } else {
            i += 1;
        }
        if out.len() >= MAX_MATCHES {
            break;
        }
    }
    out
}

pub fn find_ui(
    ui: &mut Ui,
    state: &mut FindState,
    project: &Project,
    doc: usize,
    rev: (u64, u64),
    actions: &mut Vec<Action>,
) {
    state.refresh(project, doc, rev);
    ui.horizontal(|ui| {
        let label = ui.label("Find");
        let response = ui.add(
            egui::TextEdit::singleline(&mut state.query)
                .hint_text("text to find")
                .desired_width(260.0),
        );
        let response = response.labelled_by(label.id);
        if state.focus {
            // Focus the field with its text selected, so typing replaces it.
            response.request_focus();
            if let Some(mut s) = egui::text_edit::TextEditState::load(ui.ctx(), response.id) {
                s.cursor
                    .set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(
                        &state.query,
                    )));
                s.store(ui.ctx(), response.id);
            }
            state.focus = false;
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            let shift = ui.input(|i| i.modifiers.shift);
            let cmd = if shift {
                UiCommand::FindPrevious
            } else {
                UiCommand::FindNext
            };
            actions.push(Action::Command(cmd));
            response.request_focus();
        }
        ui.checkbox(&mut state.project_wide, "Whole project");
        ui.checkbox(&mut state.match_case, "Match case");
        let n = state.matches.len();
        let pos = state
            .current
            .map_or(String::new(), |k| format!("{} of ", k + 1));
        ui.label(if n >= MAX_MATCHES {
            format!("{pos}{n}+ matches")
        } else {
            format!("{pos}{n} matches")
        });
        if ui.button("Previous").clicked() {
            actions.push(Action::Command(UiCommand::FindPrevious));
        }
        if ui.button("Next").clicked() {
            actions.push(Action::Command(UiCommand::FindNext));
        }
        ui.separator();
        let labels: Vec<&str> = project
            .schema
            .labels
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        let tag = state
            .tag_label
            .clone()
            .filter(|l| labels.contains(&l.as_str()))
            .or_else(|| labels.first().map(|s| s.to_string()))
            .unwrap_or_default();
        egui::ComboBox::from_label("Tag all matches as")
            .selected_text(&tag)
            .show_ui(ui, |ui| {
                for l in &labels {
                    if ui.selectable_label(tag == *l, *l).clicked() {
                        state.tag_label = Some(l.to_string());
                    }
                }
            });
        let button = ui.add_enabled(n > 0, egui::Button::new(format!("Tag {n}")));
        if button.clicked() && !tag.is_empty() {
            actions.push(Action::TagAllMatches(tag.clone()));
        }
        if ui.button("Close").clicked() {
            state.close();
        }
    });
    if state.project_wide && !state.matches.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Matches in {} document(s)",
            count_docs(&state.matches)
        ))
        .id_salt("sayso-find-results")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(160.0)
                .show(ui, |ui| {
                    for (k, m) in state.matches.iter().enumerate().take(300) {
                        let Some(d) = project.documents.get(m.doc) else {
                            continue;
                        };
                        let before = d.text.slice(m.start.saturating_sub(30), m.start);
                        let hit = d.text.slice(m.start, m.end);
                        let after = d.text.slice(m.end, m.end + 30);
                        let text = format!("{}: …{}[{}]{}…", d.name, before, hit, after)
                            .replace('\n', " ");
                        if ui
                            .selectable_label(state.current == Some(k), text)
                            .clicked()
                        {
                            state.current = Some(k);
                            actions.push(Action::SelectRange {
                                doc: m.doc,
                                start: m.start,
                                end: m.end,
                            });
                        }
                    }
                });
        });
    }
}

fn count_docs(matches: &[Match]) -> usize {
    let mut docs: Vec<usize> = matches.iter().map(|m| m.doc).collect();
    docs.dedup();
    docs.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_in_code_points_with_and_without_case() {
        let t = Text::new("“Putin” met putin’s PUTIN");
        assert_eq!(find_all(&t, "Putin", true), vec![(1, 6)]);
        assert_eq!(
            find_all(&t, "putin", false),
            vec![(1, 6), (12, 17), (20, 25)]
        );
        assert_eq!(find_all(&t, "", false), vec![]);
    }
}
