//! Quality of the default rules against reference annotations.

mod common;

#[test]
fn sample_article_meets_the_issue_targets() {
    let gold = common::rules::read_gold("dev/putin-gaza.gold.jsonl");
    // The copy must be the shared sample: same text as the .txt beside it.
    let txt = include_str!("data/dev/putin-gaza.txt");
    assert_eq!(gold[0].text, txt);
    let rep = common::rules::run(&gold);
    println!("{rep}");
    assert!(
        rep.label("Speaker").overlap.f1() >= 0.90,
        "Speaker overlap F1\n{rep}"
    );
    assert!(
        rep.label("Claim").overlap.f1() >= 0.80,
        "Claim overlap F1\n{rep}"
    );
    assert!(
        rep.label("Stance").overlap.f1() >= 0.65,
        "Stance overlap F1\n{rep}"
    );
    assert!(
        rep.attribution.value() >= 0.80,
        "attribution accuracy\n{rep}"
    );
}

#[test]
fn own_articles_score_reasonably() {
    let gold = common::rules::read_gold("own/own.gold.jsonl");
    assert!(gold.len() >= 4);
    let rep = common::rules::run(&gold);
    println!("{rep}");
    assert!(
        rep.label("Speaker").overlap.f1() >= 0.75,
        "Speaker overlap F1\n{rep}"
    );
    assert!(
        rep.label("Claim").overlap.f1() >= 0.75,
        "Claim overlap F1\n{rep}"
    );
    assert!(
        rep.label("Stance").overlap.f1() >= 0.55,
        "Stance overlap F1\n{rep}"
    );
    assert!(
        rep.attribution.value() >= 0.65,
        "attribution accuracy\n{rep}"
    );
}

#[test]
fn gold_files_are_consistent() {
    for file in ["dev/putin-gaza.gold.jsonl", "own/own.gold.jsonl"] {
        for rec in common::rules::read_gold(file) {
            let chars: Vec<char> = rec.text.chars().collect();
            for s in &rec.spans {
                let t: String = chars[s.start..s.end].iter().collect();
                assert_eq!(t, s.text, "{file} {:?} {}", rec.id, s.id);
            }
            for r in &rec.relations {
                assert!(
                    rec.spans.iter().any(|s| s.id == r.from)
                        && rec.spans.iter().any(|s| s.id == r.to)
                );
            }
        }
    }
}
