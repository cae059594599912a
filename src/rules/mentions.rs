//! Speaker mentions: names with their titles split off, organisations,
//! pronouns, groups of earlier speakers, and described sources without a
//! name (`a senior official`, `the Sanders campaign`, `Trump’s aides`, `the
//! poll`, `46 percent`). Found once per document, in document order, during
//! the analysis stage. Each kind has its own finder; the first that finds a
//! mention at a token wins.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::Engine;
use super::class;
use super::doc::{Doc, Mention, MentionKind, NONE, in_lex};
use super::lexicon::{F_CAP, F_PHRASE, FxHasher};
use super::tokenize::TokenKind;

fn is_possessive_mark(s: &str) -> bool {
    matches!(s, "’s" | "'s" | "’S" | "'S")
}

/// A weekday or month: `told reporters Monday` names no one.
fn is_date_word(s: &str) -> bool {
    const DATES: [&str; 19] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    DATES.contains(&s)
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
    let mut f = Finder::new(doc, eng);
    let n = doc.tokens.len();
    let mut i = 0;
    while i < n {
        if doc.feats[i] & f.may_start == 0
            && !f.role_noun(i)
            && !f.modifier_opens(i)
            && doc.tokens[i].kind != TokenKind::Number
        {
            i += 1;
            continue;
        }
        let found = match f.group(i) {
            Some(m) => Some(m),
            None => f
                .pronoun(i)
                .or_else(|| f.name(i))
                .or_else(|| f.described(i)),
        };
        match found {
            Some(mut m) => {
                if m.tail == m.end
                    && m.subject_like
                    && !m.possessive
                    && m.kind != MentionKind::Pronoun
                    && let Some(t) = f.postmodifier_end(m.end)
                {
                    m.tail = t;
                }
                if m.subject_like
                    && !m.possessive
                    && let Some(t) = f.appositive_end(m.tail)
                {
                    m.tail = t;
                }
                i = m.tail.max(i + 1);
                out.push(m);
            }
            None => i += 1,
        }
    }
    f.subjects_of_verbs(out);
}

/// The look-ups the finders share.
struct Finder<'d, 't> {
    doc: &'d Doc<'t>,
    eng: &'d Engine,
    /// Tokens that close a quote.
    closes: Vec<bool>,
    /// A mention starts only at a token with one of these bits (a capital,
    /// a group, pronoun, title, determiner or role word, a number).
    may_start: super::lexicon::Feat,
    lens: Vec<usize>,
    /// Capitalized words seen inside a sentence: a capitalized sentence
    /// opener is a name only if it is one of these (`Smith said`, not
    /// `Based on ...`), or if an attributing verb follows it.
    inner_caps: HashSet<&'t str, BuildHasherDefault<FxHasher>>,
    /// Per token: a lowercase role noun (see [`Finder::role_noun`]).
    roles: Vec<bool>,
}

impl<'d, 't> Finder<'d, 't> {
    fn new(doc: &'d Doc<'t>, eng: &'d Engine) -> Self {
        let n = doc.tokens.len();
        let mut closes = vec![false; n];
        for q in &doc.quotes {
            if let Some(c) = q.close_tok
                && c < n
            {
                closes[c] = true;
            }
        }
        let e = &eng.elex;
        let bit = |l: Option<u16>| l.map_or(0, |l| eng.lex.bit(l));
        let may_start = F_CAP
            | bit(e.group_mentions)
            | bit(e.pronouns)
            | bit(e.neuter_pronouns)
            | bit(e.titles)
            | bit(e.determiners)
            | bit(e.role_nouns)
            | bit(e.quantities);
        let inner_caps = (1..n)
            .filter(|&i| {
                let t = &doc.tokens[i];
                t.kind == TokenKind::Word
                    && doc.feats[i] & F_CAP != 0
                    && !t.is_sent_start
                    && doc.quote_at[i - 1] == NONE
                    && !matches!(doc.tok_text(i - 1), ":" | "—" | "–")
            })
            .map(|i| doc.tok_text(i))
            .collect();
        let mut f = Finder {
            doc,
            eng,
            closes,
            may_start,
            lens: Vec::new(),
            inner_caps,
            roles: Vec::new(),
        };
        // Lowercase role nouns, and capitalized ones that open a sentence
        // (`Organizers of the rally said`).
        f.roles = (0..n)
            .map(|i| {
                f.word(i)
                    && (doc.feats[i] & F_CAP == 0
                        && (f.is(i, class::ROLE_NOUNS) || f.person_noun(i))
                        || doc.tokens[i].is_sent_start && f.is(i, class::ROLE_NOUNS))
            })
            .collect();
        f
    }

