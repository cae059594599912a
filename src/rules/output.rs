//! Output: the chosen candidates and their speakers as [`Suggestions`]:
//! attribute values from captures and lexicon tags, confidence, explanation
//! text (unless the run has no place for it), one Speaker span per distinct
//! speaker reference with its resolved `entity`, and relations by index.
//! Strings and maps of the previous output are refilled in place.

use std::collections::BTreeMap;
use std::ops::Range;

use super::attribution::{Done, SpeakerRef};
use super::choose::{Cand, chars, trim};
use super::doc::{Doc, NONE, in_lex};
use super::entities::Resolved;
use super::matcher::Match;
use super::pattern::{CAttr, CSpan, Compiled};
use super::tokenize::TokenKind;
use super::{Engine, SuggestedRelation, Suggestion, Suggestions, class};

/// Strings and maps of earlier outputs, reused by [`build`].
#[derive(Default)]
pub struct OutputBufs {
    /// Suggestions of an earlier output, refilled in place.
    pub pool: Vec<Suggestion>,
    /// Relation kind strings of an earlier output.
    pub kinds: Vec<String>,
    key: String,
    /// The attributes being packed (see `pack_attrs`).
    attrs: BTreeMap<String, String>,
    /// Leave explanations empty (the streaming JSONL pass has no place for them).
    pub skip_explanations: bool,
    /// Attributes packed into each suggestion's `explanation` instead of its
    /// map (see [`pack_attr`]): the streaming JSONL pass, which writes them
    /// straight into its output, so that a long document's suggestions do
    /// not each hold a map node (hundreds of bytes). Implies no explanations.
    pub pack_attrs: bool,
    /// Entity, reason and link texts of explanations (emptied; kept for their capacity).
    texts: (String, String, String),
}

