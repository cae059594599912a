//! A mutation fuzzer that runs on the stable toolchain (issue 14: no
//! nightly, no `cargo fuzz`).
//!
//! ```sh
//! cargo build --profile fuzz --no-default-features --example fuzz
//! nice -n 19 target/fuzz/examples/fuzz TARGET MINUTES [--out DIR] [--seed N]
//! ```
//!
//! The `fuzz` profile (`Cargo.toml`) is a release build with overflow checks
//! and debug assertions: an integer overflow panics (a finding) instead of
//! wrapping as it does in `--release`.
//!
//! Targets: `project` (the `.sayso` loader, and save/load of what loaded),
//! `jsonl` and `doccano` (annotated imports, plus `sayso new` of JSONL),
//! `brat` (a `.txt`/`.ann` folder, with and without the bundled mapping),
//! `brat-zip`, `text` (text files of any encoding), `rules` (rule files:
//! RON and spaCy `patterns.jsonl`, then a run of what loaded) and `stream`
//! (`suggest --jsonl` in the library). `all` runs each in turn.
//!
//! The seeds are real files of the repository: `examples/`, `tests/data`,
//! `assets/`, and what Sayso's own exports make of them (doccano, brat
//! folders and zips). Each input is mutated by byte flips, inserts,
//! deletes, splices with another input, duplications, truncation, deep
//! nesting, huge numbers, Unicode and format tokens; an input whose outcome
//! (error kind, counts) was not seen before joins the corpus, a cheap
//! stand-in for coverage.
//!
//! Each input runs in a worker thread with a 2 MB stack under
//! `catch_unwind` (a panic is a finding) and a watchdog (no answer within
//! the timeout is a hang). The worker runs in a child process under a
//! memory limit, so that a stack overflow, an abort or running out of
//! memory is a finding too: the child writes each input to `OUT/current`
//! before running it, and the parent keeps that file when the child dies.
//! Findings go to `OUT/TARGET/` (default `fuzz-out/`), one file per
//! distinct finding, and are listed at the end with the number of
//! executions.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sayso::io::annotated::{self, ReadOptions};
use sayso::io::formats::Format;
use sayso::io::import::{self, ImportOptions};
use sayso::io::mapping::Mapping;
use sayso::io::record::Record;
use sayso::model::Project;
use sayso::project;
use sayso::rules::RuleSet;

const TARGETS: [&str; 8] = [
    "project", "jsonl", "doccano", "brat", "brat-zip", "text", "rules", "stream",
];
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_INPUT: usize = 1 << 20;
const MAX_CORPUS: usize = 4096;
/// Virtual memory of the child, in KB (`ulimit -v`).
const MEMORY_KB: u64 = 4 << 20;
const BRAT_SEPARATOR: &[u8] = b"\n\x01=====ANN=====\n";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..])
    } else {
        parent(&args)
    };
    if let Err(e) = result {
        eprintln!("fuzz: {e}");
        std::process::exit(2);
    }
}

fn usage() -> String {
    format!(
        "usage: fuzz TARGET MINUTES [--out DIR] [--seed N]; TARGET is one of {} or all",
        TARGETS.join(", ")
    )
}

// ---------------------------------------------------------------- parent

fn parent(args: &[String]) -> Result<(), String> {
    let (Some(target), Some(minutes)) = (args.first(), args.get(1)) else {
        return Err(usage());
    };
    let minutes: f64 = minutes.parse().map_err(|_| usage())?;
    let mut out = PathBuf::from("fuzz-out");
    let mut seed: u64 = 0x5eed_5a75_0000_0001 ^ u64::from(std::process::id());
    let mut rest = args[2..].iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--out" => out = rest.next().ok_or_else(usage)?.into(),
            "--seed" => seed = rest.next().and_then(|s| s.parse().ok()).ok_or_else(usage)?,
            _ => return Err(usage()),
        }
    }
    let targets: Vec<&str> = if target == "all" {
        TARGETS.to_vec()
    } else if TARGETS.contains(&target.as_str()) || target == "selftest" {
        vec![target.as_str()]
    } else {
        return Err(usage());
    };
    let mut report = Vec::new();
    for t in targets {
        report.push(run_target(t, minutes, &out, seed)?);
    }
    println!("\ntarget      executions  minutes  exec/s  findings");
    for (t, execs, secs, found) in &report {
        println!(
            "{t:<10} {execs:>11} {:>8.1} {:>7.0}  {}",
            secs / 60.0,
            *execs as f64 / secs.max(1e-9),
            found.len()
        );
        for f in found {
            println!("    {f}");
        }
    }
    Ok(())
}

