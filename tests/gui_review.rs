//! The review loop through the real window, headless (egui_kittest): rules
//! run in the background with F5, suggestions are accepted, rejected,
//! resized and undone from the keyboard in review mode, rule statistics
//! follow, re-runs bring nothing rejected back, Shift+A accepts a rule's
//! suggestions in one step, H hides suggestions, and the rule editor shows
//! parse errors with line and column. Also measures the keystrokes and
//! frames a keyboard review of the example article takes.

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture};

use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use sayso::app::{App, AppEnv, ScriptedDialogs, Settings, example_project};
use sayso::model::{Origin, ReviewState, Span, SpanId};
use sayso::rules::RuleSet;
use sayso::rules::stats::rule_stats;

impl Fixture {
    /// Presses F5 (Shift+F5 for the project) and steps frames until the
    /// background run is applied; returns the frames it took.
    fn run_rules(&mut self, project: bool) -> usize {
        let m = if project {
            Modifiers::SHIFT
        } else {
            Modifiers::NONE
        };
        self.harness.key_press_modifiers(m, Key::F5);
        self.harness.step();
        let t = Instant::now();
        let mut frames = 1;
        while self.app().run.is_some() {
            assert!(t.elapsed() < Duration::from_secs(60), "run never ended");
            std::thread::sleep(Duration::from_millis(2));
            self.harness.step();
            frames += 1;
        }
        let msg = self.app().message.as_ref().map(|m| m.text.clone());
        assert!(
            msg.as_deref().is_some_and(|m| m.contains("rules on")),
            "the run reports: {msg:?}"
        );
        frames
    }

    fn spans(&self) -> &[Span] {
        &self.app().project.documents[0].spans
    }

    fn span(&self, id: SpanId) -> Span {
        self.app().project.documents[0]
            .span(id)
            .expect("span exists")
            .clone()
    }

    fn current(&self) -> SpanId {
        self.app().review_current().expect("a current suggestion").1
    }

    fn count(&self, review: ReviewState) -> usize {
        self.spans().iter().filter(|s| s.review == review).count()
    }
}

fn edited(s: &Span) -> bool {
    matches!(s.origin, Origin::Rule { edited: true, .. })
}

fn rule_of(s: &Span) -> String {
    match &s.origin {
        Origin::Rule { rule, .. } => rule.clone(),
        o => panic!("not a rule suggestion: {o:?}"),
    }
}

#[test]
fn accept_reject_resize_undo_and_rerun_through_the_window() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    let pending = f.count(ReviewState::Suggested);
    assert!(pending >= 5, "the example gets suggestions, got {pending}");

    // Review mode goes to the first suggestion in reading order.
    f.key_mod(Modifiers::COMMAND, Key::R);
    assert!(f.app().review.open);
    let first = f.current();
    let min_start = f
        .spans()
        .iter()
        .filter(|s| s.review == ReviewState::Suggested)
        .map(|s| s.start)
        .min();
    assert_eq!(Some(f.span(first).start), min_start);

    f.key(Key::A);
    let second = f.current();
    assert_ne!(first, second);
    f.key(Key::Enter);
    let third = f.current();
    f.key(Key::X);
    let fourth = f.current();
    assert_eq!(f.span(first).review, ReviewState::Accepted);
    assert_eq!(f.span(second).review, ReviewState::Accepted);
    assert_eq!(f.span(third).review, ReviewState::Rejected);

    // Adjust a boundary of the current suggestion, then accept it.
    let before = f.span(fourth);
    f.key_mod(Modifiers::ALT, Key::ArrowRight);
    let resized = f.span(fourth);
    assert!(resized.end > before.end, "Alt+→ grows the end");
    assert!(edited(&resized));
    f.key(Key::A);
    assert_eq!(f.span(fourth).review, ReviewState::Accepted);
    let total = |f: &Fixture| {
        let st = rule_stats(&f.app().project, None);
        (
            st.iter().map(|s| s.accepted).sum::<usize>(),
            st.iter().map(|s| s.edited).sum::<usize>(),
            st.iter().map(|s| s.rejected).sum::<usize>(),
            st.iter().map(|s| s.pending).sum::<usize>(),
        )
    };
    assert_eq!(total(&f), (3, 1, 1, pending - 4));

    // Undo the last decision: the resized suggestion is pending again,
    // still resized and marked edited.
    f.key_mod(Modifiers::COMMAND, Key::Z);
    let back = f.span(fourth);
    assert_eq!(back.review, ReviewState::Suggested);
    assert_eq!((back.start, back.end), (resized.start, resized.end));
    assert!(edited(&back));
    assert_eq!(total(&f), (2, 0, 1, pending - 3));
    let stats = rule_stats(&f.app().project, None);
    let r = rule_of(&f.span(third));
    assert!(stats.iter().any(|s| s.rule == r && s.rejected == 1));

    // Re-run: nothing rejected comes back, nothing accepted is duplicated.
    let rejected = f.span(third);
    f.run_rules(false);
    assert_eq!(f.span(third).review, ReviewState::Rejected);
    let same = |a: &Span, b: &Span| {
        (a.label.as_str(), a.start, a.end) == (b.label.as_str(), b.start, b.end)
    };
    assert_eq!(f.spans().iter().filter(|s| same(s, &rejected)).count(), 1);
    for id in [first, second] {
        let s = f.span(id);
        assert_eq!(s.review, ReviewState::Accepted);
        assert_eq!(f.spans().iter().filter(|x| same(x, &s)).count(), 1);
    }
    // The project run (Shift+F5) does not either.
    f.run_rules(true);
    assert_eq!(f.span(third).review, ReviewState::Rejected);
    assert_eq!(f.spans().iter().filter(|s| same(s, &rejected)).count(), 1);
}

