//! Curation mode through the real window, headless (egui_kittest): a
//! merged project of three annotators (built in code with `team::merge`)
//! opened, curation mode entered with Ctrl+Shift+C, versions picked with
//! the number keys and the buttons, `N` and `A`, boundaries moved with
//! Alt+arrows before deciding, each decision undone with Ctrl+Z; and the
//! rules window comparing the rules with one annotator.

#![cfg(feature = "gui")]

mod common;

use common::gui::{Fixture, fixture};
use common::{Mark, merged_team};

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use sayso::app::Action;
use sayso::model::{Document, Edit, Origin, Project};
use sayso::team::disagreements;

const BUDGET: &str = "Ann Lee said the plan would fail. The minister said more.";
const PORT: &str = "The mayor said the port will reopen in May.";

/// Per annotator: (document, speaker, claim and its mode) as they marked
/// them. ana and ben agree on `budget`, but ben has no claim `more`; cho
/// marks `Ann`, a shorter direct claim and `minister`; on `port` ana
/// marks `The mayor`, cho `mayor`, ben nothing.
fn marks(who: &str) -> Vec<Mark> {
    match who {
        "ana" => vec![
            (0, "Ann Lee", Some(("the plan would fail", "indirect"))),
            (0, "The minister", Some(("more", "direct"))),
            (1, "The mayor", None),
        ],
        "ben" => vec![
            (0, "Ann Lee", Some(("the plan would fail", "indirect"))),
            (0, "The minister", None),
        ],
        _ => vec![
            (0, "Ann", Some(("the plan would", "direct"))),
            (0, "minister", Some(("more", "direct"))),
            (1, "mayor", None),
        ],
    }
}

/// `budget` and `port`, not annotated.
fn corpus() -> Project {
    let mut base = Project::default();
    Edit::AddDocuments {
        at: 0,
        documents: vec![Document::new("budget", BUDGET), Document::new("port", PORT)],
    }
    .apply(&mut base)
    .expect("documents");
    base
}

/// The merged project of ana, ben and cho on `budget` and `port`.
fn team() -> Project {
    team_from(corpus())
}

/// The merged project of ana, ben and cho, who each annotated a copy of
/// `base` (with what it holds).
fn team_from(base: Project) -> Project {
    merged_team(&base, &["ana", "ben", "cho"], marks)
}

/// A curated span: (start, end, label, annotators, curator).
type CuratedSpan = (usize, usize, String, Vec<String>, Option<String>);

impl Fixture {
    fn project(&self) -> &Project {
        &self.app().project
    }

    /// The curated spans of `budget`: (start, end, label, annotators,
    /// curator).
    fn curated(&self) -> Vec<CuratedSpan> {
        self.project().documents[0]
            .spans
            .iter()
            .filter_map(|s| match &s.origin {
                Origin::Curated { annotators } => Some((
                    s.start,
                    s.end,
                    s.label.clone(),
                    annotators.clone(),
                    s.annotator.clone(),
                )),
                _ => None,
            })
            .collect()
    }

    fn left(&self) -> usize {
        disagreements(self.project(), 0).len()
    }

    /// The current disagreement's extent.
    fn current(&mut self) -> (usize, usize) {
        let (_, item) = self
            .harness
            .state_mut()
            .curate_current()
            .expect("a current disagreement");
        (item.start, item.end)
    }

    fn curate(&mut self) {
        self.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
        assert!(self.app().curate.open, "curation mode is on");
    }

    /// Spans of `budget` at `start..end` of `label`, by annotator.
    fn at(&self, start: usize, end: usize, label: &str) -> Vec<String> {
        let mut who: Vec<String> = self.project().documents[0]
            .spans
            .iter()
            .filter(|s| (s.start, s.end) == (start, end) && s.label == label)
            .filter_map(|s| s.annotator().map(str::to_string))
            .collect();
        who.sort();
        who
    }
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_team_project_has_the_disagreements_the_test_needs() {
    let p = team();
    let items = disagreements(&p, 0);
    let extents: Vec<(usize, usize)> = items.iter().map(|i| (i.start, i.end)).collect();
    assert_eq!(extents, [(0, 7), (13, 32), (34, 46), (52, 56)]);
    assert_eq!(items[0].versions[0].annotators, ["ana", "ben"]);
    assert_eq!(items[0].versions[1].annotators, ["cho"]);
    assert_eq!(items[3].versions.len(), 3, "{:?}", items[3]);
    assert_eq!(disagreements(&p, 1).len(), 1);
}

#[test]
fn opening_a_merged_project_offers_curation_mode() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("team.sayso");
    sayso::project::save(&team(), &path).expect("saves");
    let mut f = fixture(sayso::app::example_project(), None);
    f.harness.state_mut().apply(Action::OpenProject(path));
    f.settle();
    let msg = f.app().message.as_ref().map(|m| m.text.clone());
    assert!(
        msg.as_deref().is_some_and(
            |m| m.contains("2 document(s) hold several annotators' work")
                && m.contains("Curation mode (Ctrl+Shift+C)")
        ),
        "{msg:?}"
    );
    // The View menu has the entry.
    f.harness.get_by_label("View").click();
    f.settle();
    f.harness
        .get_by_role_and_label(
            eframe::egui::accesskit::Role::Button,
            "Curation mode Ctrl+Shift+C",
        )
        .click();
    f.settle();
    assert!(f.app().curate.open);
    assert_eq!(f.current(), (0, 7));
}

