//! Attribution beyond single patterns: finding speaker mentions (names with
//! their titles split off, organisations, pronouns, groups, roles), choosing a
//! sentence's subject, resolving mentions to entities within a document, the
//! holder of a stance inside a claim, continuation claims, and the overlap
//! resolution that turns raw matches into suggestions.

use std::collections::BTreeMap;
use std::ops::Range;

use super::lexicon::{F_CAP, F_PHRASE, Feat};
use super::matcher::{Doc, DocBufs, Match, NONE, Scratch, find_each_from};
use super::pattern::{CAttr, RelTarget};
use super::tokenize::TokenKind;
use super::{Engine, SuggestedRelation, Suggestion, Suggestions, class};

/// What kind of mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A proper name (person or unknown).
    Name,
    /// A name with an organisation word or a determiner (`The Kremlin`).
    Org,
    Pronoun,
    /// `Both leaders`, `the two sides`.
    Group,
    /// A role without a name (`the ministry spokeswoman`, `officials`).
    Role,
}

/// A possible speaker mention, in tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// First token of the whole phrase: titles and a leading "the" before
    /// `start` ("Mayor Ann Lee", "the Russian President Vladimir Putin"),
    /// so that patterns can match the mention where the phrase begins.
    pub lead: usize,
    pub kind: MentionKind,
    /// Looks like a person (title before it, or a multi-word name without organisation or place words).
    pub person: bool,
    pub plural: bool,
    /// Followed by `’s`: only leads to the real source.
    pub possessive: bool,
    /// Stands where a subject can: sentence start, after punctuation or a conjunction.
    pub subject_like: bool,
}

/// Whether token `i` is a one-token entry of the engine lexicon of class bit `c`.
#[inline]
fn in_lex(doc: &Doc, eng: &Engine, i: usize, c: u16) -> bool {
    doc.ids.get(i).is_some_and(|&id| eng.elex.is(id, c))
}

fn cap_word(doc: &Doc, i: usize) -> bool {
    i < doc.tokens.len() && doc.tokens[i].kind == TokenKind::Word && doc.feats[i] & F_CAP != 0
}

fn is_possessive_mark(s: &str) -> bool {
    matches!(s, "’s" | "'s" | "’S" | "'S")
}

/// Finds speaker mentions in document order.
pub fn find_mentions(doc: &Doc, eng: &Engine) -> Vec<Mention> {
    let mut out = Vec::new();
    find_mentions_into(doc, eng, &mut out);
    out
}

