//! Lexicons: named word and phrase lists from a rule file, compiled to a
//! vocabulary of lowercase token ids, one feature bit per lexicon, a phrase
//! index keyed by first token, and optional tags (e.g. a stance cue's polarity).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokenize::tokenize;

/// Feature bits of a token: one per lexicon (bits `0..FLAG_BASE`), then flags.
pub type Feat = u128;

/// Number of bits available to lexicons. Lexicons beyond them (a rule file
/// may have up to [`MAX_LEXICONS`]) have no bit of their own but
/// [`F_LOOKUP`], which every token then has: their one-token entries are
/// looked up in a sorted list ([`Lexicons::has_word`]) and their phrases
/// through the document's phrase hits, and no rule is pre-filtered by them.
/// The lexicons the analysis itself uses (`titles`, `pronouns`, …) always
/// get bits (see `RuleSet::from_file`).
pub const FLAG_BASE: u32 = 120;

/// The most lexicons a rule set can have (their index is a `u16`).
pub const MAX_LEXICONS: usize = u16::MAX as usize;
pub const F_PUNCT: Feat = 1 << FLAG_BASE;
pub const F_CAP: Feat = 1 << (FLAG_BASE + 1);
pub const F_QUOTE_OPEN: Feat = 1 << (FLAG_BASE + 2);
pub const F_SENT_START: Feat = 1 << (FLAG_BASE + 3);
pub const F_MENTION: Feat = 1 << (FLAG_BASE + 4);
pub const F_IN_QUOTE: Feat = 1 << (FLAG_BASE + 5);
/// A phrase lexicon entry starts at the token.
pub const F_PHRASE: Feat = 1 << (FLAG_BASE + 6);
/// Every token has it when some lexicon has no bit of its own (it is in
/// every word's bits then): such a lexicon's "bit", so that the feature
/// tests pass every token on to the look-up ([`Lexicons::has_word`],
/// `Doc::lex_lengths`), exactly as [`F_PHRASE`] does for phrases.
pub const F_LOOKUP: Feat = 1 << (FLAG_BASE + 7);

/// A small fast hasher (FxHash) for short keys; no global state.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// A bit of a product depends only on the bits below it of its input,
    /// and hash tables index by the low bits: keys that differ only in the
    /// last bytes of a long shared prefix (`w000…001`, `w000…002`) would
    /// fall into a few buckets. MurmurHash3's finalizer makes every output
    /// bit depend on every input bit.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Id of a token form unknown to the vocabulary.
pub const UNKNOWN: u32 = 0;

/// Lowercase token forms that some lexicon or rule mentions.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    ids: FxMap<Box<str>, u32>,
    next: u32,
    /// Open-addressing table for [`Vocab::lookup`] (no lowercase copy of the
    /// token), slot from the top bits of [`lower_key`]'s hash. A slot holds
    /// `(key, len << 32 | id)`, id 0 marking an empty slot; the key is the
    /// form itself for forms of up to 8 bytes (compared without touching
    /// the form), else its hash.
    table: Vec<(u64, u64)>,
    /// Table index shift: the slot is the top bits of the hash.
    shift: u32,
    /// Bytes of all forms, one after the other.
    bytes: Vec<u8>,
    /// Form of id `i` is `bytes[ends[i - 1]..ends[i]]` (`ends[0] == 0`).
    ends: Vec<u32>,
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// ASCII-lowercase of 8 bytes (SWAR); bytes >= 0x80 are left as they are.
#[inline]
fn lower_word(w: u64) -> u64 {
    let m = w & (0x7f * ONES);
    // High bit of a byte: its low 7 bits >= 'A' (0x41), resp. >= '[' (0x5B); no carries.
    let a = m.wrapping_add(0x3f * ONES);
    let z = m.wrapping_add(0x25 * ONES);
    w | ((a & !z & !w & (0x80 * ONES)) >> 2)
}

#[inline]
fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(SEED)
}