#[test]
fn shift_a_accepts_a_rules_suggestions_in_one_undo_step() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    f.key_mod(Modifiers::COMMAND, Key::R);
    let rule = rule_of(&f.span(f.current()));
    let of_rule = |f: &Fixture, review: ReviewState| {
        f.spans()
            .iter()
            .filter(|s| {
                s.review == review
                    && matches!(&s.origin, Origin::Rule { rule: r, .. } if *r == rule)
            })
            .count()
    };
    let n = of_rule(&f, ReviewState::Suggested);
    assert!(n >= 1);
    let others = f.count(ReviewState::Suggested) - n;
    f.key_mod(Modifiers::SHIFT, Key::A);
    assert_eq!(of_rule(&f, ReviewState::Accepted), n);
    assert_eq!(f.count(ReviewState::Suggested), others);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(of_rule(&f, ReviewState::Suggested), n);
    assert_eq!(f.count(ReviewState::Accepted), 0);
}

#[test]
fn accepting_a_claim_can_accept_its_speaker() {
    let mut f = fixture(example_project(), None);
    f.harness.state_mut().settings.accept_links_speaker = true;
    f.run_rules(false);
    f.key_mod(Modifiers::COMMAND, Key::R);
    // Walk to a Claim or Stance that links to a pending Speaker.
    let doc = &f.app().project.documents[0];
    let (claim, speaker) = doc
        .relations
        .iter()
        .find(|r| {
            doc.span(r.to)
                .is_some_and(|s| s.review == ReviewState::Suggested)
        })
        .map(|r| (r.from, r.to))
        .expect("a suggested link");
    let mut steps = 0;
    while f.current() != claim {
        f.key(Key::J);
        steps += 1;
        assert!(steps < 200, "claim not reached");
    }
    f.key(Key::A);
    assert_eq!(f.span(claim).review, ReviewState::Accepted);
    assert_eq!(f.span(speaker).review, ReviewState::Accepted);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.span(claim).review, ReviewState::Suggested);
    assert_eq!(f.span(speaker).review, ReviewState::Suggested);
}

