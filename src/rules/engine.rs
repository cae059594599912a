//! The compiled, immutable part of a rule set: vocabulary, lexicons,
//! abbreviations, compiled rules, and the lexicons the engine itself uses
//! (mention finding, subjects, targets) as per-word class bits.

use super::lexicon::{Lexicons, Vocab};
use super::pattern::Compiled;
use super::sentences::Abbreviations;

/// Lexicons the engine itself uses (mention finding, subjects, targets), by
/// reserved names in the rule file; a missing one is simply empty.
#[derive(Debug, Clone, Default)]
pub struct EngineLexicons {
    pub function_words: Option<u16>,
    pub titles: Option<u16>,
    pub org_words: Option<u16>,
    pub place_words: Option<u16>,
    pub pronouns: Option<u16>,
    pub plural_pronouns: Option<u16>,
    pub group_mentions: Option<u16>,
    pub role_nouns: Option<u16>,
    pub conjunctions: Option<u16>,
    pub prepositions: Option<u16>,
    pub determiners: Option<u16>,
    /// Numbers and quantities that begin a described source (`some`, `most`).
    pub quantities: Option<u16>,
    /// Words that attribute (`said`, `criticized`): a name stops before them.
    pub cue_verbs: Option<u16>,
    /// Words between a subject and its verb (`also`, `has`, `reportedly`).
    pub adverbs: Option<u16>,
    /// Pronouns for things (`it`): a source only right before an attributing verb.
    pub neuter_pronouns: Option<u16>,
    /// Words of a position (`criticized`, `backs`) and of an intention
    /// (`wants`, `refused`): a name stops before them too.
    pub stance_cues: Option<u16>,
    pub intent_verbs: Option<u16>,
    /// Ends a clause after a comma (`, but warned that`).
    pub reporting_verbs: Option<u16>,
    /// Per vocabulary id: the [`class`] bits of the lexicons above that
    /// hold it as a one-token entry (one small load per token test).
    pub classes: Vec<u32>,
}

/// Bits of [`EngineLexicons::classes`], one per engine lexicon.
pub mod class {
    pub const FUNCTION_WORDS: u32 = 1 << 0;
    pub const TITLES: u32 = 1 << 1;
    pub const ORG_WORDS: u32 = 1 << 2;
    pub const PLACE_WORDS: u32 = 1 << 3;
    pub const PRONOUNS: u32 = 1 << 4;
    pub const PLURAL_PRONOUNS: u32 = 1 << 5;
    pub const GROUP_MENTIONS: u32 = 1 << 6;
    pub const ROLE_NOUNS: u32 = 1 << 7;
    pub const CONJUNCTIONS: u32 = 1 << 8;
    pub const PREPOSITIONS: u32 = 1 << 9;
    pub const DETERMINERS: u32 = 1 << 10;
    pub const REPORTING_VERBS: u32 = 1 << 11;
    pub const QUANTITIES: u32 = 1 << 12;
    pub const CUE_VERBS: u32 = 1 << 13;
    pub const ADVERBS: u32 = 1 << 14;
    pub const NEUTER_PRONOUNS: u32 = 1 << 15;
    pub const STANCE_CUES: u32 = 1 << 16;
    pub const INTENT_VERBS: u32 = 1 << 17;
}

/// The names of the lexicons the engine uses (see [`EngineLexicons`]).
/// They get feature bits before any other lexicon, since the analysis tests
/// them by their bits.
pub const ENGINE_LEXICON_NAMES: [&str; 18] = [
    "function_words",
    "titles",
    "org_words",
    "place_words",
    "pronouns",
    "plural_pronouns",
    "group_mentions",
    "role_nouns",
    "conjunctions",
    "prepositions",
    "determiners",
    "quantities",
    "cue_verbs",
    "adverbs",
    "neuter_pronouns",
    "stance_cues",
    "intent_verbs",
    "reporting_verbs",
];

impl EngineLexicons {
    /// Fills [`EngineLexicons::classes`] from the lexicons' one-token entries.
    pub fn fill_classes(&mut self, lex: &Lexicons) {
        let pairs = [
            (self.function_words, class::FUNCTION_WORDS),
            (self.titles, class::TITLES),
            (self.org_words, class::ORG_WORDS),
            (self.place_words, class::PLACE_WORDS),
            (self.pronouns, class::PRONOUNS),
            (self.plural_pronouns, class::PLURAL_PRONOUNS),
            (self.group_mentions, class::GROUP_MENTIONS),
            (self.role_nouns, class::ROLE_NOUNS),
            (self.conjunctions, class::CONJUNCTIONS),
            (self.prepositions, class::PREPOSITIONS),
            (self.determiners, class::DETERMINERS),
            (self.reporting_verbs, class::REPORTING_VERBS),
            (self.quantities, class::QUANTITIES),
            (self.cue_verbs, class::CUE_VERBS),
            (self.adverbs, class::ADVERBS),
            (self.neuter_pronouns, class::NEUTER_PRONOUNS),
            (self.stance_cues, class::STANCE_CUES),
            (self.intent_verbs, class::INTENT_VERBS),
        ];
        self.classes = (0..lex.word_bits.len())
            .map(|id| {
                pairs.iter().fold(0, |acc, &(l, c)| match l {
                    Some(l) if lex.has_word(id as u32, l) => acc | c,
                    _ => acc,
                })
            })
            .collect();
    }

    /// Whether vocabulary id `id` is in the lexicon of class bit `c`.
    #[inline]
    pub fn is(&self, id: u32, c: u32) -> bool {
        self.classes.get(id as usize).is_some_and(|&k| k & c != 0)
    }
}

/// The compiled, immutable part of a rule set.
#[derive(Debug, Clone)]
pub struct Engine {
    pub name: String,
    pub vocab: Vocab,
    pub lex: Lexicons,
    pub abbreviations: Abbreviations,
    pub rules: Vec<Compiled>,
    pub elex: EngineLexicons,
    pub enabled_by_file: Vec<bool>,
}