/// [`find_mentions`] into `out` (cleared first; its capacity is reused).
pub fn find_mentions_into(doc: &Doc, eng: &Engine, out: &mut Vec<Mention>) {
    out.clear();
    let e = &eng.elex;
    let n = doc.tokens.len();
    let mut lens = Vec::new();
    // Tokens that close a quote.
    let mut closes = vec![false; n];
    for q in &doc.quotes {
        if let Some(c) = q.close_tok
            && c < n
        {
            closes[c] = true;
        }
    }
    let name_word = |i: usize| {
        cap_word(doc, i)
            && !in_lex(doc, eng, i, class::FUNCTION_WORDS)
            && !in_lex(doc, eng, i, class::PRONOUNS)
    };
    let title = |i: usize| in_lex(doc, eng, i, class::TITLES);
    let subject_like = |start: usize| {
        if start == 0 || doc.tokens[start].is_sent_start {
            return true;
        }
        let p = start - 1;
        let t = doc.tok_text(p);
        let quote_mark = doc.quote_at[p] != NONE || closes[p];
        matches!(t, "," | ";" | ":" | "—" | "–" | "(" | ")")
            || quote_mark
            || in_lex(doc, eng, p, class::CONJUNCTIONS)
    };
    // A mention starts only at a token with one of these (a capital, a group,
    // pronoun, title, determiner or role word): others are skipped at once.
    let bit = |l: Option<u16>| l.map_or(0, |l| eng.lex.bit(l));
    let may_start = F_CAP
        | bit(e.group_mentions)
        | bit(e.pronouns)
        | bit(e.titles)
        | bit(e.determiners)
        | bit(e.role_nouns);
    let mut i = 0;
    while i < n {
        if doc.feats[i] & may_start == 0 {
            i += 1;
            continue;
        }
        if let Some(g) = e.group_mentions
            && doc.feats[i] & eng.lex.bit(g) != 0
        {
            doc.lex_lengths(eng, g, i, &mut lens);
            if let Some(&len) = lens.first() {
                out.push(Mention {
                    start: i,
                    end: i + len,
                    lead: i,
                    kind: MentionKind::Group,
                    person: false,
                    plural: true,
                    possessive: false,
                    subject_like: subject_like(i),
                });
                i += len;
                continue;
            }
        }
        if in_lex(doc, eng, i, class::PRONOUNS) {
            out.push(Mention {
                start: i,
                end: i + 1,
                lead: i,
                kind: MentionKind::Pronoun,
                person: false,
                plural: in_lex(doc, eng, i, class::PLURAL_PRONOUNS),
                possessive: false,
                subject_like: subject_like(i),
            });
            i += 1;
            continue;
        }
        let starts_seq = name_word(i) || (title(i) && name_word(i + 1));
        if starts_seq {
            let mut j = i;
            let mut title_end: Option<usize> = None;
            let mut hyphen = false;
            while j < n {
                if name_word(j) {
                    if title(j) {
                        title_end = Some(j + 1);
                    }
                    // A title of several words (only where a phrase starts).
                    if let Some(t) = e.titles
                        && doc.feats[j] & F_PHRASE != 0
                    {
                        doc.lex_lengths(eng, t, j, &mut lens);
                        if let Some(&len) = lens.first()
                            && len > 1
                            && j + len < n
                            && name_word(j + len)
                        {
                            title_end = Some(j + len);
                            j += len;
                            continue;
                        }
                    }
                    j += 1;
                    continue;
                }
                if title(j) && name_word(j + 1) {
                    title_end = Some(j + 1);
                    j += 1;
                    continue;
                }
                let t = doc.tok_text(j);
                if j > i
                    && (t == "-" || t == "‐")
                    && doc.tokens[j - 1].end == doc.tokens[j].start
                    && j + 1 < n
                    && doc.tokens[j].end == doc.tokens[j + 1].start
                    && name_word(j + 1)
                {
                    hyphen = true;
                    j += 1;
                    continue;
                }
                if j > i
                    && t == "of"
                    && name_word(j + 1)
                    && (in_lex(doc, eng, j - 1, class::ORG_WORDS) || title(j - 1))
                {
                    j += 1;
                    continue;
                }
                break;
            }
            if j == i {
                i += 1;
                continue;
            }
            let has_org = |a: usize| (a..j).any(|k| in_lex(doc, eng, k, class::ORG_WORDS));
            // An organisation keeps its words: "Russian Foreign Ministry".
            let title_end = if has_org(i)
                && title_end.is_some_and(|t| t < j)
                && !has_org(title_end.unwrap_or(j))
            {
                title_end
            } else if has_org(i) {
                None
            } else {
                title_end
            };
            let core_start = title_end.unwrap_or(i).min(j);
            let possessive = j < n && is_possessive_mark(doc.tok_text(j))
                || (j < n
                    && matches!(doc.tok_text(j), "’" | "'")
                    && doc.tokens[j].start == doc.tokens[j - 1].end
                    && doc.quote_at[j] == NONE
                    && doc.enclosing[j] == NONE);
            let titled = title_end.is_some() || (i > 0 && title(i - 1));
            let org = (core_start..j).any(|k| in_lex(doc, eng, k, class::ORG_WORDS));
            let place = (core_start..j).any(|k| in_lex(doc, eng, k, class::PLACE_WORDS));
            let mut start = core_start;
            let mut kind = if org {
                MentionKind::Org
            } else {
                MentionKind::Name
            };
            if core_start == j {
                // The whole sequence is a title: "the Russian President".
                start = i;
                kind = MentionKind::Role;
            }
            if start == i
                && i > 0
                && in_lex(doc, eng, i - 1, class::DETERMINERS)
                && doc.tok_text(i - 1).eq_ignore_ascii_case("the")
            {
                start = i - 1;
                if kind == MentionKind::Name {
                    kind = MentionKind::Org;
                }
            }
            // "Local business owners", "Environmental groups": a capitalized
            // sentence opener followed by a role noun is a role mention.
            if j == i + 1
                && doc.tokens[i].is_sent_start
                && title_end.is_none()
                && let Some(k) = (j..(j + 3).min(n))
                    .take_while(|&k| {
                        doc.tokens[k].kind == TokenKind::Word
                            && !cap_word(doc, k)
                            && !in_lex(doc, eng, k, class::FUNCTION_WORDS)
                            && !in_lex(doc, eng, k, class::DETERMINERS)
                    })
                    .find(|&k| in_lex(doc, eng, k, class::ROLE_NOUNS))
            {
                out.push(Mention {
                    start: i,
                    end: k + 1,
                    lead: i,
                    kind: MentionKind::Role,
                    person: false,
                    plural: true,
                    possessive: false,
                    subject_like: true,
                });
                i = k + 1;
                continue;
            }
            let core_len = j - core_start;
            let person =
                kind == MentionKind::Name && !place && !hyphen && (titled || core_len >= 2);
            let seq_start = if title_end.is_some() { i } else { start };
            let mut before = seq_start;
            while before > 0 && (title(before - 1) || name_word(before - 1)) {
                before -= 1;
            }
            let lead = if seq_start > 0
                && seq_start < start
                && doc.tok_text(seq_start - 1).eq_ignore_ascii_case("the")
            {
                seq_start - 1
            } else {
                seq_start.min(start)
            };
            out.push(Mention {
                start,
                end: j,
                lead,
                kind,
                person,
                plural: false,
                possessive,
                subject_like: subject_like(before),
            });
            i = j;
            continue;
        }
        // A role without a name: "the ministry spokeswoman", "Officials",
        // "the mayor" (a title with no name after it).
        let det = in_lex(doc, eng, i, class::DETERMINERS);
        let role_from = if det { i + 1 } else { i };
        let role_word = |k: usize| in_lex(doc, eng, k, class::ROLE_NOUNS) || (det && title(k));
        if role_word(role_from) && (det || doc.tokens[i].is_sent_start) {
            let mut j = role_from;
            while j < n && role_word(j) {
                j += 1;
            }
            let possessive = j < n && is_possessive_mark(doc.tok_text(j));
            out.push(Mention {
                start: i,
                end: j,
                lead: i,
                kind: MentionKind::Role,
                person: false,
                plural: doc.tok_text(j - 1).ends_with('s'),
                possessive,
                subject_like: subject_like(i),
            });
            i = j;
            continue;
        }
        i += 1;
    }
}