#[test]
fn rejecting_a_speaker_in_review_mode_removes_its_pending_links_and_undo_restores_them() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    f.key_mod(Modifiers::COMMAND, Key::R);
    // A pending Speaker that pending Claims or Stances link to.
    let doc = &f.app().project.documents[0];
    let speaker = doc
        .relations
        .iter()
        .find(|r| {
            doc.span(r.to)
                .is_some_and(|s| s.review == ReviewState::Suggested)
        })
        .map(|r| r.to)
        .expect("a suggested link");
    let links = |f: &Fixture| {
        f.app().project.documents[0]
            .relations
            .iter()
            .filter(|r| r.to == speaker)
            .cloned()
            .collect::<Vec<_>>()
    };
    let before = links(&f);
    assert!(!before.is_empty());
    let mut steps = 0;
    while f.current() != speaker {
        f.key(Key::J);
        steps += 1;
        assert!(steps < 200, "speaker not reached");
    }
    f.key(Key::X);
    assert_eq!(f.span(speaker).review, ReviewState::Rejected);
    assert!(links(&f).is_empty(), "{:?}", links(&f));
    for r in &before {
        assert!(
            f.app().project.documents[0].span(r.from).is_some(),
            "the linked spans stay"
        );
    }
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.span(speaker).review, ReviewState::Suggested);
    assert_eq!(links(&f), before);
}

#[test]
fn h_hides_suggestions_and_rejected_ones_are_never_drawn() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    let s = f
        .spans()
        .iter()
        .find(|s| s.review == ReviewState::Suggested)
        .cloned()
        .expect("a suggestion");
    let shown = |f: &mut Fixture, id: SpanId, at: usize| {
        let app = f.harness.state_mut();
        let doc = app.project.documents[0].clone();
        app.view.innermost_span(&doc, at).map(|x| x.id) == Some(id)
    };
    assert!(shown(&mut f, s.id, s.start));
    f.key(Key::H);
    assert!(!f.app().show_pending);
    let app = f.harness.state_mut();
    let doc = app.project.documents[0].clone();
    assert!(app.view.innermost_span(&doc, s.start).is_none());
    f.key(Key::H);
    assert!(shown(&mut f, s.id, s.start));
    // Reject it in review mode: kept in the model, not drawn.
    f.key_mod(Modifiers::COMMAND, Key::R);
    while f.current() != s.id {
        f.key(Key::J);
    }
    f.key(Key::X);
    assert_eq!(f.span(s.id).review, ReviewState::Rejected);
    assert!(!shown(&mut f, s.id, s.start));
}

