//! The rule language: the RON types analysts write (lexicons, abbreviations,
//! rules with token patterns, captures, spans, attributes and relations), their
//! validation, and their compilation to a small program for the matcher.
//!
//! A pattern is a list of elements, close to spaCy's Matcher: `Tok(..)` (one
//! token with constraints), `Lex(..)` (one entry of a lexicon, possibly several
//! tokens), `Any(alts: [[..], [..]])` (alternatives), and extents: `Mention`
//! (a name, pronoun or group mention), `Quote` (the quotation opening here),
//! `QuoteAfter` (the next quotation in the sentence), `InQuote` (the quotation
//! containing this point; zero width), `ToSentenceEnd`, `ToClauseEnd`. Every
//! element takes `op` (`""`, `"?"`, `"*"`, `"+"`, `"{n,m}"`, lazy with a
//! trailing `?`) and `capture`.

use std::collections::{BTreeMap, HashMap};

use regex::Regex;
use serde::Deserialize;

use super::error::{RuleError, line_col};
use super::lexicon::{
    F_CAP, F_IN_QUOTE, F_MENTION, F_PUNCT, F_QUOTE_OPEN, F_SENT_START, FLAG_BASE, Feat, Lexicons,
    Vocab, entry_tokens,
};

/// A whole rule file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct RuleFile {
    pub name: String,
    pub abbreviations: Vec<String>,
    pub lexicons: BTreeMap<String, Vec<String>>,
    /// Lexicons whose entries carry a tag, e.g. a stance cue's polarity.
    pub tagged_lexicons: BTreeMap<String, BTreeMap<String, String>>,
    pub rules: Vec<RuleDef>,
}

/// One rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Rule")]
pub struct RuleDef {
    pub id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
    #[serde(default)]
    pub priority: i32,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub pattern: Vec<Elem>,
    #[serde(default)]
    pub spans: Vec<SpanDef>,
    #[serde(default)]
    pub relations: Vec<RelDef>,
}

fn default_confidence() -> f32 {
    0.5
}
fn yes() -> bool {
    true
}

/// One element of a token pattern.
#[derive(Debug, Clone, Deserialize)]
pub enum Elem {
    Tok(TokSpec),
    Lex(LexSpec),
    Any(AltSpec),
    Mention(ExtSpec),
    Quote(QuoteSpec),
    QuoteAfter(QuoteSpec),
    InQuote(ExtSpec),
    /// The words from the start of the sentence up to here (zero width):
    /// lets a pattern anchored on a rare word capture what comes before it.
    FromSentenceStart(ExtSpec),
    ToSentenceEnd(ExtSpec),
    ToClauseEnd(ExtSpec),
}

/// Constraints on one token; all given constraints must hold.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct TokSpec {
    /// Exact text, one of.
    pub text: Vec<String>,
    /// Lowercase form, one of.
    pub lower: Vec<String>,
    /// Lowercase form, none of.
    pub not_lower: Vec<String>,
    /// The token before has none of these lowercase forms (a look-behind
    /// of one token: `not_after: ["to"]` refuses an infinitive).
    pub not_after: Vec<String>,
    /// Member of this lexicon (one-token entries).
    pub lex: Option<String>,
    /// Not a member of this lexicon.
    pub not_lex: Option<String>,
    /// Shape, one of (`Xxxx`, `xxxx`, `dd`, ...).
    pub shape: Vec<String>,
    /// Regular expression the whole token text must match.
    pub regex: Option<String>,
    pub sent_start: Option<bool>,
    pub punct: Option<bool>,
    /// Starts with an uppercase letter.
    pub capitalized: Option<bool>,
    pub in_quote: Option<bool>,
    pub op: String,
    pub capture: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct LexSpec {
    pub name: String,
    pub op: String,
    pub capture: Option<String>,
    /// Lowercase words that must not stand right before the entry
    /// (`not_after: ["faced"]`: `faced criticism` is no one's stance).
    pub not_after: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct AltSpec {
    pub alts: Vec<Vec<Elem>>,
    pub op: String,
    pub capture: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct ExtSpec {
    pub op: String,
    pub capture: Option<String>,
    /// Whether the extent's first token starts a sentence.
    pub sent_start: Option<bool>,
    /// `Mention` only: a pronoun must stand where a subject can (sentence
    /// start, after punctuation, a quotation mark or a conjunction), not
    /// inside a relative clause (`the system [which he said] ...`). Names
    /// and described sources are not held to it (`where Clinton asked`).
    pub subject: bool,
    /// `Mention` only: none of its words is in this lexicon (`CORRECTION:`
    /// and `The Latest:` open a line, but speak for no one).
    pub not_lex: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct QuoteSpec {
    pub op: String,
    pub capture: Option<String>,
    /// Fewest words inside the marks (scare quotes such as `the “Quartet”` are short).
    pub min_words: usize,
    /// Accept an unclosed quotation too (default true).
    pub allow_unclosed: Option<bool>,
    /// Whether the opening mark starts a sentence.
    pub sent_start: Option<bool>,
}

/// A span made from a capture.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanDef {
    pub capture: String,
    pub label: String,
    #[serde(default)]
    pub attrs: BTreeMap<String, AttrValue>,
}

/// Where an attribute's value comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum AttrValue {
    /// A constant.
    Const(String),
    /// The lowercase text of a capture (empty when the capture is unset).
    Text(String),
    /// The tag of a capture's text in a tagged lexicon; `flip_if` names a
    /// capture (e.g. a negator) whose presence turns favor/against around.
    Tag {
        lexicon: String,
        capture: String,
        flip_if: Option<String>,
    },
    /// The object after a capture: a few words up to a clause boundary.
    Target(String),
}

/// A relation between two captures; `to` may be `@subject` (the speaker
/// mention that is the subject before the match in its sentence),
/// `@previous` (the speaker of the previous sentence's claim, same
/// paragraph), `@clause_subject` (the subject of the match's own clause:
/// no punctuation between; a span without one is not suggested) or
/// `@sentence_subject` (the first subject-like mention of the sentence).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelDef {
    pub kind: String,
    pub from: String,
    pub to: String,
}

// ---------------------------------------------------------------------------
// Compiled form