/// The subject mention before token `pos` in its sentence: the nearest mention
/// that stands where a subject can, is not possessive and not inside a quote.
pub fn find_subject(doc: &Doc, pos: usize) -> Option<usize> {
    let n = doc.tokens.len();
    if n == 0 {
        return None;
    }
    let pos = pos.min(n - 1);
    let sent = doc.sent_of[pos] as usize;
    let s_start = doc.sents[sent].start;
    let in_quote_pos = doc.enclosing[pos];
    let first = doc.mentions.partition_point(|m| m.start < s_start);
    let last = doc.mentions.partition_point(|m| m.start < pos);
    let k = (first..last).rev().find(|&k| {
        let m = &doc.mentions[k];
        m.end <= pos
            && m.subject_like
            && !m.possessive
            && (doc.enclosing[m.start] == NONE || doc.enclosing[m.start] == in_quote_pos)
    })?;
    // "John Smith, a spokesman for the union, said": a role set off by
    // commas after a name is an appositive; the name is the subject.
    let m = &doc.mentions[k];
    if m.kind == MentionKind::Role && k > first && m.start > 0 && doc.tok_text(m.start - 1) == "," {
        let prev = &doc.mentions[k - 1];
        if prev.end + 1 == m.start
            && matches!(prev.kind, MentionKind::Name | MentionKind::Org)
            && !prev.possessive
            && prev.subject_like
        {
            return Some(k - 1);
        }
    }
    Some(k)
}

/// A role mention followed by `, Name,` (`Its spokesman, Tomas Eide, said`)
/// stands for the name: the name is the speaker.
fn appositive_name<'e>(doc: &Doc, s: SpeakerRef<'e>) -> SpeakerRef<'e> {
    let Some(mi) = s.mention else { return s };
    let m = &doc.mentions[mi];
    if m.kind != MentionKind::Role && !m.possessive {
        return s;
    }
    let mut at = m.end;
    if m.possessive {
        // "Putin’s spokesperson, Dmitry Peskov": skip the possessive and the role words.
        while at < doc.tokens.len() && doc.tok_text(at) != "," && at < m.end + 4 {
            at += 1;
        }
    }
    if doc.tok_text(at) != "," {
        return s;
    }
    match doc.mentions.get(mi + 1) {
        Some(nm)
            if nm.start == at + 1
                && matches!(nm.kind, MentionKind::Name | MentionKind::Org)
                && doc.tok_text(nm.end) == "," =>
        {
            SpeakerRef {
                toks: nm.start..nm.end,
                mention: Some(mi + 1),
                how: How {
                    appos: Some(m.start..m.end),
                    ..s.how
                },
            }
        }
        _ => s,
    }
}

/// A speaker reference made by a relation.
#[derive(Debug, Clone)]
struct SpeakerRef<'e> {
    toks: Range<usize>,
    mention: Option<usize>,
    how: How<'e>,
}

/// How a speaker reference was found (rendered into explanations on output).
#[derive(Debug, Clone)]
struct How<'e> {
    /// A fixed reason, or the capture name when `captured`.
    what: &'e str,
    captured: bool,
    /// Token range of the role the name stands in apposition to.
    appos: Option<Range<usize>>,
}

impl<'e> How<'e> {
    fn fixed(what: &'e str) -> Self {
        How {
            what,
            captured: false,
            appos: None,
        }
    }

    fn write(&self, doc: &Doc, out: &mut String) {
        if self.captured {
            out.push_str("captured as `");
            out.push_str(self.what);
            out.push_str("` by the pattern");
        } else {
            out.push_str(self.what);
        }
        if let Some(r) = &self.appos {
            out.push_str("; the name in apposition to “");
            out.push_str(doc.slice(r.clone()));
            out.push('”');
        }
    }
}

#[derive(Clone)]
struct Cand<'e> {
    rule: usize,
    m: usize,
    span: usize,
    label: &'e str,
    toks: Range<usize>,
    chars: Range<usize>,
    /// Position in the candidate list (ties keep this order).
    ix: usize,
    /// The span is a Claim (claims come first among spans starting together).
    claim: bool,
}

/// An integer in the order of [`f32::total_cmp`].
fn total_order(x: f32) -> u32 {
    let b = x.to_bits();
    if b >> 31 == 1 { !b } else { b | 1 << 31 }
}