#[test]
fn rule_editor_shows_parse_errors_with_line_and_column() {
    let mut f = fixture(example_project(), None);
    let broken = "(\n  rules: [\n    (id: \"x\", label: \"Speaker\",, ),\n  ],\n)\n";
    let expected = match RuleSet::from_ron_str(broken, "broken.ron") {
        Err(sayso::rules::RuleError::Syntax { line, column, .. })
        | Err(sayso::rules::RuleError::Rule { line, column, .. }) => (line, column),
        other => panic!("expected a positioned error, got {other:?}"),
    };
    let path = f.dir.path().join("broken.ron");
    std::fs::write(&path, broken).expect("write");
    f.dialogs.answer_open(&path);
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    assert!(f.app().rule_editor.open);
    f.harness.get_by_label("Open…").click();
    f.settle();
    assert_eq!(f.app().rule_editor.text, broken);
    f.harness.get_by_label("Preview").click();
    f.settle();
    f.wait_rule_check();
    let err = f.app().rule_editor.error.clone().expect("an error");
    assert_eq!((err.line, err.column), expected);
    f.harness
        .get_by_label_contains(&format!("line {}, column {}", expected.0, expected.1));
    // "Go to the error" puts the editor's cursor on that line and column.
    f.harness.get_by_label("Go to the error").click();
    f.settle();
    let editor = egui::Id::unique("sayso-rule-text");
    let state = egui::TextEdit::load_state(&f.harness.ctx, editor).expect("editor state");
    let at: usize = state
        .cursor
        .char_range()
        .expect("a cursor")
        .primary
        .index
        .into();
    let want: usize = broken
        .split('\n')
        .take(expected.0 - 1)
        .map(|l| l.chars().count() + 1)
        .sum::<usize>()
        + expected.1
        - 1;
    assert_eq!(
        at, want,
        "the cursor is at line {}, column {}",
        expected.0, expected.1
    );
    assert!(f.harness.ctx.memory(|m| m.has_focus(editor)));
    // Apply refuses it; the active rules stay.
    f.harness.get_by_label("Apply").click();
    f.settle();
    f.wait_rule_check();
    assert!(f.app().message.as_ref().is_some_and(|m| m.error));

    // The bundled rules preview with no change, in the background.
    f.harness.get_by_label("Bundled rules").click();
    f.settle();
    f.harness.get_by_label("Preview").click();
    f.settle();
    f.wait_rule_check();
    let t = Instant::now();
    while f
        .app()
        .rule_editor
        .preview
        .as_ref()
        .is_some_and(|p| p.result.is_none())
    {
        assert!(t.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
        f.harness.step();
    }
    let p = f
        .app()
        .rule_editor
        .preview
        .as_ref()
        .and_then(|p| p.result.clone());
    let p = p.expect("a preview");
    assert!(p.appear.is_empty() && p.disappear.is_empty());
}

/// Keystrokes and frames (headless Harness steps) to review every
/// suggestion of the example article from the keyboard: F5, Ctrl+R, then
/// one key per suggestion (one frame each). Prints the figures.
#[test]
fn keyboard_review_of_the_example_article_measured() {
    let mut f = fixture(example_project(), None);
    let mut keys = 1;
    let run_frames = f.run_rules(false);
    let pending = f.count(ReviewState::Suggested);
    let mut frames = run_frames;
    f.harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    f.harness.step();
    keys += 1;
    frames += 1;
    while f.count(ReviewState::Suggested) > 0 {
        assert!(keys < 3 * pending + 10, "review does not progress");
        f.harness.key_press(Key::A);
        f.harness.step();
        keys += 1;
        frames += 1;
    }
    assert_eq!(f.count(ReviewState::Accepted), pending);

    // With "accepting a Claim/Stance also accepts its Speaker" on.
    let mut g = fixture(example_project(), None);
    g.harness.state_mut().settings.accept_links_speaker = true;
    g.run_rules(false);
    g.harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    g.harness.step();
    let mut linked_keys = 2;
    while g.count(ReviewState::Suggested) > 0 {
        assert!(linked_keys < 3 * pending + 10, "review does not progress");
        g.harness.key_press(Key::A);
        g.harness.step();
        linked_keys += 1;
    }
    println!(
        "REVIEW FIGURES (accept linked Speaker on): {pending} suggestions with {linked_keys} keystrokes"
    );
    println!(
        "REVIEW FIGURES: {pending} suggestions reviewed with {keys} keystrokes \
         (F5, Ctrl+R, {} × A) in {frames} frames ({run_frames} while the rules ran)",
        keys - 2
    );
}

#[test]
fn rules_window_counts_sorts_and_switches_a_rule_off() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    f.key_mod(Modifiers::COMMAND, Key::R);
    let rule = rule_of(&f.span(f.current()));
    f.key(Key::X);
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    assert!(f.app().rules_panel.open);
    f.harness.get_by_label_contains("Rejected").click();
    f.settle();
    assert_eq!(
        f.app().rules_panel.sort,
        sayso::app::rules_panel::Column::Rejected
    );
    // Untick the rule: switched off for the project, one undo step.
    f.harness.get_by_label(&rule).click();
    f.settle();
    assert!(f.app().project.disabled_rules.contains(&rule));
    let stats = rule_stats(&f.app().project, None);
    let st = stats.iter().find(|s| s.rule == rule).expect("stats");
    assert!(st.disabled && st.rejected == 1);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert!(!f.app().project.disabled_rules.contains(&rule));
}