/// A compiled token predicate.
#[derive(Debug, Clone, Default)]
pub struct TokPred {
    pub text: Vec<String>,
    pub lower: Vec<u32>,
    pub not_lower: Vec<u32>,
    pub not_after: Vec<u32>,
    pub lex: Option<u16>,
    pub not_lex: Option<u16>,
    pub shape: Vec<String>,
    pub regex: Option<Regex>,
    pub sent_start: Option<bool>,
    pub punct: Option<bool>,
    pub capitalized: Option<bool>,
    pub in_quote: Option<bool>,
    /// A feature bit every matching token has (prefilter), if any.
    pub key: Option<Feat>,
    /// Feature bits a matching token must have (necessary, checked first).
    pub need: Feat,
    /// Feature bits a matching token must not have (exact flags only).
    pub avoid: Feat,
    /// Something beyond `need` and `avoid` is to be checked (else they decide).
    pub rest: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inst {
    Tok(u32),
    Lex(u16),
    /// A mention; with `subject`, a pronoun only where a subject can stand;
    /// with `not_lex`, none of its words in that lexicon.
    Mention {
        subject: bool,
        not_lex: Option<u16>,
    },
    Quote {
        min_words: u16,
        allow_unclosed: bool,
    },
    SkipToQuote,
    InQuote {
        slot: u16,
    },
    /// Sets capture `slot` to the sentence start .. here (zero width).
    FromSentStart {
        slot: u16,
    },
    SentEnd,
    ClauseEnd,
    Split(u32, u32),
    Jmp(u32),
    Save(u16),
    Match,
    /// Zero-width test of a token predicate at the current position.
    Assert(u32),
}

/// The element a pattern starts with, when the token after it can be found
/// before matching: a mention or a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leading {
    Mention,
    Quote,
}

#[derive(Debug, Clone)]
pub enum CAttr {
    Const(String),
    Text(usize),
    Tag {
        lex: u16,
        cap: usize,
        flip: Option<usize>,
    },
    Target(usize),
}

#[derive(Debug, Clone)]
pub struct CSpan {
    pub cap: usize,
    pub label: String,
    pub attrs: Vec<(String, CAttr)>,
    /// The attribute names, sorted and without repeats (the keys of the span's map).
    pub keys: Vec<String>,
    /// For each of `keys`, in order: the index in `attrs` of the attribute
    /// that sets it (the last one of that name).
    pub by_key: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelTarget {
    Cap(usize),
    Subject,
    Previous,
    /// The subject of the span's own clause: as `Subject`, but only a
    /// mention with no punctuation and at most twelve tokens between it
    /// and the match (none otherwise).
    ClauseSubject,
    /// The subject of the sentence: its first mention that stands where a
    /// subject can (for participles and naming verbs: `..., saying ...`).
    SentenceSubject,
}

#[derive(Debug, Clone)]
pub struct CRel {
    pub kind: String,
    pub from: usize,
    pub to: RelTarget,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub id: String,
    pub description: String,
    pub confidence: f32,
    pub priority: i32,
    pub prog: Vec<Inst>,
    pub preds: Vec<TokPred>,
    pub captures: Vec<String>,
    pub spans: Vec<CSpan>,
    pub relations: Vec<CRel>,
    /// Its Claims may lie inside another rule's or its own Claims (see
    /// [`super::choose`]): its confidence is high enough and each of its
    /// Claims is linked to a speaker it captures.
    pub nests: bool,
    /// Bits that can start a match (any one of them); `None`: anything can.
    pub first: Option<Feat>,
    /// Bits that every match needs somewhere in the document.
    pub required: Feat,
    /// Sentence-local prefilter: `(bit, k)` means a match starting at token `s`
    /// has a token with `bit` in `s..=e + k`, where `e` is the index of the next
    /// sentence start after `s` (see [`local_keys`]).
    pub local: Vec<(Feat, usize)>,
    /// Anchor window prefilter `(after_mention, gap, bit)`: a token with `bit`
    /// lies in `a..=a + gap`, where `a` is the end of the first element (the
    /// mention at the start when `after_mention`, else the start token).
    pub window: Option<(bool, usize, Feat)>,
    /// Further anchor windows `(gap, bit)` after the first (same anchor as
    /// `window`): each is a later mandatory element (a one-token `Tok` or `Lex`
    /// with a prefilter bit, or a `Quote`, bit `F_QUOTE_OPEN`) reached from the
    /// anchor through elements of bounded length, so a token with `bit` lies in
    /// `a..=a + gap` (see [`window_keys`]).
    pub more_windows: Vec<(usize, Feat)>,
    /// Start windows `(gap, bit)`: a mandatory element reached from the start
    /// through elements of bounded length starts at a token with `bit` in
    /// `s..=s + gap` (see [`start_keys`]).
    pub start_windows: Vec<(usize, Feat)>,
    /// The rule pattern in a readable form, for explanations.
    pub parts: Vec<String>,
    /// When the pattern starts with a mention or a quotation: bits one of
    /// which the token right after it must have (a necessary condition,
    /// checked before a match is tried).
    pub after_first: Option<(Leading, Feat)>,
    /// The fixed start of every explanation of this rule's matches: its id,
    /// description and pattern, up to the matched text.
    pub explain_head: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    One,
    Opt {
        lazy: bool,
    },
    Star {
        lazy: bool,
    },
    Plus {
        lazy: bool,
    },
    Range {
        min: u32,
        max: Option<u32>,
        lazy: bool,
    },
}

fn parse_op(s: &str) -> Result<Op, String> {
    let s = s.trim();
    let (core, lazy) = match s.strip_suffix('?') {
        Some(c) if !c.is_empty() => (c, true),
        _ => (s, false),
    };
    Ok(match core {
        "" | "1" | "!" if !lazy => Op::One,
        "?" => Op::Opt { lazy },
        "*" => Op::Star { lazy },
        "+" => Op::Plus { lazy },
        _ if core.starts_with('{') && core.ends_with('}') => {
            let inner = &core[1..core.len() - 1];
            let (a, b) = match inner.split_once(',') {
                Some((a, b)) => (a.trim(), Some(b.trim())),
                None => (inner.trim(), None),
            };
            let min: u32 = if a.is_empty() {
                0
            } else {
                a.parse().map_err(|_| format!("bad repetition `{s}`"))?
            };
            let max = match b {
                None => Some(min),
                Some("") => None,
                Some(b) => Some(b.parse().map_err(|_| format!("bad repetition `{s}`"))?),
            };
            if let Some(m) = max {
                if m < min {
                    return Err(format!("repetition `{s}`: maximum is below minimum"));
                }
                if m > 64 {
                    return Err(format!("repetition `{s}`: at most 64 repetitions"));
                }
            }
            if min > 64 {
                return Err(format!("repetition `{s}`: at most 64 repetitions"));
            }
            Op::Range { min, max, lazy }
        }
        _ => {
            return Err(format!(
                "unknown operator `{s}`; use \"?\", \"*\", \"+\" or \"{{n,m}}\""
            ));
        }
    })
}

/// Compilation context shared by all rules of a file.
pub struct Ctx<'a> {
    pub vocab: &'a mut Vocab,
    pub lex: &'a Lexicons,
    /// Literal one-token sets that got a prefilter bit: key = sorted ids.
    pub literal_bits: &'a mut HashMap<Vec<u32>, u16>,
    pub extra_lexicons: &'a mut Vec<(String, Vec<u32>)>,
}

