//! The rule engine: loads rule sets (RON rule files, spaCy/Prodigy
//! `patterns.jsonl`), analyses a text (tokens, sentences, quotes, mentions),
//! runs the token patterns and resolves who said what into suggestions.
//!
//! Everything here is pure: a text goes in, suggestions come out. Offsets are
//! Unicode code points, end exclusive.

pub mod attribution;
pub mod choose;
pub mod doc;
pub mod engine;
pub mod entities;
pub mod error;
pub mod jsonl;
pub mod lexicon;
pub mod matcher;
pub mod mentions;
pub mod output;
pub mod pattern;
pub mod patterns_jsonl;
pub mod project;
pub mod quotes;
pub mod sentences;
pub mod stats;
pub mod suggest;
pub mod tokenize;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

pub use engine::{Engine, EngineLexicons, class};
pub use error::RuleError;
pub use jsonl::{BadLine, JsonlSummary, suggest_jsonl, suggest_jsonl_parallel, suggest_record};
pub use quotes::{Quote, find_quotes};
pub use sentences::{Abbreviations, default_sentences, sentences};
pub use suggest::{SuggestScratch, analyse};
pub use tokenize::{Token, TokenKind, tokenize};

use lexicon::{Lexicons, Vocab};
use pattern::{Ctx, RuleFile, compile_rule, parse_ron, rule_pos};

/// One suggested span.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Code points, end exclusive.
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub attrs: BTreeMap<String, String>,
    pub rule_id: String,
    pub confidence: f32,
    /// Which tokens matched which pattern part, and why it is linked.
    pub explanation: String,
}

/// A suggested relation between two suggestions (indices into `spans`):
/// `said_by` Claim → Speaker, `held_by` Stance → Speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedRelation {
    pub kind: String,
    pub from: usize,
    pub to: usize,
}

/// Suggestions for one text, spans ordered by start.
#[derive(Clone, Default, PartialEq)]
pub struct Suggestions {
    pub spans: Vec<Suggestion>,
    pub relations: Vec<SuggestedRelation>,
    /// The spans' attributes are packed into their `explanation`
    /// (`output::pack_attr`), their maps empty: only in the streaming JSONL
    /// pass, which writes them out itself ([`jsonl`]).
    pub(crate) packed_attrs: bool,
}

/// What a rule is, for listing and for per-project switches.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    pub description: String,
    /// Labels of the spans the rule makes (Speaker spans made through relations included).
    pub labels: Vec<String>,
    pub confidence: f32,
    pub priority: i32,
    pub enabled: bool,
}

/// A loaded rule set. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RuleSet {
    engine: Arc<Engine>,
    disabled: HashSet<String>,
}

const DEFAULT_EN_NEWS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/rules/en-news.ron"
));

impl RuleSet {
    /// The bundled English news rules (`assets/rules/en-news.ron`).
    pub fn default_en_news() -> RuleSet {
        match Self::from_ron_str(DEFAULT_EN_NEWS, "assets/rules/en-news.ron") {
            Ok(r) => r,
            // The bundled file is tested to parse; an empty set keeps the app alive regardless.
            Err(_) => RuleSet::empty(),
        }
    }

    /// A rule set without rules.
    pub fn empty() -> RuleSet {
        let file = RuleFile::default();
        Self::from_file(file, "", "<empty>").unwrap_or_else(|_| RuleSet {
            engine: Arc::new(Engine {
                name: String::new(),
                vocab: Vocab::default(),
                lex: Lexicons::default(),
                abbreviations: Abbreviations::english(),
                rules: Vec::new(),
                elex: EngineLexicons::default(),
                enabled_by_file: Vec::new(),
            }),
            disabled: HashSet::new(),
        })
    }

    /// Parses a RON rule file; `file` names it in error messages.
    pub fn from_ron_str(src: &str, file: &str) -> Result<RuleSet, RuleError> {
        let rf = parse_ron(src, file)?;
        Self::from_file(rf, src, file)
    }

    /// Loads spaCy/Prodigy `patterns.jsonl` (token and phrase patterns with `label`).
    pub fn from_patterns_jsonl(src: &str, file: &str) -> Result<RuleSet, RuleError> {
        let rf = patterns_jsonl::to_rule_file(src, file)?;
        Self::from_file(rf, src, file)
    }

