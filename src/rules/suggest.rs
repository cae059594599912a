//! The suggestion pass, stage by stage: analysis of the text ([`analyse`]:
//! tokens, quotations, sentences, mentions), rule matching
//! ([`match_rules`]), choosing among candidates ([`super::choose`]),
//! attribution ([`super::attribution`]), entity resolution
//! ([`super::entities`]) and output ([`super::output`]). Buffers are kept in
//! a [`SuggestScratch`] from one text to the next.
//!
//! Where to add a rule kind: a new pattern element goes into
//! [`super::pattern`] (parse and compile) and [`super::matcher`] (run); a new
//! relation target into [`super::attribution`]; a new kind of mention into
//! [`super::mentions`].

use super::attribution::{Done, link};
use super::choose::{Cand, candidates, choose};
use super::doc::{Doc, DocBufs};
use super::entities::resolve_entities;
use super::lexicon::Feat;
use super::matcher::{Match, Scratch, find_each_from};
use super::mentions::find_mentions_into;
use super::output::{OutputBufs, build};
use super::{Engine, Suggestions};

/// Buffers that [`suggest_into`] reuses from one text to the next: document
/// vectors, matcher state, start lists, and the strings and maps of the
/// previous output.
#[derive(Default)]
pub struct SuggestScratch {
    doc: DocBufs,
    matching: MatchBufs,
    output: OutputBufs,
    /// Matches of an earlier text (emptied; kept for its capacity).
    matches: Vec<(usize, Match)>,
}

/// Buffers of the matching stage.
#[derive(Default)]
struct MatchBufs {
    matcher: Scratch,
    /// Distinct first sets of the rules and the tokens having them.
    firsts: Vec<(Feat, Vec<u32>)>,
    /// Per rule: index into `firsts`, [`NO_FIRST`], [`OWN_LIST`] or [`SKIP`].
    rule_first: Vec<usize>,
}

impl SuggestScratch {
    /// Buffers for runs whose output has no place for explanations (the
    /// streaming JSONL pass): suggestions come with empty explanations and
    /// their text is never put together. Everything else is the same.
    pub fn without_explanations() -> SuggestScratch {
        let mut sc = SuggestScratch::default();
        sc.output.skip_explanations = true;
        sc
    }

    /// Buffers for the streaming JSONL pass of this crate: no explanations,
    /// and each suggestion's attributes packed into its `explanation`
    /// (`output::pack_attr`) instead of a map, which `rules::jsonl` writes
    /// out itself.
    pub(crate) fn packed_for_jsonl() -> SuggestScratch {
        let mut sc = SuggestScratch::without_explanations();
        sc.output.pack_attrs = true;
        sc
    }
}

impl std::fmt::Debug for SuggestScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuggestScratch")
            .field("pooled_spans", &self.output.pool.len())
            .finish_non_exhaustive()
    }
}

/// The rule cannot match this document.
const SKIP: usize = usize::MAX;
/// The rule has no first set: every token is a possible start.
const NO_FIRST: usize = usize::MAX - 1;
/// The rule's first set is one feature bit whose token list the document keeps.
const OWN_LIST: usize = usize::MAX - 2;

/// Runs the enabled rules over a text and resolves the matches.
pub fn suggest(eng: &Engine, enabled: &[bool], text: &str) -> Suggestions {
    let mut out = Suggestions::default();
    suggest_into(eng, enabled, text, &mut SuggestScratch::default(), &mut out);
    out
}

/// [`suggest`] into `out` (its previous content is replaced; its strings and
/// maps are reused), with buffers kept in `sc` between texts.
pub fn suggest_into(
    eng: &Engine,
    enabled: &[bool],
    text: &str,
    sc: &mut SuggestScratch,
    out: &mut Suggestions,
) {
    sc.output.reclaim(out);
    let doc = analyse_in(text, eng, &mut sc.doc);
    let mut matches = std::mem::take(&mut sc.matches);
    match_rules(eng, enabled, &doc, &mut sc.matching, &mut matches);
    let cands = candidates(eng, &doc, &matches);
    let mut accepted = choose(eng, &cands);
    // The chosen candidates are copies: the others go before the output is built.
    drop(cands);
    let (done, links) = link(eng, &doc, &matches, &accepted);
    if doc.tokens.len() >= LONG_TOKENS {
        // A long document: only the matches of suggested spans are kept for
        // the output, and the matcher's buffers go (hundreds of MB at 20 MB).
        keep_used_matches(&mut matches, &mut accepted, &done);
        sc.matching = MatchBufs::default();
    }
    // Entities of all mentions, in document order (speakers preferred as antecedents).
    let mut speaker_mentions = vec![false; doc.mentions.len()];
    for d in &done {
        for (_, s) in &links[d.links.clone()] {
            if let Some(mi) = s.mention {
                speaker_mentions[mi] = true;
            }
        }
    }
    let res = resolve_entities(&doc, &speaker_mentions);
    build(
        eng,
        &doc,
        &matches,
        &accepted,
        &done,
        &links,
        &res,
        &mut sc.output,
        out,
    );
    drop(res);
    for (_, m) in matches.drain(..) {
        sc.matching.matcher.recycle_match(m);
    }
    sc.matches = matches;
    doc.recycle(&mut sc.doc);
}