/// Drops quote marks and `, . ; : —` at the ends of a token range (keeps `?`, `!`, `$`).
fn trim(doc: &Doc, r: Range<usize>) -> Range<usize> {
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

fn chars(doc: &Doc, r: &Range<usize>) -> Range<usize> {
    if r.is_empty() {
        return 0..0;
    }
    doc.tokens[r.start].start..doc.tokens[r.end - 1].end
}

/// The lowercase text of a token range (tokens joined by one space), appended to `s`.
fn lower_key_into(doc: &Doc, r: Range<usize>, s: &mut String) {
    let start = s.len();
    for k in r {
        if s.len() > start {
            s.push(' ');
        }
        let t = doc.tok_text(k);
        if t.is_ascii() {
            let at = s.len();
            s.push_str(t);
            s[at..].make_ascii_lowercase();
        } else {
            s.push_str(&t.to_lowercase());
        }
    }
}

/// Appends `s`, cut to its first and last 28 characters when longer than 60.
fn push_short(out: &mut String, s: &str) {
    if s.len() <= 60 {
        out.push_str(s);
        return;
    }
    if s.is_ascii() {
        // One byte per character: no counting.
        out.push_str(&s[..28]);
        out.push_str(" … ");
        out.push_str(&s[s.len() - 28..]);
        return;
    }
    // At most 60 characters: all of it. Else the first and the last 28.
    if s.char_indices().nth(60).is_none() {
        out.push_str(s);
        return;
    }
    let head = s.char_indices().nth(28).map_or(s.len(), |(b, _)| b);
    let tail = s.char_indices().rev().nth(27).map_or(0, |(b, _)| b);
    out.push_str(&s[..head]);
    out.push_str(" … ");
    out.push_str(&s[tail..]);
}

/// The object after a token: a few words up to punctuation or a clause word.
fn target_after<'t>(doc: &Doc<'t>, eng: &Engine, end: usize) -> &'t str {
    let n = doc.tokens.len();
    if end >= n {
        return "";
    }
    let sent_end = doc.sents[doc.sent_of[end.min(n - 1)] as usize].end;
    let mut k = end;
    while k < sent_end
        && (in_lex(doc, eng, k, class::DETERMINERS)
            || matches!(doc.tok_text(k), "the" | "a" | "an"))
    {
        k += 1;
    }
    let start = k;
    while k < sent_end && k - start < 6 {
        let t = doc.tok_text(k);
        if doc.tokens[k].kind == TokenKind::Punct && !matches!(t, "-" | "’" | "'") {
            break;
        }
        if lower_in(
            t,
            &[
                "during", "amid", "after", "before", "while", "which", "that", "as", "since",
                "because", "when", "by", "if",
            ],
        ) {
            break;
        }
        k += 1;
    }
    while k > start
        && lower_in(
            doc.tok_text(k - 1),
            &["of", "in", "on", "to", "for", "and", "with"],
        )
    {
        k -= 1;
    }
    doc.slice(start..k)
}

/// Whether the token lowercased is one of `words` (ASCII words: only ASCII
/// letters lowercase to them).
fn lower_in(t: &str, words: &[&str]) -> bool {
    words.iter().any(|w| t.eq_ignore_ascii_case(w))
}

fn flip(p: &str) -> &str {
    match p {
        "favor" => "against",
        "against" => "favor",
        o => o,
    }
}

/// Buffers that [`suggest_into`] reuses from one text to the next: matcher
/// state, start lists, and the strings and maps of the previous output.
#[derive(Default)]
pub struct SuggestScratch {
    doc: DocBufs,
    matcher: Scratch,
    /// Distinct first sets of the rules and the tokens having them.
    firsts: Vec<(Feat, Vec<u32>)>,
    /// Per rule: index into `firsts`, [`NO_FIRST`] or [`SKIP`].
    rule_first: Vec<usize>,
    /// Suggestions of an earlier output, refilled in place.
    pool: Vec<Suggestion>,
    /// Relation kind strings of an earlier output.
    kinds: Vec<String>,
    key: String,
    /// Leave explanations empty (see [`SuggestScratch::without_explanations`]).
    skip_explanations: bool,
    /// Entity, reason and link texts of explanations (emptied; kept for their capacity).
    texts: (String, String, String),
    /// Matches of an earlier text (emptied; kept for its capacity).
    matches: Vec<(usize, Match)>,
}

impl SuggestScratch {
    /// Buffers for runs whose output has no place for explanations (the
    /// streaming JSONL pass): suggestions come with empty explanations and
    /// their text is never put together. Everything else is the same.
    pub fn without_explanations() -> SuggestScratch {
        SuggestScratch {
            skip_explanations: true,
            ..SuggestScratch::default()
        }
    }
}

impl std::fmt::Debug for SuggestScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuggestScratch")
            .field("pooled_spans", &self.pool.len())
            .finish_non_exhaustive()
    }
}

const SKIP: usize = usize::MAX;
const NO_FIRST: usize = usize::MAX - 1;
/// The rule's first set is one feature bit whose token list the document keeps.
const OWN_LIST: usize = usize::MAX - 2;

fn pooled(pool: &mut Vec<Suggestion>) -> Suggestion {
    pool.pop().unwrap_or_else(|| Suggestion {
        start: 0,
        end: 0,
        label: String::new(),
        attrs: BTreeMap::new(),
        rule_id: String::new(),
        confidence: 0.0,
        explanation: String::new(),
    })
}

/// A pooled suggestion whose attribute map has keys `fits`, if one of the
/// last few has (its keys are then kept, no key strings are allocated);
/// else the last one.
fn pooled_fit(
    pool: &mut Vec<Suggestion>,
    fits: impl Fn(&BTreeMap<String, String>) -> bool,
) -> Suggestion {
    let n = pool.len();
    match (n.saturating_sub(16)..n)
        .rev()
        .find(|&k| fits(&pool[k].attrs))
    {
        Some(k) => pool.swap_remove(k),
        None => pooled(pool),
    }
}

fn set(s: &mut String, v: &str) {
    s.clear();
    s.push_str(v);
}