    fn is(&self, i: usize, c: u32) -> bool {
        in_lex(self.doc, self.eng, i, c)
    }

    fn text(&self, i: usize) -> &'t str {
        self.doc.tok_text(i)
    }

    fn word(&self, i: usize) -> bool {
        i < self.doc.tokens.len() && self.doc.tokens[i].kind == TokenKind::Word
    }

    fn cap_word(&self, i: usize) -> bool {
        self.word(i) && self.doc.feats[i] & F_CAP != 0
    }

    /// A capitalized word that can be part of a name.
    fn name_word(&self, i: usize) -> bool {
        self.cap_word(i) && !self.is(i, class::FUNCTION_WORDS) && !self.is(i, class::PRONOUNS)
    }

    fn title(&self, i: usize) -> bool {
        self.is(i, class::TITLES)
    }

    /// A word that attributes (`Says`, `Slams` in a title-case headline).
    /// A phrase of these lexicons counts too (`voted against`).
    #[inline]
    fn verb(&self, i: usize) -> bool {
        const VERBS: u32 =
            class::REPORTING_VERBS | class::CUE_VERBS | class::STANCE_CUES | class::INTENT_VERBS;
        self.is(i, VERBS)
            || (self.doc.feats.get(i).is_some_and(|&f| f & F_PHRASE != 0) && self.verb_phrase(i))
    }

    /// Whether a phrase of the attributing lexicons starts at `i`.
    #[cold]
    #[inline(never)]
    fn verb_phrase(&self, i: usize) -> bool {
        let e = &self.eng.elex;
        [
            e.reporting_verbs,
            e.cue_verbs,
            e.stance_cues,
            e.intent_verbs,
        ]
        .into_iter()
        .flatten()
        .any(|l| self.doc.feats[i] & self.eng.lex.bit(l) != 0)
    }

    /// An attributing verb at `i` or after up to two adverbs.
    fn verb_follows(&self, i: usize) -> bool {
        let mut k = i;
        while k < i + 2 && self.is(k, class::ADVERBS) {
            k += 1;
        }
        self.verb(k)
    }

    /// A lowercase word that names a person by what they do
    /// (`specialists`, `physician`, `residents`): a role noun by its ending.
    fn person_noun(&self, i: usize) -> bool {
        if !self.word(i) || self.doc.feats[i] & F_CAP != 0 {
            return false;
        }
        let tok = &self.doc.tokens[i];
        let t = &self.doc.text.as_bytes()[tok.byte_start..tok.byte_end];
        let t = t.strip_suffix(b"s").unwrap_or(t);
        t.len() > 5
            && matches!(t[t.len() - 1], b't' | b'n' | b'r')
            && matches!(
                &t[t.len() - 3..],
                b"ist" | b"ian" | b"eer" | b"ant" | b"ent" | b"ger" | b"ter" | b"ker"
            )
            && !self.is(i, class::FUNCTION_WORDS)
    }

    /// Tokens `i` and `i + 1` touch (no space between).
    fn joined(&self, i: usize) -> bool {
        let t = &self.doc.tokens;
        i + 1 < t.len() && t[i].end == t[i + 1].start
    }

    /// Length of a title at `i` with its abbreviation period (`Sen.`): 2, else 1.
    fn title_len(&self, i: usize) -> usize {
        if self.text(i + 1) == "." && self.joined(i) {
            2
        } else {
            1
        }
    }

    /// A lowercase role noun (`official`, `campaign`, `poll`), or a title
    /// after a determiner (`the mayor`).
    fn role_noun(&self, i: usize) -> bool {
        self.roles.get(i).copied().unwrap_or(false)
    }

    /// Stands where a subject can: sentence start, after punctuation, a
    /// quotation mark or a conjunction.
    fn subject_like(&self, start: usize) -> bool {
        let doc = self.doc;
        if start == 0 || doc.tokens[start].is_sent_start {
            return true;
        }
        let p = start - 1;
        let quote_mark = doc.quote_at[p] != NONE || self.closes[p];
        matches!(self.text(p), "," | ";" | ":" | "—" | "–" | "(" | ")")
            || quote_mark
            || self.is(p, class::CONJUNCTIONS)
            || self.time_before(p)
    }

    /// A phrase of time ends at `p` (`on Tuesday`, `yesterday`, `this
    /// week`), after which a subject may stand: `this week she said`.
    fn time_before(&self, p: usize) -> bool {
        let t = self.text(p);
        let date = |k: usize| self.doc.feats[k] & F_CAP != 0 && is_date_word(self.text(k));
        match t {
            "yesterday" | "Yesterday" | "today" | "Today" | "tonight" | "Tonight" => true,
            "week" | "month" | "year" | "night" | "morning" | "afternoon" | "evening"
            | "weekend" => {
                p > 0
                    && (matches!(self.text(p - 1), "this" | "last" | "that" | "next" | "the")
                        || date(p - 1))
            }
            _ => date(p),
        }
    }

    /// A lowercase word after a comma, semicolon, dash or conjunction, where
    /// a described source may open with its modifiers (`..., law
    /// enforcement officials say`).
    fn modifier_opens(&self, i: usize) -> bool {
        i > 0
            && self.word(i)
            && self.doc.feats[i] & F_CAP == 0
            && (matches!(self.text(i - 1), "," | ";" | "—" | "–")
                || self.is(i - 1, class::CONJUNCTIONS))
            && !self.is(i, class::FUNCTION_WORDS)
    }

    /// Whether the mention ending before `j` is possessive (`Putin’s`, `Reeves’`).
    fn possessive_at(&self, j: usize) -> bool {
        let doc = self.doc;
        j < doc.tokens.len()
            && (is_possessive_mark(self.text(j))
                || (matches!(self.text(j), "’" | "'")
                    && j > 0
                    && doc.tokens[j].start == doc.tokens[j - 1].end
                    && doc.quote_at[j] == NONE
                    && doc.enclosing[j] == NONE))
    }

    /// End of a party or state tag after a name (`(D-Wis.)`, `(R)`), if one
    /// follows at `j`: the tag stays outside the speaker but a pattern may
    /// step over it.
    fn tag_end(&self, j: usize) -> Option<usize> {
        if self.text(j) != "(" {
            return None;
        }
        let n = self.doc.tokens.len();
        let close = (j + 1..(j + 8).min(n)).find(|&k| self.text(k) == ")")?;
        let inner = j + 1..close;
        let short = !inner.is_empty()
            && self.cap_word(j + 1)
            && self.text(j + 1).len() <= 4
            && inner.clone().all(|k| self.text(k).len() <= 6);
        short.then_some(close + 1)
    }

    /// `Organizers of the rally said`, `people familiar with the talks say`:
    /// a phrase of a preposition (or a word and a preposition: `familiar
    /// with`, `close to`) and up to eight more words without punctuation, between
    /// a source at `j` and its attributing verb. Returns where the phrase
    /// ends (the verb, or the adverbs before it), so that patterns step over
    /// it while the Speaker span stays the source itself.
    fn postmodifier_end(&self, j: usize) -> Option<usize> {
        let doc = self.doc;
        let n = doc.tokens.len();
        // Prepositions that tie a source to where it belongs; not `by`, `to`
        // or `than`, which more often go on the sentence (`led Sanders by`).
        let ties = |k: usize| {
            matches!(
                self.text(k),
                "of" | "from" | "at" | "for" | "in" | "with" | "on"
            )
        };
        let mut k = j;
        if !ties(k) {
            let opener = matches!(
                self.text(k),
                "familiar"
                    | "close"
                    | "briefed"
                    | "involved"
                    | "speaking"
                    | "writing"
                    | "appearing"
            ) && self.is(k + 1, class::PREPOSITIONS);
            if !opener {
                return None;
            }
            k += 1;
        }
        k += 1;
        let first = k;
        // The phrase may hold a word that can be a verb (`the talks`): it
        // ends before the last attributing verb (with its adverbs) in reach.
        let mut end = None;
        while k < n && k < first + 9 {
            if self.verb(k) {
                let mut e = k;
                while e > first + 1 && k - e < 2 && self.is(e - 1, class::ADVERBS) {
                    e -= 1;
                }
                end = (e > first).then_some(e);
            }
            let t = self.text(k);
            let plain = match doc.tokens[k].kind {
                TokenKind::Word => {
                    !self.is(k, class::CONJUNCTIONS)
                        && !self.is(k, class::PRONOUNS)
                        && !matches!(
                            t,
                            "that"
                                | "who"
                                | "whom"
                                | "whose"
                                | "which"
                                | "when"
                                | "where"
                                | "while"
                                | "as"
                        )
                }
                TokenKind::Number => true,
                _ => {
                    is_possessive_mark(t)
                        || (matches!(t, "-" | "‐" | ".") && self.joined(k - 1) && self.joined(k))
                }
            };
            if !plain || doc.quote_at[k] != NONE || doc.tokens[k].is_sent_start {
                break;
            }
            k += 1;
        }
        end
    }

    /// `Jane Roe, a security expert who has studied the breaches, said`: an
    /// appositive between commas (up to 24 tokens, no reporting verb, within
    /// the sentence; not a name, which is the source itself) right after a
    /// source at `j`, when an attributing verb follows it. Returns the token
    /// after its closing comma, so that patterns step over it in one move;
    /// the Speaker span stays the source.
    fn appositive_end(&mut self, j: usize) -> Option<usize> {
        let doc = self.doc;
        let n = doc.tokens.len();
        if self.text(j) != "," {
            return None;
        }
        let mut k = j + 1;
        while k < n && k <= j + 25 && !doc.tokens[k].is_sent_start {
            if self.text(k) == "," && k > j + 1 {
                // `Putin’s spokesperson, Dmitry Peskov, said`: an appositive
                // that is a name is the source itself (the guide's rule).
                let a_name = self.name_word(j + 1)
                    && self
                        .name(j + 1)
                        .is_some_and(|m| m.kind != MentionKind::Role && m.end == k);
                if a_name {
                    return None;
                }
                if self.verb_follows(k + 1) {
                    return Some(k + 1);
                }
            } else if self.is(k, class::REPORTING_VERBS)
                && !(j + 1..k).any(|r| matches!(self.text(r), "who" | "whom" | "which"))
            {
                // (a reporting verb in a relative clause, `, who advised
                // Obama,`, belongs to that clause)
                return None;
            }
            k += 1;
        }
        None
    }

    /// `six in 10`, `nine out of 10`, `more than half`: a proportion whose
    /// first quantity is at `q`; returns the token after it.
    fn proportion(&self, q: usize) -> Option<usize> {
        let doc = self.doc;
        let amount = |k: usize| {
            k < doc.tokens.len()
                && (doc.tokens[k].kind == TokenKind::Number || self.is(k, class::QUANTITIES))
        };
        if !amount(q) {
            return None;
        }
        let next = match self.text(q + 1) {
            "in" | "than" => q + 2,
            "out" if self.text(q + 2) == "of" => q + 3,
            _ => return None,
        };
        amount(next).then_some(next + 1)
    }

    /// `both leaders`, `the two sides`.
    fn group(&mut self, i: usize) -> Option<Mention> {
        let g = self.eng.elex.group_mentions?;
        if self.doc.feats[i] & self.eng.lex.bit(g) == 0 {
            return None;
        }
        self.doc.lex_lengths(self.eng, g, i, &mut self.lens);
        let len = *self.lens.first()?;
        Some(Mention {
            kind: MentionKind::Group,
            plural: true,
            ..self.mention(i, i + len, i)
        })
    }

    /// A pronoun; `it` (a neuter pronoun) only right before an attributing
    /// verb (`It said the bridge was closed`). `person`: it stands for a
    /// person (`he`, `she`), not a group or a thing.
    fn pronoun(&self, i: usize) -> Option<Mention> {
        let neuter = self.is(i, class::NEUTER_PRONOUNS);
        if !(self.is(i, class::PRONOUNS) || neuter && self.verb_follows(i + 1)) {
            return None;
        }
        let plural = self.is(i, class::PLURAL_PRONOUNS);
        Some(Mention {
            kind: MentionKind::Pronoun,
            plural,
            person: !plural && !neuter,
            ..self.mention(i, i + 1, i)
        })
    }

    /// A plain mention of `start..end`, whose phrase begins at `lead`.
    fn mention(&self, start: usize, end: usize, lead: usize) -> Mention {
        Mention {
            start,
            end,
            tail: end,
            lead,
            kind: MentionKind::Role,
            person: false,
            plural: false,
            possessive: false,
            subject_like: self.subject_like(lead),
        }
    }

    /// A capitalized name with the titles before it split off; a name with
    /// an organisation word is an organisation; a name followed by role
    /// nouns (`the Sanders campaign`) or a possessive name followed by them
    /// (`Trump’s aides`) is a described source.
    fn name(&mut self, i: usize) -> Option<Mention> {
        let doc = self.doc;
        let n = doc.tokens.len();
        let starts_seq =
            self.name_word(i) || (self.title(i) && self.name_word(i + self.title_len(i)));
        if !starts_seq {
            return None;
        }
        let mut j = i;
        let mut title_end: Option<usize> = None;
        let mut hyphen = false;
        while j < n {
            if self.title(j) && self.name_word(j + self.title_len(j)) {
                let len = self.title_len(j);
                title_end = Some(j + len);
                j += len;
                continue;
            }
            // A name stops before an attributing verb of a title-case headline
            // (`Trump Says ...`), but not before a name word that is also one
            // (`United States`).
            let headline_verb = j > i
                && self.verb(j)
                && !self.is(j, class::ORG_WORDS)
                && !self.is(j, class::PLACE_WORDS);
            if self.name_word(j) && !headline_verb {
                // A title of several words (only where a phrase starts).
                if let Some(t) = self.eng.elex.titles
                    && doc.feats[j] & F_PHRASE != 0
                {
                    doc.lex_lengths(self.eng, t, j, &mut self.lens);
                    if let Some(&len) = self.lens.first()
                        && len > 1
                        && j + len < n
                        && self.name_word(j + len)
                    {
                        title_end = Some(j + len);
                        j += len;
                        continue;
                    }
                }
                j += 1;
                continue;
            }
            let t = self.text(j);
            // `Coca-Cola`, and `NBC News/Wall Street Journal` (two names
            // joined by a slash: pollsters, papers).
            if j > i
                && (t == "-" || t == "‐" || t == "/")
                && doc.tokens[j - 1].end == doc.tokens[j].start
                && self.joined(j)
                && self.name_word(j + 1)
            {
                hyphen = true;
                j += 1;
                continue;
            }
            // `Texas-based Matt Mackowiak`, `Ohio-born Jane Roe`: a place
            // joined to a participle describes the name that follows.
            if j > i
                && (t == "-" || t == "‐")
                && self.joined(j - 1)
                && self.joined(j)
                && matches!(self.text(j + 1), "based" | "born" | "bred" | "raised")
                && self.name_word(j + 2)
            {
                j += 2;
                continue;
            }
            // A suffix with its period ends the name: `James Comey Jr.`.
            if j > i && t == "." && self.joined(j - 1) && matches!(self.text(j - 1), "Jr" | "Sr") {
                j += 1;
                break;
            }
            // Initials and abbreviated names: `Joseph R. Biden`, `G.K. Butterfield`.
            if j > i
                && t == "."
                && self.joined(j - 1)
                && self.name_word(j + 1)
                && self.text(j - 1).len() <= 2
            {
                j += 1;
                continue;
            }
            if j > i
                && t == "of"
                && self.name_word(j + 1)
                && (self.is(j - 1, class::ORG_WORDS) || self.title(j - 1))
            {
                j += 1;
                continue;
            }
            break;
        }
        if j == i {
            return None;
        }
        // A capitalized sentence opener alone is a name only if the text
        // capitalizes it elsewhere too, or an attributing verb, a colon or a
        // dash follows.
        // A verb form opening the sentence (`Continuing to explain ...,`,
        // `Asked about it, ...`) is never one.
        if j == i + 1
            && doc.tokens[i].is_sent_start
            && !self.inner_caps.contains(self.text(i))
            && (verb_form(self.text(i))
                || !self.verb(j) && !self.verb(j + 1) && !matches!(self.text(j), ":" | "—" | "–"))
        {
            return None;
        }
        // `R-Texas`, `D-Wis`: a party tag, not a name.
        if hyphen && j == i + 3 && matches!(self.text(i), "R" | "D" | "I") {
            return None;
        }
        // A trailing title word with nothing after it: `the Russian President`.
        let has_org = |a: usize| (a..j).any(|k| self.is(k, class::ORG_WORDS));
        // An organisation keeps its words: "Russian Foreign Ministry".
        let title_end =
            if has_org(i) && title_end.is_some_and(|t| t < j) && !has_org(title_end.unwrap_or(j)) {
                title_end
            } else if has_org(i) {
                None
            } else {
                title_end
            };
        let core_start = title_end.unwrap_or(i).min(j);
        let possessive = self.possessive_at(j);
        // `the Sanders campaign`, `Republican leaders`, `Trump’s aides`: a
        // name (possessive or not) followed by role nouns describes a source.
        let roles_from = if possessive { j + 1 } else { j };
        if self.role_noun(roles_from) && !self.title(roles_from) {
            let mut k = roles_from;
            while self.role_noun(k) {
                k += 1;
            }
            let lead = if i > 0
                && self.is(i - 1, class::DETERMINERS)
                && self.text(i - 1).eq_ignore_ascii_case("the")
            {
                i - 1
            } else {
                i
            };
            let start = if title_end.is_some() {
                core_start
            } else {
                lead
            };
            return Some(self.described_mention(start, k, lead));
        }
        let titled = title_end.is_some() || (i > 0 && self.title(i - 1));
        let org = has_org(core_start);
        let place = (core_start..j).any(|k| self.is(k, class::PLACE_WORDS));
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
            && self.is(i - 1, class::DETERMINERS)
            && self.text(i - 1).eq_ignore_ascii_case("the")
        {
            start = i - 1;
            if kind == MentionKind::Name {
                kind = MentionKind::Org;
            }
        }
        // "Local business owners", "Environmental groups": a capitalized
        // sentence opener followed by lowercase words and a role noun.
        if j == i + 1 && doc.tokens[i].is_sent_start && title_end.is_none() {
            let k = (j..(j + 3).min(n))
                .take_while(|&k| {
                    self.word(k)
                        && !self.cap_word(k)
                        && !self.is(k, class::FUNCTION_WORDS)
                        && !self.is(k, class::DETERMINERS)
                        && !self.is(k, class::REPORTING_VERBS)
                })
                .find(|&k| self.is(k, class::ROLE_NOUNS));
            if let Some(k) = k {
                return Some(self.described_mention(i, k + 1, i));
            }
        }
        let core_len = j - core_start;
        let person = kind == MentionKind::Name && !place && !hyphen && (titled || core_len >= 2);
        let seq_start = if title_end.is_some() { i } else { start };
        let mut before = seq_start;
        while before > 0 && (self.title(before - 1) || self.name_word(before - 1)) {
            before -= 1;
        }
        let lead = if seq_start > 0
            && seq_start < start
            && self.text(seq_start - 1).eq_ignore_ascii_case("the")
        {
            seq_start - 1
        } else {
            seq_start.min(start)
        };
        let tail = if possessive {
            j
        } else if lead > 1
            && self.text(lead - 1) == ","
            && self.text(j) == ","
            && self.verb_follows(j + 1)
        {
            // `Her lawyer, David Kendall, declined`: a name in apposition
            // is the source; its closing comma stands before the verb.
            j + 1
        } else {
            self.tag_end(j).unwrap_or(j)
        };
        // `in Jupiter, Fla., and`, `Orlando, Florida, four days`: one word
        // between commas after a place names where, not who.
        let place_after_comma = j == start + 1
            && start >= 2
            && self.text(start - 1) == ","
            && self.cap_word(start - 2)
            && matches!(self.text(j), "," | ".");
        Some(Mention {
            start,
            end: j,
            tail,
            lead,
            kind,
            person,
            plural: false,
            possessive,
            subject_like: self.subject_like(before) && !place_after_comma,
        })
    }

    /// The noun phrase right before an attributing verb is its subject, a
    /// described source, even with a head noun no lexicon names (`the
    /// party’s platform specifically mentions`, `people everywhere
    /// disclose`): one more mention for each such verb that has none.
    fn subjects_of_verbs(&self, out: &mut Vec<Mention>) {
        let doc = self.doc;
        let mut extra = Vec::new();
        let mut next = 0; // first mention not ending before the verb
        for v in 1..doc.tokens.len() {
            if !self.verb(v) {
                continue;
            }
            // Adverbs and auxiliaries between the subject and the verb.
            let mut e = v;
            while e > 0
                && (self.is(e - 1, class::ADVERBS) || self.text(e - 1).ends_with("ly"))
                && v - e < 3
            {
                e -= 1;
            }
            while next < out.len() && out[next].tail < e {
                next += 1;
            }
            if out.get(next).is_some_and(|m| m.start < e) || e == 0 {
                continue; // a mention ends at (or covers) the subject position
            }
            let noun = |k: usize| {
                self.word(k)
                    && !self.is(k, class::FUNCTION_WORDS)
                    && !self.is(k, class::ADVERBS)
                    && !self.is(k, class::PRONOUNS)
                    && !self.is(k, class::PREPOSITIONS)
                    && !self.verb(k)
                    && !verb_form(self.text(k))
                    && doc.enclosing[k] == NONE
            };
            let head = e - 1;
            if !noun(head) || self.cap_word(head) || self.text(head).ends_with("ly") {
                continue;
            }
            // Not into the mention before.
            let floor = next.checked_sub(1).map_or(0, |p| out[p].tail);
            let mut s = head;
            while s > floor
                && head - s < 3
                && (noun(s - 1) || is_possessive_mark(self.text(s - 1)))
                && !doc.tokens[s].is_sent_start
            {
                s -= 1;
            }
            if s > floor
                && !doc.tokens[s].is_sent_start
                && (self.is(s - 1, class::DETERMINERS) || self.is(s - 1, class::QUANTITIES))
            {
                s -= 1;
            }
            // Only where a subject can stand.
            if !self.subject_like(s) {
                continue;
            }
            extra.push(self.described_mention(s, e, s));
        }
        if extra.is_empty() {
            return;
        }
        out.extend(extra);
        out.sort_by_key(|m| (m.start, m.end));
    }

    /// A source described without a name, `start..end` ending in role
    /// nouns; possessive if `’s` follows.
    fn described_mention(&self, start: usize, end: usize, lead: usize) -> Mention {
        let possessive = self.possessive_at(end);
        Mention {
            kind: MentionKind::Role,
            plural: self.text(end - 1).ends_with('s'),
            possessive,
            ..self.mention(start, end, lead)
        }
    }

    /// A role without a name: a determiner, quantity or sentence start, up
    /// to four modifiers (`senior`, `34-year-old`, `Republican`, `state’s`),
    /// then role nouns: `the ministry spokeswoman`, `a senior official`,
    /// `Officials`, `46 percent`, `the mayor` (a title after a determiner).
    fn described(&mut self, i: usize) -> Option<Mention> {
        let doc = self.doc;
        let n = doc.tokens.len();
        let det = self.is(i, class::DETERMINERS)
            || self.is(i, class::QUANTITIES)
            || doc.tokens[i].kind == TokenKind::Number;
        // Where a subject can stand (sentence start, after a comma, a
        // conjunction or a quotation), modifiers may lead without a determiner.
        let open = doc.tokens[i].is_sent_start || self.subject_like(i);
        if !det && !open && !self.role_noun(i) {
            return None;
        }
        let role_word =
            |f: &Self, k: usize| f.role_noun(k) || (det && f.title(k) && !f.cap_word(k));
        let mut k = if det { i + 1 } else { i };
        // `Six in 10 say`, `nearly nine out of 10 voters`, `more than half`.
        if det {
            // (`nearly` before the proportion leads it in.)
            let lead_in = self
                .is(i, class::QUANTITIES)
                .then(|| self.proportion(i + 1))
                .flatten();
            if let Some(e) = lead_in.or_else(|| self.proportion(i)) {
                if !role_word(self, e) {
                    return (self.verb_follows(e) || self.postmodifier_end(e).is_some()).then(
                        || Mention {
                            plural: true,
                            ..self.described_mention(i, e, i)
                        },
                    );
                }
                k = e;
            }
        }
        // `several oppose`, `Most say`: a quantity alone before an attributing verb.
        if det
            && !self.is(i, class::DETERMINERS)
            && self.verb(k)
            && self.subject_like(i)
            && !self.is(i, class::ADVERBS)
            && !self.text(i).eq_ignore_ascii_case("about")
        {
            return Some(Mention {
                plural: true,
                ..self.described_mention(i, k, i)
            });
        }
        // Modifiers before the role nouns.
        let mut mods = 0;
        while k < n && !role_word(self, k) && mods < 5 {
            let t = self.text(k);
            let ok = match doc.tokens[k].kind {
                TokenKind::Word => {
                    !self.is(k, class::FUNCTION_WORDS)
                        && !self.is(k, class::REPORTING_VERBS)
                        && !self.is(k, class::PREPOSITIONS)
                        && !self.is(k, class::PRONOUNS)
                }
                TokenKind::Number => true,
                _ => {
                    (matches!(t, "-" | "‐" | "/") && self.joined(k - 1) && self.joined(k))
                        || is_possessive_mark(t)
                }
            };
            if !ok {
                return None;
            }
            k += 1;
            mods += 1;
        }
        if !role_word(self, k) {
            // `the 46-year-old said`, `said the 46-year-old.`: an age alone
            // names a person.
            let age = det
                && k >= i + 2
                && matches!(self.text(k - 1), "old" | "olds")
                && matches!(self.text(k - 2), "-" | "‐" | "year-" | "years-")
                && (k >= n || !self.word(k) || self.verb_follows(k));
            return age.then(|| Mention {
                person: true,
                ..self.described_mention(i, k, i)
            });
        }
        if !det && mods > 0 && !open {
            return None;
        }
        loop {
            while k < n && role_word(self, k) {
                k += 1;
            }
            // `the paper’s editorial board`, `the campaign’s chief strategist`:
            // a possessive role with role words after it is one phrase.
            if is_possessive_mark(self.text(k)) {
                let mut m = k + 1;
                while m < k + 3
                    && !role_word(self, m)
                    && self.word(m)
                    && !self.cap_word(m)
                    && !self.is(m, class::FUNCTION_WORDS)
                    && !self.verb(m)
                {
                    m += 1;
                }
                if role_word(self, m) {
                    k = m;
                    continue;
                }
            }
            // `the former Florida governor`: a name between role words is a modifier.
            if self.name_word(k) {
                let mut m = k;
                while m < k + 3 && self.name_word(m) {
                    m += 1;
                }
                if m < n && !self.cap_word(m) && role_word(self, m) {
                    k = m;
                    continue;
                }
            }
            break;
        }
        // `spokeswoman Jane Roe`, `the party chairman Reince Priebus`: the
        // role names the person whose name follows.
        // (The title stays outside the span, as with `Sen. [Tammy Baldwin]`.)
        if self.name_word(k)
            && !is_date_word(self.text(k))
            && let Some(name) = self.name(k)
            && name.kind != MentionKind::Role
        {
            return Some(Mention { lead: i, ..name });
        }
        Some(self.described_mention(i, k, i))
    }
}

/// A word that reads as a verb form (`raised`, `taking`), not as the head
/// of a subject: an `-ed` or `-ing` ending after three letters at least.
fn verb_form(w: &str) -> bool {
    (w.len() > 5 && w.ends_with("ing")) || (w.len() > 4 && w.ends_with("ed"))
}