struct Builder<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    prog: Vec<Inst>,
    preds: Vec<TokPred>,
    captures: Vec<String>,
    parts: Vec<String>,
}

impl Builder<'_, '_> {
    fn cap_slot(&mut self, name: &str) -> u16 {
        let i = match self.captures.iter().position(|c| c == name) {
            Some(i) => i,
            None => {
                self.captures.push(name.to_string());
                self.captures.len() - 1
            }
        };
        i as u16
    }

    fn pred(&mut self, t: &TokSpec) -> Result<u32, String> {
        let mut p = TokPred::default();
        let mut lits = Vec::new();
        for (list, name) in [(&t.lower, "lower"), (&t.text, "text")] {
            for w in list {
                let toks = entry_tokens(w);
                if toks.len() != 1 {
                    return Err(format!(
                        "{name} value `{w}` is not one token; use a lexicon with `Lex` or one `Tok` per word"
                    ));
                }
                lits.push(self.ctx.vocab.intern(&toks[0]));
            }
        }
        p.text = t.text.clone();
        p.lower = t
            .lower
            .iter()
            .map(|w| self.ctx.vocab.intern(&w.to_lowercase()))
            .collect();
        p.not_lower = t
            .not_lower
            .iter()
            .map(|w| self.ctx.vocab.intern(&w.to_lowercase()))
            .collect();
        p.not_after = t
            .not_after
            .iter()
            .map(|w| self.ctx.vocab.intern(&w.to_lowercase()))
            .collect();
        let lex_of = |n: &Option<String>, lex: &Lexicons| -> Result<Option<u16>, String> {
            match n {
                None => Ok(None),
                Some(n) => lex
                    .get(n)
                    .map(Some)
                    .ok_or_else(|| format!("unknown lexicon `{n}`")),
            }
        };
        p.lex = lex_of(&t.lex, self.ctx.lex)?;
        p.not_lex = lex_of(&t.not_lex, self.ctx.lex)?;
        p.shape = t.shape.clone();
        if let Some(r) = &t.regex {
            let anchored = format!("^(?:{r})$");
            p.regex = Some(Regex::new(&anchored).map_err(|e| format!("bad regex `{r}`: {e}"))?);
        }
        p.sent_start = t.sent_start;
        p.punct = t.punct;
        p.capitalized = t.capitalized;
        p.in_quote = t.in_quote;
        for (flag, bit) in [
            (p.punct, F_PUNCT),
            (p.capitalized, F_CAP),
            (p.in_quote, F_IN_QUOTE),
            (p.sent_start, F_SENT_START),
        ] {
            match flag {
                Some(true) => p.need |= bit,
                Some(false) => p.avoid |= bit,
                None => {}
            }
        }
        if let Some(l) = p.lex {
            // Token features hold the lexicon's one-token entries (and phrase starts).
            p.need |= self.ctx.lex.bit(l);
        }
        p.key = if let Some(l) = p.lex {
            Some(self.ctx.lex.bit(l)).filter(|b| *b != 0)
        } else if !lits.is_empty() {
            let mut key = lits.clone();
            key.sort_unstable();
            key.dedup();
            let n_named = self.ctx.lex.names.len();
            let next = (n_named + self.ctx.extra_lexicons.len()) as u32;
            match self.ctx.literal_bits.get(&key) {
                Some(&b) => Some(1 << b),
                None if next < FLAG_BASE => {
                    self.ctx.literal_bits.insert(key.clone(), next as u16);
                    self.ctx
                        .extra_lexicons
                        .push((format!("#literal{next}"), key));
                    Some(1 << next)
                }
                None => None,
            }
        } else if p.sent_start == Some(true) {
            Some(F_SENT_START)
        } else if p.punct == Some(true) {
            Some(F_PUNCT)
        } else if p.capitalized == Some(true) {
            Some(F_CAP)
        } else {
            None
        };
        // A literal set's bit is on exactly the tokens whose lowercase form is
        // in the set: with no `text` values it decides `lower` on its own.
        let lits_key = p.lex.is_none() && !lits.is_empty() && p.key.is_some();
        if lits_key && let Some(k) = p.key {
            p.need |= k;
        }
        p.rest = !(p.text.is_empty()
            && p.shape.is_empty()
            && p.regex.is_none()
            && p.not_lower.is_empty()
            && p.not_after.is_empty()
            && p.lex.is_none()
            && p.not_lex.is_none()
            && (p.lower.is_empty() || lits_key));
        self.preds.push(p);
        Ok((self.preds.len() - 1) as u32)
    }

    fn emit(&mut self, i: Inst) -> usize {
        self.prog.push(i);
        self.prog.len() - 1
    }

