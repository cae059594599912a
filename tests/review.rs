//! Review decisions as data: "edited before accepting", rule statistics,
//! switching rules off for a project, and previewing a change of rules.

mod common;

use sayso::model::{Edit, History, Origin, Project, ReviewState, Span, SpanId};
use sayso::rules::RuleSet;
use sayso::rules::project::{preview, suggest_edit};
use sayso::rules::stats::rule_stats;

fn suggested() -> (Project, History) {
    let mut p = common::sample_text_project();
    let mut h = History::new();
    let (edit, _) = suggest_edit(&mut p, &RuleSet::default_en_news(), &[0]);
    h.apply(&mut p, edit).unwrap();
    (p, h)
}

/// Moves a span's end one character on (an edit of the first document).
fn grow_by_one(s: &Span) -> Edit {
    Edit::ResizeSpan {
        doc: 0,
        id: s.id,
        start: s.start,
        end: s.end + 1,
    }
}

fn edited(p: &Project, id: SpanId) -> bool {
    matches!(
        p.documents[0].span(id).unwrap().origin,
        Origin::Rule { edited: true, .. }
    )
}

fn rule_of(p: &Project, id: SpanId) -> String {
    match &p.documents[0].span(id).unwrap().origin {
        Origin::Rule { rule, .. } => rule.clone(),
        o => panic!("{o:?}"),
    }
}

#[test]
fn edits_to_a_pending_suggestion_mark_it_edited_and_undo_unmarks_it() {
    let (mut p, mut h) = suggested();
    let s = p.documents[0].spans[0].clone();
    assert!(!edited(&p, s.id));
    h.apply(&mut p, grow_by_one(&s)).unwrap();
    assert!(edited(&p, s.id));
    h.undo(&mut p).unwrap();
    assert!(!edited(&p, s.id));
    assert_eq!(p.documents[0].span(s.id).unwrap(), &s);
    h.redo(&mut p).unwrap();
    assert!(edited(&p, s.id));
    // Edits after accepting do not count as "edited before accepting".
    let t = p.documents[0].spans[1].clone();
    h.apply(
        &mut p,
        Edit::SetReview {
            doc: 0,
            id: t.id,
            review: ReviewState::Accepted,
        },
    )
    .unwrap();
    h.apply(&mut p, grow_by_one(&t)).unwrap();
    assert!(!edited(&p, t.id));
    // The mark survives saving.
    let back = sayso::project::from_str(&sayso::project::to_string(&p), std::path::Path::new("p"))
        .unwrap();
    assert!(edited(&back, s.id));
}

#[test]
fn rule_statistics_follow_the_review_decisions_and_their_undo() {
    let (mut p, mut h) = suggested();
    let first = p.documents[0].spans[0].clone();
    let rule = rule_of(&p, first.id);
    let same_rule: Vec<SpanId> = p.documents[0]
        .spans
        .iter()
        .filter(|s| rule_of(&p, s.id) == rule)
        .map(|s| s.id)
        .collect();
    assert!(same_rule.len() >= 3, "{rule}: {same_rule:?}");
    let accept = |id| Edit::SetReview {
        doc: 0,
        id,
        review: ReviewState::Accepted,
    };
    h.apply(&mut p, accept(same_rule[0])).unwrap();
    h.apply(
        &mut p,
        Edit::SetReview {
            doc: 0,
            id: same_rule[1],
            review: ReviewState::Rejected,
        },
    )
    .unwrap();
    let s = p.documents[0].span(same_rule[2]).unwrap().clone();
    h.apply(&mut p, grow_by_one(&s)).unwrap();
    h.apply(&mut p, accept(s.id)).unwrap();
    let stats = |p: &Project| {
        rule_stats(p, Some(&RuleSet::default_en_news()))
            .into_iter()
            .find(|r| r.rule == rule)
            .unwrap()
    };
    let st = stats(&p);
    assert_eq!(
        (st.accepted, st.edited, st.rejected, st.pending),
        (2, 1, 1, same_rule.len() - 3)
    );
    assert_eq!(st.precision(), Some(2.0 / 3.0));
    h.undo(&mut p).unwrap();
    let st = stats(&p);
    assert_eq!((st.accepted, st.edited, st.rejected), (1, 0, 1));
    let all = rule_stats(&p, Some(&RuleSet::default_en_news()));
    assert_eq!(
        all.len(),
        RuleSet::default_en_news().rules().len(),
        "every rule listed, used or not"
    );
}