/// Documents of this many tokens (about 500 KB of news) or more count as
/// long: the buffers of the matching stage are given up before the output is
/// built (see [`suggest_into`]).
const LONG_TOKENS: usize = 100_000;

/// Keeps only the matches that the suggested candidates (`done`) come from,
/// in order, and points the candidates at their new places.
fn keep_used_matches(matches: &mut Vec<(usize, Match)>, accepted: &mut [Cand], done: &[Done]) {
    const GONE: u32 = u32::MAX;
    let mut used = vec![false; accepted.len()];
    let mut new_index = vec![GONE; matches.len()];
    for d in done {
        used[d.cand] = true;
        new_index[accepted[d.cand].m] = 0;
    }
    let mut kept = Vec::new();
    for (i, m) in std::mem::take(matches).into_iter().enumerate() {
        if new_index[i] != GONE {
            new_index[i] = kept.len() as u32;
            kept.push(m);
        }
    }
    for (c, _) in accepted.iter_mut().zip(used).filter(|(_, u)| *u) {
        c.m = new_index[c.m] as usize;
    }
    *matches = kept;
}

/// The analysis stage: a text with everything the rules look at.
pub fn analyse<'t>(text: &'t str, eng: &Engine) -> Doc<'t> {
    analyse_in(text, eng, &mut DocBufs::default())
}

/// [`analyse`] in the vectors of an earlier document.
fn analyse_in<'t>(text: &'t str, eng: &Engine, bufs: &mut DocBufs) -> Doc<'t> {
    let mut doc = Doc::new_in(text, eng, bufs);
    let mut mentions = Doc::mention_buf(bufs);
    find_mentions_into(&doc, eng, &mut mentions);
    doc.set_mentions(mentions, eng, bufs);
    doc
}

/// The matching stage: all matches of the enabled rules, `(rule, match)` in
/// rule order, each rule's matches leftmost-first and not overlapping.
/// Possible starts are listed once per distinct first set, all in one pass;
/// rules that cannot match (a required or first feature absent) are skipped.
fn match_rules(
    eng: &Engine,
    enabled: &[bool],
    doc: &Doc,
    m: &mut MatchBufs,
    matches: &mut Vec<(usize, Match)>,
) {
    matches.clear();
    // Possible starts, one list per distinct first set, all filled in one pass.
    // Rules that cannot match (a required or first feature absent) are skipped.
    let mut nf = 0;
    m.rule_first.clear();
    for (ri, rule) in eng.rules.iter().enumerate() {
        let mut slot = SKIP;
        if enabled.get(ri).copied().unwrap_or(true) && doc.union & rule.required == rule.required {
            slot = match rule.first {
                None => NO_FIRST,
                Some(f) if doc.union & f == 0 => SKIP,
                Some(f) if doc.with_bit(f).is_some() => OWN_LIST,
                Some(f) => match m.firsts[..nf].iter().position(|(g, _)| *g == f) {
                    Some(k) => k,
                    None => {
                        if nf == m.firsts.len() {
                            m.firsts.push((f, Vec::new()));
                        } else {
                            m.firsts[nf].0 = f;
                            m.firsts[nf].1.clear();
                        }
                        nf += 1;
                        nf - 1
                    }
                },
            };
        }
        m.rule_first.push(slot);
    }
    if nf > 0 {
        let any = m.firsts[..nf].iter().fold(0, |a, (f, _)| a | f);
        for (i, &f) in doc.feats.iter().enumerate() {
            if f & any != 0 {
                for (g, list) in &mut m.firsts[..nf] {
                    if f & *g != 0 {
                        list.push(i as u32);
                    }
                }
            }
        }
    }
    for (ri, rule) in eng.rules.iter().enumerate() {
        let starts = match m.rule_first[ri] {
            SKIP => continue,
            NO_FIRST => None,
            OWN_LIST => rule.first.and_then(|f| doc.with_bit(f)),
            k => Some(m.firsts[k].1.as_slice()),
        };
        find_each_from(doc, eng, rule, &mut m.matcher, starts, |x| {
            matches.push((ri, x))
        });
    }
}
