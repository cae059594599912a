//! Measures `sayso new` on many short documents: reading a JSONL file,
//! adding the documents to a project in one edit (names made unique), and
//! saving it, for 100,000 and 1,000,000 documents. Every tenth document
//! has the same id, so that renaming (`dup-2`, `dup-3`, …) is measured too.
//!
//! Run: `cargo run --release --example bench_import [N...]`

use std::io::Write;
use std::time::Instant;

use sayso::io::import::{ImportOptions, add_documents_edit, import_paths};
use sayso::model::Project;
use sayso::project;

fn main() {
    let parsed: Result<Vec<usize>, _> = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>())
        .collect();
    let sizes = match parsed {
        Ok(v) if !v.is_empty() => v,
        _ => vec![100_000, 1_000_000],
    };
    println!("documents    read JSONL    add (one edit)    save    total    file");
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("docs.jsonl");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&input).expect("create"));
        for i in 0..n {
            let id = if i % 10 == 0 {
                "dup".to_string()
            } else {
                format!("doc-{i}")
            };
            writeln!(
                out,
                "{{\"id\": \"{id}\", \"text\": \"The mayor said on day {i} that the bridge was closed.\"}}"
            )
            .expect("write");
        }
        drop(out);

        let t = Instant::now();
        let imported = import_paths(std::slice::from_ref(&input), ImportOptions::default());
        let read = t.elapsed();
        assert_eq!(
            imported.documents.len(),
            n,
            "{:?}",
            imported.skipped.first()
        );

        let t1 = Instant::now();
        let mut p = Project::default();
        add_documents_edit(&p, imported.documents)
            .apply(&mut p)
            .expect("add");
        let add = t1.elapsed();
        assert_eq!(p.documents.len(), n);

        let t2 = Instant::now();
        let path = dir.path().join("p.sayso");
        project::save(&p, &path).expect("save");
        let save = t2.elapsed();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "{n:>9}    {:>8.2} s    {:>12.2} s    {:>4.2} s    {:>5.2} s    {:.0} MB",
            read.as_secs_f64(),
            add.as_secs_f64(),
            save.as_secs_f64(),
            t.elapsed().as_secs_f64(),
            size as f64 / 1e6
        );
    }
}
