//! The analysed document: tokens with their lexicon features, quotations,
//! sentences, paragraphs and speaker mentions, with the look-ups that the
//! matcher and the attribution stages ask of it. Building one is the first
//! stage of the suggestion pass ([`super::suggest`]); the mentions are found
//! by [`super::mentions`] and attached with [`Doc::set_mentions`].

use std::ops::Range;

use super::Engine;
use super::class;
use super::lexicon::{
    F_CAP, F_IN_QUOTE, F_LOOKUP, F_MENTION, F_PHRASE, F_PUNCT, F_QUOTE_OPEN, F_SENT_START, Feat,
    UNKNOWN,
};
use super::pattern::{Leading, TokPred};
use super::quotes::{Quote, find_quotes_among, may_be_mark};
use super::sentences::{may_end_sentence, split_tokens_among};
use super::tokenize::{Token, TokenKind, shape_of, tokenize_into};

pub const NONE: u32 = u32::MAX;

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
    /// Where a pattern's `Mention` goes on: one past what stands between the
    /// source and its verb, a party or state tag (`(D-Wis.)`), a phrase (`of
    /// the rally`) or an appositive (`, a lawyer for the family,`); else
    /// `end`. The speaker span stops at `end`.
    pub tail: usize,
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

/// A text with everything the rules look at.
pub struct Doc<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    pub ids: Vec<u32>,
    pub feats: Vec<Feat>,
    pub union: Feat,
    /// Phrase lexicon hits: (start token, lexicon, length), sorted by start.
    pub phrase_hits: Vec<(u32, u16, u16)>,
    pub quotes: Vec<Quote>,
    /// Per quote: number of word tokens inside its marks.
    pub quote_words: Vec<u32>,
    /// Per token: the quote opening at it.
    pub quote_at: Vec<u32>,
    /// Per token: the innermost quote whose marks enclose it.
    pub enclosing: Vec<u32>,
    pub sents: Vec<Range<usize>>,
    pub sent_of: Vec<u32>,
    /// Per token: index of the next token after it that starts a sentence (or the token count).
    pub next_sent_start: Vec<u32>,
    pub para_of: Vec<u32>,
    pub mentions: Vec<Mention>,
    pub mention_at: Vec<u32>,
    /// Per token: where a pattern goes on after the mention starting there
    /// (its `tail`, at least the next token), or [`NONE`]. The matcher's
    /// pre-filters read it for every possible start, so it is kept flat.
    pub after_mention: Vec<u32>,
    /// Feature bits the rules look ahead for (window and sentence keys).
    pub post_mask: Feat,
    /// Per feature bit of `post_mask`: the tokens having it, in order.
    pub post: Vec<Vec<u32>>,
}

/// Vectors of an earlier [`Doc`], reused by [`Doc::new_in`].
#[derive(Debug, Default)]
pub struct DocBufs {
    tokens: Vec<Token>,
    ids: Vec<u32>,
    feats: Vec<Feat>,
    phrase_hits: Vec<(u32, u16, u16)>,
    quote_words: Vec<u32>,
    quote_at: Vec<u32>,
    enclosing: Vec<u32>,
    sent_of: Vec<u32>,
    next_sent_start: Vec<u32>,
    para_of: Vec<u32>,
    mention_at: Vec<u32>,
    after_mention: Vec<u32>,
    post: Vec<Vec<u32>>,
    quotes: Vec<Quote>,
    sents: Vec<Range<usize>>,
    mentions: Vec<Mention>,
    marks: Vec<u32>,
    ends: Vec<u32>,
    phrase_starts: Vec<u32>,
}

/// The feature bits that rules look ahead for: sentence-local keys, window
/// keys (the matcher asks for the next token having one) and one-bit first
/// sets (a rule's possible starts).
fn lookahead_bits(eng: &Engine) -> Feat {
    let mut m = 0;
    for r in &eng.rules {
        // A one-bit first set's list is the rule's list of possible starts.
        if let Some(f) = r.first
            && f.count_ones() == 1
        {
            m |= f;
        }
        m |= r.local.iter().fold(0, |a, (b, _)| a | b);
        m |= r.more_windows.iter().fold(0, |a, (_, b)| a | b);
        m |= r.start_windows.iter().fold(0, |a, (_, b)| a | b);
        if let Some((_, _, b)) = r.window {
            m |= b;
        }
    }
    m
}