/// A span being output: the suggestion, its relations (a range of the
/// relation list), and its own token range if it is a speaker.
type Item = (Suggestion, Range<usize>, Option<(usize, usize)>);

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
    sc.pool.append(&mut out.spans);
    sc.kinds.extend(out.relations.drain(..).map(|r| r.kind));
    let doc = Doc::new_in(text, eng, &mut sc.doc);
    let mut matches = std::mem::take(&mut sc.matches);
    matches.clear();
    // Possible starts, one list per distinct first set, all filled in one pass.
    // Rules that cannot match (a required or first feature absent) are skipped.
    let mut nf = 0;
    sc.rule_first.clear();
    for (ri, rule) in eng.rules.iter().enumerate() {
        let mut slot = SKIP;
        if enabled.get(ri).copied().unwrap_or(true) && doc.union & rule.required == rule.required {
            slot = match rule.first {
                None => NO_FIRST,
                Some(f) if doc.union & f == 0 => SKIP,
                Some(f) if doc.with_bit(f).is_some() => OWN_LIST,
                Some(f) => match sc.firsts[..nf].iter().position(|(g, _)| *g == f) {
                    Some(k) => k,
                    None => {
                        if nf == sc.firsts.len() {
                            sc.firsts.push((f, Vec::new()));
                        } else {
                            sc.firsts[nf].0 = f;
                            sc.firsts[nf].1.clear();
                        }
                        nf += 1;
                        nf - 1
                    }
                },
            };
        }
        sc.rule_first.push(slot);
    }
    if nf > 0 {
        let any = sc.firsts[..nf].iter().fold(0, |a, (f, _)| a | f);
        for (i, &f) in doc.feats.iter().enumerate() {
            if f & any != 0 {
                for (g, list) in &mut sc.firsts[..nf] {
                    if f & *g != 0 {
                        list.push(i as u32);
                    }
                }
            }
        }
    }
    for (ri, rule) in eng.rules.iter().enumerate() {
        let starts = match sc.rule_first[ri] {
            SKIP => continue,
            NO_FIRST => None,
            OWN_LIST => rule.first.and_then(|f| doc.with_bit(f)),
            k => Some(sc.firsts[k].1.as_slice()),
        };
        find_each_from(&doc, eng, rule, &mut sc.matcher, starts, |m| {
            matches.push((ri, m))
        });
    }
    // Primary candidates: spans whose capture is not a relation target.
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
            let toks = trim(&doc, r);
            if toks.is_empty() {
                continue;
            }
            let ch = chars(&doc, &toks);
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
    // Overlap resolution per label: priority, confidence, length.
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
    // Accepted character ranges per label, sorted by start (they do not overlap).
    let mut taken: Vec<(&str, Vec<(usize, usize)>)> = Vec::new();
    for &(.., ix) in &keyed {
        let mut c = cands[ix].clone();
        let slot = match taken
            .iter()
            .position(|(l, _)| std::ptr::eq(*l, c.label) || *l == c.label)
        {
            Some(k) => k,
            None => {
                taken.push((c.label, Vec::new()));
                taken.len() - 1
            }
        };
        let list = &mut taken[slot].1;
        // First accepted range ending after c starts; it clashes if it starts before c ends.
        let at = list.partition_point(|&(_, e)| e <= c.chars.start);
        let clash = list.get(at).is_some_and(|&(s, _)| s < c.chars.end);
        if !clash {
            let ins = list.partition_point(|&(s, _)| s < c.chars.start);
            list.insert(ins, (c.chars.start, c.chars.end));
            // From here on ties keep the order of acceptance.
            c.ix = accepted.len();
            accepted.push(c);
        }
    }
    accepted.sort_unstable_by_key(|c| (c.chars.start, !c.claim, c.ix));

    // Relations, in document order so that `@previous` and nesting see earlier claims.
    struct Done {
        cand: usize,
        /// Its links (relation kind and speaker) in `link_buf`.
        links: Range<usize>,
    }
    let mut done: Vec<Done> = Vec::with_capacity(accepted.len());
    let mut link_buf: Vec<(&str, SpeakerRef)> = Vec::with_capacity(accepted.len() + 4);
    for (ci, c) in accepted.iter().enumerate() {
        let (ri, m) = (&matches[c.m].0, &matches[c.m].1);
        let rule = &eng.rules[*ri];
        let cap = rule.spans[c.span].cap;
        let from = link_buf.len();
        let mut any_rel = false;
        for r in rule.relations.iter().filter(|r| r.from == cap) {
            any_rel = true;
            let found = match r.to {
                RelTarget::Cap(k) => m.cap(k).map(|t| {
                    let mut t = trim(&doc, t);
                    // A capture that begins at a mention's titles ("Mayor
                    // Ann Lee") is that mention: titles stay outside.
                    if let Some(&m) = doc.mention_at.get(t.start)
                        && m != NONE
                    {
                        let m = &doc.mentions[m as usize];
                        if m.lead == t.start && m.end == t.end {
                            t = m.start..m.end;
                        }
                    }
                    let first = doc.mentions.partition_point(|x| x.start < t.start);
                    let mention = doc.mentions[first..]
                        .iter()
                        .take_while(|x| x.start == t.start)
                        .position(|x| x.end == t.end)
                        .map(|p| first + p);
                    SpeakerRef {
                        toks: t,
                        mention,
                        how: How {
                            what: &rule.captures[k],
                            captured: true,
                            appos: None,
                        },
                    }
                }),
                RelTarget::Subject => {
                    let outer = done.iter().rev().find(|d| {
                        let o = &accepted[d.cand];
                        o.claim
                            && o.chars.start <= c.chars.start
                            && c.chars.end <= o.chars.end
                            && d.cand != ci
                    });
                    match outer.and_then(|d| link_buf[d.links.clone()].first()) {
                        Some((_, s)) if !c.claim => Some(SpeakerRef {
                            toks: s.toks.clone(),
                            mention: s.mention,
                            how: How::fixed("the speaker of the claim that contains it"),
                        }),
                        _ => find_subject(&doc, m.start.min(c.toks.start)).map(|k| SpeakerRef {
                            toks: doc.mentions[k].start..doc.mentions[k].end,
                            mention: Some(k),
                            how: How::fixed("the subject before it in its sentence"),
                        }),
                    }
                }
                RelTarget::Previous => {
                    let my_sent = doc.sent_of[c.toks.start] as usize;
                    done.iter()
                        .rev()
                        .find_map(|d| {
                            let o = &accepted[d.cand];
                            let last = doc.sent_of[o.toks.end - 1] as usize;
                            (o.claim && last + 1 == my_sent && d.cand != ci)
                                .then(|| {
                                    link_buf[d.links.clone()]
                                        .first()
                                        .map(|(_, s)| (s.toks.clone(), s.mention))
                                })
                                .flatten()
                        })
                        .map(|(toks, mention)| SpeakerRef {
                            toks,
                            mention,
                            how: How::fixed("the speaker of the claim in the sentence before"),
                        })
                }
            };
            let found = found.map(|s| appositive_name(&doc, s));
            if let Some(s) = found
                && !s.toks.is_empty()
            {
                link_buf.push((r.kind.as_str(), s));
            }
        }
        if any_rel && link_buf.len() == from {
            continue; // a claim or stance nobody holds is not suggested
        }
        done.push(Done {
            cand: ci,
            links: from..link_buf.len(),
        });
    }

    // Entities of all mentions, in document order.
    let mut speaker_mentions = vec![false; doc.mentions.len()];
    for d in &done {
        for (_, s) in &link_buf[d.links.clone()] {
            if let Some(mi) = s.mention {
                speaker_mentions[mi] = true;
            }
        }
    }
    let res = resolve_entities(&doc, &speaker_mentions);

    // Build the output.
    // Speakers made so far: (token range, index in `all`), sorted by range.
    let mut speaker_idx: Vec<((usize, usize), usize)> = Vec::with_capacity(link_buf.len());
    let mut all: Vec<Item> = Vec::with_capacity(done.len() * 2);
    // Relations of the spans of `all` (kind, speaker's index in `all`).
    let mut rel_buf: Vec<(&str, usize)> = Vec::with_capacity(link_buf.len());
    let (mut entity, mut reason, mut how) = std::mem::take(&mut sc.texts);
    let explain = !sc.skip_explanations;
    for d in &done {
        let c = &accepted[d.cand];
        let (ri, m) = (&matches[c.m].0, &matches[c.m].1);
        let rule = &eng.rules[*ri];
        let sp = &rule.spans[c.span];
        let same_keys = |a: &BTreeMap<String, String>| {
            a.len() == sp.keys.len() && a.keys().zip(&sp.keys).all(|(x, y)| x == y)
        };
        let mut span = pooled_fit(&mut sc.pool, same_keys);
        // The keys of a reused map stay when they are the rule's keys.
        let attrs = &mut span.attrs;
        if !same_keys(attrs) {
            attrs.clear();
            for (k, _) in &sp.attrs {
                attrs.entry(k.clone()).or_default();
            }
        }
        // The map's values in key order, each from the attribute that sets it.
        for (val, &ai) in attrs.values_mut().zip(&sp.by_key) {
            val.clear();
            match &sp.attrs[ai].1 {
                CAttr::Const(s) => val.push_str(s),
                CAttr::Text(cap) => {
                    if let Some(r) = m.cap(*cap) {
                        lower_key_into(&doc, trim(&doc, r), val);
                    }
                }
                CAttr::Target(cap) => {
                    if let Some(r) = m.cap(*cap) {
                        val.push_str(target_after(&doc, eng, r.end));
                    }
                }
                CAttr::Tag { lex, cap, flip: f } => {
                    let tag = m.cap(*cap).and_then(|r| {
                        sc.key.clear();
                        lower_key_into(&doc, r, &mut sc.key);
                        eng.lex.tag(*lex, &sc.key)
                    });
                    let tag = tag.unwrap_or_default();
                    if f.and_then(|f| m.cap(f)).is_some() {
                        val.push_str(flip(tag));
                    } else {
                        val.push_str(tag);
                    }
                }
            }
        }
        let mut conf = rule.confidence;
        if c.claim {
            let has_quote = (c.toks.start..c.toks.end).any(|k| doc.quote_at[k] != NONE);
            if has_quote
                && let Some(mode) = attrs.get_mut("mode")
                && mode == "indirect"
            {
                set(mode, "mixed");
            }
            let enc = doc.enclosing[c.toks.start];
            if enc != NONE && doc.quotes[enc as usize].unclosed {
                conf *= 0.8;
            }
        }
        let mut expl = std::mem::take(&mut span.explanation);
        expl.clear();
        if explain {
            expl.reserve(rule.explain_head.len() + 80 * rule.captures.len() + 240 * d.links.len());
            expl.push_str(&rule.explain_head);
            push_short(&mut expl, doc.slice(m.start..m.end));
            expl.push_str("”; ");
            let mut first_cap = true;
            for (k, name) in rule.captures.iter().enumerate() {
                if let Some(r) = m.cap(k) {
                    if !first_cap {
                        expl.push_str(", ");
                    }
                    first_cap = false;
                    expl.push_str(name);
                    expl.push_str("=“");
                    push_short(&mut expl, doc.slice(r));
                    expl.push('”');
                }
            }
            expl.push('.');
        }
        let rels_from = rel_buf.len();
        for (kind, s) in &link_buf[d.links.clone()] {
            let key = (s.toks.start, s.toks.end);
            entity.clear();
            reason.clear();
            match s.mention {
                Some(mi) => {
                    res.name(&doc, mi, &mut entity);
                    if explain {
                        res.reason(&doc, mi, &mut reason);
                    }
                }
                None => {
                    entity.push_str(doc.slice(s.toks.clone()).trim_start_matches("the "));
                    reason.push_str("its own text");
                }
            }
            let said = doc.slice(s.toks.clone());
            // How the speaker was found and its entity: the end of both the
            // span's and the speaker's explanation.
            how.clear();
            if explain {
                s.how.write(&doc, &mut how);
                for part in ["; entity “", &entity, "” (", &reason, ")."] {
                    how.push_str(part);
                }
                for part in [" Linked `", kind, "` to “", said, "”: ", &how] {
                    expl.push_str(part);
                }
            }
            let at = speaker_idx.partition_point(|(k, _)| *k < key);
            let to = match speaker_idx.get(at) {
                Some(&(k, to)) if k == key => {
                    let sp = &mut all[to].0;
                    sp.confidence = sp.confidence.max(conf);
                    to
                }
                _ => {
                    let ch = chars(&doc, &s.toks);
                    let mut sp =
                        pooled_fit(&mut sc.pool, |a| a.len() == 1 && a.contains_key("entity"));
                    if sp.attrs.len() != 1 || !sp.attrs.contains_key("entity") {
                        sp.attrs.clear();
                        sp.attrs.insert("entity".to_string(), String::new());
                    }
                    if let Some(v) = sp.attrs.get_mut("entity") {
                        set(v, &entity);
                    }
                    sp.start = ch.start;
                    sp.end = ch.end;
                    set(&mut sp.label, "Speaker");
                    set(&mut sp.rule_id, &rule.id);
                    sp.confidence = conf;
                    let x = &mut sp.explanation;
                    x.clear();
                    if explain {
                        for part in [
                            "Speaker “",
                            said,
                            "” of a ",
                            c.label,
                            " by rule `",
                            &rule.id,
                            "`: ",
                            &how,
                        ] {
                            x.push_str(part);
                        }
                    }
                    speaker_idx.insert(at, (key, all.len()));
                    all.push((sp, 0..0, Some(key)));
                    all.len() - 1
                }
            };
            rel_buf.push((*kind, to));
        }
        span.start = c.chars.start;
        span.end = c.chars.end;
        set(&mut span.label, c.label);
        set(&mut span.rule_id, &rule.id);
        span.confidence = conf;
        span.explanation = expl;
        all.push((span, rels_from..rel_buf.len(), None));
    }
    // Spans ordered by start; speakers merged in (after the other spans on equal keys, as before).
    let mut keyed: Vec<_> = all
        .iter()
        .enumerate()
        .map(|(x, a)| (a.0.start, a.0.end, a.0.label.as_str(), a.2.is_some(), x))
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.iter().map(|k| k.4).collect();
    drop(keyed);
    // Output position of each span of `all`.
    let mut pos = vec![0; all.len()];
    for (i, &k) in order.iter().enumerate() {
        pos[k] = i;
    }
    out.spans.reserve(all.len());
    let mut slots: Vec<Option<Item>> = all.into_iter().map(Some).collect();
    for (i, &k) in order.iter().enumerate() {
        let Some((s, rels, _)) = slots[k].take() else {
            continue;
        };
        for &(kind, to) in &rel_buf[rels] {
            let mut k = sc.kinds.pop().unwrap_or_default();
            set(&mut k, kind);
            out.relations.push(SuggestedRelation {
                kind: k,
                from: i,
                to: pos[to],
            });
        }
        out.spans.push(s);
    }
    drop(res);
    sc.texts = (entity, reason, how);
    for (_, m) in matches.drain(..) {
        sc.matcher.recycle_match(m);
    }
    sc.matches = matches;
    doc.recycle(&mut sc.doc);
}

