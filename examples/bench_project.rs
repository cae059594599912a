//! Measures saving and loading a large project: 2,000 articles (about
//! 10 MB of text) with 100,000 spans and 50,000 relations.
//!
//! Run: `cargo run --release --example bench_project`

use std::time::{Duration, Instant};

use sayso::model::{Document, Edit, Origin, Project, Relation, ReviewState, Span};
use sayso::project;

const SAMPLE: &str = include_str!("putin-gaza.txt");

fn build() -> Project {
    let mut p = Project::default();
    let sentences: Vec<&str> = SAMPLE.split_inclusive(". ").collect();
    let mut docs = Vec::new();
    for i in 0..2000 {
        // About 5 KB per article: the sample plus a rotated part of it.
        let rot = i % sentences.len();
        let mut text = String::new();
        text.push_str(SAMPLE);
        for s in sentences[rot..].iter().chain(&sentences[..rot]).take(12) {
            text.push_str(s);
        }
        let mut doc = Document::new(format!("article-{i:04}"), text);
        let len = doc.text.len_chars();
        for k in 0..50 {
            let id = p.new_span_id();
            let start = (k * 97 + i * 13) % (len - 60);
            let label = ["Speaker", "Claim", "Stance"][k % 3];
            let mut span = Span::manual(id, start, start + 5 + k % 50, label, "bench");
            if k % 2 == 1 {
                span.origin = Origin::Rule {
                    rule: "claim.said_that".into(),
                    confidence: 0.75,
                    explanation: "reporting verb “said” followed by a that-clause".into(),
                    edited: false,
                };
                span.review = ReviewState::Suggested;
            }
            if label == "Speaker" {
                span.attrs.insert("entity".into(), "Vladimir Putin".into());
            }
            doc.spans.push(span);
        }
        doc.spans.sort_by_key(|s| s.sort_key());
        let speakers: Vec<_> = doc
            .spans
            .iter()
            .filter(|s| s.label == "Speaker")
            .map(|s| s.id)
            .collect();
        for (j, claim) in doc.spans.iter().filter(|s| s.label == "Claim").enumerate() {
            doc.relations.push(Relation {
                from: claim.id,
                kind: "said_by".into(),
                to: speakers[j % speakers.len()],
            });
        }
        for (j, stance) in doc
            .spans
            .iter()
            .filter(|s| s.label == "Stance")
            .enumerate()
            .take(8)
        {
            doc.relations.push(Relation {
                from: stance.id,
                kind: "held_by".into(),
                to: speakers[j % speakers.len()],
            });
        }
        doc.relations.sort();
        docs.push(doc);
    }
    let edits = docs
        .into_iter()
        .enumerate()
        .map(|(at, d)| Edit::AddDocument {
            at,
            document: Box::new(d),
        })
        .collect();
    Edit::Batch {
        description: "bench".into(),
        edits,
    }
    .apply(&mut p)
    .expect("valid project");
    p
}

/// Median and best of `n` runs.
fn timed(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[n / 2], times[0])
}

fn main() {
    let p = build();
    let text_mb = p
        .documents
        .iter()
        .map(|d| d.text.as_str().len())
        .sum::<usize>() as f64
        / 1e6;
    let spans: usize = p.documents.iter().map(|d| d.spans.len()).sum();
    let relations: usize = p.documents.iter().map(|d| d.relations.len()).sum();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.sayso");
    project::save(&p, &path).expect("save");
    let file_mb = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let save = timed(7, || {
        project::save(&p, &path).expect("save");
    });
    let mut loaded = None;
    let load = timed(7, || loaded = Some(project::load(&path).expect("load")));
    assert_eq!(loaded.as_ref(), Some(&p));
    println!(
        "project: {} documents, {text_mb:.1} MB of text, {spans} spans, {relations} relations; file {file_mb:.1} MB",
        p.documents.len()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "save (atomic, with .bak): median {:>5.0} ms, best {:>5.0} ms (7 runs)",
        ms(save.0),
        ms(save.1)
    );
    println!(
        "load (parse + validate):  median {:>5.0} ms, best {:>5.0} ms (7 runs)",
        ms(load.0),
        ms(load.1)
    );
}