#[test]
fn key_2_picks_cho_and_ctrl_z_brings_the_item_back() {
    let mut f = fixture(team(), None);
    let before = f.project().documents.clone();
    f.curate();
    assert_eq!(f.left(), 4);
    // The first disagreement is current, its first version selected in the text.
    assert_eq!(f.current(), (0, 7));
    assert_eq!(f.app().curate.version, 0);
    let selected = f.app().view.selected.expect("a span selected");
    let span = f.project().documents[0].span(selected).expect("span");
    assert_eq!((span.start, span.end), (0, 7));
    // The versions side by side, with their buttons.
    f.harness.get_by_label("1 · ana, ben");
    f.harness.get_by_label("2 · cho");
    f.harness.get_by_label("Pick 1");
    f.harness.get_by_label("Keep all");

    f.key(Key::Num2);
    assert_eq!(
        f.curated(),
        [(
            0,
            3,
            "Speaker".to_string(),
            names(&["cho"]),
            Some("tester".to_string())
        )]
    );
    assert!(f.at(0, 7, "Speaker").is_empty(), "ana's and ben's went");
    assert_eq!(f.left(), 3);
    // On to the next one; every claim links to the curated speaker now.
    assert_eq!(f.current(), (13, 32));
    let d = &f.project().documents[0];
    let curated = d
        .spans
        .iter()
        .find(|s| matches!(s.origin, Origin::Curated { .. }))
        .expect("curated")
        .id;
    let claims: Vec<_> = d.spans.iter().filter(|s| s.start == 13).collect();
    assert_eq!(claims.len(), 3);
    for c in claims {
        assert!(
            d.relations
                .iter()
                .any(|r| r.from == c.id && r.to == curated),
            "{c:?} links to the curated speaker"
        );
    }

    // A button does what its key does: Pick 1 on the claim (ana, ben).
    f.harness.get_by_label("Pick 1").click();
    f.settle();
    assert_eq!(f.left(), 2);
    assert_eq!(f.curated().len(), 2);

    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.left(), 3);
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.left(), 4);
    assert_eq!(f.project().documents, before);
    // The item that came back is current again.
    assert_eq!(f.current(), (0, 7));
}

#[test]
fn n_removes_the_item_a_keeps_all_and_undo_restores() {
    let mut f = fixture(team(), None);
    let before = f.project().documents.clone();
    f.curate();
    f.key(Key::N);
    assert!(f.at(0, 7, "Speaker").is_empty() && f.at(0, 3, "Speaker").is_empty());
    assert!(f.curated().is_empty());
    assert_eq!(f.left(), 3);
    assert_eq!(f.current(), (13, 32));
    f.key(Key::A);
    assert_eq!(
        f.curated(),
        [
            (
                13,
                32,
                "Claim".to_string(),
                names(&["ana", "ben"]),
                Some("tester".to_string())
            ),
            (
                13,
                27,
                "Claim".to_string(),
                names(&["cho"]),
                Some("tester".to_string())
            ),
        ]
    );
    assert_eq!(f.left(), 2);
    // K goes back, J forth, without deciding; 0 is none too.
    assert_eq!(f.current(), (34, 46));
    f.key(Key::J);
    assert_eq!(f.current(), (52, 56));
    f.key(Key::K);
    assert_eq!(f.current(), (34, 46));
    f.harness.get_by_label("Next").click();
    f.settle();
    assert_eq!(f.current(), (52, 56));
    f.harness.get_by_label("Previous").click();
    f.settle();
    assert_eq!(f.current(), (34, 46));
    f.key(Key::Num0);
    assert_eq!(f.left(), 1);
    for _ in 0..3 {
        f.key_mod(Modifiers::COMMAND, Key::Z);
    }
    assert_eq!(f.project().documents, before);
}

