//! The default rules on articles written after them (`tests/data/heldout`):
//! a check that they generalise beyond the texts they were tuned on. The
//! thresholds are below the measured figures, to catch regressions.

mod common;

#[test]
fn heldout_articles_score_reasonably() {
    let gold = common::rules::read_gold("heldout/heldout.gold.jsonl");
    assert_eq!(gold.len(), 3);
    let rep = common::rules::run(&gold);
    println!("{rep}");
    for (label, min) in [("Speaker", 0.85), ("Claim", 0.85), ("Stance", 0.75)] {
        assert!(
            rep.label(label).overlap.f1() >= min,
            "{label} overlap F1\n{rep}"
        );
    }
    assert!(
        rep.attribution.value() >= 0.80,
        "attribution accuracy\n{rep}"
    );
}