    /// Emits one occurrence of the element body (without op and capture).
    fn body(&mut self, e: &Elem) -> Result<(), String> {
        let ss = match e {
            Elem::Mention(x) | Elem::ToSentenceEnd(x) | Elem::ToClauseEnd(x) => x.sent_start,
            Elem::Quote(q) => q.sent_start,
            _ => None,
        };
        if let Some(b) = ss {
            let p = self.pred(&TokSpec {
                sent_start: Some(b),
                ..TokSpec::default()
            })?;
            self.emit(Inst::Assert(p));
        }

        if let Elem::Lex(l) = e
            && !l.not_after.is_empty()
        {
            let p = self.pred(&TokSpec {
                not_after: l.not_after.clone(),
                ..TokSpec::default()
            })?;
            self.emit(Inst::Assert(p));
        }
        match e {
            Elem::Tok(t) => {
                let p = self.pred(t)?;
                self.emit(Inst::Tok(p));
            }
            Elem::Lex(l) => {
                let lex = self
                    .ctx
                    .lex
                    .get(&l.name)
                    .ok_or_else(|| format!("unknown lexicon `{}`", l.name))?;
                self.emit(Inst::Lex(lex));
            }
            Elem::Any(a) => {
                if a.alts.is_empty() {
                    return Err("`Any` needs at least one alternative in `alts`".into());
                }
                let mut jumps = Vec::new();
                for (k, alt) in a.alts.iter().enumerate() {
                    if alt.is_empty() {
                        return Err("an alternative of `Any` is empty".into());
                    }
                    let split = if k + 1 < a.alts.len() {
                        Some(self.emit(Inst::Split(0, 0)))
                    } else {
                        None
                    };
                    let start = self.prog.len();
                    for el in alt {
                        self.elem(el)?;
                    }
                    jumps.push(self.emit(Inst::Jmp(0)));
                    if let Some(s) = split {
                        let next = self.prog.len() as u32;
                        self.prog[s] = Inst::Split(start as u32, next);
                    }
                }
                let end = self.prog.len() as u32;
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Elem::Mention(x) => {
                let not_lex = match &x.not_lex {
                    Some(name) => Some(
                        self.ctx
                            .lex
                            .get(name)
                            .ok_or_else(|| format!("unknown lexicon `{name}`"))?,
                    ),
                    None => None,
                };
                self.emit(Inst::Mention {
                    subject: x.subject,
                    not_lex,
                });
            }
            Elem::Quote(q) => {
                self.emit(Inst::Quote {
                    min_words: q.min_words.min(u16::MAX as usize) as u16,
                    allow_unclosed: q.allow_unclosed.unwrap_or(true),
                });
            }
            Elem::QuoteAfter(q) => {
                // The capture (added by `elem`) must cover the quote only.
                self.emit(Inst::SkipToQuote);
                if let Some(c) = &q.capture {
                    let s = self.cap_slot(c);
                    self.emit(Inst::Save(2 * s));
                }
                self.emit(Inst::Quote {
                    min_words: q.min_words.min(u16::MAX as usize) as u16,
                    allow_unclosed: q.allow_unclosed.unwrap_or(true),
                });
                if let Some(c) = &q.capture {
                    let s = self.cap_slot(c);
                    self.emit(Inst::Save(2 * s + 1));
                }
            }
            Elem::InQuote(x) => {
                let s = match &x.capture {
                    Some(c) => self.cap_slot(c),
                    None => u16::MAX,
                };
                self.emit(Inst::InQuote { slot: s });
            }
            Elem::FromSentenceStart(x) => {
                let s = match &x.capture {
                    Some(c) => self.cap_slot(c),
                    None => u16::MAX,
                };
                self.emit(Inst::FromSentStart { slot: s });
            }
            Elem::ToSentenceEnd(_) => {
                self.emit(Inst::SentEnd);
            }
            Elem::ToClauseEnd(_) => {
                self.emit(Inst::ClauseEnd);
            }
        }
        Ok(())
    }

    fn elem(&mut self, e: &Elem) -> Result<(), String> {
        let (op, capture) = match e {
            Elem::Tok(t) => (&t.op, &t.capture),
            Elem::Lex(l) => (&l.op, &l.capture),
            Elem::Any(a) => (&a.op, &a.capture),
            Elem::Mention(x)
            | Elem::InQuote(x)
            | Elem::FromSentenceStart(x)
            | Elem::ToSentenceEnd(x)
            | Elem::ToClauseEnd(x) => (&x.op, &x.capture),
            Elem::Quote(q) | Elem::QuoteAfter(q) => (&q.op, &q.capture),
        };
        if let Elem::InQuote(x)
        | Elem::FromSentenceStart(x)
        | Elem::ToSentenceEnd(x)
        | Elem::ToClauseEnd(x) = e
        {
            if x.subject {
                return Err("`subject: true` belongs to `Mention` only".into());
            }
            if x.not_lex.is_some() {
                return Err("`not_lex` belongs to `Mention` and `Tok` only".into());
            }
        }
        let op = parse_op(op)?;
        let self_captures = matches!(
            e,
            Elem::QuoteAfter(_) | Elem::InQuote(_) | Elem::FromSentenceStart(_)
        );
        let slot = match capture {
            Some(c) if !self_captures => Some(self.cap_slot(c)),
            _ => None,
        };
        if let Some(s) = slot {
            self.emit(Inst::Save(2 * s));
        }
        match op {
            Op::One => self.body(e)?,
            Op::Opt { lazy } => {
                let split = self.emit(Inst::Split(0, 0));
                self.body(e)?;
                let end = self.prog.len() as u32;
                self.prog[split] = split_of(split as u32 + 1, end, lazy);
            }
            Op::Star { lazy } => self.star(e, lazy)?,
            Op::Plus { lazy } => {
                let start = self.prog.len() as u32;
                self.body(e)?;
                let s = self.emit(Inst::Split(0, 0));
                self.prog[s] = split_of(start, s as u32 + 1, lazy);
            }
            Op::Range { min, max, lazy } => {
                for _ in 0..min {
                    self.body(e)?;
                }
                match max {
                    None => self.star(e, lazy)?,
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in min..max {
                            splits.push(self.emit(Inst::Split(0, 0)));
                            self.body(e)?;
                        }
                        let end = self.prog.len() as u32;
                        for s in splits {
                            self.prog[s] = split_of(s as u32 + 1, end, lazy);
                        }
                    }
                }
            }
        }
        if let Some(s) = slot {
            self.emit(Inst::Save(2 * s + 1));
        }
        Ok(())
    }

    fn star(&mut self, e: &Elem, lazy: bool) -> Result<(), String> {
        let split = self.emit(Inst::Split(0, 0));
        self.body(e)?;
        self.emit(Inst::Jmp(split as u32));
        let end = self.prog.len() as u32;
        self.prog[split] = split_of(split as u32 + 1, end, lazy);
        Ok(())
    }
}

fn split_of(body: u32, skip: u32, lazy: bool) -> Inst {
    if lazy {
        Inst::Split(skip, body)
    } else {
        Inst::Split(body, skip)
    }
}

/// Fewest tokens a program can consume from `pc` (memoized over the program).
fn min_len(prog: &[Inst], pc: usize, seen: &mut Vec<Option<usize>>, depth: usize) -> usize {
    if depth > 4 * prog.len() + 8 {
        return usize::MAX / 4;
    }
    if let Some(v) = seen.get(pc).copied().flatten() {
        return v;
    }
    let v = match prog.get(pc) {
        None | Some(Inst::Match) => 0,
        Some(
            Inst::Tok(_) | Inst::Lex(_) | Inst::Mention { .. } | Inst::SentEnd | Inst::ClauseEnd,
        ) => 1 + min_len(prog, pc + 1, seen, depth + 1),
        Some(Inst::Quote { .. }) => 2 + min_len(prog, pc + 1, seen, depth + 1),
        Some(
            Inst::SkipToQuote
            | Inst::InQuote { .. }
            | Inst::FromSentStart { .. }
            | Inst::Save(_)
            | Inst::Assert(_),
        ) => min_len(prog, pc + 1, seen, depth + 1),
        Some(Inst::Jmp(t)) => {
            if (*t as usize) <= pc {
                usize::MAX / 4 // a loop back: the exit path is the split's other branch
            } else {
                min_len(prog, *t as usize, seen, depth + 1)
            }
        }
        Some(Inst::Split(a, b)) => {
            let a = min_len(prog, *a as usize, seen, depth + 1);
            let b = min_len(prog, *b as usize, seen, depth + 1);
            a.min(b)
        }
    };
    if let Some(s) = seen.get_mut(pc) {
        *s = Some(v);
    }
    v
}