#[test]
fn a_project_run_shows_progress_and_can_be_cancelled() {
    let mut project = example_project();
    let text = project.documents[0].text.as_str().to_owned();
    let docs: Vec<sayso::model::Document> = (1..400)
        .map(|i| sayso::model::Document::new(format!("copy-{i}"), text.clone()))
        .collect();
    sayso::io::import::add_documents_edit(&project, docs)
        .apply(&mut project)
        .expect("add documents");
    let mut f = fixture(project, None);
    f.harness.key_press_modifiers(Modifiers::SHIFT, Key::F5);
    f.harness.step();
    f.harness.step();
    assert!(f.app().run.is_some(), "still running after two frames");
    f.harness.get_by_label("Cancel").click();
    let mut frames = 0;
    let t = Instant::now();
    while f.app().run.is_some() {
        assert!(t.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
        f.harness.step();
        frames += 1;
    }
    assert!(frames >= 1);
    let msg = f.app().message.clone().expect("a message").text;
    assert!(msg.contains("cancelled"), "{msg}");
    let with = |f: &Fixture| {
        f.app()
            .project
            .documents
            .iter()
            .filter(|d| !d.spans.is_empty())
            .count()
    };
    let n = with(&f);
    assert!(n < 400, "cancel stops the run early ({n} documents done)");
    // What finished is applied as one undo step.
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(with(&f), 0);
}

#[test]
fn label_key_relabels_the_current_suggestion_before_accepting() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    f.key_mod(Modifiers::COMMAND, Key::R);
    let mut steps = 0;
    while f.span(f.current()).label != "Speaker" {
        f.key(Key::J);
        steps += 1;
        assert!(steps < 100);
    }
    let id = f.current();
    f.key(Key::C);
    assert_eq!(f.span(id).label, "Claim");
    assert!(edited(&f.span(id)));
    f.key(Key::A);
    assert_eq!(f.span(id).review, ReviewState::Accepted);
    let st = rule_stats(&f.app().project, None);
    assert_eq!(st.iter().map(|s| s.edited).sum::<usize>(), 1);
}

