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
}

impl Vocab {
    pub fn intern(&mut self, lower: &str) -> u32 {
        if let Some(&id) = self.ids.get(lower) {
            return id;
        }
        self.next += 1;
        self.ids.insert(lower.into(), self.next);
        self.next
    }

    /// Id of an already lowercase form.
    pub fn get(&self, lower: &str) -> u32 {
        self.ids.get(lower).copied().unwrap_or(UNKNOWN)
    }

    /// Id of a token text, lowercased on the fly (no allocation for ASCII).
    pub fn lookup(&self, text: &str) -> u32 {
        if text.is_ascii() {
            if !text.bytes().any(|b| b.is_ascii_uppercase()) {
                return self.get(text);
            }
            let mut buf = [0u8; 48];
            if text.len() > buf.len() {
                return self.get(&text.to_ascii_lowercase());
            }
            let b = &mut buf[..text.len()];
            b.copy_from_slice(text.as_bytes());
            b.make_ascii_lowercase();
            // ASCII stays valid UTF-8.
            return std::str::from_utf8(b)
                .map(|s| self.get(s))
                .unwrap_or(UNKNOWN);
        }
        self.get(&text.to_lowercase())
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