/// Bits of which one must be on the first consumed token, or `None` if any token may start.
fn first_set(prog: &[Inst], preds: &[TokPred], lex: &Lexicons) -> Option<Feat> {
    first_set_from(prog, preds, lex, 0)
}

/// [`first_set`] of the program from instruction `start` on.
fn first_set_from(prog: &[Inst], preds: &[TokPred], lex: &Lexicons, start: usize) -> Option<Feat> {
    let mut mask: Feat = 0;
    let mut stack = vec![start];
    let mut seen = vec![false; prog.len() + 1];
    while let Some(pc) = stack.pop() {
        if pc >= prog.len() || seen[pc] {
            continue;
        }
        seen[pc] = true;
        match prog[pc] {
            Inst::Tok(p) => mask |= preds[p as usize].key?,
            Inst::Lex(l) => {
                let b = lex.bit(l);
                if b == 0 {
                    return None;
                }
                mask |= b;
            }
            Inst::Mention { .. } => mask |= F_MENTION,
            Inst::Quote { .. } => mask |= F_QUOTE_OPEN,
            Inst::SkipToQuote | Inst::SentEnd | Inst::ClauseEnd | Inst::Match => return None,
            Inst::InQuote { .. } | Inst::FromSentStart { .. } | Inst::Save(_) | Inst::Assert(_) => {
                stack.push(pc + 1)
            }
            Inst::Jmp(t) => stack.push(t as usize),
            Inst::Split(a, b) => {
                stack.push(a as usize);
                stack.push(b as usize);
            }
        }
    }
    Some(mask)
}

/// For a pattern whose first element (after capture marks) is a mention or
/// a quotation: that kind, and the feature bits one of which the token right
/// after it must have (`None` when the rest may match without a token there).
fn after_first_set(prog: &[Inst], preds: &[TokPred], lex: &Lexicons) -> Option<(Leading, Feat)> {
    let pc = prog.iter().position(|i| !matches!(i, Inst::Save(_)))?;
    let kind = match prog[pc] {
        Inst::Mention { .. } => Leading::Mention,
        Inst::Quote { .. } => Leading::Quote,
        _ => return None,
    };
    Some((kind, first_set_from(prog, preds, lex, pc + 1)?))
}

/// Bits of the mandatory top-level elements.
fn required_bits(
    pattern: &[Elem],
    lex: &Lexicons,
    preds_of: &dyn Fn(&TokSpec) -> Option<Feat>,
) -> Feat {
    let mut req = 0;
    for e in pattern {
        let (op, bit) = match e {
            Elem::Tok(t) => (&t.op, preds_of(t)),
            Elem::Lex(l) => (&l.op, lex.get(&l.name).map(|x| lex.bit(x))),
            Elem::Mention(x) => (&x.op, Some(F_MENTION)),
            Elem::Quote(q) | Elem::QuoteAfter(q) => (&q.op, Some(F_QUOTE_OPEN)),
            _ => continue,
        };
        let mandatory = matches!(parse_op(op), Ok(Op::One | Op::Plus { .. }))
            || matches!(parse_op(op), Ok(Op::Range { min, .. }) if min > 0);
        if mandatory {
            req |= bit.unwrap_or(0);
        }
    }
    req
}

/// The prefilter bit every token matching `t` has: its lexicon's, or the
/// hidden lexicon of its literal set (only when no literal can be a symbol
/// token, which has no vocabulary id).
fn tok_key(
    t: &TokSpec,
    vocab: &Vocab,
    lex: &Lexicons,
    literal_bits: &HashMap<Vec<u32>, u16>,
) -> Option<Feat> {
    if let Some(n) = &t.lex {
        return lex.get(n).map(|l| lex.bit(l)).filter(|b| *b != 0);
    }
    let mut key = Vec::new();
    for w in t.lower.iter().chain(&t.text) {
        let toks = super::tokenize::tokenize(w);
        if toks.len() != 1 || toks[0].kind == super::tokenize::TokenKind::Symbol {
            return None;
        }
        let id = vocab.get(&toks[0].lower(w));
        if id == super::lexicon::UNKNOWN {
            return None;
        }
        key.push(id);
    }
    if key.is_empty() {
        return None;
    }
    key.sort_unstable();
    key.dedup();
    literal_bits.get(&key).map(|&b| (1 as Feat) << b)
}

/// Sentence-local prefilter keys of a pattern. When the pattern starts with
/// one token and then only takes tokens that do not start a sentence (`Tok`
/// with `sent_start: false`, alone or in `Any`), everything it took lies in the
/// start's sentence; the mandatory one-token `Tok`s that follow are then at
/// most `k` tokens past the sentence end, so their keys must occur by there.
pub fn local_keys(
    pattern: &[Elem],
    key_of: &dyn Fn(&TokSpec) -> Option<Feat>,
) -> Vec<(Feat, usize)> {
    let one = |op: &str| matches!(parse_op(op), Ok(Op::One));
    let keeping = |e: &Elem| -> bool {
        fn keep(e: &Elem) -> bool {
            match e {
                Elem::Tok(t) => t.sent_start == Some(false),
                Elem::Any(a) => a.alts.iter().all(|alt| alt.iter().all(keep)),
                _ => false,
            }
        }
        keep(e)
    };
    let Some(first) = pattern.first() else {
        return Vec::new();
    };
    let starts_local = match first {
        Elem::Tok(t) => one(&t.op),
        Elem::Any(a) => {
            one(&a.op)
                && !a.alts.is_empty()
                && a.alts.iter().all(|alt| match alt.split_first() {
                    Some((Elem::Tok(t), rest)) => one(&t.op) && rest.iter().all(keeping),
                    _ => false,
                })
        }
        _ => false,
    };
    if !starts_local {
        return Vec::new();
    }
    let mut i = 1;
    while i < pattern.len() && keeping(&pattern[i]) {
        i += 1;
    }
    let mut out = Vec::new();
    for (k, e) in pattern[i..].iter().enumerate() {
        match e {
            Elem::Tok(t) if one(&t.op) => {
                if let Some(b) = key_of(t) {
                    out.push((b, k));
                }
            }
            _ => break,
        }
    }
    out
}