/// A vector of `bufs` that holds only [`NONE`], at length `n`: its entries
/// are not filled again for each document (only new ones are), since
/// [`Doc::recycle`] resets just the entries a document set.
fn all_none(buf: &mut Vec<u32>, n: usize) -> Vec<u32> {
    let mut b = std::mem::take(buf);
    debug_assert!(b.iter().all(|&x| x == NONE));
    b.resize(n, NONE);
    b
}

/// An emptied vector of `bufs`, filled with `n` copies of `v`.
fn filled<T: Copy>(buf: &mut Vec<T>, n: usize, v: T) -> Vec<T> {
    let mut b = std::mem::take(buf);
    b.clear();
    b.resize(n, v);
    b
}

impl<'t> Doc<'t> {
    /// Gives the vectors back for the next [`Doc::new_in`].
    pub fn recycle(mut self, bufs: &mut DocBufs) {
        self.reset_sparse_lookups();
        bufs.tokens = self.tokens;
        bufs.ids = self.ids;
        bufs.feats = self.feats;
        bufs.phrase_hits = self.phrase_hits;
        bufs.quote_words = self.quote_words;
        bufs.quote_at = self.quote_at;
        bufs.enclosing = self.enclosing;
        bufs.sent_of = self.sent_of;
        bufs.next_sent_start = self.next_sent_start;
        bufs.para_of = self.para_of;
        bufs.mention_at = self.mention_at;
        bufs.after_mention = self.after_mention;
        bufs.post = self.post;
        bufs.quotes = self.quotes;
        bufs.sents = self.sents;
        bufs.mentions = self.mentions;
    }

    /// Sets the entries of the quote and mention look-ups that this document
    /// set back to [`NONE`], so that the vectors hold only `NONE` again (see
    /// [`all_none`]): cheaper than filling them whole for the next document.
    fn reset_sparse_lookups(&mut self) {
        for q in &self.quotes {
            if let Some(x) = self.quote_at.get_mut(q.open_tok) {
                *x = NONE;
            }
            let end = q.end_tok.min(self.enclosing.len());
            if let Some(inner) = self.enclosing.get_mut(q.open_tok + 1..end) {
                inner.fill(NONE);
            }
        }
        for m in &self.mentions {
            for at in [m.start, m.lead] {
                if let Some(x) = self.mention_at.get_mut(at) {
                    *x = NONE;
                }
                if let Some(x) = self.after_mention.get_mut(at) {
                    *x = NONE;
                }
            }
        }
    }

