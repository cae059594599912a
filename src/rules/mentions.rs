//! Speaker mentions: names with their titles split off, organisations,
//! pronouns, groups of earlier speakers and roles without a name. Found once
//! per document, in document order, during the analysis stage.

use super::Engine;
use super::class;
use super::doc::{Doc, Mention, MentionKind, NONE, in_lex};
use super::lexicon::{F_CAP, F_PHRASE};
use super::tokenize::TokenKind;

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