/// The prefilter bit of a mandatory one-time element: a `Tok` with a key, a
/// `Lex` with a bit, and (when `quotes`) a `Quote` (`F_QUOTE_OPEN` at its
/// opening token).
fn elem_key(
    e: &Elem,
    key_of: &dyn Fn(&TokSpec) -> Option<Feat>,
    lex: &Lexicons,
    quotes: bool,
) -> Option<Feat> {
    let one = |op: &str| matches!(parse_op(op), Ok(Op::One));
    match e {
        Elem::Tok(t) if one(&t.op) => key_of(t),
        Elem::Lex(l) if one(&l.op) => lex.get(&l.name).map(|x| lex.bit(x)).filter(|b| *b != 0),
        Elem::Quote(q) if quotes && one(&q.op) => Some(F_QUOTE_OPEN),
        _ => None,
    }
}

/// Anchor window of a pattern (see [`Compiled::window`]): the first element is
/// one `Mention` or one `Tok`, then elements of bounded length, then a
/// mandatory one-token `Tok` or `Lex` with a prefilter bit.
pub fn window_key(
    pattern: &[Elem],
    key_of: &dyn Fn(&TokSpec) -> Option<Feat>,
    lex: &Lexicons,
) -> Option<(bool, usize, Feat)> {
    let one = |op: &str| matches!(parse_op(op), Ok(Op::One));
    let after_mention = match pattern.first()? {
        Elem::Mention(m) if one(&m.op) => true,
        Elem::Tok(t) if one(&t.op) => false,
        _ => return None,
    };
    let (gap, bit) = first_key(&pattern[1..], key_of, lex)?;
    Some((after_mention, gap, bit))
}

/// The first mandatory keyed element of `seq` reached through elements of
/// bounded length (a mention counts, bit `F_MENTION`): `(gap, bit)` as in
/// [`window_key`]. An `Any` taken once
/// counts when every alternative has one: its bit is the union of theirs and
/// its gap the largest.
fn first_key(
    seq: &[Elem],
    key_of: &dyn Fn(&TokSpec) -> Option<Feat>,
    lex: &Lexicons,
) -> Option<(usize, Feat)> {
    let mut gap = 0;
    for e in seq {
        if let Some(bit) = elem_key(e, key_of, lex, false) {
            return Some((gap, bit));
        }
        // A mention starts at a token with `F_MENTION` (its start or lead).
        if let Elem::Mention(m) = e
            && matches!(parse_op(&m.op), Ok(Op::One))
        {
            return Some((gap, F_MENTION));
        }
        if let Elem::Any(a) = e
            && matches!(parse_op(&a.op), Ok(Op::One))
            && !a.alts.is_empty()
        {
            let (mut most, mut bits) = (0, 0);
            for alt in &a.alts {
                let (g, b) = first_key(alt, key_of, lex)?;
                most = most.max(g);
                bits |= b;
            }
            return Some((gap + most, bits));
        }
        gap += max_len(e, Some(lex))?;
    }
    None
}

/// Most tokens an element can take, if bounded. A `Lex` counts (times its
/// longest entry) only when `lex` is given; without it only `Tok`s do.
fn max_len(e: &Elem, lex: Option<&Lexicons>) -> Option<usize> {
    let times = |op: &str| -> Option<usize> {
        match parse_op(op).ok()? {
            Op::One | Op::Opt { .. } => Some(1),
            Op::Range { max: Some(m), .. } => Some(m as usize),
            _ => None,
        }
    };
    match e {
        Elem::Tok(t) => times(&t.op),
        Elem::Lex(l) => {
            let lex = lex?;
            let li = lex.get(&l.name)?;
            let longest = lex
                .phrases_by_first
                .values()
                .flatten()
                .filter(|p| p.lex == li)
                .map(|p| p.ids.len())
                .max()
                .unwrap_or(1)
                .max(1);
            Some(times(&l.op)? * longest)
        }
        Elem::Any(a) => {
            let mut best = 0;
            for alt in &a.alts {
                let mut sum = 0;
                for x in alt {
                    sum += max_len(x, lex)?;
                }
                best = best.max(sum);
            }
            Some(best * times(&a.op)?)
        }
        _ => None,
    }
}

/// All anchor windows `(gap, bit)` of a pattern whose first element is one
/// `Mention` or one `Tok` (anchor: the end of that element): every later
/// mandatory one-token `Tok` or `Lex` with a prefilter bit and every
/// mandatory `Quote` (bit `F_QUOTE_OPEN` at its opening token) that is
/// reached through elements of bounded length only; `gap` is the most tokens
/// those elements take, so the element starts at a token with `bit` in
/// `a..=a + gap`. The first entry is [`window_key`]'s.
pub fn window_keys(
    pattern: &[Elem],
    key_of: &dyn Fn(&TokSpec) -> Option<Feat>,
    lex: &Lexicons,
) -> Vec<(usize, Feat)> {
    let one = |op: &str| matches!(parse_op(op), Ok(Op::One));
    let mut out = Vec::new();
    match pattern.first() {
        Some(Elem::Mention(m)) if one(&m.op) => {}
        Some(Elem::Tok(t)) if one(&t.op) => {}
        _ => return out,
    }
    let mut gap = 0;
    for e in &pattern[1..] {
        let key = elem_key(e, key_of, lex, true);
        if let Some(bit) = key {
            out.push((gap, bit));
        }
        match max_len(e, Some(lex)) {
            Some(l) => gap += l,
            None => break,
        }
    }
    out
}

/// Start windows of a pattern (see [`Compiled::start_windows`]): every
/// mandatory one-token `Tok` or `Lex` with a prefilter bit and every mandatory
/// `Quote` reached from the match start through elements of bounded length
/// (a one-time `Any` of one alternative is looked into); `gap` is the
/// most tokens those elements take. Entries at gap 0 are left out (the first
/// set covers the start token).
pub fn start_keys(
    pattern: &[Elem],
    key_of: &dyn Fn(&TokSpec) -> Option<Feat>,
    lex: &Lexicons,
) -> Vec<(usize, Feat)> {
    let one = |op: &str| matches!(parse_op(op), Ok(Op::One));
    // Flatten `Any`s of one alternative taken once: they are their elements.
    let mut seq: Vec<&Elem> = Vec::new();
    let mut rest: Vec<&Elem> = pattern.iter().rev().collect();
    while let Some(e) = rest.pop() {
        match e {
            Elem::Any(a) if one(&a.op) && a.alts.len() == 1 => {
                rest.extend(a.alts[0].iter().rev());
            }
            _ => seq.push(e),
        }
    }
    let mut out = Vec::new();
    let mut gap = 0;
    for e in seq {
        let key = elem_key(e, key_of, lex, true);
        if let Some(bit) = key
            && gap > 0
        {
            out.push((gap, bit));
        }
        match max_len(e, Some(lex)) {
            Some(l) => gap += l,
            None => break,
        }
    }
    out
}