#[test]
fn a_rule_switched_off_for_the_project_withdraws_its_pending_suggestions() {
    let (mut p, mut h) = suggested();
    let rule = rule_of(&p, p.documents[0].spans[0].id);
    let pending_of = |p: &Project| {
        p.documents[0]
            .spans
            .iter()
            .filter(|s| s.review == ReviewState::Suggested && rule_of(p, s.id) == rule)
            .count()
    };
    assert!(pending_of(&p) > 0);
    h.apply(
        &mut p,
        Edit::SetRuleEnabled {
            rule: rule.clone(),
            enabled: false,
        },
    )
    .unwrap();
    assert_eq!(p.disabled_rules, vec![rule.clone()]);
    let (edit, summary) = suggest_edit(&mut p, &RuleSet::default_en_news(), &[0]);
    h.apply(&mut p, edit).unwrap();
    assert!(summary.withdrawn > 0);
    assert_eq!(pending_of(&p), 0);
    assert!(
        rule_stats(&p, None)
            .iter()
            .all(|r| r.rule != rule || r.disabled)
    );
    h.undo(&mut p).unwrap();
    h.undo(&mut p).unwrap();
    assert!(p.disabled_rules.is_empty());
    assert!(pending_of(&p) > 0);
}

#[test]
fn preview_shows_what_a_change_of_rules_would_add_and_remove() {
    let (mut p, _) = suggested();
    let rules = RuleSet::default_en_news();
    let first = p.documents[0].spans[0].id;
    let rule = rule_of(&p, first);
    Edit::SetReview {
        doc: 0,
        id: first,
        review: ReviewState::Rejected,
    }
    .apply(&mut p)
    .unwrap();
    let before = p.clone();

    let without = rules.with_disabled(std::slice::from_ref(&rule));
    let diff = preview(&p, &rules, &without, &[0]);
    // Switching a rule off withdraws its suggestions; a lower-priority rule
    // it overlapped may take the place of one (never the switched-off rule).
    assert!(diff.appear.iter().all(|i| i.rule != rule));
    assert!(!diff.disappear.is_empty());
    assert!(
        diff.disappear
            .iter()
            .all(|i| i.rule == rule && !i.text.is_empty())
    );
    assert!(
        diff.disappear.iter().all(|i| (i.start, i.end) != {
            let s = p.documents[0].span(first).unwrap();
            (s.start, s.end)
        }),
        "a rejected suggestion is decided already"
    );

    let diff = preview(&p, &RuleSet::empty(), &rules, &[0]);
    assert!(diff.disappear.is_empty());
    assert_eq!(
        diff.appear.len(),
        p.documents[0].spans.len() - 1,
        "all but the rejected one"
    );
    assert_eq!(p, before, "a preview changes nothing");
}

#[test]
fn rejecting_a_suggested_speaker_removes_the_links_to_it_in_one_undoable_step() {
    let (mut p, mut h) = suggested();
    let doc = &p.documents[0];
    // A pending Speaker with links from pending suggestions.
    let speaker = doc
        .spans
        .iter()
        .filter(|s| s.label == "Speaker" && s.review == ReviewState::Suggested)
        .find(|s| doc.relations.iter().any(|r| r.to == s.id))
        .expect("the sample gets a linked pending Speaker")
        .id;
    // A Claim the user draws and links by hand to it.
    let free = doc
        .spans
        .iter()
        .filter(|s| s.label == "Claim")
        .map(|s| s.end)
        .max()
        .unwrap();
    let len = doc.text.len_chars();
    let claim = p.new_span_id();
    let hand = sayso::model::Relation {
        from: claim,
        kind: "said_by".into(),
        to: speaker,
    };
    h.apply(
        &mut p,
        Edit::AddSpan {
            doc: 0,
            span: Span::manual(claim, free.min(len - 1), len, "Claim", "ana"),
            relations: vec![hand.clone()],
        },
    )
    .unwrap();
    let before = p.documents.clone();
    let links = |p: &Project| {
        p.documents[0]
            .relations
            .iter()
            .filter(|r| r.to == speaker || r.from == speaker)
            .count()
    };
    let n = links(&p);
    assert!(n >= 2, "rule links and the hand link: {n}");

    let edit = Edit::set_review(&p, 0, speaker, ReviewState::Rejected);
    h.apply(&mut p, edit).unwrap();
    let s = p.documents[0].span(speaker).unwrap();
    assert_eq!(s.review, ReviewState::Rejected);
    assert_eq!(links(&p), 0, "{:?}", p.documents[0].relations);
    assert!(p.documents[0].span(claim).is_some(), "the Claims stay");

    h.undo(&mut p).unwrap();
    assert_eq!(
        p.documents, before,
        "undo brings the speaker and its links back"
    );
    h.redo(&mut p).unwrap();
    assert_eq!(links(&p), 0);

    // An accepted span keeps its links when it is rejected later, and
    // accepting or re-opening never touches links.
    h.undo(&mut p).unwrap();
    let accept = Edit::set_review(&p, 0, speaker, ReviewState::Accepted);
    h.apply(&mut p, accept).unwrap();
    let reject = Edit::set_review(&p, 0, speaker, ReviewState::Rejected);
    h.apply(&mut p, reject).unwrap();
    assert_eq!(links(&p), n);
}