    /// The tokens, features, quotations, sentences and paragraphs of a text,
    /// in the vectors of an earlier document; mentions come next
    /// ([`Doc::set_mentions`]).
    pub fn new_in(text: &'t str, eng: &Engine, bufs: &mut DocBufs) -> Doc<'t> {
        let mut tokens = std::mem::take(&mut bufs.tokens);
        tokenize_into(text, &mut tokens);
        let n = tokens.len();
        let mut ids = filled(&mut bufs.ids, 0, 0);
        ids.reserve(n);
        let mut feats = filled(&mut bufs.feats, 0, 0);
        feats.reserve(n);
        let mut phrase_hits = filled(&mut bufs.phrase_hits, 0, (0, 0, 0));
        let bytes = text.as_bytes();
        // Tokens that may be quote marks (or start a paragraph) and that may
        // end a sentence: the quote finder and the splitter look at no others.
        let mut marks = filled(&mut bufs.marks, 0, 0);
        let mut ends = filled(&mut bufs.ends, 0, 0);
        // Tokens where a phrase entry may start.
        let mut phrase_starts = filled(&mut bufs.phrase_starts, 0, 0);
        for (i, t) in tokens.iter().enumerate() {
            let first = bytes.get(t.byte_start).copied().unwrap_or(0);
            if t.newline_before || may_be_mark(first) {
                marks.push(i as u32);
            }
            if t.kind == TokenKind::Punct && may_end_sentence(first) {
                ends.push(i as u32);
            }
            let id = if t.kind == TokenKind::Word
                || t.kind == TokenKind::Punct
                || t.kind == TokenKind::Number
            {
                eng.vocab.lookup_at(text, t.byte_start, t.byte_end)
            } else {
                UNKNOWN
            };
            ids.push(id);
            if eng.lex.starts_phrase.get(id as usize) == Some(&true) {
                phrase_starts.push(i as u32);
            }
            let mut f = eng.lex.word_bits(id);
            if t.kind == TokenKind::Punct {
                f |= F_PUNCT;
            }
            let cap = if first < 0x80 {
                first.is_ascii_uppercase()
            } else {
                t.text(text).chars().next().is_some_and(char::is_uppercase)
            };
            if cap {
                f |= F_CAP;
            }
            feats.push(f);
        }
        for &i in &phrase_starts {
            let i = i as usize;
            for p in eng.lex.phrases_by_first.get(&ids[i]).into_iter().flatten() {
                let len = p.ids.len();
                if i + len <= n && ids[i + 1..i + len].iter().eq(&p.ids[1..]) {
                    phrase_hits.push((i as u32, p.lex, p.ids.len() as u16));
                    feats[i] |= eng.lex.bit(p.lex) | F_PHRASE;
                }
            }
        }
        let mut quotes = std::mem::take(&mut bufs.quotes);
        find_quotes_among(text, &tokens, &marks, &mut quotes);
        let mut quote_at = all_none(&mut bufs.quote_at, n);
        let mut enclosing = all_none(&mut bufs.enclosing, n);
        for (qi, q) in quotes.iter().enumerate() {
            if q.open_tok < n {
                quote_at[q.open_tok] = qi as u32;
                feats[q.open_tok] |= F_QUOTE_OPEN;
            }
        }
        // Quotes are sorted by opening; inner ones come later and overwrite.
        for (qi, q) in quotes.iter().enumerate() {
            for e in enclosing
                .iter_mut()
                .take(q.end_tok.min(n))
                .skip(q.open_tok + 1)
            {
                *e = qi as u32;
            }
            for f in feats.iter_mut().take(q.end_tok.min(n)).skip(q.open_tok + 1) {
                *f |= F_IN_QUOTE;
            }
        }
        let mut sents = std::mem::take(&mut bufs.sents);
        split_tokens_among(
            text,
            &mut tokens,
            &quotes,
            &eng.abbreviations,
            &ends,
            &mut sents,
        );
        bufs.marks = marks;
        bufs.ends = ends;
        bufs.phrase_starts = phrase_starts;
        // Per token: its sentence, the next sentence's first token (the
        // token count in the last) and its paragraph.
        // The sentences cover the tokens in order, so the vectors are
        // filled sentence by sentence (no fill beforehand).
        let mut sent_of = filled(&mut bufs.sent_of, 0, 0);
        let mut next_sent_start = filled(&mut bufs.next_sent_start, 0, 0);
        let mut para_of = filled(&mut bufs.para_of, 0, 0);
        let mut p = 0u32;
        for (si, r) in sents.iter().enumerate() {
            debug_assert_eq!(r.start, sent_of.len());
            if let Some(f) = feats.get_mut(r.start) {
                *f |= F_SENT_START;
            }
            sent_of.extend(std::iter::repeat_n(si as u32, r.len()));
            next_sent_start.extend(std::iter::repeat_n(r.end as u32, r.len()));
            for (i, t) in tokens[r.clone()].iter().enumerate() {
                if t.para_start && (i > 0 || r.start > 0) {
                    p += 1;
                }
                para_of.push(p);
            }
        }
        // (Never short: the sentences end at the token count.)
        sent_of.resize(n, 0);
        next_sent_start.resize(n, n as u32);
        para_of.resize(n, 0);
        let mut quote_words = filled(&mut bufs.quote_words, 0, 0);
        quote_words.extend(quotes.iter().map(|q| {
            let r = q.inner();
            let r = r.start.min(n)..r.end.min(n);
            tokens[r]
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .count() as u32
        }));
        Doc {
            text,
            quote_words,
            tokens,
            ids,
            feats,
            union: 0,
            phrase_hits,
            quotes,
            quote_at,
            enclosing,
            sents,
            sent_of,
            next_sent_start,
            para_of,
            mentions: Vec::new(),
            // Set with the mentions (`set_mentions`).
            mention_at: Vec::new(),
            after_mention: Vec::new(),
            post_mask: 0,
            post: Vec::new(),
        }
    }

    /// A vector for the mentions, from the buffers of an earlier document.
    pub fn mention_buf(bufs: &mut DocBufs) -> Vec<Mention> {
        std::mem::take(&mut bufs.mentions)
    }

    /// Attaches the mentions (in document order) and completes the
    /// per-token look-ups that depend on them: the mention starting at each
    /// token, the feature union and the look-ahead position lists.
    pub fn set_mentions(&mut self, mentions: Vec<Mention>, eng: &Engine, bufs: &mut DocBufs) {
        let doc = self;
        let n = doc.tokens.len();
        doc.mentions = mentions;
        doc.mention_at = all_none(&mut bufs.mention_at, n);
        doc.after_mention = all_none(&mut bufs.after_mention, n);
        for (mi, m) in doc.mentions.iter().enumerate() {
            for at in [m.start, m.lead] {
                if at < n && doc.mention_at[at] == NONE {
                    doc.mention_at[at] = mi as u32;
                    doc.after_mention[at] = m.tail.max(at + 1) as u32;
                    doc.feats[at] |= F_MENTION;
                }
            }
        }
        // The union of all features, and position lists of the look-ahead bits.
        let mask = lookahead_bits(eng);
        let mut post = std::mem::take(&mut bufs.post);
        post.resize_with(128, Vec::new);
        post.iter_mut().for_each(Vec::clear);
        // The union in a loop of its own (a plain OR the compiler vectorizes).
        let union = doc.feats.iter().fold(0, |a, &f| a | f);
        for (i, &f) in doc.feats.iter().enumerate() {
            let mut m = f & mask;
            while m != 0 {
                post[m.trailing_zeros() as usize].push(i as u32);
                m &= m - 1;
            }
        }
        doc.union = union;
        doc.post_mask = mask & union;
        doc.post = post;
    }

    /// One past the last token of the mention or quotation that starts at
    /// token `i`, if one does.
    pub fn leading_end(&self, leading: Leading, i: usize) -> Option<usize> {
        let k = match leading {
            Leading::Mention => *self.mention_at.get(i)?,
            Leading::Quote => *self.quote_at.get(i)?,
        };
        if k == NONE {
            return None;
        }
        Some(match leading {
            Leading::Mention => self.mentions[k as usize].tail,
            Leading::Quote => self.quotes[k as usize].end_tok,
        })
    }

    /// The tokens having `bit` (one bit), if the document keeps a list of them.
    pub fn with_bit(&self, bit: Feat) -> Option<&[u32]> {
        (bit.count_ones() == 1 && self.post_mask & bit != 0)
            .then(|| self.post[bit.trailing_zeros() as usize].as_slice())
    }

    /// The first token at or after `from` having a bit of `bits`, or the token count.
    #[inline]
    pub fn next_with(&self, bits: Feat, from: usize) -> usize {
        let n = self.feats.len();
        if bits.count_ones() == 1 && self.post_mask & bits != 0 {
            let list = &self.post[bits.trailing_zeros() as usize];
            let k = list.partition_point(|&p| (p as usize) < from);
            return list.get(k).map_or(n, |&p| p as usize);
        }
        if bits & self.union == 0 {
            return n;
        }
        self.feats
            .get(from..)
            .and_then(|f| f.iter().position(|f| f & bits != 0))
            .map_or(n, |p| from + p)
    }

    pub fn tok_text(&self, i: usize) -> &'t str {
        self.tokens.get(i).map(|t| t.text(self.text)).unwrap_or("")
    }