/// How a mention's entity name is made.
#[derive(Clone, Copy)]
enum Name<'t> {
    /// The name of an entity.
    Ent(usize),
    /// Text of the document.
    Text(&'t str),
    /// Two entities joined by `; `.
    Group(usize, usize),
}

/// Why a mention resolved to its entity.
#[derive(Clone, Copy)]
enum Why {
    SameName,
    PartOf(usize),
    First,
    FirstPerson,
    /// Pronoun for mention `k`; whether `k` is a speaker.
    Pronoun(usize, bool),
    PronounNone,
    Group,
    GroupNone,
    Role,
}

struct Ent<'t> {
    name: &'t str,
    /// Its words in the document's word list, if it has two or more.
    words: Range<usize>,
    person: bool,
}

/// Entities of the mentions of a document, rendered on demand.
struct Resolved<'t> {
    ents: Vec<Ent<'t>>,
    names: Vec<Name<'t>>,
    whys: Vec<Why>,
}

impl Resolved<'_> {
    fn name(&self, doc: &Doc, mi: usize, out: &mut String) {
        let _ = doc;
        match self.names[mi] {
            Name::Ent(e) => out.push_str(self.ents[e].name),
            Name::Text(t) => out.push_str(t),
            Name::Group(a, b) => {
                out.push_str(self.ents[a].name);
                out.push_str("; ");
                out.push_str(self.ents[b].name);
            }
        }
    }

    fn reason(&self, doc: &Doc, mi: usize, out: &mut String) {
        match self.whys[mi] {
            Why::SameName => out.push_str("same name as before"),
            Why::PartOf(e) => {
                out.push_str("part of the earlier name “");
                out.push_str(self.ents[e].name);
                out.push('”');
            }
            Why::First => out.push_str("first mention"),
            Why::FirstPerson => out.push_str("first mention of a person"),
            Why::Pronoun(k, speaker) => {
                out.push_str("pronoun for the nearest earlier ");
                out.push_str(if speaker { "speaker" } else { "mention" });
                out.push_str(" “");
                out.push_str(doc.slice(doc.mentions[k].start..doc.mentions[k].end));
                out.push('”');
            }
            Why::PronounNone => out.push_str("pronoun with no earlier fitting name"),
            Why::Group => out.push_str("a group: the last two persons mentioned"),
            Why::GroupNone => out.push_str("a group with no two earlier persons"),
            Why::Role => out.push_str("a role without a name"),
        }
    }
}

