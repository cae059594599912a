//! Attribution: who holds each chosen Claim and Stance. A relation of a rule
//! goes to a captured mention, to the sentence's subject (`@subject`; for a
//! stance inside a claim, the claim's speaker) or to the speaker of the claim
//! in the sentence before (`@previous`); a role followed by a name in
//! apposition stands for that name.

use std::ops::Range;

use super::Engine;
use super::choose::{Cand, trim};
use super::doc::{Doc, MentionKind, NONE};
use super::matcher::Match;
use super::pattern::RelTarget;
use super::tokenize::TokenKind;

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

/// The first mention of the sentence of `pos`, before it, that stands where
/// a subject can, is not possessive and not in a quotation.
fn sentence_subject(doc: &Doc, pos: usize) -> Option<usize> {
    let pos = pos.min(doc.tokens.len().checked_sub(1)?);
    let s_start = doc.sents[doc.sent_of[pos] as usize].start;
    let first = doc.mentions.partition_point(|m| m.start < s_start);
    doc.mentions[first..]
        .iter()
        .take_while(|m| m.end <= pos)
        .position(|m| m.subject_like && !m.possessive && doc.enclosing[m.start] == NONE)
        .map(|p| first + p)
}

/// Whether mention `k` is the subject of the clause at `pos`: at most twelve
/// tokens before it with no punctuation between.
fn same_clause(doc: &Doc, k: usize, pos: usize) -> bool {
    let tail = doc.mentions[k].tail;
    pos >= tail
        && pos - tail <= 12
        && (tail..pos).all(|t| {
            doc.tokens[t].kind != TokenKind::Punct || matches!(doc.tok_text(t), "-" | "’" | "'")
        })
}

/// A role mention followed by `, Name,` (`Its spokesman, Tomas Eide, said`)
/// stands for the name: the name is the speaker.
pub fn appositive_name<'e>(doc: &Doc, s: SpeakerRef<'e>) -> SpeakerRef<'e> {
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
pub struct SpeakerRef<'e> {
    pub toks: Range<usize>,
    pub mention: Option<usize>,
    pub how: How<'e>,
}

impl<'e> SpeakerRef<'e> {
    /// The same speaker, found again for another span for this reason.
    fn again(&self, why: &'e str) -> SpeakerRef<'e> {
        SpeakerRef {
            toks: self.toks.clone(),
            mention: self.mention,
            how: How::fixed(why),
        }
    }
}

/// How a speaker reference was found (rendered into explanations on output).
#[derive(Debug, Clone)]
pub struct How<'e> {
    /// A fixed reason, or the capture name when `captured`.
    what: &'e str,
    captured: bool,
    /// Token range of the role the name stands in apposition to.
    appos: Option<Range<usize>>,
}

impl<'e> How<'e> {
    pub fn fixed(what: &'e str) -> Self {
        How {
            what,
            captured: false,
            appos: None,
        }
    }