/// Key of a string's ASCII-lowercase form: (hash, table key) where the
/// table key is the zero-padded lowercase form if it has at most 8 bytes,
/// else the hash; and the OR of all bytes (non-ASCII if its high bits are set).
#[inline]
fn lower_key(b: &[u8]) -> (u64, u64, u64) {
    let mut h: u64 = b.len() as u64;
    let mut hi = 0u64;
    let mut chunks = b.chunks_exact(8);
    let mut first = 0u64;
    for c in &mut chunks {
        let mut arr = [0u8; 8];
        arr.copy_from_slice(c);
        let w = u64::from_le_bytes(arr);
        hi |= w;
        first = lower_word(w);
        h = mix(h, first);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = 0u64;
        for (k, &c) in rest.iter().enumerate() {
            w |= (c as u64) << (8 * k);
        }
        hi |= w;
        first = lower_word(w);
        h = mix(h, first);
    }
    let key = if b.len() <= 8 { first } else { h };
    (h, key, hi)
}

/// Whether every non-ASCII character of `b` is in U+0080..U+00BF (Latin-1
/// punctuation and symbols) or U+2000..U+203F (general punctuation): none has
/// a lowercase form of its own.
fn caseless_non_ascii(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c < 0x80 => i += 1,
            0xC2 => i += 2,
            0xE2 if b.get(i + 1) == Some(&0x80) => i += 3,
            _ => return false,
        }
    }
    true
}

impl Vocab {
    pub fn intern(&mut self, lower: &str) -> u32 {
        if let Some(&id) = self.ids.get(lower) {
            return id;
        }
        self.next += 1;
        self.ids.insert(lower.into(), self.next);
        if self.ends.is_empty() {
            self.ends.push(0);
        }
        self.bytes.extend_from_slice(lower.as_bytes());
        self.ends.push(self.bytes.len() as u32);
        let n = self.next as usize;
        if self.table.len() < 2 * n {
            let size = (4 * n).next_power_of_two().max(64);
            self.table = vec![(0, 0); size];
            self.shift = 64 - size.trailing_zeros();
            for id in 1..=self.next {
                self.place(id);
            }
        } else {
            self.place(self.next);
        }
        self.next
    }

    #[inline]
    fn form(&self, id: u32) -> &[u8] {
        let id = id as usize;
        &self.bytes[self.ends[id - 1] as usize..self.ends[id] as usize]
    }

    fn place(&mut self, id: u32) {
        let mask = self.table.len() - 1;
        let f = self.form(id);
        let (h, key, _) = lower_key(f);
        let meta = (f.len() as u64) << 32 | id as u64;
        let mut i = (h >> self.shift) as usize;
        while self.table[i].1 != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = (key, meta);
    }

    /// Id of an already lowercase form.
    pub fn get(&self, lower: &str) -> u32 {
        self.ids.get(lower).copied().unwrap_or(UNKNOWN)
    }

