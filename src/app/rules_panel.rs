//! The rules panel: every rule of the active rule set with how many of its
//! suggestions were accepted, edited before accepting, rejected, and are
//! pending, and its precision so far ([`rule_stats`]); sortable by any
//! column, with a checkbox per rule that switches it off for the project
//! (an undoable [`Edit::SetRuleEnabled`]).
//!
//! "Compare with" puts one annotator of a team project in place of the
//! review decisions: per rule, how many of its suggestions overlap a span
//! of that annotator's of the same label, and that precision
//! ([`rules_against_annotator`], computed in the library).

use eframe::egui;

use super::{Action, App};
use crate::eval::by_rule::{RuleAgainst, project_annotators, rules_against_annotator};
use crate::model::Edit;
use crate::rules::stats::{RuleStats, rule_stats};

/// A column to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    /// Switched-on rules first, then by id.
    #[default]
    Rule,
    Accepted,
    Edited,
    Rejected,
    Pending,
    Precision,
}

impl Column {
    const ALL: [(Column, &'static str); 6] = [
        (Column::Rule, "Rule (on)"),
        (Column::Accepted, "Accepted"),
        (Column::Edited, "Edited"),
        (Column::Rejected, "Rejected"),
        (Column::Pending, "Pending"),
        (Column::Precision, "Precision"),
    ];
}

/// What the comparison with an annotator depends on: the project
/// (generation, revision), the rule set and the annotator.
type AgainstKey = (u64, u64, u64, String);

#[derive(Default)]
pub struct RulesPanel {
    pub open: bool,
    pub sort: Column,
    pub descending: bool,
    /// Compare the rules with this annotator's spans instead of with the
    /// review decisions.
    pub compare: Option<String>,
    cache: Option<((u64, u64, u64), Vec<RuleStats>)>,
    /// The project's annotators, and the comparison with `compare`.
    team_cache: Option<((u64, u64), Vec<String>)>,
    against_cache: Option<(AgainstKey, Vec<RuleAgainst>)>,
}

/// Sorts statistics by a column (ties by rule id).
pub fn sort_stats(stats: &mut [RuleStats], col: Column, descending: bool) {
    stats.sort_by(|a, b| {
        let o = match col {
            Column::Rule => b.disabled.cmp(&a.disabled).reverse(),
            Column::Accepted => a.accepted.cmp(&b.accepted),
            Column::Edited => a.edited.cmp(&b.edited),
            Column::Rejected => a.rejected.cmp(&b.rejected),
            Column::Pending => a.pending.cmp(&b.pending),
            Column::Precision => a
                .precision()
                .unwrap_or(-1.0)
                .total_cmp(&b.precision().unwrap_or(-1.0)),
        };
        let o = if descending { o.reverse() } else { o };
        o.then_with(|| a.rule.cmp(&b.rule))
    });
}

impl App {
    /// Statistics per rule (cached per model revision and rule set).
    pub fn rule_statistics(&mut self) -> Vec<RuleStats> {
        let key = (self.generation, self.revision, self.rules_generation);
        if let Some((k, s)) = &self.rules_panel.cache
            && *k == key
        {
            return s.clone();
        }
        let s = rule_stats(&self.project, Some(&self.rules));
        self.rules_panel.cache = Some((key, s.clone()));
        s
    }
}

/// Sorts the comparison rows by rule (switched-on first) or by precision
/// (any other column sorts by rule).
fn sort_against(rows: &mut [(RuleStats, RuleAgainst)], col: Column, descending: bool) {
    rows.sort_by(|(a, x), (b, y)| {
        let o = match col {
            Column::Precision => x
                .precision()
                .unwrap_or(-1.0)
                .total_cmp(&y.precision().unwrap_or(-1.0)),
            _ => b.disabled.cmp(&a.disabled).reverse(),
        };
        let o = if descending { o.reverse() } else { o };
        o.then_with(|| a.rule.cmp(&b.rule))
    });
}

impl App {
    /// The annotators of the project's documents (cached per revision).
    pub fn project_annotators(&mut self) -> Vec<String> {
        let key = (self.generation, self.revision);
        if let Some((k, a)) = &self.rules_panel.team_cache
            && *k == key
        {
            return a.clone();
        }
        let a = project_annotators(&self.project);
        self.rules_panel.team_cache = Some((key, a.clone()));
        a
    }