#[test]
fn alt_arrows_move_the_selected_versions_boundary_before_deciding() {
    let mut f = fixture(team(), None);
    f.curate();
    // Select cho's version of the speaker and grow its end: now all three
    // agree, so the item leaves the queue.
    f.harness.get_by_label("2 · cho").click();
    f.settle();
    assert_eq!(f.app().curate.version, 1);
    f.key_mod(Modifiers::ALT, Key::ArrowRight);
    assert_eq!(f.at(0, 7, "Speaker"), names(&["ana", "ben", "cho"]));
    assert_eq!(f.left(), 3);
    let msg = f.app().message.as_ref().map(|m| m.text.clone());
    assert!(
        msg.as_deref().is_some_and(|m| m.contains("agree here now")),
        "{msg:?}"
    );
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.left(), 4);
    assert_eq!(f.at(0, 3, "Speaker"), names(&["cho"]));
    // The claim: Alt+Shift+→ moves the start a word right for ana and ben
    // alike (their version is selected), as one undo step.
    f.key(Key::J);
    assert_eq!(f.current(), (13, 32));
    assert_eq!(f.app().curate.version, 0);
    f.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(f.at(17, 32, "Claim"), names(&["ana", "ben"]));
    assert_eq!(f.at(13, 27, "Claim"), names(&["cho"]));
    assert_eq!(f.current(), (13, 32), "still one item");
    f.key_mod(Modifiers::COMMAND, Key::Z);
    assert_eq!(f.at(13, 32, "Claim"), names(&["ana", "ben"]));
    // Move it again and pick the version: the curated claim has the new start.
    f.key_mod(Modifiers::ALT | Modifiers::SHIFT, Key::ArrowRight);
    f.key(Key::Num1);
    assert_eq!(
        f.curated(),
        [(
            17,
            32,
            "Claim".to_string(),
            names(&["ana", "ben"]),
            Some("tester".to_string())
        )]
    );
}

#[test]
fn the_whole_project_queue_and_review_mode_exclude_each_other() {
    let mut f = fixture(team(), None);
    f.curate();
    f.harness.get_by_label("Whole project").click();
    f.settle();
    assert!(f.app().curate.whole_project);
    assert_eq!(f.harness.state_mut().curate_queue().len(), 5);
    // Step to the last one, in the second document.
    for _ in 0..4 {
        f.key(Key::J);
    }
    assert_eq!(f.app().doc, 1);
    assert_eq!(f.current(), (0, 9));
    // Review mode closes curation mode; J is review's key there.
    f.key_mod(Modifiers::COMMAND, Key::R);
    assert!(f.app().review.open && !f.app().curate.open);
    f.curate();
    assert!(!f.app().review.open);
}

#[test]
fn the_rules_window_compares_the_rules_with_an_annotator() {
    // The rules never ran on the project: the comparison runs them afresh
    // on ana's documents.
    let rules = sayso::rules::RuleSet::default_en_news();
    let mut f = fixture(team_from(corpus()), None);
    let against = sayso::eval::by_rule::rules_against_annotator(f.project(), "ana", &rules);
    let best = against
        .iter()
        .filter_map(|r| r.precision().map(|p| (r.rule.clone(), p)))
        .next()
        .expect("a rule suggested something in ana's documents");
    f.key_mod(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    assert!(f.app().rules_panel.open);
    f.harness.get_by_label("Compare with:").click();
    f.settle();
    f.harness.get_by_label("annotator ana").click();
    f.settle();
    assert_eq!(f.app().rules_panel.compare.as_deref(), Some("ana"));
    f.harness.get_by_label("Precision vs ana");
    let shown = format!("{:.0}%", best.1 * 100.0);
    assert!(
        !f.harness
            .query_all_by_label(&shown)
            .collect::<Vec<_>>()
            .is_empty(),
        "{} shows {shown}",
        best.0
    );
    // Back to the review decisions.
    f.harness.get_by_label("Compare with:").click();
    f.settle();
    f.harness.get_by_label("review decisions").click();
    f.settle();
    assert_eq!(f.app().rules_panel.compare, None);
}

#[test]
fn the_curation_panel_shares_the_right_column_at_laptop_sizes() {
    use sayso::app::layout::TEXT_MIN;
    for (w, h) in [(1024.0, 700.0), (1300.0, 820.0)] {
        let mut f = common::gui::fixture_sized(team(), None, None, eframe::egui::vec2(w, h));
        f.curate();
        let rects = f.app().panel_rects;
        let text = rects.text.expect("text");
        let (curate, right) = (rects.curate.expect("curate"), rects.right.expect("right"));
        assert!(text.width() >= TEXT_MIN, "at {w}: {text:?}");
        assert!(right.expand(1.0).contains_rect(curate), "at {w}");
        assert!(!curate.intersects(text.shrink(1.0)), "at {w}");
        // Every version's Pick button is there, side by side or stacked.
        f.key(Key::J);
        f.key(Key::J);
        f.key(Key::J);
        assert_eq!(f.current(), (52, 56));
        for k in 1..=3 {
            let pick = f.harness.get_by_label(&format!("Pick {k}")).rect();
            assert!(right.expand(1.0).contains_rect(pick), "Pick {k} at {w}");
        }
    }
}