    /// The probe of the open-addressing table: the id in the first slot from
    /// `h`'s on with table key `key` and form length `len` that `confirm`
    /// accepts (forms longer than 8 bytes share keys only by hash).
    #[inline(always)]
    fn probe(&self, h: u64, key: u64, len: u64, confirm: impl Fn(u32) -> bool) -> u32 {
        let mask = self.table.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let (k, meta) = self.table[i];
            if meta == 0 {
                return UNKNOWN;
            }
            if k == key && meta >> 32 == len && confirm(meta as u32) {
                return meta as u32;
            }
            i = (i + 1) & mask;
        }
    }

    /// Id of the form whose ASCII-lowercase form equals `text`'s, given [`lower_key`] of `text`.
    #[inline]
    fn find(&self, text: &[u8], h: u64, key: u64) -> u32 {
        let len = text.len() as u64;
        self.probe(h, key, len, |id| {
            len <= 8
                || self
                    .form(id)
                    .iter()
                    .zip(text)
                    .all(|(a, b)| *a == b.to_ascii_lowercase())
        })
    }

    /// Id of a token text, lowercased on the fly (no allocation for ASCII).
    pub fn lookup(&self, text: &str) -> u32 {
        if self.table.is_empty() {
            return UNKNOWN;
        }
        let (h, key, hi) = lower_key(text.as_bytes());
        if hi & (0x80 * ONES) == 0 {
            return self.find(text.as_bytes(), h, key);
        }
        if caseless_non_ascii(text.as_bytes()) {
            // Quote marks, dashes, `«»`: no case, so ASCII folding is the whole lowercase.
            return self.find(text.as_bytes(), h, key);
        }
        // Unicode lowercase never yields ASCII capitals: ASCII folding is then the identity.
        let lower = text.to_lowercase();
        let (h, key, _) = lower_key(lower.as_bytes());
        self.find(lower.as_bytes(), h, key)
    }

    /// [`Vocab::lookup`] of the token `text[start..end]`: a token of up to 8
    /// ASCII bytes is read with one load from the whole text (when 8 bytes
    /// remain from its start), masked and folded in a register.
    #[inline]
    pub fn lookup_at(&self, text: &str, start: usize, end: usize) -> u32 {
        let b = text.as_bytes();
        let len = end.saturating_sub(start);
        if len > 0
            && len <= 8
            && let Some(chunk) = b.get(start..start + 8)
            && !self.table.is_empty()
        {
            let mut arr = [0u8; 8];
            arr.copy_from_slice(chunk);
            let w = u64::from_le_bytes(arr) & (u64::MAX >> (64 - 8 * len));
            if w & (0x80 * ONES) == 0 {
                let key = lower_word(w);
                return self.find_short(mix(len as u64, key), key, len as u64);
            }
        }
        if len > 8
            && len <= 16
            && let Some(chunk) = b.get(start..start + 16)
            && !self.table.is_empty()
        {
            let word = |k: usize| {
                let mut arr = [0u8; 8];
                arr.copy_from_slice(&chunk[k..k + 8]);
                u64::from_le_bytes(arr)
            };
            let (w0, w1) = (word(0), word(8) & (u64::MAX >> (128 - 8 * len)));
            if (w0 | w1) & (0x80 * ONES) == 0 {
                let (l0, l1) = (lower_word(w0), lower_word(w1));
                let h = mix(mix(len as u64, l0), l1);
                return self.find_two_words(h, l0, l1, len);
            }
        }
        self.lookup(text.get(start..end).unwrap_or(""))
    }

    /// [`Vocab::find`] for a form of 9 to 16 bytes given as two words (the
    /// second zero-padded).
    #[inline]
    fn find_two_words(&self, h: u64, l0: u64, l1: u64, len: usize) -> u32 {
        self.probe(h, h, len as u64, |id| {
            let f = self.form(id);
            let mut a = [0u8; 16];
            a[..f.len()].copy_from_slice(f);
            let (f0, f1) = a.split_at(8);
            f0 == l0.to_le_bytes() && f1 == l1.to_le_bytes()
        })
    }

    /// [`Vocab::find`] for a form of at most 8 bytes (the key is the form).
    #[inline]
    fn find_short(&self, h: u64, key: u64, len: u64) -> u32 {
        self.probe(h, key, len, |_| true)
    }

    pub fn len(&self) -> usize {
        self.next as usize
    }

    pub fn is_empty(&self) -> bool {
        self.next == 0
    }
}

/// Splits a lexicon entry into lowercase token forms.
pub fn entry_tokens(entry: &str) -> Vec<String> {
    tokenize(entry).iter().map(|t| t.lower(entry)).collect()
}

/// Normalised key of a phrase: lowercase tokens joined by one space.
pub fn phrase_key(entry: &str) -> String {
    entry_tokens(entry).join(" ")
}

/// A phrase entry (two or more tokens).
#[derive(Debug, Clone)]
pub struct Phrase {
    pub lex: u16,
    pub ids: Vec<u32>,
}