    pub fn lower_is(&self, i: usize, id: u32) -> bool {
        id != UNKNOWN && self.ids.get(i) == Some(&id)
    }

    /// Text between the first and last token of a token range.
    pub fn slice(&self, r: Range<usize>) -> &'t str {
        if r.start >= r.end || r.end > self.tokens.len() {
            return "";
        }
        self.text
            .get(self.tokens[r.start].byte_start..self.tokens[r.end - 1].byte_end)
            .unwrap_or("")
    }

    /// Lengths of entries of lexicon `lex` starting at token `i`, longest first.
    pub fn lex_lengths(&self, eng: &Engine, lex: u16, i: usize, out: &mut Vec<usize>) {
        out.clear();
        if i >= self.tokens.len() || self.feats[i] & eng.lex.bit(lex) == 0 {
            return;
        }
        if self.feats[i] & (F_PHRASE | F_LOOKUP) == 0 {
            // No phrase starts here: the bit is the one-token entry's.
            out.push(1);
            return;
        }
        let start = self.phrase_hits.partition_point(|h| (h.0 as usize) < i);
        for h in &self.phrase_hits[start..] {
            if h.0 as usize != i {
                break;
            }
            if h.1 == lex {
                out.push(h.2 as usize);
            }
        }
        if eng.lex.has_word(self.ids[i], lex) {
            out.push(1);
        }
        out.sort_unstable_by(|a, b| b.cmp(a));
        out.dedup();
    }

    /// Whether token `i` satisfies `p`: the feature bits first (inlined), the rest apart.
    #[inline(always)]
    pub fn check(&self, eng: &Engine, p: &TokPred, i: usize) -> bool {
        let f = self.feats[i];
        if f & p.need != p.need || f & p.avoid != 0 {
            return false;
        }
        !p.rest || self.check_rest(eng, p, i)
    }

    #[inline(never)]
    fn check_rest(&self, eng: &Engine, p: &TokPred, i: usize) -> bool {
        let t = &self.tokens[i];
        let id = self.ids[i];
        if !p.lower.is_empty() && (id == UNKNOWN || !p.lower.contains(&id)) {
            return false;
        }
        if id != UNKNOWN && p.not_lower.contains(&id) {
            return false;
        }
        if i > 0 && !p.not_after.is_empty() && p.not_after.contains(&self.ids[i - 1]) {
            return false;
        }
        if let Some(l) = p.lex
            && !eng.lex.has_word(id, l)
        {
            return false;
        }
        if let Some(l) = p.not_lex
            && eng.lex.has_word(id, l)
        {
            return false;
        }
        if let Some(b) = p.sent_start
            && t.is_sent_start != b
        {
            return false;
        }
        // `punct`, `capitalized` and `in_quote` are exact feature flags (`need`/`avoid`).
        let s = t.text(self.text);
        if !p.text.is_empty() && !p.text.iter().any(|x| x == s) {
            return false;
        }
        if !p.shape.is_empty() {
            let sh = shape_of(s);
            if !p.shape.contains(&sh) {
                return false;
            }
        }
        if let Some(r) = &p.regex
            && !r.is_match(s)
        {
            return false;
        }
        true
    }

    /// End (exclusive) of the clause from `i`: before `;`, `:`, a dash or a
    /// bracket, else the sentence end.
    pub fn clause_end(&self, eng: &Engine, i: usize) -> usize {
        let s = self.sent_of[i] as usize;
        let end = self.sents[s].end;
        let verbs = eng
            .elex
            .reporting_verbs
            .map(|l| eng.lex.bit(l))
            .unwrap_or(0);
        let verb_at = |k: usize| k < end && eng.lex.word_bits(self.ids[k]) & verbs != 0;
        // `..., 27 percent of them said ...`: a source and its reporting
        // verb after a comma begin a new report.
        let source_at = |k: usize| {
            self.mention_at.get(k).is_some_and(|&m| {
                m != NONE && {
                    let t = self.mentions[m as usize].tail;
                    verb_at(t) || (in_lex(self, eng, t, class::ADVERBS) && verb_at(t + 1))
                }
            })
        };
        for k in i + 1..end {
            // Only punctuation ends a clause.
            if self.tokens[k].kind != TokenKind::Punct {
                continue;
            }
            let t = self.tok_text(k);
            if matches!(t, ";" | "—" | "–" | "(" | ":") {
                return k;
            }
            // ", but warned that ...", ", and added ...", ", according to": a new report.
            if t == "," {
                let next = self.tok_text(k + 1);
                if (matches!(next, "but" | "and" | "while" | "whereas")
                    && (verb_at(k + 2) || source_at(k + 2)))
                    || verb_at(k + 1)
                    || source_at(k + 1)
                    || next.eq_ignore_ascii_case("according")
                {
                    return k;
                }
            }
        }
        end
    }
}

/// Whether token `i` is a one-token entry of the engine lexicon of class bit `c`.
#[inline]
pub fn in_lex(doc: &Doc, eng: &Engine, i: usize, c: u32) -> bool {
    doc.ids.get(i).is_some_and(|&id| eng.elex.is(id, c))
}