    pub fn write(&self, doc: &Doc, out: &mut String) {
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

/// A chosen candidate that is suggested: its index among the chosen ones and
/// its links (relation kind and speaker) as a range of the link list.
pub struct Done {
    pub cand: usize,
    pub links: Range<usize>,
}

/// The links of the chosen candidates, in document order so that
/// `@previous` and nesting see earlier claims. A claim or stance whose rule
/// has relations but none found is dropped (nobody holds it).
pub fn link<'e>(
    eng: &'e Engine,
    doc: &Doc,
    matches: &[(usize, Match)],
    accepted: &[Cand<'e>],
) -> (Vec<Done>, Vec<(&'e str, SpeakerRef<'e>)>) {
    let mut done: Vec<Done> = Vec::with_capacity(accepted.len());
    let mut link_buf: Vec<(&str, SpeakerRef)> = Vec::with_capacity(accepted.len() + 4);
    // The last claim done and the last one not inside another. Claims come
    // in order of start and overlap only when one holds another whole (see
    // `choose`), so these are the only ones that can contain the span at
    // hand: no search through all claims before it.
    let mut last_claim: Option<usize> = None;
    let mut last_outer: Option<usize> = None;
    for (ci, c) in accepted.iter().enumerate() {
        let (ri, m) = (&matches[c.m].0, &matches[c.m].1);
        let rule = &eng.rules[*ri];
        let cap = rule.spans[c.span].cap;
        let from = link_buf.len();
        // The claim this span lies in, and that claim's speaker.
        let holds = |d: &&Done| {
            let o = &accepted[d.cand];
            !std::ptr::eq(o, c) && o.chars.start <= c.chars.start && c.chars.end <= o.chars.end
        };
        let outer = [last_claim, last_outer]
            .into_iter()
            .flatten()
            .map(|k| &done[k])
            .find(holds)
            .and_then(|d| {
                Some((
                    &accepted[d.cand],
                    link_buf[d.links.clone()].first()?.1.clone(),
                ))
            });
        let mut any_rel = false;
        for r in rule.relations.iter().filter(|r| r.from == cap) {
            any_rel = true;
            let found = match r.to {
                RelTarget::Cap(k) => m
                    .cap(k)
                    .map(|t| captured(doc, trim(doc, t), &rule.captures[k])),
                RelTarget::SentenceSubject => match &outer {
                    Some((_, s)) if !c.claim => {
                        Some(s.again("the speaker of the claim that contains it"))
                    }
                    _ => sentence_subject(doc, m.start.min(c.toks.start)).map(|k| SpeakerRef {
                        toks: doc.mentions[k].start..doc.mentions[k].end,
                        mention: Some(k),
                        how: How::fixed("the subject of its sentence"),
                    }),
                },
                RelTarget::Subject | RelTarget::ClauseSubject => match &outer {
                    Some((_, s)) if !c.claim => {
                        Some(s.again("the speaker of the claim that contains it"))
                    }
                    _ => find_subject(doc, m.start.min(c.toks.start))
                        .filter(|&k| {
                            r.to == RelTarget::Subject
                                || same_clause(doc, k, m.start.min(c.toks.start))
                        })
                        .map(|k| SpeakerRef {
                            toks: doc.mentions[k].start..doc.mentions[k].end,
                            mention: Some(k),
                            how: How::fixed("the subject before it in its sentence"),
                        }),
                },
                RelTarget::Previous => previous_speaker(doc, accepted, &done, &link_buf, c)
                    .map(|s| s.again("the speaker of the claim in the sentence before")),
            };
            let found = found
                .map(|s| appositive_name(doc, s))
                .map(|s| match &outer {
                    // A claim inside a claim keeps its own speaker mention
                    // (the guide marks it); a stance takes the claim's.
                    Some((o, os)) if !c.claim => pronoun_for_reporter(doc, s, Some((*o, os))),
                    _ => s,
                });
            // Words inside a quotation are the quoted person's: a mention
            // there speaks only inside that quotation, never for a span
            // outside it.
            if let Some(s) = found
                && !s.toks.is_empty()
                && doc.enclosing[s.toks.start] == NONE
            {
                link_buf.push((r.kind.as_str(), s));
            }
        }
        if any_rel && link_buf.len() == from {
            continue; // a claim or stance nobody holds is not suggested
        }
        if c.claim {
            last_claim = Some(done.len());
            if !c.nested {
                last_outer = Some(done.len());
            }
        }
        done.push(Done {
            cand: ci,
            links: from..link_buf.len(),
        });
    }
    (done, link_buf)
}

/// The speaker reference of a captured token range: a capture that begins
/// at a mention's titles (`Mayor Ann Lee`) or ends with its party tag is
/// that mention, titles and tag outside.
fn captured<'e>(doc: &Doc, mut t: Range<usize>, name: &'e str) -> SpeakerRef<'e> {
    if let Some(&m) = doc.mention_at.get(t.start)
        && m != NONE
    {
        let m = &doc.mentions[m as usize];
        // (A capture may end anywhere from the mention's end to its tail:
        // a party tag, a phrase or an appositive stepped over, trimmed.)
        if (m.lead == t.start || m.start == t.start) && m.end <= t.end && t.end <= m.tail {
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
            what: name,
            captured: true,
            appos: None,
        },
    }
}

/// The speaker of the claim in the sentence before the span's.
fn previous_speaker<'a, 'e>(
    doc: &Doc,
    accepted: &[Cand],
    done: &[Done],
    link_buf: &'a [(&str, SpeakerRef<'e>)],
    c: &Cand,
) -> Option<&'a SpeakerRef<'e>> {
    let my_sent = doc.sent_of[c.toks.start] as usize;
    for d in done.iter().rev() {
        let o = &accepted[d.cand];
        if !o.claim || std::ptr::eq(o, c) {
            continue;
        }
        let last = doc.sent_of[o.toks.end - 1] as usize;
        if last + 1 < my_sent {
            if o.nested {
                continue; // the claim holding it may end later
            }
            // Outer claims do not overlap and come in order: the ones before end earlier still.
            return None;
        }
        if last + 1 == my_sent
            && let Some((_, s)) = link_buf[d.links.clone()].first()
        {
            return Some(s);
        }
    }
    None
}

/// A pronoun inside a claim stands for the claim's own speaker (`Christie
/// announced that he would support ...`): the span is linked to that
/// speaker's mention, so that one statement has one speaker.
fn pronoun_for_reporter<'e>(
    doc: &Doc,
    s: SpeakerRef<'e>,
    outer: Option<(&Cand, &SpeakerRef<'e>)>,
) -> SpeakerRef<'e> {
    match (s.mention, outer) {
        (Some(mi), Some((o, os)))
            if doc.mentions[mi].kind == MentionKind::Pronoun
                && o.toks.start <= s.toks.start
                && s.toks.end <= o.toks.end =>
        {
            os.again("a pronoun inside a claim: the claim's own speaker")
        }
        _ => s,
    }
}
