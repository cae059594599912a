//! Choosing among candidates: every span capture of every match becomes a
//! candidate (trimmed of quote marks and edge punctuation); per label, where
//! candidates overlap, the one of higher priority, then confidence, then
//! length wins. One exception: a Claim may hold another one whole when the
//! inner attribution (its speaker, cue and content) lies inside the outer
//! content (`The agency said [the mayor blamed [the storm]]`), one level
//! deep, as the annotation guide marks nested attributions; the inner rule
//! must capture its speaker itself and have a confidence of at least
//! [`NESTED_MIN_CONFIDENCE`].

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
    /// Token range of the whole match (speaker, cue and span), trimmed like spans.
    pub whole: Range<usize>,
    /// The rule links the span to speakers it captured itself (inside
    /// `whole`), not to one it looks up around the match.
    pub own_speaker: bool,
    /// The Claim lies inside another chosen Claim (set by [`choose`]).
    pub nested: bool,
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
            let mut links = rule.relations.iter().filter(|r| r.from == sp.cap);
            let own_speaker = links.clone().next().is_some()
                && links.all(|r| matches!(r.to, RelTarget::Cap(k) if m.cap(k).is_some()));
            cands.push(Cand {
                rule: *ri,
                m: mi,
                span: si,
                label: &sp.label,
                toks,
                chars: ch,
                ix: cands.len(),
                claim: sp.label == "Claim",
                whole: trim(doc, m.start..m.end),
                own_speaker,
                nested: false,
            });
        }
    }
    cands
}

/// Per label, the candidates that do not overlap a better one, ordered by
/// start (claims first among spans starting together), then acceptance.
/// Claims may nest one level deep (see the module's comment).
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
    // Accepted character ranges per label, start → (end, index in
    // `accepted`); they do not overlap. Claims held by another Claim are
    // kept apart in `inner` (they do not overlap one another either).
    let mut taken: Vec<(&str, Ranges)> = Vec::new();
    let mut inner = Ranges::new();
    for &(.., ix) in &keyed {
        let mut c = cands[ix].clone();
        let slot = match taken
            .iter()
            .position(|(l, _)| std::ptr::eq(*l, c.label) || *l == c.label)
        {
            Some(k) => k,
            None => {
                taken.push((c.label, Ranges::new()));
                taken.len() - 1
            }
        };
        let ranges = &mut taken[slot].1;
        let hit = clash(ranges, &c.chars);
        let at = accepted.len();
        match hit {
            None => {
                ranges.insert(c.chars.start, (c.chars.end, at));
            }
            Some((start, (end, k))) if c.claim => {
                let o = &accepted[k];
                let holds = |outer: &Cand, inner: &Cand| {
                    inner.own_speaker
                        && eng.rules[inner.rule].nests
                        && outer.toks.start <= inner.whole.start
                        && inner.whole.end <= outer.toks.end
                        && outer.chars != inner.chars
                };
                if holds(o, &c) && single(ranges, &c.chars) && clash(&inner, &c.chars).is_none() {
                    // c goes inside the accepted claim.
                    c.nested = true;
                    inner.insert(c.chars.start, (c.chars.end, at));
                } else if holds(&c, o)
                    && !o.nested
                    && single(ranges, &c.chars)
                    && clash(&inner, &(start..end)).is_none()
                {
                    // The accepted claim goes inside c.
                    ranges.remove(&start);
                    ranges.insert(c.chars.start, (c.chars.end, at));
                    inner.insert(start, (end, k));
                    accepted[k].nested = true;
                } else {
                    continue;
                }
            }
            Some(_) => continue,
        }
        // From here on ties keep the order of acceptance.
        c.ix = at;
        accepted.push(c);
    }
    accepted.sort_unstable_by_key(|c| (c.chars.start, !c.claim, c.ix));

    accepted
}

/// The least confidence of a rule whose Claim may go inside another Claim:
/// the broad fallback rules (an attributing verb anywhere in the content)
/// would otherwise mark every action in a content as a statement.
pub(crate) const NESTED_MIN_CONFIDENCE: f32 = 0.6;

/// Accepted character ranges: start → (end, index of the candidate).
type Ranges = BTreeMap<usize, (usize, usize)>;

/// The accepted range that overlaps `r` and starts last, if any.
fn clash(ranges: &Ranges, r: &Range<usize>) -> Option<(usize, (usize, usize))> {
    // The last accepted range starting before r ends clashes if it ends
    // after r starts; the ones before it end earlier still.
    ranges
        .range(..r.end)
        .next_back()
        .filter(|(_, (e, _))| *e > r.start)
        .map(|(&s, &v)| (s, v))
}

/// Whether `r` overlaps exactly one accepted range.
fn single(ranges: &Ranges, r: &Range<usize>) -> bool {
    let mut it = ranges.range(..r.end).rev();
    it.next();
    it.next().is_none_or(|(_, (e, _))| *e <= r.start)
}