type Report = (String, u64, f64, Vec<String>);

fn run_target(target: &str, minutes: f64, out: &Path, seed: u64) -> Result<Report, String> {
    let dir = out.join(target);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let total = Duration::from_secs_f64(minutes * 60.0);
    let mut execs = 0u64;
    let mut found: Vec<String> = Vec::new();
    let mut round = 0u64;
    let mut deaths = 0u64;
    // The most distinct outcomes and corpus inputs one child reached.
    let (mut shapes, mut grown) = (0usize, 0usize);
    // The first seed the next child runs as it is: a child that dies on a
    // seed is followed by one that starts after it.
    let mut next_seed = 0usize;
    let mut died_of: HashSet<String> = HashSet::new();
    let mut last_print = Instant::now();
    eprintln!(
        "fuzz: {target} for {minutes} minute(s), findings in {}",
        dir.display()
    );
    while start.elapsed() < total {
        round += 1;
        let left = total.saturating_sub(start.elapsed()).as_secs_f64();
        let current = dir.join(format!("current-{}", std::process::id()));
        // The memory limit is set by the shell that starts the child.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_KB} 2>/dev/null; exec \"$0\" \"$@\""
            ))
            .arg(&exe)
            .arg("--child")
            .arg(target)
            .arg(format!("{left}"))
            .arg(&dir)
            .arg(&current)
            .arg(format!(
                "{}",
                seed.wrapping_add(round.wrapping_mul(0x9e37_79b9))
            ))
            .arg(format!("{next_seed}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the child: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        // The child's last words (a stack overflow, a failed allocation).
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let last_words = std::thread::spawn(move || {
            let mut last = Vec::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !line.trim().is_empty() {
                    last.push(line);
                }
                if last.len() > 4 {
                    last.remove(0);
                }
            }
            last.join(" / ")
        });
        let mut child_execs = 0u64;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("seed ") {
                next_seed = n.trim().parse::<usize>().map_or(next_seed, |i| i + 1);
            } else if let Some(n) = line.strip_prefix("outcomes ") {
                let mut it = n.split(' ').filter_map(|x| x.parse::<usize>().ok());
                if let (Some(o), Some(c)) = (it.next(), it.next()) {
                    shapes = shapes.max(o);
                    grown = grown.max(c);
                }
            } else if let Some(n) = line.strip_prefix("execs ") {
                child_execs = n.trim().parse().unwrap_or(child_execs);
            } else if let Some(f) = line.strip_prefix("found ") {
                eprintln!("fuzz: {target}: {f}");
                found.push(f.to_string());
            }
            if last_print.elapsed() > Duration::from_secs(60) {
                last_print = Instant::now();
                eprintln!(
                    "fuzz: {target}: {} executions in {:.1} min, {} finding(s)",
                    execs + child_execs,
                    start.elapsed().as_secs_f64() / 60.0,
                    found.len()
                );
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        // A child that died left its work folder (`sh` exec'd it: same id).
        let _ = std::fs::remove_dir_all(
            std::env::temp_dir().join(format!("sayso-fuzz-{}", child.id())),
        );
        let last_words = last_words.join().unwrap_or_default();
        execs += child_execs;
        match status.code() {
            Some(0) => {}
            // A hang: the child saved the input and left (its worker cannot
            // be stopped otherwise); a new child goes on.
            Some(3) => {}
            _ => {
                // Died: a stack overflow, an abort, out of memory. The
                // first input of each kind of death is kept.
                deaths += 1;
                let kind = death_kind(&last_words, &status.to_string());
                if died_of.insert(kind.clone()) {
                    let name = format!("crash-died-{round}");
                    let kept = dir.join(&name);
                    let what = match std::fs::rename(&current, &kept) {
                        Ok(()) => format!("{name}: the process died: {kind}"),
                        Err(_) => format!("the process died ({kind}), its input was not kept"),
                    };
                    eprintln!("fuzz: {target}: {what}");
                    found.push(what);
                }
            }
        }
        let _ = std::fs::remove_file(&current);
        if found.len() > 50 || deaths > 1000 {
            eprintln!("fuzz: {target}: too many findings, stopping");
            break;
        }
    }
    if deaths > 0 {
        found.push(format!("{deaths} death(s) of the process in all"));
    }
    eprintln!(
        "fuzz: {target}: {execs} executions, {shapes} distinct outcomes, a corpus of {grown} inputs"
    );
    Ok((
        target.to_string(),
        execs,
        start.elapsed().as_secs_f64(),
        found,
    ))
}

