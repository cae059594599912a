//! The rules panel: every rule of the active rule set with how many of its
//! suggestions were accepted, edited before accepting, rejected, and are
//! pending, and its precision so far ([`rule_stats`]); sortable by any
//! column, with a checkbox per rule that switches it off for the project
//! (an undoable [`Edit::SetRuleEnabled`]).

use eframe::egui;

use super::{Action, App};
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

#[derive(Default)]
pub struct RulesPanel {
    pub open: bool,
    pub sort: Column,
    pub descending: bool,
    cache: Option<((u64, u64, u64), Vec<RuleStats>)>,
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

/// Draws the rules window.
pub fn rules_panel_ui(ctx: &egui::Context, app: &mut App, actions: &mut Vec<Action>) {
    if !app.rules_panel.open {
        return;
    }
    let mut stats = app.rule_statistics();
    let (col, desc) = (app.rules_panel.sort, app.rules_panel.descending);
    sort_stats(&mut stats, col, desc);
    let mut open = true;
    egui::Window::new("Rules")
        .open(&mut open)
        .default_width(640.0)
        .default_height(420.0)
        .show(ctx, |ui| {
            ui.weak("Counts from the review decisions in this project. Click a header to sort; untick a rule to switch it off for the project (re-run with F5).");
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("rules-grid").striped(true).show(ui, |ui| {
                    for (c, name) in Column::ALL {
                        let arrow = match (c == col, desc) {
                            (true, true) => " v",
                            (true, false) => " ^",
                            _ => "",
                        };
                        if ui.button(format!("{name}{arrow}")).clicked() {
                            if c == col {
                                app.rules_panel.descending = !desc;
                            } else {
                                app.rules_panel.sort = c;
                                app.rules_panel.descending = c != Column::Rule;
                            }
                        }
                    }
                    ui.end_row();
                    for st in &stats {
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
                        ui.label(st.accepted.to_string());
                        ui.label(st.edited.to_string());
                        ui.label(st.rejected.to_string());
                        ui.label(st.pending.to_string());
                        ui.label(
                            st.precision()
                                .map(|p| format!("{:.0}%", p * 100.0))
                                .unwrap_or_else(|| "–".into()),
                        );
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