/// Entity name of every mention (and why), in document order.
fn resolve_entities<'t>(doc: &Doc<'t>, speakers: &[bool]) -> Resolved<'t> {
    let mut ents: Vec<Ent<'t>> = Vec::new();
    // Words of the entity names of several words, one after the other.
    let mut words: Vec<&'t str> = Vec::new();
    // Per mention: entity index (None for composite or unresolved).
    let mut of: Vec<Option<usize>> = Vec::with_capacity(doc.mentions.len());
    let mut names: Vec<Name<'t>> = Vec::with_capacity(doc.mentions.len());
    let mut whys: Vec<Why> = Vec::with_capacity(doc.mentions.len());
    let is_speaker = |k: usize| speakers.get(k).copied().unwrap_or(false);
    for (mi, m) in doc.mentions.iter().enumerate() {
        let text = doc.slice(m.start..m.end);
        let bare = text
            .strip_prefix("The ")
            .or_else(|| text.strip_prefix("the "))
            .unwrap_or(text);
        let (e, name, why): (Option<usize>, Name<'t>, Why) = match m.kind {
            MentionKind::Name | MentionKind::Org => {
                // Same length and first byte before comparing the names.
                let (len, b0) = (bare.len(), bare.as_bytes().first());
                if let Some(k) = ents.iter().position(|e| {
                    e.name.len() == len && e.name.as_bytes().first() == b0 && e.name == bare
                }) {
                    ents[k].person |= m.person;
                    (Some(k), Name::Ent(k), Why::SameName)
                } else {
                    let from = words.len();
                    words.extend(
                        bare.split(|c: char| c.is_whitespace())
                            .filter(|w| !w.is_empty()),
                    );
                    let single = words.len() == from + 1;
                    let part = if single {
                        let w0 = words[from];
                        ents.iter().rposition(|e| {
                            e.words.len() > 1 && words[e.words.clone()].contains(&w0)
                        })
                    } else {
                        None
                    };
                    if single {
                        words.truncate(from);
                    }
                    match part {
                        Some(k) => (Some(k), Name::Ent(k), Why::PartOf(k)),
                        None => {
                            ents.push(Ent {
                                name: bare,
                                words: from..words.len(),
                                person: m.person,
                            });
                            let why = if single || !m.person {
                                Why::First
                            } else {
                                Why::FirstPerson
                            };
                            (Some(ents.len() - 1), Name::Ent(ents.len() - 1), why)
                        }
                    }
                }
            }
            MentionKind::Pronoun => {
                let want_person = !m.plural;
                let pick = |only_speakers: bool| {
                    (0..mi).rev().find(|&k| {
                        let e = of[k];
                        let ok_kind = match e {
                            Some(x) => {
                                ents[x].person == want_person
                                    || (!want_person && doc.mentions[k].kind == MentionKind::Group)
                            }
                            None => !want_person && doc.mentions[k].kind == MentionKind::Group,
                        };
                        ok_kind
                            && (!only_speakers || is_speaker(k))
                            && doc.mentions[k].kind != MentionKind::Pronoun
                    })
                };
                match pick(true).or_else(|| pick(false)) {
                    Some(k) => (of[k], names[k], Why::Pronoun(k, is_speaker(k))),
                    None => (None, Name::Text(text), Why::PronounNone),
                }
            }
            MentionKind::Group => {
                let mut picked: Vec<usize> = Vec::with_capacity(2);
                for k in (0..mi).rev() {
                    if let Some(e) = of[k]
                        && ents[e].person
                        && !picked.contains(&e)
                    {
                        picked.push(e);
                        if picked.len() == 2 {
                            break;
                        }
                    }
                }
                if picked.len() == 2 {
                    picked.sort_unstable();
                    (None, Name::Group(picked[0], picked[1]), Why::Group)
                } else {
                    (None, Name::Text(bare), Why::GroupNone)
                }
            }
            MentionKind::Role => (None, Name::Text(bare), Why::Role),
        };
        of.push(e);
        names.push(name);
        whys.push(why);
    }
    Resolved { ents, names, whys }
}
