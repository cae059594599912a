//! The pattern matcher: a backtracking interpreter over a rule's compiled
//! program that memoizes failed (instruction, token) states, so a rule costs
//! at most O(program × tokens) per document: no blow-ups. It reads the
//! analysed [`Doc`] and knows nothing of attribution.

use std::ops::Range;

use super::Engine;
use super::doc::{Doc, MentionKind, NONE};
use super::lexicon::{F_LOOKUP, F_PHRASE, Feat};
use super::pattern::{Compiled, Inst, Leading};

/// One match: token range and capture slots (token positions, `usize::MAX` unset).
#[derive(Debug, Clone)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub slots: Vec<usize>,
}

impl Match {
    /// Token range of capture `k`, if it was set and is not empty.
    pub fn cap(&self, k: usize) -> Option<Range<usize>> {
        let (a, b) = (*self.slots.get(2 * k)?, *self.slots.get(2 * k + 1)?);
        (a != usize::MAX && b != usize::MAX && a < b).then_some(a..b)
    }
}

enum Frame {
    Step(usize, usize),
    Restore(usize, usize),
}

/// Reusable buffers of the matcher.
#[derive(Default)]
pub struct Scratch {
    visited: Vec<u64>,
    /// Words of `visited` set since they were last cleared (clearing these
    /// alone is cheaper than clearing the range of positions a rule tried).
    touched: Vec<u32>,
    stack: Vec<Frame>,
    lens: Vec<usize>,
    slots: Vec<usize>,
    /// Per sentence-local key of the rule: next token at or after the start having it.
    local_next: Vec<usize>,
    /// Next token at or after the last anchor having the rule's window bit.
    window_next: usize,
    window_from: usize,
    /// Per further window of the rule: (anchor the cache is valid from, next hit).
    more_next: Vec<(usize, usize)>,
    /// Per start window of the rule: (start the cache is valid from, next hit).
    start_next: Vec<(usize, usize)>,
    /// Capture slot vectors of earlier matches, reused for new ones.
    spare: Vec<Vec<usize>>,
}

impl Scratch {
    /// Gives a match's vectors back for later matches.
    pub fn recycle_match(&mut self, m: Match) {
        self.spare.push(m.slots);
    }
}

/// All non-overlapping leftmost-first matches of a rule in a document.
pub fn find_all(doc: &Doc, eng: &Engine, rule: &Compiled, sc: &mut Scratch) -> Vec<Match> {
    find_all_from(doc, eng, rule, sc, None)
}

/// Positions of the tokens having any bit of `mask`.
pub fn positions(doc: &Doc, mask: Feat) -> Vec<u32> {
    doc.feats
        .iter()
        .enumerate()
        .filter(|(_, f)| **f & mask != 0)
        .map(|(i, _)| i as u32)
        .collect()
}

/// [`find_all`] given the rule's possible starts: `positions(doc, first)` of
/// the rule's first set (computed once per document for rules sharing it).
pub fn find_all_from(
    doc: &Doc,
    eng: &Engine,
    rule: &Compiled,
    sc: &mut Scratch,
    starts: Option<&[u32]>,
) -> Vec<Match> {
    let mut out = Vec::new();
    find_each_from(doc, eng, rule, sc, starts, |m| out.push(m));
    out
}