    /// Loads a `.ron` rule file or a `.jsonl` patterns file.
    pub fn load(path: &Path) -> Result<RuleSet, RuleError> {
        let file = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|error| RuleError::Io {
            file: file.clone(),
            error,
        })?;
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("ron") => Self::from_ron_str(&src, &file),
            Some("jsonl") => Self::from_patterns_jsonl(&src, &file),
            _ => Err(RuleError::UnknownExtension { file }),
        }
    }

    /// Compiles a parsed rule file.
    pub fn from_file(rf: RuleFile, src: &str, file: &str) -> Result<RuleSet, RuleError> {
        let mut vocab = Vocab::default();
        let mut lex = Lexicons::default();
        let n_lex = rf.lexicons.len()
            + rf.tagged_lexicons
                .keys()
                .filter(|k| !rf.lexicons.contains_key(*k))
                .count();
        if n_lex > lexicon::MAX_LEXICONS {
            return Err(RuleError::File {
                file: file.to_string(),
                message: format!(
                    "{n_lex} lexicons; at most {} are supported: merge lexicons that \
                     rules use together",
                    lexicon::MAX_LEXICONS
                ),
            });
        }
        let mut names: Vec<&String> = rf.lexicons.keys().collect();
        for k in rf.tagged_lexicons.keys() {
            if !rf.lexicons.contains_key(k) {
                names.push(k);
            }
        }
        if names.len() >= lexicon::FLAG_BASE as usize {
            // More lexicons than feature bits: the engine's own get bits
            // first (the analysis tests them by their bits); lexicons past
            // the bits are looked up instead, and rules that start with
            // them are tried at every token.
            names.sort_by_key(|n| !engine::ENGINE_LEXICON_NAMES.contains(&n.as_str()));
        }
        for name in names {
            let mut entries: Vec<(String, Option<String>)> = rf
                .lexicons
                .get(name)
                .map(|v| v.iter().map(|e| (e.clone(), None)).collect())
                .unwrap_or_default();
            if let Some(t) = rf.tagged_lexicons.get(name) {
                entries.extend(t.iter().map(|(k, v)| (k.clone(), Some(v.clone()))));
            }
            lex.add(&mut vocab, name, &entries);
        }
        let mut literal_bits = HashMap::new();
        let mut extra = Vec::new();
        let mut rules = Vec::new();
        let mut enabled_by_file = Vec::new();
        let mut seen = HashSet::new();
        for def in &rf.rules {
            let err = |message: String| {
                let (line, column) = rule_pos(src, &def.id);
                RuleError::Rule {
                    file: file.to_string(),
                    line,
                    column,
                    rule: def.id.clone(),
                    message,
                }
            };
            if !seen.insert(def.id.clone()) {
                return Err(err("another rule has the same id".into()));
            }
            let mut ctx = Ctx {
                vocab: &mut vocab,
                lex: &lex,
                literal_bits: &mut literal_bits,
                extra_lexicons: &mut extra,
            };
            let c = compile_rule(def, &mut ctx).map_err(err)?;
            rules.push(c);
            enabled_by_file.push(def.enabled);
        }
        // Literal sets used as prefilter keys become hidden lexicons.
        for (name, ids) in extra {
            let lx = lex.names.len() as u16;
            lex.names.push(name.clone());
            lex.index.insert(name, lx);
            lex.tags.push(Default::default());
            for id in ids {
                let id = id as usize;
                if lex.word_bits.len() <= id {
                    lex.word_bits.resize(id + 1, 0);
                }
                lex.word_bits[id] |= lex.bit(lx);
            }
        }
        if lex.word_bits.len() <= vocab.len() {
            lex.word_bits.resize(vocab.len() + 1, 0);
        }
        lex.mark_lookups();
        let g = |n: &str| lex.get(n);
        let mut elex = EngineLexicons {
            function_words: g("function_words"),
            titles: g("titles"),
            org_words: g("org_words"),
            place_words: g("place_words"),
            pronouns: g("pronouns"),
            plural_pronouns: g("plural_pronouns"),
            group_mentions: g("group_mentions"),
            role_nouns: g("role_nouns"),
            conjunctions: g("conjunctions"),
            prepositions: g("prepositions"),
            determiners: g("determiners"),
            quantities: g("quantities"),
            cue_verbs: g("cue_verbs"),
            adverbs: g("adverbs"),
            neuter_pronouns: g("neuter_pronouns"),
            stance_cues: g("stance_cues"),
            intent_verbs: g("intent_verbs"),
            reporting_verbs: g("reporting_verbs"),
            classes: Vec::new(),
        };
        elex.fill_classes(&lex);
        let abbreviations = if rf.abbreviations.is_empty() {
            Abbreviations::english()
        } else {
            Abbreviations::new(&rf.abbreviations)
        };
        Ok(RuleSet {
            engine: Arc::new(Engine {
                name: rf.name,
                vocab,
                lex,
                abbreviations,
                rules,
                elex,
                enabled_by_file,
            }),
            disabled: HashSet::new(),
        })
    }

    /// The rules, in file order.
    pub fn rules(&self) -> Vec<RuleInfo> {
        self.engine
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut labels: Vec<String> = r.spans.iter().map(|s| s.label.clone()).collect();
                if r.relations
                    .iter()
                    .any(|x| !matches!(x.to, pattern::RelTarget::Cap(_)))
                    && !labels.iter().any(|l| l == "Speaker")
                {
                    labels.push("Speaker".into());
                }
                labels.dedup();
                RuleInfo {
                    id: r.id.clone(),
                    description: r.description.clone(),
                    labels,
                    confidence: r.confidence,
                    priority: r.priority,
                    enabled: self.is_enabled(i),
                }
            })
            .collect()
    }

    fn is_enabled(&self, i: usize) -> bool {
        self.engine.enabled_by_file.get(i).copied().unwrap_or(true)
            && !self.disabled.contains(&self.engine.rules[i].id)
    }

    /// A copy with these rules switched off (ids that do not exist are ignored).
    pub fn with_disabled(&self, ids: &[String]) -> RuleSet {
        let mut r = self.clone();
        r.disabled.extend(ids.iter().cloned());
        r
    }

    /// Switches rules off in place.
    pub fn set_disabled(&mut self, ids: &[String]) {
        self.disabled = ids.iter().cloned().collect();
    }

    /// Abbreviations of this rule set (for the sentence splitter).
    pub fn abbreviations(&self) -> &Abbreviations {
        &self.engine.abbreviations
    }

    /// The compiled engine (for tools that need the analysis).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Suggestions for a text. Pure; never panics.
    pub fn suggest(&self, text: &str) -> Suggestions {
        thread_local! {
            static SCRATCH: RefCell<SuggestScratch> = RefCell::default();
        }
        let mut out = Suggestions::default();
        SCRATCH.with(|sc| match sc.try_borrow_mut() {
            Ok(mut sc) => self.suggest_into(text, &mut sc, &mut out),
            Err(_) => self.suggest_into(text, &mut SuggestScratch::default(), &mut out),
        });
        out
    }

    /// Like [`RuleSet::suggest`], writing into `out` (its previous content is
    /// replaced, its strings and maps reused) with buffers kept in `scratch`:
    /// the fast way to run many texts on one thread.
    pub fn suggest_into(&self, text: &str, scratch: &mut SuggestScratch, out: &mut Suggestions) {
        if self.disabled.is_empty() {
            // No switches: the file's own flags (no hashing of rule ids per text).
            let enabled = &self.engine.enabled_by_file;
            return suggest::suggest_into(&self.engine, enabled, text, scratch, out);
        }
        let enabled: Vec<bool> = (0..self.engine.rules.len())
            .map(|i| self.is_enabled(i))
            .collect();
        suggest::suggest_into(&self.engine, &enabled, text, scratch, out)
    }
}

