//! Running the rules in the background: a `std::thread` computes the
//! suggestions of each document (the slow part) and sends them through a
//! channel; the window polls the channel every frame, shows progress, and
//! when the run ends (or is cancelled) builds one edit on the UI thread with
//! [`suggest_edit_from`](crate::rules::project::suggest_edit_from), so a run
//! is one undo step and never duplicates accepted spans nor brings back
//! rejected ones. Previews of a rule change run the same way.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::model::Project;
use crate::rules::project::{Preview, preview};
use crate::rules::{RuleSet, Suggestions};

/// A message of a running job.
enum Msg {
    /// Document index, name, and its suggestions.
    Doc(usize, String, Suggestions),
    Done,
}

/// A run of the rules over some documents.
pub struct RuleRun {
    rx: Receiver<Msg>,
    cancel: Arc<AtomicBool>,
    pub total: usize,
    /// Finished documents: index, name (checked before applying), suggestions.
    pub finished: Vec<(usize, String, Suggestions)>,
    pub done: bool,
    /// The project generation it was started for.
    pub generation: u64,
    /// The rule set it runs (for withdrawing its stale suggestions).
    pub rules: RuleSet,
}

impl RuleRun {
    /// Starts a thread over `docs` of `project` with `rules` minus the
    /// project's disabled rules.
    pub fn start(project: &Project, rules: &RuleSet, docs: &[usize], generation: u64) -> Self {
        let active = rules.with_disabled(&project.disabled_rules);
        let jobs: Vec<(usize, String, String)> = docs
            .iter()
            .filter_map(|&d| {
                let doc = project.documents.get(d)?;
                Some((d, doc.name.clone(), doc.text.as_str().to_owned()))
            })
            .collect();
        let total = jobs.len();
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        std::thread::spawn(move || {
            for (d, name, text) in jobs {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let s = active.suggest(&text);
                if tx.send(Msg::Doc(d, name, s)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Msg::Done);
        });
        RuleRun {
            rx,
            cancel,
            total,
            finished: Vec::new(),
            done: false,
            generation,
            rules: rules.clone(),
        }
    }

    /// Takes what the thread sent; true when the run is over.
    pub fn poll(&mut self) -> bool {
        loop {
            match self.rx.try_recv() {
                Ok(Msg::Doc(d, name, s)) => self.finished.push((d, name, s)),
                Ok(Msg::Done) | Err(TryRecvError::Disconnected) => {
                    self.done = true;
                    return true;
                }
                Err(TryRecvError::Empty) => return self.done,
            }
        }
    }

    /// Asks the thread to stop after the document it is on.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub fn progress(&self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            self.finished.len() as f32 / self.total as f32
        }
    }
}

/// A preview of a rule change running in the background.
pub struct PreviewRun {
    rx: Receiver<Preview>,
    pub result: Option<Preview>,
}

impl PreviewRun {
    /// Compares `old` and `new` on every document of a copy of `project`.
    pub fn start(project: &Project, old: &RuleSet, new: &RuleSet) -> Self {
        let project = project.clone();
        let (old, new) = (old.clone(), new.clone());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let docs: Vec<usize> = (0..project.documents.len()).collect();
            let _ = tx.send(preview(&project, &old, &new, &docs));
        });
        PreviewRun { rx, result: None }
    }

    /// True when the result is there.
    pub fn poll(&mut self) -> bool {
        if self.result.is_none()
            && let Ok(p) = self.rx.try_recv()
        {
            self.result = Some(p);
        }
        self.result.is_some()
    }
}

impl super::App {
    /// F5 / Shift+F5: runs the active rules over the current document or
    /// the whole project in the background.
    pub fn start_rule_run(&mut self, whole_project: bool) {
        if self.run.is_some() {
            self.info("the rules are running already (Cancel stops them)");
            return;
        }
        let docs: Vec<usize> = if whole_project {
            (0..self.project.documents.len()).collect()
        } else if self.doc < self.project.documents.len() {
            vec![self.doc]
        } else {
            Vec::new()
        };
        if docs.is_empty() {
            self.info("no documents to run the rules on");
            return;
        }
        self.run = Some(RuleRun::start(
            &self.project,
            &self.rules,
            &docs,
            self.generation,
        ));
    }

    /// Takes finished documents; at the end applies one edit.
    pub fn poll_rule_run(&mut self, ctx: &eframe::egui::Context) {
        let Some(run) = &mut self.run else { return };
        if !run.poll() {
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
            return;
        }
        let Some(run) = self.run.take() else { return };
        if run.generation != self.generation {
            return;
        }
        let cancelled = run.cancelled();
        // Only documents that are still where they were.
        let computed: Vec<(usize, Suggestions)> = run
            .finished
            .into_iter()
            .filter(|(d, name, _)| {
                self.project
                    .documents
                    .get(*d)
                    .is_some_and(|x| x.name == *name)
            })
            .map(|(d, _, s)| (d, s))
            .collect();
        let n = computed.len();
        let (edit, summary) =
            crate::rules::project::suggest_edit_from(&mut self.project, &run.rules, computed);
        let changed = summary.added + summary.withdrawn + summary.relations > 0;
        if changed && !self.apply_edit(edit) {
            return;
        }
        let mut text = format!(
            "{}rules on {n} document(s): {} new suggestion(s), {} withdrawn, {} link(s){}",
            if cancelled {
                "cancelled; applied the "
            } else {
                "ran the "
            },
            summary.added,
            summary.withdrawn,
            summary.relations,
            if changed { " (one undo step)" } else { "" }
        );
        for note in &summary.notes {
            text.push_str("; ");
            text.push_str(note);
        }
        self.info(text);
        if self.review.open && self.review_current().is_none() {
            self.review_step(true);
        }
    }
}

/// The progress bar and Cancel of a running job.
pub fn run_progress_ui(ui: &mut eframe::egui::Ui, run: &RuleRun) -> bool {
    let mut cancel = false;
    ui.horizontal(|ui| {
        ui.label(format!(
            "Running the rules: {} of {} document(s)",
            run.finished.len(),
            run.total
        ));
        ui.add(
            eframe::egui::ProgressBar::new(run.progress())
                .desired_width(240.0)
                .show_percentage(),
        );
        if ui.button("Cancel").clicked() {
            cancel = true;
        }
    });
    cancel
}