    /// The rules (those switched on for the project), run afresh on
    /// `annotator`'s documents, against their spans (cached per revision
    /// and rule set).
    pub fn rules_against(&mut self, annotator: &str) -> Vec<RuleAgainst> {
        let key = (
            self.generation,
            self.revision,
            self.rules_generation,
            annotator.to_string(),
        );
        if let Some((k, rows)) = &self.rules_panel.against_cache
            && *k == key
        {
            return rows.clone();
        }
        let active = self.rules.with_disabled(&self.project.disabled_rules);
        let rows = rules_against_annotator(&self.project, annotator, &active);
        self.rules_panel.against_cache = Some((key, rows.clone()));
        rows
    }
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{:.0}%", p * 100.0))
        .unwrap_or_else(|| "–".into())
}

/// Header buttons that sort by their column; `names` are their titles.
fn header_ui(ui: &mut egui::Ui, app: &mut App, names: &[(Column, String)]) {
    let (col, desc) = (app.rules_panel.sort, app.rules_panel.descending);
    for (c, name) in names {
        let arrow = match (*c == col, desc) {
            (true, true) => " v",
            (true, false) => " ^",
            _ => "",
        };
        if ui.button(format!("{name}{arrow}")).clicked() {
            if *c == col {
                app.rules_panel.descending = !desc;
            } else {
                app.rules_panel.sort = *c;
                app.rules_panel.descending = *c != Column::Rule;
            }
        }
    }
}

/// The checkbox that switches a rule on or off for the project.
fn rule_checkbox(ui: &mut egui::Ui, st: &RuleStats, actions: &mut Vec<Action>) {
    let mut on = !st.disabled;
    if ui
        .checkbox(&mut on, egui::RichText::new(&st.rule).monospace())
        .on_hover_text(format!("use {} in this project", st.rule))
        .changed()
    {
        actions.push(Action::Edit(Edit::SetRuleEnabled {
            rule: st.rule.clone(),
            enabled: on,
        }));
    }
}

/// The "Compare with" choice: review decisions or one annotator.
fn compare_ui(ui: &mut egui::Ui, app: &mut App) {
    let annotators = app.project_annotators();
    if app
        .rules_panel
        .compare
        .as_ref()
        .is_some_and(|a| !annotators.contains(a))
    {
        app.rules_panel.compare = None;
    }
    ui.horizontal(|ui| {
        let label = ui.label("Compare with:");
        let shown = match &app.rules_panel.compare {
            Some(a) => format!("annotator {a}"),
            None => "review decisions".into(),
        };
        let compare = &mut app.rules_panel.compare;
        egui::ComboBox::from_id_salt("rules-compare")
            .selected_text(shown)
            .width(200.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(compare, None, "review decisions");
                for a in &annotators {
                    ui.selectable_value(compare, Some(a.clone()), format!("annotator {a}"));
                }
            })
            .response
            .labelled_by(label.id);
        if annotators.is_empty() {
            ui.weak("(no annotators in this project)");
        }
    });
}

/// Draws the rules window.
pub fn rules_panel_ui(ctx: &egui::Context, app: &mut App, actions: &mut Vec<Action>) {
    if !app.rules_panel.open {
        return;
    }
    let mut stats = app.rule_statistics();
    let (col, desc) = (app.rules_panel.sort, app.rules_panel.descending);
    let mut open = true;
    egui::Window::new("Rules")
        .open(&mut open)
        .default_width(640.0)
        .default_height(420.0)
        .show(ctx, |ui| {
            compare_ui(ui, app);
            let Some(who) = app.rules_panel.compare.clone() else {
                sort_stats(&mut stats, col, desc);
                ui.weak("Counts from the review decisions in this project. Click a header to sort; untick a rule to switch it off for the project (re-run with F5).");
                egui::ScrollArea::vertical().show(ui, |ui| {
                    egui::Grid::new("rules-grid").striped(true).show(ui, |ui| {
                        let names: Vec<(Column, String)> =
                            Column::ALL.iter().map(|(c, n)| (*c, n.to_string())).collect();
                        header_ui(ui, app, &names);
                        ui.end_row();
                        for st in &stats {
                            rule_checkbox(ui, st, actions);
                            ui.label(st.accepted.to_string());
                            ui.label(st.edited.to_string());
                            ui.label(st.rejected.to_string());
                            ui.label(st.pending.to_string());
                            ui.label(percent(st.precision()));
                            ui.end_row();
                        }
                    });
                });
                return;
            };
            let against = app.rules_against(&who);
            let docs = app
                .project
                .documents
                .iter()
                .filter(|d| crate::team::annotators_of(d).contains(&who))
                .count();
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "Each rule's suggestions in the {docs} document(s) {who} had, against {who}'s spans: a suggestion is right when it overlaps a span of {who}'s of its label. Click Rule or Precision to sort."
                    ))
                    .weak(),
                )
                .wrap(),
            );
            let mut rows: Vec<(RuleStats, RuleAgainst)> = stats
                .into_iter()
                .map(|st| {
                    let a = against
                        .iter()
                        .find(|a| a.rule == st.rule)
                        .cloned()
                        .unwrap_or_else(|| RuleAgainst {
                            rule: st.rule.clone(),
                            ..RuleAgainst::default()
                        });
                    (st, a)
                })
                .collect();
            sort_against(&mut rows, col, desc);
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("rules-against-grid")
                    .striped(true)
                    .show(ui, |ui| {
                        let names = [
                            (Column::Rule, "Rule (on)".to_string()),
                            (Column::Precision, format!("Precision vs {who}")),
                        ];
                        header_ui(ui, app, &names[..1]);
                        ui.label("Suggested");
                        ui.label(format!("Right for {who}"));
                        header_ui(ui, app, &names[1..]);
                        ui.end_row();
                        for (st, a) in &rows {
                            rule_checkbox(ui, st, actions);
                            ui.label(a.suggested.to_string());
                            ui.label(a.right.to_string());
                            ui.label(percent(a.precision()));
                            ui.end_row();
                        }
                    });
            });
        });
    if !open {
        app.rules_panel.open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_precision_descending() {
        let mk = |rule: &str, a, r| RuleStats {
            rule: rule.into(),
            accepted: a,
            rejected: r,
            ..RuleStats::default()
        };
        let mut s = vec![mk("a", 1, 1), mk("b", 3, 0), mk("c", 0, 0)];
        sort_stats(&mut s, Column::Precision, true);
        let order: Vec<&str> = s.iter().map(|x| x.rule.as_str()).collect();
        assert_eq!(order, ["b", "a", "c"]);
    }
}