/// [`find_all_from`] handing each match to `emit` (no vector of matches).
pub fn find_each_from(
    doc: &Doc,
    eng: &Engine,
    rule: &Compiled,
    sc: &mut Scratch,
    starts: Option<&[u32]>,
    mut emit: impl FnMut(Match),
) {
    let n = doc.tokens.len();
    if n == 0 || doc.union & rule.required != rule.required {
        return;
    }
    if let Some(first) = rule.first
        && doc.union & first == 0
    {
        return;
    }
    let plen = rule.prog.len();
    // States are (position, instruction), position-major: `pos * plen + pc`.
    let words = (plen * (n + 1)).div_ceil(64);
    if sc.visited.len() < words {
        sc.visited.resize(words, 0);
    }
    // The bitset is all zero between calls; the words set are cleared after use.
    sc.window_next = usize::MAX;
    sc.start_next.clear();
    sc.start_next
        .resize(rule.start_windows.len(), (usize::MAX, usize::MAX));
    sc.more_next.clear();
    sc.more_next
        .resize(rule.more_windows.len(), (usize::MAX, usize::MAX));
    sc.local_next.clear();
    sc.local_next.resize(rule.local.len(), usize::MAX);
    // Possible starts: the rule's start list, the tokens having its first
    // set, or every token. After a match the next start is past its end.
    match (starts, rule.first) {
        (Some(list), Some(_)) => {
            let mut next = 0usize;
            for &p in list {
                let start = p as usize;
                if start >= next
                    && let Some(end) = try_start(doc, eng, rule, sc, start, plen, &mut emit)
                {
                    next = end;
                }
            }
        }
        (None, Some(first)) => {
            let mut start = 0usize;
            while let Some(k) = doc.feats[start..].iter().position(|f| f & first != 0) {
                start += k;
                start = try_start(doc, eng, rule, sc, start, plen, &mut emit).unwrap_or(start + 1);
                if start >= n {
                    break;
                }
            }
        }
        (_, None) => {
            let mut start = 0usize;
            while start < n {
                start = try_start(doc, eng, rule, sc, start, plen, &mut emit).unwrap_or(start + 1);
            }
        }
    }
    clear_touched(sc);
}

/// The pre-filters of a possible start (the token after the leading element,
/// sentence-local keys, windows), then a run of the rule from it. On a match,
/// emits it and returns where the next start may be (past the match).
#[inline(always)]
fn try_start(
    doc: &Doc,
    eng: &Engine,
    rule: &Compiled,
    sc: &mut Scratch,
    start: usize,
    plen: usize,
    emit: &mut impl FnMut(Match),
) -> Option<usize> {
    let n = doc.tokens.len();
    if let Some((leading, set)) = rule.after_first {
        // The token after the leading mention or quotation must be able
        // to start the rest of the pattern.
        let after = match leading {
            Leading::Mention => match doc.after_mention[start] {
                NONE => n,
                a => a as usize,
            },
            Leading::Quote => doc
                .leading_end(leading, start)
                .map_or(n, |e| e.max(start + 1)),
        };
        if doc.feats.get(after).is_none_or(|f| f & set == 0) {
            return None;
        }
    }
    if !rule.local.is_empty() {
        // Sentence-local keys: each must occur between the start and its bound.
        let bound = doc.next_sent_start[start] as usize;
        let mut ok = true;
        for (ki, &(bit, k)) in rule.local.iter().enumerate() {
            let at = &mut sc.local_next[ki];
            if *at == usize::MAX || *at < start {
                *at = doc.next_with(bit, start);
            }
            if *at >= n || *at > bound + k {
                ok = false;
            }
        }
        if !ok {
            return None;
        }
    }
    if !rule.start_windows.is_empty()
        && !windows_hold(doc, &rule.start_windows, &mut sc.start_next, start)
    {
        return None;
    }
    if let Some((after_mention, gap, bit)) = rule.window {
        let anchor = if after_mention {
            match doc.after_mention[start] {
                NONE => return None,
                a => a as usize,
            }
        } else {
            start + 1
        };
        // Anchors mostly grow; the cached next hit is valid for anchors from `window_from`.
        if sc.window_next == usize::MAX || sc.window_next < anchor || anchor < sc.window_from {
            sc.window_from = anchor;
            sc.window_next = doc.next_with(bit, anchor);
        }
        if sc.window_next >= n || sc.window_next > anchor + gap {
            return None;
        }
        if !rule.more_windows.is_empty()
            && !windows_hold(doc, &rule.more_windows, &mut sc.more_next, anchor)
        {
            return None;
        }
    }
    let m = run(doc, eng, rule, start, plen, sc)?;
    let next = m.end.max(start + 1);
    emit(m);
    // Memoized states of this run are not failures: forget them
    // (with the failures of earlier runs, which later starts rarely reach).
    clear_touched(sc);
    Some(next)
}