// ----------------------------------------------------------------- child

static PANIC: Mutex<Option<String>> = Mutex::new(None);

fn child(args: &[String]) -> Result<(), String> {
    let [target, seconds, dir, current, seed, first_seed] = args else {
        return Err(usage());
    };
    let first_seed: usize = first_seed.parse().map_err(|_| usage())?;
    let seconds: f64 = seconds.parse().map_err(|_| usage())?;
    let dir = PathBuf::from(dir);
    let seed: u64 = seed.parse().map_err(|_| usage())?;
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut p) = PANIC.lock() {
            *p = Some(format!("{place}: {msg}"));
        }
    }));
    let work = std::env::temp_dir().join(format!("sayso-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let seeds = seeds(target, &work)?;
    if seeds.is_empty() {
        return Err(format!("no seeds for {target}"));
    }
    let tokens = tokens(target);
    let mut rng = Rng(seed | 1);
    let mut corpus: Vec<Vec<u8>> = seeds.clone();
    let mut outcomes: HashSet<String> = HashSet::new();
    let mut known: HashSet<String> = HashSet::new();
    let mut current = std::fs::File::create(current).map_err(|e| e.to_string())?;

    let (to_worker, inputs) = mpsc::channel::<Vec<u8>>();
    let (to_main, results) = mpsc::channel::<Result<String, String>>();
    let target_name = target.clone();
    let worker_dir = work.clone();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let t = Target::new(&target_name, worker_dir);
            for input in inputs {
                let r = catch_unwind(AssertUnwindSafe(|| t.run(&input)));
                let r = r.map_err(|_| {
                    PANIC
                        .lock()
                        .ok()
                        .and_then(|mut p| p.take())
                        .unwrap_or_else(|| "a panic".into())
                });
                if to_main.send(r).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| e.to_string())?;

    let start = Instant::now();
    let mut execs = 0u64;
    let mut last = Instant::now();
    // The seeds run first, as they are (in the first child only: one that
    // kills the process would kill every new child).
    let mut queue: Vec<(usize, Vec<u8>)> = seeds.into_iter().enumerate().skip(first_seed).collect();
    queue.reverse();
    while start.elapsed().as_secs_f64() < seconds {
        let input = match queue.pop() {
            Some((i, seed)) => {
                println!("seed {i}");
                let _ = std::io::stdout().flush();
                seed
            }
            None => {
                let base = &corpus[rng.below(corpus.len())];
                let other = &corpus[rng.below(corpus.len())];
                mutate(base, other, &tokens, &mut rng)
            }
        };
        // Kept where the parent finds it if this input kills the process.
        let _ = current.set_len(0);
        let _ = std::io::Seek::rewind(&mut current);
        let _ = current.write_all(&input);
        to_worker.send(input.clone()).map_err(|e| e.to_string())?;
        execs += 1;
        match results.recv_timeout(TIMEOUT) {
            Ok(Ok(outcome)) => {
                if outcomes.len() < 100_000 && outcomes.insert(outcome) && corpus.len() < MAX_CORPUS
                {
                    corpus.push(input);
                }
            }
            Ok(Err(panic)) => {
                let key = panic.split(": ").next().unwrap_or("").to_string();
                if known.insert(key) {
                    let name = format!("crash-panic-{}-{execs}", std::process::id());
                    let _ = std::fs::write(dir.join(&name), &input);
                    println!("found {name}: {}", one_line(&panic));
                }
            }
            Err(_) => {
                let name = format!("hang-{}-{execs}", std::process::id());
                let _ = std::fs::write(dir.join(&name), &input);
                println!(
                    "found {name}: no answer within {} s ({} bytes)",
                    TIMEOUT.as_secs(),
                    input.len()
                );
                println!("execs {execs}");
                let _ = std::io::stdout().flush();
                let _ = std::fs::remove_dir_all(&work);
                std::process::exit(3);
            }
        }
        if last.elapsed() > Duration::from_secs(1) {
            last = Instant::now();
            println!("outcomes {} {}", outcomes.len(), corpus.len());
            println!("execs {execs}");
            let _ = std::io::stdout().flush();
        }
    }
    println!("execs {execs}");
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// What killed the child, from its last words or its exit status.
fn death_kind(last_words: &str, status: &str) -> String {
    for kind in [
        "overflowed its stack",
        "memory allocation",
        "fatal runtime error",
    ] {
        if let Some(i) = last_words.find(kind) {
            return one_line(&last_words[i..]).chars().take(120).collect();
        }
    }
    status.to_string()
}

fn one_line(s: &str) -> String {
    let s: String = s.chars().take(300).collect();
    s.replace('\n', "\\n")
}

// --------------------------------------------------------------- targets

struct Target {
    name: String,
    dir: PathBuf,
    rules: RuleSet,
    mapping: Option<Mapping>,
    sample: String,
    flip: std::cell::Cell<bool>,
}

/// The shape of a message: digits and quoted parts blurred, so that the
/// same error at another place is the same outcome.
fn shape(msg: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in msg.chars().take(160) {
        if c == '"' || c == '`' {
            quoted = !quoted;
            out.push(c);
        } else if !quoted {
            out.push(if c.is_ascii_digit() { '#' } else { c });
        }
    }
    out
}

fn skipped_shape(skipped: &[import::Skipped]) -> String {
    let mut kinds: Vec<String> = skipped
        .iter()
        .map(|s| shape(&s.reason).chars().take(40).collect())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds.join("|")
}

/// What is saved must load again, equal: the guarantee that loading and
/// saving never change data.
fn round_trip(p: &Project, what: &str) {
    let text = project::to_string(p);
    let q = project::from_str(&text, Path::new("round-trip.sayso"))
        .unwrap_or_else(|e| panic!("{what}: the saved project does not load: {e}"));
    let again = project::to_string(&q);
    assert!(
        again == text,
        "{what}: a second save differs from the first"
    );
}

fn spans(p: &Project) -> usize {
    p.documents.iter().map(|d| d.spans.len()).sum()
}

impl Target {
    fn new(name: &str, dir: PathBuf) -> Target {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Target {
            name: name.to_string(),
            dir,
            rules: RuleSet::default_en_news(),
            mapping: Mapping::load(&root.join("assets/mappings/polnear.ron")).ok(),
            sample: std::fs::read_to_string(root.join("tests/data/own/port-strike.txt"))
                .unwrap_or_default(),
            flip: std::cell::Cell::new(false),
        }
    }

    fn run(&self, data: &[u8]) -> String {
        let flip = !self.flip.get();
        self.flip.set(flip);
        match self.name.as_str() {
            "project" => self.project(data),
            "jsonl" => self.annotated(data, Format::Jsonl, "in.jsonl", flip),
            "doccano" => self.annotated(data, Format::Doccano, "in.jsonl", flip),
            "brat" => self.brat(data, flip),
            "brat-zip" => self.brat_zip(data),
            "text" => self.text(data, flip),
            "rules" => self.rules(data),
            "stream" => self.stream(data, flip),
            "selftest" => selftest(data),
            _ => String::new(),
        }
    }

    fn project(&self, data: &[u8]) -> String {
        let Ok(src) = std::str::from_utf8(data) else {
            // What `project::load` does with bytes that are not UTF-8.
            let path = self.dir.join("p.sayso");
            let _ = std::fs::write(&path, data);
            return match project::load(&path) {
                Ok(_) => "ok-not-utf8".into(),
                Err(e) => format!("err {}", shape(&e.to_string())),
            };
        };
        match project::from_str(src, Path::new("p.sayso")) {
            Err(e) => format!("err {}", shape(&e.to_string())),
            Ok(p) => {
                round_trip(&p, "a loaded project");
                let counts = p.label_counts().len();
                for d in &p.documents {
                    let _ = sayso::io::export::document_record(d);
                }
                format!("ok {} {} {counts}", p.documents.len(), spans(&p).min(8))
            }
        }
    }

    fn apply_plan(&self, paths: &[PathBuf], format: Format, options: &ReadOptions) -> String {
        let read = annotated::read_with(format, paths, options);
        let mut p = Project::default();
        let skipped = skipped_shape(&read.skipped);
        let plan = annotated::plan(&mut p, read.sources, read.skipped);
        let (docs, n) = (plan.documents, plan.spans);
        if let Err(e) = plan.edit.apply(&mut p) {
            panic!("an import plan does not apply: {e}");
        }
        round_trip(&p, "an imported project");
        format!("ok {docs} {} {skipped}", n.min(8))
    }

    fn annotated(&self, data: &[u8], format: Format, name: &str, new_too: bool) -> String {
        let path = self.dir.join(name);
        let _ = std::fs::write(&path, data);
        let mut outcome =
            self.apply_plan(std::slice::from_ref(&path), format, &ReadOptions::default());
        if new_too && format == Format::Jsonl {
            outcome.push_str(&self.new_project(&path, ImportOptions::default()));
        }
        outcome
    }

    /// `sayso new` of one file.
    fn new_project(&self, path: &Path, options: ImportOptions) -> String {
        let imported = import::import_paths(&[path.to_path_buf()], options);
        let mut p = Project::default();
        let n = imported.documents.len();
        let edit = import::add_documents_edit(&p, imported.documents);
        if let Err(e) = edit.apply(&mut p) {
            panic!("adding imported documents fails: {e}");
        }
        round_trip(&p, "a new project");
        format!(
            " new {n} {} {}",
            imported.warnings.len(),
            skipped_shape(&imported.skipped)
        )
    }

    fn brat(&self, data: &[u8], mapped: bool) -> String {
        let (txt, ann) = match find(data, BRAT_SEPARATOR) {
            Some(at) => (&data[..at], &data[at + BRAT_SEPARATOR.len()..]),
            None => (&b""[..], data),
        };
        let folder = self.dir.join("brat");
        let _ = std::fs::remove_dir_all(&folder);
        let _ = std::fs::create_dir_all(&folder);
        let _ = std::fs::write(folder.join("doc.txt"), txt);
        let _ = std::fs::write(folder.join("doc.ann"), ann);
        let options = ReadOptions {
            mapping: if mapped { self.mapping.clone() } else { None },
            ..ReadOptions::default()
        };
        self.apply_plan(&[folder], Format::Brat, &options)
    }

    fn brat_zip(&self, data: &[u8]) -> String {
        let path = self.dir.join("in.zip");
        let _ = std::fs::write(&path, data);
        let options = ReadOptions {
            max_unzipped_mb: Some(1),
            ..ReadOptions::default()
        };
        self.apply_plan(&[path], Format::Brat, &options)
    }

    fn text(&self, data: &[u8], chosen: bool) -> String {
        let path = self.dir.join("in.txt");
        let _ = std::fs::write(&path, data);
        let options = ImportOptions {
            encoding: chosen.then_some(encoding_rs::SHIFT_JIS),
        };
        self.new_project(&path, options)
    }

    fn rules(&self, data: &[u8]) -> String {
        let src = String::from_utf8_lossy(data);
        let patterns = src.trim_start().starts_with('{');
        let loaded = if patterns {
            RuleSet::from_patterns_jsonl(&src, "p.jsonl")
        } else {
            RuleSet::from_ron_str(&src, "r.ron")
        };
        match loaded {
            Err(e) => format!("err {patterns} {}", shape(&e.to_string())),
            Ok(r) => {
                let s = r.suggest(&self.sample);
                format!(
                    "ok {patterns} {} {} {}",
                    r.rules().len().min(16),
                    s.spans.len().min(16),
                    s.relations.len().min(8)
                )
            }
        }
    }

    fn stream(&self, data: &[u8], parallel: bool) -> String {
        let mut out = Vec::new();
        let summary = if parallel {
            sayso::rules::jsonl::suggest_jsonl_parallel(
                &self.rules,
                Cursor::new(data),
                &mut out,
                "in.jsonl",
                4,
            )
        } else {
            sayso::rules::jsonl::suggest_jsonl(&self.rules, Cursor::new(data), &mut out, "in.jsonl")
        };
        match summary {
            Err(e) => format!("err {}", shape(&e.to_string())),
            Ok(s) => {
                let mut lines = 0;
                for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                    lines += 1;
                    if let Err(e) = serde_json::from_slice::<serde_json::Value>(line) {
                        panic!("suggest --jsonl wrote a line that is not JSON: {e}");
                    }
                }
                assert_eq!(lines, s.records_written, "records written and lines differ");
                // Each line written is the record that `suggest_record`
                // makes of its input line, as serde writes it (the stream
                // writes it without making it).
                let want: Vec<String> = data
                    .split(|&b| b == b'\n')
                    .filter_map(|l| std::str::from_utf8(l).ok())
                    .filter_map(|l| serde_json::from_str::<Record>(l.trim()).ok())
                    .map(|rec| {
                        let rec = sayso::rules::suggest_record(&self.rules, rec).0;
                        serde_json::to_string(&rec).unwrap_or_default()
                    })
                    .collect();
                let got: Vec<&[u8]> = out
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .collect();
                assert_eq!(
                    got.len(),
                    want.len(),
                    "records written and records read differ"
                );
                for (g, w) in got.iter().zip(&want) {
                    assert!(
                        *g == w.as_bytes(),
                        "a streamed record differs from the merged record"
                    );
                }
                let mut bad: Vec<String> = s
                    .bad_lines
                    .iter()
                    .map(|b| shape(&b.message).chars().take(40).collect())
                    .collect();
                bad.sort();
                bad.dedup();
                format!(
                    "ok {} {} {}",
                    s.records_written.min(4),
                    s.spans_suggested.min(16),
                    bad.join("|")
                )
            }
        }
    }
}

/// The `selftest` target: shows that the harness finds a panic, a hang
/// and a stack overflow (each seed is one of them).
fn selftest(data: &[u8]) -> String {
    fn deep(n: u64) -> u64 {
        let pad = std::hint::black_box([n; 64]);
        if n == 0 { pad[0] } else { deep(n - 1) + pad[1] }
    }
    match data {
        b"panic" => panic!("the selftest panics"),
        b"hang" => loop {
            std::thread::sleep(Duration::from_millis(100));
        },
        b"overflow" => deep(u64::MAX).to_string(),
        _ => "ok".into(),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ----------------------------------------------------------------- seeds

fn read_all(root: &Path, rel: &[&str]) -> Vec<Vec<u8>> {
    rel.iter()
        .filter_map(|r| std::fs::read(root.join(r)).ok())
        .collect()
}

/// The gold files imported into a project, for the seeds that exports make.
fn gold_project(root: &Path) -> Project {
    let paths: Vec<PathBuf> = [
        "tests/data/dev/putin-gaza.gold.jsonl",
        "tests/data/own/own.gold.jsonl",
        "tests/data/heldout/heldout.gold.jsonl",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    let read = annotated::read_with(Format::Jsonl, &paths, &ReadOptions::default());
    let mut p = Project::default();
    let plan = annotated::plan(&mut p, read.sources, read.skipped);
    let _ = plan.edit.apply(&mut p);
    p
}

fn export(p: &Project, format: Format, out: &Path) -> Result<(), String> {
    let mut options = sayso::io::export::ExportOptions::new(format);
    options.force = true;
    sayso::io::export::export(p, &options, out, None, &mut |_, _| {})
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn seeds(target: &str, work: &Path) -> Result<Vec<Vec<u8>>, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golds = [
        "tests/data/dev/putin-gaza.gold.jsonl",
        "tests/data/own/own.gold.jsonl",
        "tests/data/heldout/heldout.gold.jsonl",
    ];
    let texts = [
        "examples/putin-gaza.txt",
        "tests/data/heldout/car-forecast.txt",
        "tests/data/heldout/hospital-visits.txt",
        "tests/data/heldout/phone-ruling.txt",
        "tests/data/own/corridor-talks.txt",
        "tests/data/own/port-strike.txt",
        "tests/data/own/rate-rise.txt",
        "tests/data/own/water-plan.txt",
    ];
    let mut out = Vec::new();
    match target {
        "project" => {
            out = read_all(root, &["examples/putin-gaza.sayso"]);
            out.push(project::to_string(&gold_project(root)).into_bytes());
        }
        "jsonl" | "stream" => {
            out = read_all(root, &golds);
            // Records that are one line of a gold file each: small inputs.
            for gold in read_all(root, &golds) {
                out.extend(
                    gold.split(|&b| b == b'\n')
                        .filter(|l| !l.is_empty())
                        .map(<[u8]>::to_vec),
                );
            }
        }
        "doccano" => {
            let path = work.join("seed-doccano.jsonl");
            export(&gold_project(root), Format::Doccano, &path)?;
            let all = std::fs::read(&path).map_err(|e| e.to_string())?;
            out.extend(
                all.split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
            out.push(all);
        }
        "brat" => {
            let dir = work.join("seed-brat");
            export(&gold_project(root), Format::Brat, &dir)?;
            let mut anns: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ann"))
                .collect();
            anns.sort();
            for ann in anns {
                let mut seed = std::fs::read(ann.with_extension("txt")).unwrap_or_default();
                seed.extend_from_slice(BRAT_SEPARATOR);
                seed.extend(std::fs::read(&ann).unwrap_or_default());
                out.push(seed);
            }
        }
        "brat-zip" => {
            let p = gold_project(root);
            let path = work.join("seed.zip");
            export(&p, Format::Brat, &path)?;
            out.push(std::fs::read(&path).map_err(|e| e.to_string())?);
            // A small zip of one document.
            let mut one = p.clone();
            one.documents.truncate(1);
            export(&one, Format::Brat, &path)?;
            out.push(std::fs::read(&path).map_err(|e| e.to_string())?);
        }
        "text" => {
            out = read_all(root, &texts);
            if let Some(t) = out.first().cloned() {
                let s = String::from_utf8_lossy(&t);
                let mut le = vec![0xff, 0xfe];
                le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
                out.push(le);
                let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&s);
                out.push(latin.into_owned());
                out.push(s.replace('\n', "\r\n").into_bytes());
            }
        }
        "rules" => {
            out = read_all(
                root,
                &["assets/rules/en-news.ron", "examples/patterns.jsonl"],
            );
            // Each rule of the bundled file alone, with its lexicons: small
            // inputs mutate faster.
            if let Some(small) = small_rule_file(&out[0]) {
                out.push(small);
            }
        }
        "selftest" => {
            out = vec![
                b"fine".to_vec(),
                b"panic".to_vec(),
                b"hang".to_vec(),
                b"overflow".to_vec(),
            ]
        }
        _ => return Err(usage()),
    }
    for s in &mut out {
        s.truncate(MAX_INPUT);
    }
    Ok(out)
}

/// The bundled rule file with all rules but the first few removed (as
/// text: everything between `rules: [` and its end).
fn small_rule_file(src: &[u8]) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(src).ok()?;
    let start = s.find("rules: [")? + "rules: [".len();
    // Keep the first three rules: cut after the third `    ),` at rule depth.
    let mut cut = start;
    for _ in 0..3 {
        cut += s[cut..].find("\n    ),")? + "\n    ),".len();
    }
    let end = s.rfind(']')?;
    let mut out = String::new();
    out.push_str(&s[..cut]);
    out.push('\n');
    out.push_str(&s[end..]);
    Some(out.into_bytes())
}

// ------------------------------------------------------------- mutations

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn tokens(target: &str) -> Vec<&'static [u8]> {
    let mut t: Vec<&'static [u8]> = vec![
        b"\"", b"\\", b"\n", b"\r\n", b"\0", b" ", b"{", b"}", b"[", b"]", b"(", b")", b",", b":",
        b"null", b"true", b"-1", b"0", b"1e999", b"NaN", b"\\u0000", b"\\ud800",
    ];
    match target {
        "project" | "rules" => t.extend([
            &b"r#\""[..],
            b"\"#",
            b"Some(",
            b"None",
            b"inf",
            b"-inf",
            b"0x",
            b"b'",
            b"'\\0'",
            b"//",
            b"/*",
            b"*/",
            b"#![enable(implicit_some)]",
            b"Any(",
            b"op: \"*\"",
            b"op: \"{0,40}\"",
            b"op: \"+\"",
            b"regex: \"(a|b)*\"",
            b"\"LOWER\"",
            b"\"OP\"",
            b"\"IN\"",
            b"\"REGEX\"",
            b"\"label\"",
            b"\"pattern\"",
        ]),
        "brat" => t.extend([
            &b"\t"[..],
            b"T1\tSpeaker 0 5\tPutin",
            b"R1\tsaid_by Arg1:T2 Arg2:T1",
            b"A1\tPolarity T2 neg",
            b"E1\tQuote:T3 Speaker:T1",
            b"#1\tAnnotatorNotes T1\t",
            b";",
            b"*\tEquiv T1 T2",
        ]),
        "jsonl" | "doccano" | "stream" => t.extend([
            &b"\"spans\""[..],
            b"\"relations\"",
            b"\"label\"",
            b"\"start\"",
            b"\"end\"",
            b"\"text\"",
            b"\"id\"",
            b"\"meta\"",
            b"\"entities\"",
            b"\"status\"",
        ]),
        _ => {}
    }
    t
}

const UNICODE: [&str; 14] = [
    "\u{feff}",
    "\u{202e}",
    "\u{200d}",
    "\u{0301}",
    "👩‍👩‍👧",
    "🇫🇷",
    "\u{10ffff}",
    "\u{fffd}",
    "ß",
    "İ",
    "ﬃ",
    "\u{2028}",
    "\u{85}",
    "中文",
];

fn mutate(base: &[u8], other: &[u8], tokens: &[&[u8]], rng: &mut Rng) -> Vec<u8> {
    let mut d = base.to_vec();
    let n = 1 + rng.below(4);
    for _ in 0..n {
        mutate_once(&mut d, other, tokens, rng);
    }
    d.truncate(MAX_INPUT);
    d
}

fn mutate_once(d: &mut Vec<u8>, other: &[u8], tokens: &[&[u8]], rng: &mut Rng) {
    let len = d.len();
    let at = rng.below(len + 1);
    match rng.below(12) {
        // A bit flip.
        0 if len > 0 => {
            let i = rng.below(len);
            d[i] ^= 1 << rng.below(8);
        }
        // A random byte.
        1 if len > 0 => {
            let i = rng.below(len);
            d[i] = rng.next() as u8;
        }
        // Inserted random bytes.
        2 => {
            let k = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..k).map(|_| rng.next() as u8).collect();
            d.splice(at..at, bytes);
        }
        // A deleted range.
        3 if len > 0 => {
            let k = 1 + rng.below(len.min(64));
            let end = (at + k).min(len);
            d.drain(at.min(len)..end);
        }
        // A splice: the start of this input and the end of another.
        4 if !other.is_empty() => {
            let from = rng.below(other.len());
            d.truncate(at);
            d.extend_from_slice(&other[from..]);
        }
        // A piece of another input inserted.
        5 if !other.is_empty() => {
            let from = rng.below(other.len());
            let k = 1 + rng.below((other.len() - from).min(256));
            d.splice(at..at, other[from..from + k].iter().copied());
        }
        // A duplicated range.
        6 if len > 0 => {
            let from = rng.below(len);
            let k = 1 + rng.below((len - from).min(512));
            let piece = d[from..from + k].to_vec();
            let most = if rng.chance(8) { 200 } else { 3 };
            let times = 1 + rng.below(most);
            let at = rng.below(d.len() + 1);
            for _ in 0..times {
                d.splice(at..at, piece.iter().copied());
            }
        }
        // Truncation.
        7 => d.truncate(at),
        // Deep nesting.
        8 => {
            let (open, close): (&[u8], &[u8]) = match rng.below(5) {
                0 => (b"[", b"]"),
                1 => (b"{\"a\":", b"}"),
                2 => (b"(", b")"),
                3 => (b"Some(", b")"),
                _ => (b"Any(op: \"*\", items: [", b"])"),
            };
            let depth = [10, 100, 1_000, 10_000, 100_000][rng.below(5)];
            let mut nest = Vec::new();
            for _ in 0..depth {
                nest.extend_from_slice(open);
            }
            if rng.chance(2) {
                for _ in 0..depth {
                    nest.extend_from_slice(close);
                }
            }
            d.splice(at..at, nest);
        }
        // A huge (or odd) number in place of a number.
        9 => {
            let big: &[u8] = [
                &b"18446744073709551615"[..],
                b"18446744073709551616",
                b"9223372036854775807",
                b"4294967296",
                b"-1",
                b"99999999999999999999999999999",
                b"1e308",
                b"1e999",
                b"-0",
                b"0.5",
                b"340282366920938463463374607431768211456",
            ][rng.below(11)];
            let digits = (0..len)
                .filter(|&i| d[i].is_ascii_digit())
                .collect::<Vec<_>>();
            if digits.is_empty() {
                d.splice(at..at, big.iter().copied());
            } else {
                let start = digits[rng.below(digits.len())];
                let mut end = start;
                while end < len && d[end].is_ascii_digit() {
                    end += 1;
                }
                d.splice(start..end, big.iter().copied());
            }
        }
        // Unicode, also at a byte that cuts a character.
        10 => {
            let s = UNICODE[rng.below(UNICODE.len())].as_bytes();
            let piece: Vec<u8> = if rng.chance(4) {
                s[..1.max(s.len() - 1)].to_vec()
            } else {
                s.to_vec()
            };
            d.splice(at..at, piece);
        }
        // A token of the format.
        _ => {
            let t = tokens[rng.below(tokens.len())];
            if rng.chance(2) || len == 0 {
                d.splice(at..at, t.iter().copied());
            } else {
                let end = (at + 1 + rng.below(8)).min(len);
                d.splice(at.min(len)..end, t.iter().copied());
            }
        }
    }
}