#[test]
fn rule_editor_previews_applies_and_saves_a_change() {
    let mut f = fixture(example_project(), None);
    f.run_rules(false);
    let of_rule = |f: &Fixture| {
        f.spans()
            .iter()
            .filter(|s| rule_of(s) == "participle-claim" && s.review == ReviewState::Suggested)
            .count()
    };
    let before = of_rule(&f);
    assert!(before >= 1);
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    {
        let ed = &mut f.harness.state_mut().rule_editor;
        ed.text = ed.text.replacen(
            "id: \"participle-claim\",",
            "id: \"participle-claim\", enabled: false,",
            1,
        );
    }
    f.harness.get_by_label("Preview").click();
    let t = Instant::now();
    loop {
        f.harness.step();
        let done = f
            .app()
            .rule_editor
            .preview
            .as_ref()
            .is_some_and(|p| p.result.is_some());
        if done {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    f.settle();
    let p = f
        .app()
        .rule_editor
        .preview
        .as_ref()
        .and_then(|p| p.result.clone())
        .expect("preview");
    // With the rule off, another rule may take over a span it covered,
    // but nothing new comes from the rule that was switched off.
    assert!(!p.appear.iter().any(|i| i.rule == "participle-claim"));
    assert!(p.disappear.iter().any(|i| i.rule == "participle-claim"));
    f.harness.get_by_label_contains(&format!(
        "This document: {} would appear, {} would disappear",
        p.appear.len(),
        p.disappear.len()
    ));
    // Nothing changed yet.
    assert_eq!(of_rule(&f), before);
    f.harness.get_by_label("Apply").click();
    f.settle();
    f.wait_rule_check();
    f.run_rules(false);
    assert_eq!(of_rule(&f), 0, "the applied rules withdraw its suggestions");
    // Save the edited rules through the dialogs seam.
    let path = f.dir.path().join("mine.ron");
    f.dialogs.answer_save(&path);
    f.harness.get_by_label("Save as…").click();
    f.settle();
    let saved = std::fs::read_to_string(&path).expect("saved");
    assert!(saved.contains("enabled: false"));
    assert_eq!(f.app().rule_editor.path.as_deref(), Some(path.as_path()));
}

#[test]
fn applied_and_unapplied_rule_edits_survive_a_restart() {
    // Any valid rule text will do: the bundled one with a comment added.
    let applied = format!(
        "{}// edited by the analyst\n",
        include_str!("../assets/rules/en-news.ron")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let env = AppEnv {
        dialogs: Box::new(ScriptedDialogs::new()),
        data_dir: Some(dir.path().to_path_buf()),
        settings: Settings {
            rules_text: Some(applied.clone()),
            rule_draft: Some("RuleFile(name: \"unfinished".into()),
            ..Settings::default()
        },
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1300.0, 820.0))
        .build_eframe(move |cc| App::with_project(cc, example_project(), None, env));
    harness.run_steps(2);
    let app = harness.state();
    assert!(
        app.rule_editor.applied == applied,
        "the applied edits are the rules in use"
    );
    assert_eq!(
        app.rule_editor.text, "RuleFile(name: \"unfinished",
        "the draft is back in the editor"
    );
    assert_eq!(
        app.rule_editor.draft().as_deref(),
        Some("RuleFile(name: \"unfinished")
    );
}

#[test]
fn review_decisions_carry_the_annotator_named_from_the_status_bar() {
    let mut f = fixture(example_project(), None);
    // The status bar shows whose work this is; a click asks for the name.
    f.harness.get_by_label("Annotator: tester").click();
    f.settle();
    assert!(f.app().help.name, "the name window opens");
    // The field has the keyboard with the old name selected: typing
    // replaces it, without a click first.
    f.harness.get_by_label("Your name").type_text("tester-ana");
    f.settle();
    f.harness.get_by_label("Start annotating").click();
    f.settle();
    assert!(!f.app().help.name);
    assert_eq!(f.app().settings.annotator, "tester-ana");
    f.harness.get_by_label("Annotator: tester-ana");

    // Accepting and rejecting stamp the name (one undo step each);
    // undo takes the stamp back with the decision.
    f.run_rules(false);
    f.key_mod(Modifiers::COMMAND, Key::R);
    let first = f.current();
    assert_eq!(
        f.span(first).annotator(),
        None,
        "a pending suggestion is nobody's"
    );
    f.key(Key::A);
    let second = f.current();
    f.key(Key::X);
    assert_eq!(f.span(first).annotator(), Some("tester-ana"));
    assert_eq!(f.span(second).annotator(), Some("tester-ana"));
    assert_eq!(f.span(second).review, ReviewState::Rejected);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.span(second).review, ReviewState::Suggested);
    assert_eq!(f.span(second).annotator(), None);
}

#[test]
fn rule_editor_finds_in_its_text_and_ctrl_f_stays_in_the_editor() {
    let mut f = fixture(example_project(), None);
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    assert!(f.app().rule_editor.open);
    let editor = egui::Id::unique("sayso-rule-text");
    let find = egui::Id::unique("sayso-rule-find");
    // Ctrl+F in the editor goes to the editor's find field, not the document's.
    f.harness.ctx.memory_mut(|m| m.request_focus(editor));
    f.settle();
    f.key_mod(Modifiers::COMMAND, Key::F);
    assert!(f.harness.ctx.memory(|m| m.has_focus(find)));
    assert!(
        f.harness.query_by_label("Find").is_none(),
        "the document's find bar stays closed"
    );

    f.harness
        .get_by_label("Find in rules")
        .type_text("SPEAKER-VERB-THAT");
    f.settle();
    f.key(Key::Enter);
    let text = f.app().rule_editor.text.clone();
    assert_eq!(text, f.app().rule_editor.applied, "finding changes nothing");
    let chars: Vec<char> = text.chars().collect();
    let selected = |f: &Fixture| {
        let state = egui::TextEdit::load_state(&f.harness.ctx, editor).expect("editor state");
        let r = state.cursor.char_range().expect("a selection");
        let (a, b): (usize, usize) = (r.secondary.index.into(), r.primary.index.into());
        (a.min(b), a.max(b))
    };
    let first = selected(&f);
    assert_eq!(
        chars[first.0..first.1].iter().collect::<String>(),
        "speaker-verb-that",
        "case-insensitive, the first match"
    );
    assert!(f.harness.ctx.memory(|m| m.has_focus(editor)));
    // Ctrl+F and Enter again: the next match after the cursor.
    f.key_mod(Modifiers::COMMAND, Key::F);
    assert!(f.harness.ctx.memory(|m| m.has_focus(find)));
    f.key(Key::Enter);
    let second = selected(&f);
    let n = text.matches("speaker-verb-that").count();
    if n > 1 {
        assert!(
            second.0 > first.0,
            "the next match: {second:?} after {first:?}"
        );
    }
    assert_eq!(
        chars[second.0..second.1].iter().collect::<String>(),
        "speaker-verb-that"
    );
}