/// Clears the words of the visited bitset set since the last clearing.
fn clear_touched(sc: &mut Scratch) {
    for &w in &sc.touched {
        sc.visited[w as usize] = 0;
    }
    sc.touched.clear();
}

/// Whether each window `(gap, bit)` has a token with `bit` in
/// `anchor..=anchor + gap`. `cache[k]` is `(from, next)`: the first token at
/// or after `from` with the bit (the token count if none), valid for anchors
/// from `from` up to `next`.
#[inline(always)]
fn windows_hold(
    doc: &Doc,
    windows: &[(usize, Feat)],
    cache: &mut [(usize, usize)],
    anchor: usize,
) -> bool {
    let n = doc.feats.len();
    for (&(gap, bit), c) in windows.iter().zip(cache.iter_mut()) {
        let (from, next) = *c;
        let next = if next == usize::MAX || next < anchor || anchor < from {
            let at = doc.next_with(bit, anchor);
            *c = (anchor, at);
            at
        } else {
            next
        };
        if next >= n || next > anchor + gap {
            return false;
        }
    }
    true
}

fn run(
    doc: &Doc,
    eng: &Engine,
    rule: &Compiled,
    start: usize,
    plen: usize,
    sc: &mut Scratch,
) -> Option<Match> {
    let n = doc.tokens.len();
    let mut slots = std::mem::take(&mut sc.slots);
    slots.clear();
    slots.resize(rule.captures.len() * 2, usize::MAX);
    // Disjoint borrows of the scratch buffers used at every step.
    let (stack, visited, lens, touched) = (
        &mut sc.stack,
        &mut sc.visited,
        &mut sc.lens,
        &mut sc.touched,
    );
    let prog = &rule.prog[..];
    stack.clear();
    stack.push(Frame::Step(0, start));
    while let Some(f) = stack.pop() {
        let (mut pc, mut pos) = match f {
            Frame::Restore(s, v) => {
                slots[s] = v;
                continue;
            }
            Frame::Step(pc, pos) => (pc, pos),
        };
        loop {
            let bit = pos * plen + pc;
            let (w, b) = (bit / 64, 1u64 << (bit % 64));
            if visited[w] & b != 0 {
                break;
            }
            if visited[w] == 0 {
                touched.push(w as u32);
            }
            visited[w] |= b;
            match prog[pc] {
                Inst::Match => {
                    let mut kept = sc.spare.pop().unwrap_or_default();
                    kept.clear();
                    kept.extend_from_slice(&slots);
                    let m = Match {
                        start,
                        end: pos,
                        slots: kept,
                    };
                    sc.slots = slots;
                    return Some(m);
                }
                Inst::Tok(p) => {
                    if pos < n && doc.check(eng, &rule.preds[p as usize], pos) {
                        pc += 1;
                        pos += 1;
                    } else {
                        break;
                    }
                }
                Inst::Lex(l) => {
                    let f = if pos < n { doc.feats[pos] } else { 0 };
                    if f & eng.lex.bit(l) == 0 {
                        break;
                    }
                    // Phrases, and lexicons without a bit, are looked up.
                    if f & (F_PHRASE | F_LOOKUP) == 0 {
                        // Only the one-token entry (see `lex_lengths`).
                        pos += 1;
                        pc += 1;
                        continue;
                    }
                    doc.lex_lengths(eng, l, pos, lens);
                    if lens.is_empty() {
                        break;
                    }
                    for &len in lens.iter().skip(1).rev() {
                        stack.push(Frame::Step(pc + 1, pos + len));
                    }
                    pos += lens[0];
                    pc += 1;
                }
                // With `subject`, a pronoun in a relative clause (`which he
                // said`) is no speaker; names and descriptions stand anywhere.
                Inst::Mention { subject, not_lex } => match doc.mention_at.get(pos) {
                    Some(&m)
                        if m != NONE
                            && (!subject || {
                                let m = &doc.mentions[m as usize];
                                m.subject_like || m.kind != MentionKind::Pronoun
                            })
                            && not_lex.is_none_or(|l| {
                                let m = &doc.mentions[m as usize];
                                !(m.lead.min(m.start)..m.end)
                                    .any(|k| eng.lex.has_word(doc.ids[k], l))
                            }) =>
                    {
                        pos = doc.mentions[m as usize].tail.max(pos + 1);
                        pc += 1;
                    }
                    _ => break,
                },
                Inst::Quote {
                    min_words,
                    allow_unclosed,
                } => match doc.quote_at.get(pos) {
                    Some(&q) if q != NONE => {
                        let words = doc.quote_words[q as usize] as usize;
                        let q = &doc.quotes[q as usize];
                        if words < min_words as usize || (q.unclosed && !allow_unclosed) {
                            break;
                        }
                        pos = q.end_tok.max(pos + 1);
                        pc += 1;
                    }
                    _ => break,
                },
                Inst::SkipToQuote => {
                    if pos >= n {
                        break;
                    }
                    let end = doc.sents[doc.sent_of[pos] as usize].end;
                    match (pos..end).find(|&k| doc.quote_at[k] != NONE) {
                        Some(k) => {
                            pos = k;
                            pc += 1;
                        }
                        None => break,
                    }
                }
                Inst::InQuote { slot } => {
                    let at = if pos < n { pos } else { n.saturating_sub(1) };
                    match doc.enclosing.get(at) {
                        Some(&q) if q != NONE => {
                            if slot != u16::MAX {
                                let r = doc.quotes[q as usize].inner();
                                let s = 2 * slot as usize;
                                stack.push(Frame::Restore(s, slots[s]));
                                stack.push(Frame::Restore(s + 1, slots[s + 1]));
                                slots[s] = r.start;
                                slots[s + 1] = r.end;
                            }
                            pc += 1;
                        }
                        _ => break,
                    }
                }
                Inst::FromSentStart { slot } => {
                    // Zero width: the words before `pos` in its sentence.
                    let at = pos.min(n.saturating_sub(1));
                    let from = doc
                        .sents
                        .get(doc.sent_of.get(at).copied().unwrap_or(0) as usize)
                        .map_or(pos, |s| s.start);
                    if n == 0 || from >= pos {
                        break;
                    }
                    if slot != u16::MAX {
                        let s = 2 * slot as usize;
                        stack.push(Frame::Restore(s, slots[s]));
                        stack.push(Frame::Restore(s + 1, slots[s + 1]));
                        slots[s] = from;
                        slots[s + 1] = pos;
                    }
                    pc += 1;
                }
                Inst::SentEnd => {
                    if pos >= n {
                        break;
                    }
                    let end = doc.sents[doc.sent_of[pos] as usize].end;
                    pos = end.max(pos + 1);
                    pc += 1;
                }
                Inst::ClauseEnd => {
                    if pos >= n {
                        break;
                    }
                    pos = doc.clause_end(eng, pos).max(pos + 1);
                    pc += 1;
                }
                Inst::Split(a, b) => {
                    stack.push(Frame::Step(b as usize, pos));
                    pc = a as usize;
                }
                Inst::Jmp(a) => pc = a as usize,
                Inst::Assert(p) => {
                    if pos < n && doc.check(eng, &rule.preds[p as usize], pos) {
                        pc += 1;
                    } else {
                        break;
                    }
                }
                Inst::Save(s) => {
                    let s = s as usize;
                    // With nothing to backtrack to, the old value is never restored.
                    if !stack.is_empty() {
                        stack.push(Frame::Restore(s, slots[s]));
                    }
                    slots[s] = pos;
                    pc += 1;
                }
            }
        }
    }
    sc.slots = slots;
    None
}
