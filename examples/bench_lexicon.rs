//! Loading time of big lexicons: a rule file with one lexicon of N keys
//! (default 1,000,000) that share a long prefix (`w000000000000001`, ...)
//! and one of N random words, each loaded on its own. Prints seconds per
//! load. `cargo run --release --no-default-features --example bench_lexicon -- [N]`
use std::fmt::Write;
use std::time::Instant;

use sayso::rules::RuleSet;

fn rule_file(keys: impl Iterator<Item = String>) -> String {
    let mut s = String::from("RuleFile(lexicons: { \"big\": [");
    for k in keys {
        let _ = write!(s, "\"{k}\", ");
    }
    s.push_str(
        "] }, rules: [Rule(id: \"r\", pattern: [Tok(lex: \"big\", capture: \"x\")], \
         spans: [(capture: \"x\", label: \"Claim\")])])",
    );
    s
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    // A small xorshift generator: the same random words on every run.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut word = move || {
        let mut w = String::new();
        for _ in 0..8 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            w.push((b'a' + (x % 26) as u8) as char);
        }
        w
    };
    let files = [
        (
            "shared prefix",
            rule_file((0..n).map(|i| format!("w{i:015}"))),
        ),
        ("random words", rule_file((0..n).map(|_| word()))),
    ];
    for (what, src) in &files {
        let t = Instant::now();
        let r = RuleSet::from_ron_str(src, "big.ron");
        let ok = r.is_ok();
        println!(
            "{n} keys, {what}: {:.2} s (loaded: {ok})",
            t.elapsed().as_secs_f64()
        );
    }
}