impl OutputBufs {
    /// Takes the spans and relation kinds of `out` back for reuse.
    pub fn reclaim(&mut self, out: &mut Suggestions) {
        self.pool.append(&mut out.spans);
        self.kinds.extend(out.relations.drain(..).map(|r| r.kind));
    }
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
#[inline(always)]
fn lower_in(t: &str, words: &[&str]) -> bool {
    for w in words {
        if t.eq_ignore_ascii_case(w) {
            return true;
        }
    }
    false
}

fn flip(p: &str) -> &str {
    match p {
        "favor" => "against",
        "against" => "favor",
        o => o,
    }
}

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

/// Appends one attribute to packed attributes: the key's length in bytes,
/// `:`, the key, then the same for the value. Read back with [`packed_attrs`].
pub fn pack_attr(out: &mut String, key: &str, value: &str) {
    use std::fmt::Write;
    for part in [key, value] {
        let _ = write!(out, "{}:", part.len());
        out.push_str(part);
    }
}

/// The attributes that [`pack_attr`] packed into `packed`, in order.
pub fn packed_attrs(packed: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = packed;
    let mut next = move || -> Option<&str> {
        let (len, after) = rest.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let part = after.get(..len)?;
        rest = &after[len..];
        Some(part)
    };
    std::iter::from_fn(move || Some((next()?, next()?)))
}

/// Writes the suggestions of the linked candidates into `out` (emptied by
/// [`OutputBufs::reclaim`] before), spans ordered by start.
#[allow(clippy::too_many_arguments)]
pub fn build(
    eng: &Engine,
    doc: &Doc,
    matches: &[(usize, Match)],
    accepted: &[Cand],
    done: &[Done],
    link_buf: &[(&str, SpeakerRef)],
    res: &Resolved,
    bufs: &mut OutputBufs,
    out: &mut Suggestions,
) {
    // The spans go into `out.spans` as they are made, and are put in order
    // at the end (no second vector of them: a long document has hundreds of
    // thousands). Per span made: its relations (a range of `rel_buf`) and
    // whether it is a speaker.
    let mut made: Vec<(Range<usize>, bool)> = Vec::with_capacity(done.len() * 2);
    // Speakers made so far: (token range, index in `out.spans`), sorted by range.
    let mut speaker_idx: Vec<((usize, usize), usize)> = Vec::with_capacity(link_buf.len());
    // Relations of the spans made (kind, speaker's index in `out.spans`).
    let mut rel_buf: Vec<(&str, usize)> = Vec::with_capacity(link_buf.len());
    let (mut entity, mut reason, mut how) = std::mem::take(&mut bufs.texts);
    let explain = !bufs.skip_explanations && !bufs.pack_attrs;
    out.packed_attrs = bufs.pack_attrs;
    for d in done {
        let c = &accepted[d.cand];
        let (ri, m) = (&matches[c.m].0, &matches[c.m].1);
        let rule = &eng.rules[*ri];
        let sp = &rule.spans[c.span];
        let same_keys = |a: &BTreeMap<String, String>| {
            a.len() == sp.keys.len() && a.keys().zip(&sp.keys).all(|(x, y)| x == y)
        };
        let mut span = if bufs.pack_attrs {
            pooled(&mut bufs.pool)
        } else {
            pooled_fit(&mut bufs.pool, same_keys)
        };
        // Packed attributes are filled in a map of the buffers first.
        let attrs = if bufs.pack_attrs {
            &mut bufs.attrs
        } else {
            &mut span.attrs
        };
        // The keys of a reused map stay when they are the rule's keys.
        if !same_keys(attrs) {
            attrs.clear();
            for (k, _) in &sp.attrs {
                attrs.entry(k.clone()).or_default();
            }
        }
        fill_attrs(eng, doc, m, sp, attrs, &mut bufs.key);
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
        if bufs.pack_attrs {
            span.attrs.clear();
            for (k, v) in &bufs.attrs {
                pack_attr(&mut expl, k, v);
            }
        }
        if explain {
            explain_match(&mut expl, rule, doc, m, d.links.len());
        }
        let rels_from = rel_buf.len();
        for &(kind, ref s) in &link_buf[d.links.clone()] {
            let key = (s.toks.start, s.toks.end);
            entity.clear();
            reason.clear();
            match s.mention {
                Some(mi) => {
                    res.name(doc, mi, &mut entity);
                    if explain {
                        res.reason(doc, mi, &mut reason);
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
                s.how.write(doc, &mut how);
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
                    let sp = &mut out.spans[to];
                    sp.confidence = sp.confidence.max(conf);
                    to
                }
                _ => {
                    let sp = if bufs.pack_attrs {
                        packed_speaker_span(&mut bufs.pool, doc, &s.toks, &entity, &rule.id, conf)
                    } else {
                        speaker_span(
                            &mut bufs.pool,
                            doc,
                            &s.toks,
                            &entity,
                            SpeakerWhy {
                                rule: &rule.id,
                                of: c.label,
                                how: explain.then_some(how.as_str()),
                            },
                            conf,
                        )
                    };
                    speaker_idx.insert(at, (key, out.spans.len()));
                    out.spans.push(sp);
                    made.push((0..0, true));
                    out.spans.len() - 1
                }
            };
            rel_buf.push((kind, to));
        }
        span.start = c.chars.start;
        span.end = c.chars.end;
        set(&mut span.label, c.label);
        set(&mut span.rule_id, &rule.id);
        span.confidence = conf;
        span.explanation = expl;
        out.spans.push(span);
        made.push((rels_from..rel_buf.len(), false));
    }
    put_in_order(&made, &rel_buf, &mut bufs.kinds, out);
    bufs.texts = (entity, reason, how);
}

/// The attribute values of a span, in key order, each from the attribute
/// definition that sets it (constant, capture text, lexicon tag, target).
fn fill_attrs(
    eng: &Engine,
    doc: &Doc,
    m: &Match,
    sp: &CSpan,
    attrs: &mut BTreeMap<String, String>,
    key: &mut String,
) {
    // The map's values in key order, each from the attribute that sets it.
    for (val, &ai) in attrs.values_mut().zip(&sp.by_key) {
        val.clear();
        match &sp.attrs[ai].1 {
            CAttr::Const(s) => val.push_str(s),
            CAttr::Text(cap) => {
                if let Some(r) = m.cap(*cap) {
                    lower_key_into(doc, trim(doc, r), val);
                }
            }
            CAttr::Target(cap) => {
                if let Some(r) = m.cap(*cap) {
                    val.push_str(target_after(doc, eng, r.end));
                }
            }
            CAttr::Tag { lex, cap, flip: f } => {
                let tag = m.cap(*cap).and_then(|r| {
                    key.clear();
                    lower_key_into(doc, r, key);
                    eng.lex.tag(*lex, key)
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
}

/// The head of a span's explanation: the rule, the matched text and each capture.
fn explain_match(expl: &mut String, rule: &Compiled, doc: &Doc, m: &Match, links: usize) {
    expl.reserve(rule.explain_head.len() + 80 * rule.captures.len() + 240 * links);
    expl.push_str(&rule.explain_head);
    push_short(expl, doc.slice(m.start..m.end));
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
            push_short(expl, doc.slice(r));
            expl.push('”');
        }
    }
    expl.push('.');
}

/// [`speaker_span`] with its `entity` packed into the explanation.
#[inline(never)]
fn packed_speaker_span(
    pool: &mut Vec<Suggestion>,
    doc: &Doc,
    toks: &Range<usize>,
    entity: &str,
    rule: &str,
    conf: f32,
) -> Suggestion {
    let ch = chars(doc, toks);
    let mut sp = pooled(pool);
    sp.attrs.clear();
    sp.explanation.clear();
    pack_attr(&mut sp.explanation, "entity", entity);
    sp.start = ch.start;
    sp.end = ch.end;
    set(&mut sp.label, "Speaker");
    set(&mut sp.rule_id, rule);
    sp.confidence = conf;
    sp
}

/// Why a Speaker span is made, for its explanation (`how` is `None` when
/// the run makes no explanations).
struct SpeakerWhy<'a> {
    rule: &'a str,
    of: &'a str,
    how: Option<&'a str>,
}

/// A Speaker span for a speaker reference, with its `entity`.
fn speaker_span(
    pool: &mut Vec<Suggestion>,
    doc: &Doc,
    toks: &Range<usize>,
    entity: &str,
    why: SpeakerWhy,
    conf: f32,
) -> Suggestion {
    let ch = chars(doc, toks);
    let mut sp = pooled_fit(pool, |a| a.len() == 1 && a.contains_key("entity"));
    if sp.attrs.len() != 1 || !sp.attrs.contains_key("entity") {
        sp.attrs.clear();
        sp.attrs.insert("entity".to_string(), String::new());
    }
    if let Some(v) = sp.attrs.get_mut("entity") {
        set(v, entity);
    }
    sp.start = ch.start;
    sp.end = ch.end;
    set(&mut sp.label, "Speaker");
    set(&mut sp.rule_id, why.rule);
    sp.confidence = conf;
    let x = &mut sp.explanation;
    x.clear();
    let x = &mut sp.explanation;
    if let Some(how) = why.how {
        let said = doc.slice(toks.clone());
        for part in [
            "Speaker “",
            said,
            "” of a ",
            why.of,
            " by rule `",
            why.rule,
            "`: ",
            how,
        ] {
            x.push_str(part);
        }
    }
    sp
}

/// Orders the spans made (`out.spans`, described by `made`) by start
/// (speakers after other spans on equal keys, then in the order made), and
/// writes the relations, renumbered to output positions, in that order.
fn put_in_order(
    made: &[(Range<usize>, bool)],
    rel_buf: &[(&str, usize)],
    kinds: &mut Vec<String>,
    out: &mut Suggestions,
) {
    let mut keyed: Vec<_> = out
        .spans
        .iter()
        .zip(made)
        .enumerate()
        .map(|(x, (s, m))| (s.start, s.end, s.label.as_str(), m.1, x))
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.iter().map(|k| k.4).collect();
    drop(keyed);
    // Output position of each span made.
    let mut pos = vec![0; order.len()];
    for (i, &k) in order.iter().enumerate() {
        pos[k] = i;
    }
    for (i, &k) in order.iter().enumerate() {
        for &(kind, to) in &rel_buf[made[k].0.clone()] {
            let mut k = kinds.pop().unwrap_or_default();
            set(&mut k, kind);
            out.relations.push(SuggestedRelation {
                kind: k,
                from: i,
                to: pos[to],
            });
        }
    }
    // Each swap puts one span at its place.
    for k in 0..pos.len() {
        while pos[k] != k {
            let to = pos[k];
            out.spans.swap(k, to);
            pos.swap(k, to);
        }
    }
}