/// Position of a rule in its source file, found by its id.
pub fn rule_pos(src: &str, id: &str) -> (usize, usize) {
    for pat in [
        format!("id: \"{id}\""),
        format!("id:\"{id}\""),
        format!("\"{id}\""),
    ] {
        if let Some(b) = src.find(&pat) {
            return line_col(src, b);
        }
    }
    (1, 1)
}

/// The deepest `Any` may nest in `Any` (the bundled rules nest 3 deep).
pub const MAX_ANY_DEPTH: usize = 8;

/// The most instructions one rule's compiled program may have: `{n,m}`
/// repeats its element's program up to `m` times, so nested repetitions
/// multiply (`{64}` four deep would be 16 million copies). The largest
/// bundled rule has under 200 (a unit test in `rules` checks it).
pub const MAX_PROGRAM: u64 = 4096;

/// How deep `Any` nests in `e`.
fn any_depth(e: &Elem) -> usize {
    match e {
        Elem::Any(a) => 1 + a.alts.iter().flatten().map(any_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The instructions [`Builder::elem`] emits for `e` (saturating; an
/// unusable operator counts as one occurrence, the build reports it).
fn program_size(e: &Elem) -> u64 {
    let ss = |b: Option<bool>| u64::from(b.is_some());
    let (op, capture, body) = match e {
        Elem::Tok(t) => (&t.op, t.capture.is_some(), 1),
        Elem::Lex(l) => (
            &l.op,
            l.capture.is_some(),
            1 + u64::from(!l.not_after.is_empty()),
        ),
        Elem::Any(a) => {
            let alts = a
                .alts
                .iter()
                .map(|alt| alt.iter().map(program_size).fold(0, u64::saturating_add))
                .fold(0, u64::saturating_add);
            let k = a.alts.len() as u64;
            (
                &a.op,
                a.capture.is_some(),
                alts.saturating_add((2 * k).saturating_sub(1)),
            )
        }
        Elem::Mention(x) | Elem::ToSentenceEnd(x) | Elem::ToClauseEnd(x) => {
            (&x.op, x.capture.is_some(), 1 + ss(x.sent_start))
        }
        Elem::InQuote(x) | Elem::FromSentenceStart(x) => (&x.op, false, 1),
        Elem::Quote(q) => (&q.op, q.capture.is_some(), 1 + ss(q.sent_start)),
        Elem::QuoteAfter(q) => (&q.op, false, 2 + 2 * u64::from(q.capture.is_some())),
    };
    let times = |n: u32, each: u64| u64::from(n).saturating_mul(each);
    let repeated = match parse_op(op) {
        Ok(Op::Opt { .. } | Op::Plus { .. }) => body.saturating_add(1),
        Ok(Op::Star { .. }) => body.saturating_add(2),
        Ok(Op::Range { min, max, .. }) => times(min, body).saturating_add(match max {
            None => body.saturating_add(2),
            Some(max) => times(max.saturating_sub(min), body.saturating_add(1)),
        }),
        Ok(Op::One) | Err(_) => body,
    };
    repeated.saturating_add(2 * u64::from(capture))
}

/// Refuses patterns whose compiled program would be too deep or too big
/// (before building it, so that a hostile rule file costs no time nor
/// memory).
fn check_bounds(pattern: &[Elem]) -> Result<(), String> {
    let depth = pattern.iter().map(any_depth).max().unwrap_or(0);
    if depth > MAX_ANY_DEPTH {
        return Err(format!(
            "`Any` is nested {depth} deep; the most is {MAX_ANY_DEPTH}. Flatten the pattern, or split it into rules"
        ));
    }
    let size = pattern
        .iter()
        .map(program_size)
        .fold(1, u64::saturating_add);
    if size > MAX_PROGRAM {
        return Err(format!(
            "the pattern is too big: its repetitions expand to {size} steps (the most is {MAX_PROGRAM}); `{{n,m}}` repeats what it applies to up to m times, and nested repetitions multiply. Use `*` or `+` for long repetitions, or nest fewer of them"
        ));
    }
    Ok(())
}

/// Validates and compiles one rule.
pub fn compile_rule(def: &RuleDef, ctx: &mut Ctx<'_>) -> Result<Compiled, String> {
    if def.id.trim().is_empty() {
        return Err("the rule has an empty `id`".into());
    }
    if !(0.0..=1.0).contains(&def.confidence) || def.confidence.is_nan() {
        return Err(format!(
            "confidence {} is not between 0 and 1",
            def.confidence
        ));
    }
    if def.pattern.is_empty() {
        return Err("the pattern is empty".into());
    }
    check_bounds(&def.pattern)?;
    let mut b = Builder {
        ctx,
        prog: Vec::new(),
        preds: Vec::new(),
        captures: Vec::new(),
        parts: Vec::new(),
    };
    for e in &def.pattern {
        b.elem(e)?;
        b.parts.push(describe(e));
    }
    b.emit(Inst::Match);
    debug_assert_eq!(
        b.prog.len() as u64,
        def.pattern
            .iter()
            .map(program_size)
            .fold(1, u64::saturating_add),
        "program_size follows Builder::elem"
    );
    let mut memo = vec![None; b.prog.len() + 1];
    if min_len(&b.prog, 0, &mut memo, 0) == 0 {
        return Err(
            "the pattern can match the empty string; make at least one element mandatory".into(),
        );
    }
    let cap_index = |name: &str| b.captures.iter().position(|c| c == name);
    let mut spans = Vec::new();
    for s in &def.spans {
        let cap = cap_index(&s.capture).ok_or_else(|| {
            format!(
                "span uses capture `{}`, which the pattern does not define",
                s.capture
            )
        })?;
        if s.label.trim().is_empty() {
            return Err(format!(
                "span of capture `{}` has an empty label",
                s.capture
            ));
        }
        let mut attrs = Vec::new();
        for (k, v) in &s.attrs {
            let need = |c: &str| {
                cap_index(c).ok_or_else(|| {
                    format!("attribute `{k}` uses capture `{c}`, which the pattern does not define")
                })
            };
            let cv = match v {
                AttrValue::Const(c) => CAttr::Const(c.clone()),
                AttrValue::Text(c) => CAttr::Text(need(c)?),
                AttrValue::Target(c) => CAttr::Target(need(c)?),
                AttrValue::Tag {
                    lexicon,
                    capture,
                    flip_if,
                } => CAttr::Tag {
                    lex: b.ctx.lex.get(lexicon).ok_or_else(|| {
                        format!("attribute `{k}` uses unknown lexicon `{lexicon}`")
                    })?,
                    cap: need(capture)?,
                    flip: match flip_if {
                        Some(f) => Some(need(f)?),
                        None => None,
                    },
                },
            };
            attrs.push((k.clone(), cv));
        }
        let mut keys: Vec<String> = attrs.iter().map(|(k, _)| k.clone()).collect();
        keys.sort();
        keys.dedup();
        let by_key = keys
            .iter()
            .map(|k| attrs.iter().rposition(|(a, _)| a == k).unwrap_or(0))
            .collect();
        spans.push(CSpan {
            cap,
            label: s.label.clone(),
            attrs,
            keys,
            by_key,
        });
    }
    let mut relations = Vec::new();
    for r in &def.relations {
        let from = cap_index(&r.from).ok_or_else(|| {
            format!(
                "relation `{}` starts at capture `{}`, which the pattern does not define",
                r.kind, r.from
            )
        })?;
        if !def.spans.iter().any(|s| s.capture == r.from) {
            return Err(format!(
                "relation `{}` starts at capture `{}`, which makes no span",
                r.kind, r.from
            ));
        }
        let to = match r.to.as_str() {
            "@subject" => RelTarget::Subject,
            "@previous" => RelTarget::Previous,
            "@clause_subject" => RelTarget::ClauseSubject,
            "@sentence_subject" => RelTarget::SentenceSubject,
            c => RelTarget::Cap(cap_index(c).ok_or_else(|| {
                format!(
                    "relation `{}` goes to `{c}`, which is neither a capture of the pattern nor `@subject`, `@clause_subject`, `@sentence_subject` or `@previous`",
                    r.kind
                )
            })?),
        };
        relations.push(CRel {
            kind: r.kind.clone(),
            from,
            to,
        });
    }
    let first = first_set(&b.prog, &b.preds, b.ctx.lex);
    let after_first = after_first_set(&b.prog, &b.preds, b.ctx.lex);
    let preds = b.preds.clone();
    let lexr = b.ctx.lex;
    let required = required_bits(&def.pattern, lexr, &|t: &TokSpec| {
        t.lex
            .as_ref()
            .and_then(|n| lexr.get(n))
            .map(|l| lexr.bit(l))
    });
    let key_of = |t: &TokSpec| tok_key(t, b.ctx.vocab, lexr, b.ctx.literal_bits);
    // A leading `FromSentenceStart` takes no token: a match starts where the
    // element after it starts, so the windows are those of the rest.
    let lead = def
        .pattern
        .iter()
        .take_while(
            |e| matches!(e, Elem::FromSentenceStart(x) if matches!(parse_op(&x.op), Ok(Op::One))),
        )
        .count();
    let keyed = &def.pattern[lead..];
    let local = local_keys(keyed, &key_of);
    let window = window_key(keyed, &key_of, lexr);
    let start_windows = start_keys(keyed, &key_of, lexr);
    let more_windows = match window {
        Some(_) => window_keys(keyed, &key_of, lexr)
            .into_iter()
            .skip(1)
            .collect(),
        None => Vec::new(),
    };
    let explain_head = format!(
        "rule `{}`: {} Pattern {} matched “",
        def.id,
        def.description.trim(),
        b.parts.join(" ")
    );
    let nests = def.confidence >= super::choose::NESTED_MIN_CONFIDENCE
        && spans.iter().filter(|sp| sp.label == "Claim").all(|sp| {
            let mut links = relations.iter().filter(|r| r.from == sp.cap);
            links.clone().next().is_some() && links.all(|r| matches!(r.to, RelTarget::Cap(_)))
        });
    Ok(Compiled {
        nests,
        after_first,
        explain_head,
        id: def.id.clone(),
        description: def.description.clone(),
        confidence: def.confidence,
        priority: def.priority,
        prog: b.prog,
        preds,
        captures: b.captures,
        spans,
        relations,
        first,
        required,
        local,
        window,
        more_windows,
        start_windows,
        parts: b.parts,
    })
}

/// A short readable form of a pattern element, for explanations.
pub fn describe(e: &Elem) -> String {
    let with = |s: String, op: &str, cap: &Option<String>| {
        let mut s = s;
        if !op.is_empty() {
            s.push_str(op);
        }
        if let Some(c) = cap {
            s = format!("{c}={s}");
        }
        s
    };
    match e {
        Elem::Tok(t) => {
            let mut parts = Vec::new();
            if !t.lower.is_empty() {
                parts.push(format!("lower∈{:?}", t.lower));
            }
            if !t.text.is_empty() {
                parts.push(format!("text∈{:?}", t.text));
            }
            if let Some(l) = &t.lex {
                parts.push(format!("in {l}"));
            }
            if let Some(r) = &t.regex {
                parts.push(format!("/{r}/"));
            }
            if t.sent_start == Some(true) {
                parts.push("sentence start".into());
            }
            if t.capitalized == Some(true) {
                parts.push("Capitalized".into());
            }
            if parts.is_empty() {
                parts.push("token".into());
            }
            with(format!("[{}]", parts.join(" ")), &t.op, &t.capture)
        }
        Elem::Lex(l) => with(format!("<{}>", l.name), &l.op, &l.capture),
        Elem::Any(a) => with(
            format!("({} alternatives)", a.alts.len()),
            &a.op,
            &a.capture,
        ),
        Elem::Mention(x) if x.subject => with("Mention (subject)".into(), &x.op, &x.capture),
        Elem::Mention(x) => with("Mention".into(), &x.op, &x.capture),
        Elem::Quote(q) => with("Quote".into(), &q.op, &q.capture),
        Elem::QuoteAfter(q) => with("QuoteAfter".into(), &q.op, &q.capture),
        Elem::InQuote(x) => with("InQuote".into(), &x.op, &x.capture),
        Elem::FromSentenceStart(x) => with("sentence start…".into(), &x.op, &x.capture),
        Elem::ToSentenceEnd(x) => with("…sentence end".into(), &x.op, &x.capture),
        Elem::ToClauseEnd(x) => with("…clause end".into(), &x.op, &x.capture),
    }
}

/// Parses a RON rule file.
pub fn parse_ron(src: &str, file: &str) -> Result<RuleFile, RuleError> {
    let opts = ron::Options::default().with_default_extension(
        ron::extensions::Extensions::IMPLICIT_SOME
            | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    );
    opts.from_str::<RuleFile>(src)
        .map_err(|e| RuleError::Syntax {
            file: file.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: match e.code {
                // The parser's own words address developers (its options).
                ron::Error::ExceededRecursionLimit => {
                    "brackets nest too deeply here (a rule file needs a few levels; \
                     is a closing bracket missing, or was the file damaged?)"
                        .to_string()
                }
                code => format!("{code}"),
            },
        })
}
