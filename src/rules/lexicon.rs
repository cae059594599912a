//! Lexicons: named word and phrase lists from a rule file, compiled to a
//! vocabulary of lowercase token ids, one feature bit per lexicon, a phrase
//! index keyed by first token, and optional tags (e.g. a stance cue's polarity).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokenize::tokenize;

/// Feature bits of a token: one per lexicon (bits `0..FLAG_BASE`), then flags.
pub type Feat = u128;

/// Number of bits available to lexicons.
pub const FLAG_BASE: u32 = 120;
pub const F_PUNCT: Feat = 1 << FLAG_BASE;
pub const F_CAP: Feat = 1 << (FLAG_BASE + 1);
pub const F_QUOTE_OPEN: Feat = 1 << (FLAG_BASE + 2);
pub const F_SENT_START: Feat = 1 << (FLAG_BASE + 3);
pub const F_MENTION: Feat = 1 << (FLAG_BASE + 4);
pub const F_IN_QUOTE: Feat = 1 << (FLAG_BASE + 5);

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
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
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
    /// Open-addressing table of ids by [`lower_hash`], for [`Vocab::lookup`]
    /// (no lowercase copy of the token); 0 marks an empty slot.
    table: Vec<u32>,
    /// Forms by id - 1.
    forms: Vec<Box<str>>,
}

/// Hash of a string's ASCII-lowercase form.
#[inline]
fn lower_hash(b: &[u8]) -> u64 {
    let mut h: u64 = b.len() as u64;
    for &c in b {
        h = (h.rotate_left(5) ^ c.to_ascii_lowercase() as u64).wrapping_mul(SEED);
    }
    h
}

impl Vocab {
    pub fn intern(&mut self, lower: &str) -> u32 {
        if let Some(&id) = self.ids.get(lower) {
            return id;
        }
        self.next += 1;
        self.ids.insert(lower.into(), self.next);
        self.forms.push(lower.into());
        if self.table.len() < 2 * self.forms.len() {
            let size = (4 * self.forms.len()).next_power_of_two().max(64);
            self.table = vec![0; size];
            for id in 1..=self.next {
                self.place(id);
            }
        } else {
            self.place(self.next);
        }
        self.next
    }

    fn place(&mut self, id: u32) {
        let mask = self.table.len() - 1;
        let mut i = lower_hash(self.forms[id as usize - 1].as_bytes()) as usize & mask;
        while self.table[i] != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = id;
    }

    /// Id of an already lowercase form.
    pub fn get(&self, lower: &str) -> u32 {
        self.ids.get(lower).copied().unwrap_or(UNKNOWN)
    }

    /// Id of the form whose ASCII-lowercase form equals `text`'s.
    #[inline]
    fn find_ascii_lower(&self, text: &[u8]) -> u32 {
        if self.table.is_empty() {
            return UNKNOWN;
        }
        let mask = self.table.len() - 1;
        let mut i = lower_hash(text) as usize & mask;
        loop {
            let id = self.table[i];
            if id == 0 {
                return UNKNOWN;
            }
            let f = self.forms[id as usize - 1].as_bytes();
            if f.len() == text.len()
                && f.iter()
                    .zip(text)
                    .all(|(a, b)| *a == b.to_ascii_lowercase())
            {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    /// Id of a token text, lowercased on the fly (no allocation for ASCII).
    pub fn lookup(&self, text: &str) -> u32 {
        if text.is_ascii() {
            return self.find_ascii_lower(text.as_bytes());
        }
        // Unicode lowercase never yields ASCII capitals: ASCII folding is then the identity.
        self.find_ascii_lower(text.to_lowercase().as_bytes())
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
    /// Per vocabulary id: phrases that start with it.
    pub phrases_by_first: FxMap<u32, Vec<Phrase>>,
    /// Per lexicon: phrase key → tag (only for tagged lexicons).
    pub tags: Vec<HashMap<String, String>>,
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
        let mut tags = HashMap::new();
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
                }
            } else {
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
        lex
    }

    pub fn get(&self, name: &str) -> Option<u16> {
        self.index.get(name).copied()
    }

    pub fn bit(&self, lex: u16) -> Feat {
        if (lex as u32) < FLAG_BASE {
            1 << lex
        } else {
            0
        }
    }

    pub fn word_bits(&self, id: u32) -> Feat {
        self.word_bits.get(id as usize).copied().unwrap_or(0)
    }

    pub fn tag(&self, lex: u16, key: &str) -> Option<&str> {
        self.tags.get(lex as usize)?.get(key).map(String::as_str)
    }
}
