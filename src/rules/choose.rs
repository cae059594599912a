//! Choosing among candidates: every span capture of every match becomes a
//! candidate (trimmed of quote marks and edge punctuation); per label, where
//! candidates overlap, the one of higher priority, then confidence, then
//! length wins.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Engine;
use super::doc::Doc;
use super::matcher::Match;
use super::pattern::RelTarget;
use super::tokenize::TokenKind;

#[derive(Clone)]
pub struct Cand<'e> {
    pub rule: usize,
    pub m: usize,
    pub span: usize,
    pub label: &'e str,
    pub toks: Range<usize>,
    pub chars: Range<usize>,
    /// Position in the candidate list (ties keep this order).
    pub ix: usize,
    /// The span is a Claim (claims come first among spans starting together).
    pub claim: bool,
}

/// An integer in the order of [`f32::total_cmp`].
fn total_order(x: f32) -> u32 {
    let b = x.to_bits();
    if b >> 31 == 1 { !b } else { b | 1 << 31 }
}

/// Drops quote marks and `, . ; : —` at the ends of a token range (keeps `?`, `!`, `$`).
pub fn trim(doc: &Doc, r: Range<usize>) -> Range<usize> {
    let (mut a, mut b) = (r.start, r.end.min(doc.tokens.len()));
    let trimmable = |k: usize| {
        doc.tokens[k].kind == TokenKind::Punct
            && matches!(
                doc.tok_text(k),
                "“" | "”"
                    | "\""
                    | "‘"
                    | "’"
                    | "'"
                    | "«"
                    | "»"
                    | "„"
                    | "‹"
                    | "›"
                    | ","
                    | "."
                    | ";"
                    | ":"
                    | "—"
                    | "–"
                    | "-"
            )
    };
    while a < b && trimmable(a) {
        a += 1;
    }
    while b > a && trimmable(b - 1) {
        b -= 1;
    }
    a..b
}

pub fn chars(doc: &Doc, r: &Range<usize>) -> Range<usize> {
    if r.is_empty() {
        return 0..0;
    }
    doc.tokens[r.start].start..doc.tokens[r.end - 1].end
}

/// The candidates of the matches (`(rule, match)` in rule order): spans whose
/// capture is not a relation target (those become Speakers through links).
pub fn candidates<'e>(eng: &'e Engine, doc: &Doc, matches: &[(usize, Match)]) -> Vec<Cand<'e>> {
    let mut cands: Vec<Cand> = Vec::with_capacity(matches.len() * 2);
    for (mi, (ri, m)) in matches.iter().enumerate() {
        let rule = &eng.rules[*ri];
        for (si, sp) in rule.spans.iter().enumerate() {
            let dependent = rule
                .relations
                .iter()
                .any(|r| r.to == RelTarget::Cap(sp.cap));
            if dependent {
                continue;
            }
            let Some(r) = m.cap(sp.cap) else { continue };
            let toks = trim(doc, r);
            if toks.is_empty() {
                continue;
            }
            let ch = chars(doc, &toks);
            cands.push(Cand {
                rule: *ri,
                m: mi,
                span: si,
                label: &sp.label,
                toks,
                chars: ch,
                ix: cands.len(),
                claim: sp.label == "Claim",
            });
        }
    }
    cands
}

/// Per label, the candidates that do not overlap a better one, ordered by
/// start (claims first among spans starting together), then acceptance.
pub fn choose<'e>(eng: &Engine, cands: &[Cand<'e>]) -> Vec<Cand<'e>> {
    // Sort keys apart from the candidates (small, no look-ups while sorting).
    let mut keyed: Vec<_> = cands
        .iter()
        .map(|c| {
            let rule = &eng.rules[c.rule];
            (
                std::cmp::Reverse(rule.priority),
                std::cmp::Reverse(total_order(rule.confidence)),
                std::cmp::Reverse(c.chars.end - c.chars.start),
                c.chars.start,
                c.ix,
            )
        })
        .collect();
    keyed.sort_unstable();
    let mut accepted: Vec<Cand> = Vec::with_capacity(cands.len());
    // Accepted character ranges per label, start → end (they do not overlap).
    let mut taken: Vec<(&str, BTreeMap<usize, usize>)> = Vec::new();
    for &(.., ix) in &keyed {
        let mut c = cands[ix].clone();
        let slot = match taken
            .iter()
            .position(|(l, _)| std::ptr::eq(*l, c.label) || *l == c.label)
        {
            Some(k) => k,
            None => {
                taken.push((c.label, BTreeMap::new()));
                taken.len() - 1
            }
        };
        let ranges = &mut taken[slot].1;
        // The last accepted range starting before c ends clashes if it ends
        // after c starts; the ones before it end earlier still.
        let clash = ranges
            .range(..c.chars.end)
            .next_back()
            .is_some_and(|(_, &e)| e > c.chars.start);
        if !clash {
            ranges.insert(c.chars.start, c.chars.end);
            // From here on ties keep the order of acceptance.
            c.ix = accepted.len();
            accepted.push(c);
        }
    }
    accepted.sort_unstable_by_key(|c| (c.chars.start, !c.claim, c.ix));

    accepted
}
