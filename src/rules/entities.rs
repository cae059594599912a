//! Entity resolution within one document: every mention gets the canonical
//! name of whom it refers to (same name, part of an earlier name, pronoun for
//! the nearest fitting earlier mention, a group of the last two persons), and
//! the reason, for explanations.

use std::ops::Range;

use super::doc::{Doc, MentionKind};

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
pub struct Resolved<'t> {
    ents: Vec<Ent<'t>>,
    names: Vec<Name<'t>>,
    whys: Vec<Why>,
}

impl Resolved<'_> {
    pub fn name(&self, doc: &Doc, mi: usize, out: &mut String) {
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

    pub fn reason(&self, doc: &Doc, mi: usize, out: &mut String) {
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
pub fn resolve_entities<'t>(doc: &Doc<'t>, speakers: &[bool]) -> Resolved<'t> {
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
                let want_person = m.person;
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