/// Compiled lexicons.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    pub names: Vec<String>,
    pub index: HashMap<String, u16>,
    /// Per vocabulary id: bits of the lexicons holding it as a one-token entry.
    pub word_bits: Vec<Feat>,
    /// Per lexicon without a bit (index `FLAG_BASE` on): the sorted ids of
    /// its one-token entries.
    pub unbitted_words: Vec<Vec<u32>>,
    /// Per vocabulary id: phrases that start with it.
    pub phrases_by_first: FxMap<u32, Vec<Phrase>>,
    /// Per vocabulary id: whether a phrase starts with it (a key of `phrases_by_first`).
    pub starts_phrase: Vec<bool>,
    /// Per lexicon: phrase key → tag (only for tagged lexicons).
    pub tags: Vec<FxMap<String, String>>,
}

impl Lexicons {
    /// Adds a lexicon; returns its index. `entries` are (text, tag).
    pub fn add(
        &mut self,
        vocab: &mut Vocab,
        name: &str,
        entries: &[(String, Option<String>)],
    ) -> u16 {
        let lex = self.names.len() as u16;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), lex);
        let mut tags = FxMap::default();
        for (entry, tag) in entries {
            let toks = entry_tokens(entry);
            if toks.is_empty() {
                continue;
            }
            let ids: Vec<u32> = toks.iter().map(|t| vocab.intern(t)).collect();
            if ids.len() == 1 {
                let id = ids[0] as usize;
                if self.word_bits.len() <= id {
                    self.word_bits.resize(id + 1, 0);
                }
                if (lex as u32) < FLAG_BASE {
                    self.word_bits[id] |= 1 << lex;
                } else {
                    let k = lex as usize - FLAG_BASE as usize;
                    if self.unbitted_words.len() <= k {
                        self.unbitted_words.resize_with(k + 1, Vec::new);
                    }
                    self.unbitted_words[k].push(id as u32);
                }
            } else {
                let first = ids[0] as usize;
                if self.starts_phrase.len() <= first {
                    self.starts_phrase.resize(first + 1, false);
                }
                self.starts_phrase[first] = true;
                self.phrases_by_first
                    .entry(ids[0])
                    .or_default()
                    .push(Phrase { lex, ids });
            }
            if let Some(tag) = tag {
                tags.insert(toks.join(" "), tag.clone());
            }
        }
        self.tags.push(tags);
        if let Some(words) = (lex as usize)
            .checked_sub(FLAG_BASE as usize)
            .and_then(|k| self.unbitted_words.get_mut(k))
        {
            words.sort_unstable();
            words.dedup();
        }
        lex
    }

    pub fn get(&self, name: &str) -> Option<u16> {
        self.index.get(name).copied()
    }

    /// The feature bit of lexicon `lex`: its own, or [`F_LOOKUP`] for a
    /// lexicon past the bits.
    pub fn bit(&self, lex: u16) -> Feat {
        if (lex as u32) < FLAG_BASE {
            1 << lex
        } else {
            F_LOOKUP
        }
    }

    /// Gives every word [`F_LOOKUP`] if some lexicon has no bit of its own
    /// (called once all lexicons and the vocabulary are complete).
    pub fn mark_lookups(&mut self) {
        if self.names.len() > FLAG_BASE as usize {
            for b in &mut self.word_bits {
                *b |= F_LOOKUP;
            }
        }
    }

    pub fn word_bits(&self, id: u32) -> Feat {
        self.word_bits.get(id as usize).copied().unwrap_or(0)
    }

    /// Whether vocabulary id `id` is a one-token entry of lexicon `lex`
    /// (with or without a bit).
    #[inline]
    pub fn has_word(&self, id: u32, lex: u16) -> bool {
        if (lex as u32) < FLAG_BASE {
            return self.word_bits(id) & (1 << lex) != 0;
        }
        self.has_unbitted_word(id, lex)
    }

    #[inline(never)]
    fn has_unbitted_word(&self, id: u32, lex: u16) -> bool {
        (lex as usize)
            .checked_sub(FLAG_BASE as usize)
            .and_then(|k| self.unbitted_words.get(k))
            .is_some_and(|w| w.binary_search(&id).is_ok())
    }

    pub fn tag(&self, lex: u16, key: &str) -> Option<&str> {
        self.tags.get(lex as usize)?.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_a_long_shared_prefix_spread_over_the_low_bits() {
        // Hash tables index by the low bits; keys that differ only at the
        // end of a 16-byte form once all fell into a few buckets.
        let buckets: std::collections::HashSet<u64> = (0..4096)
            .map(|i| {
                let mut h = FxHasher::default();
                h.write(format!("w{i:015}").as_bytes());
                h.finish() & 4095
            })
            .collect();
        assert!(buckets.len() > 2048, "{} of 4096 buckets", buckets.len());
    }

    #[test]
    fn lookup_folds_ascii_case_of_short_long_and_unicode_forms() {
        let mut v = Vocab::default();
        let forms = [
            "said",
            "a",
            "according",
            "spokeswoman",
            "u.s",
            "n’t",
            "’s",
            "«",
            "émigré",
            "zürich",
            "[x]",
            "@@",
            "`z{",
        ];
        let ids: Vec<u32> = forms.iter().map(|f| v.intern(f)).collect();
        for (f, id) in forms.iter().zip(&ids) {
            assert_eq!(v.lookup(f), *id, "{f}");
            assert_eq!(v.lookup(&f.to_uppercase()), *id, "{f} upper");
        }
        assert_eq!(v.lookup("SAID"), ids[0]);
        assert_eq!(v.lookup("«"), ids[7]);
        assert_eq!(v.lookup("ÉMIGRÉ"), ids[8]);
        assert_eq!(v.lookup("N’T"), ids[5]);
        // Eight-byte forms are compared in full; `lookup_at` reads from a longer text.
        let eight = v.intern("reported");
        let long = v.intern("ministers");
        assert_eq!(v.lookup_at("The MINISTERS said so", 4, 13), long);
        assert_eq!(v.lookup_at("The MINISTERX said so", 4, 13), UNKNOWN);
        assert_eq!(v.lookup_at("The SPOKESWOMAN said", 4, 15), ids[3]);
        assert_eq!(v.lookup_at("The SPOKESWOMAX said", 4, 15), UNKNOWN);
        assert_eq!(v.lookup("REPORTED"), eight);
        assert_eq!(v.lookup("reportez"), UNKNOWN);
        let text = "He REPORTED it, said a spokeswoman; émigré Spokeswomen ACCORDING to x";
        // Every word: short, eight bytes, long, non-ASCII, near the end.
        for (start, end) in [
            (0, 2),
            (3, 11),
            (12, 14),
            (16, 20),
            (21, 22),
            (23, 34),
            (36, 44),
            (45, 56),
            (57, 66),
            (67, 69),
            (70, 71),
        ] {
            assert_eq!(
                v.lookup_at(text, start, end),
                v.lookup(&text[start..end]),
                "{}",
                &text[start..end]
            );
        }
        assert_eq!(v.lookup("SpokesWoman"), ids[3]);
        for other in [
            "says",
            "",
            "saidx",
            "spokeswomen",
            "according_",
            "[y]",
            "@`",
            "Zurich",
        ] {
            assert_eq!(v.lookup(other), UNKNOWN, "{other}");
        }
        // Every byte value next to the letters: only A-Z fold.
        for b in 0u8..128 {
            let s = (b as char).to_string();
            let want = if b.is_ascii_uppercase() {
                v.get(&s.to_ascii_lowercase())
            } else {
                v.get(&s)
            };
            assert_eq!(v.lookup(&s), want, "{b}");
        }
    }
}