impl std::fmt::Debug for Suggestions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Suggestions");
        d.field("spans", &self.spans)
            .field("relations", &self.relations);
        if self.packed_attrs {
            d.field("packed_attrs", &true);
        }
        d.finish()
    }
}

impl Suggestions {
    /// Drops suggestions that an existing span already covers (same label and
    /// offsets: accepted spans are not duplicated, rejected ones not
    /// suggested again), and relations that touched them.
    pub fn without(&self, existing: &[(String, usize, usize)]) -> Suggestions {
        let set: HashSet<(&str, usize, usize)> = existing
            .iter()
            .map(|(l, s, e)| (l.as_str(), *s, *e))
            .collect();
        let mut map = vec![None; self.spans.len()];
        let mut out = Suggestions {
            packed_attrs: self.packed_attrs,
            ..Suggestions::default()
        };
        for (i, s) in self.spans.iter().enumerate() {
            if !set.contains(&(s.label.as_str(), s.start, s.end)) {
                map[i] = Some(out.spans.len());
                out.spans.push(s.clone());
            }
        }
        for r in &self.relations {
            if let (Some(Some(f)), Some(Some(t))) = (map.get(r.from), map.get(r.to)) {
                out.relations.push(SuggestedRelation {
                    kind: r.kind.clone(),
                    from: *f,
                    to: *t,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README says the bundled rules stay far below the bound on a
    /// rule's program ([`pattern::MAX_PROGRAM`]).
    #[test]
    fn bundled_rules_stay_far_below_the_program_bound() {
        let rules = RuleSet::default_en_news();
        let (id, steps) = rules
            .engine
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.prog.len()))
            .max_by_key(|&(_, n)| n)
            .unwrap_or(("", 0));
        assert!(steps < 200, "rule `{id}` has {steps} steps");
    }
}
