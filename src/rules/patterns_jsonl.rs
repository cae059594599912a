//! spaCy/Prodigy `patterns.jsonl`: one pattern a line, `{"label": L,
//! "pattern": "a phrase"}` or `{"label": L, "pattern": [{"LOWER": "x"}, ...]}`,
//! turned into span rules so teams can bring the patterns they already have.
//!
//! Token attributes understood: `ORTH`/`TEXT`, `LOWER`, `SHAPE`, `REGEX` (also
//! as `{"REGEX": ..}`, `{"IN": [..]}`, `{"NOT_IN": [..]}` values), `IS_PUNCT`,
//! `IS_SENT_START`, `IS_TITLE`, `IS_DIGIT`, `IS_ALPHA`, `LIKE_NUM`, `OP`.
//! Phrase patterns of one label are gathered into a lexicon and one rule.
//!
//! Lexicons are few: each takes one bit of a token's features
//! ([`super::lexicon::FLAG_BASE`] bits in all), so a file with more phrase
//! labels than that gives lexicons to the labels with the most phrases and
//! matches the phrases of the others with token rules (one `Any` of the
//! phrases' token sequences per label, split into several rules when a
//! label has more phrases than one rule's program holds). Every label
//! works, however many there are; only the matching of the last ones is
//! slower.
//!
//! A bad line does not reject the file: [`load`] skips it and returns it,
//! with the file, line, column and what is wrong, beside the rules of the
//! other lines. [`to_rule_file`] (and `RuleSet::from_patterns_jsonl`)
//! keep refusing a file with a bad line, naming the same place.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::RuleSet;
use super::error::RuleError;
use super::lexicon::{FLAG_BASE, entry_tokens};
use super::pattern::{AltSpec, Elem, LexSpec, RuleDef, RuleFile, SpanDef, TokSpec};

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn tok_spec(obj: &serde_json::Map<String, Value>) -> Result<TokSpec, String> {
    let mut t = TokSpec::default();
    for (k, v) in obj {
        let key = k.to_ascii_uppercase();
        let set_text = |t: &mut TokSpec, lower: bool, v: &Value| -> Result<(), String> {
            match v {
                Value::String(_) => {
                    let s = strings(v).unwrap_or_default();
                    if lower { t.lower = s } else { t.text = s }
                }
                Value::Object(o) => {
                    for (op, val) in o {
                        let list = strings(val).ok_or_else(|| {
                            format!("`{k}`.`{op}` needs a string or a list of strings")
                        })?;
                        match op.as_str() {
                            "IN" => {
                                if lower {
                                    t.lower = list
                                } else {
                                    t.text = list
                                }
                            }
                            "NOT_IN" => {
                                t.not_lower = list.iter().map(|s| s.to_lowercase()).collect()
                            }
                            "REGEX" => {
                                let r = list.first().cloned().unwrap_or_default();
                                t.regex = Some(if lower { format!("(?i){r}") } else { r });
                            }
                            other => {
                                return Err(format!(
                                    "`{k}`: operator `{other}` is not supported (use IN, NOT_IN or REGEX)"
                                ));
                            }
                        }
                    }
                }
                _ => return Err(format!("`{k}` needs a string or an object")),
            }
            Ok(())
        };
        let flag = |v: &Value| {
            v.as_bool()
                .ok_or_else(|| format!("`{k}` needs true or false"))
        };
        match key.as_str() {
            "ORTH" | "TEXT" => set_text(&mut t, false, v)?,
            "LOWER" | "NORM" => set_text(&mut t, true, v)?,
            "SHAPE" => t.shape = strings(v).ok_or("`SHAPE` needs a string")?,
            "REGEX" => t.regex = Some(v.as_str().ok_or("`REGEX` needs a string")?.to_string()),
            "IS_PUNCT" => t.punct = Some(flag(v)?),
            "IS_SENT_START" => t.sent_start = Some(flag(v)?),
            "IS_TITLE" => t.capitalized = Some(flag(v)?),
            "IS_DIGIT" => t.regex = Some(if flag(v)? { r"\d+".into() } else { r"(?s).*\D.*|".into() }),
            "IS_ALPHA" => {
                t.regex = Some(if flag(v)? {
                    r"\p{Alphabetic}+".into()
                } else {
                    r"(?s).*\P{Alphabetic}.*|".into()
                })
            }
            "LIKE_NUM" => {
                t.regex = Some(
                    r"[\d.,]+|one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion".into(),
                )
            }
            "OP" => t.op = v.as_str().ok_or("`OP` needs a string")?.to_string(),
            other => return Err(format!("token attribute `{other}` is not supported")),
        }
    }
    if t.op == "!" {
        return Err("`OP: \"!\"` (negation) is not supported; use NOT_IN".into());
    }
    Ok(t)
}

/// Lexicon bits left to the token patterns' literal sets, which use them to
/// find where a rule can start (see `pattern.rs`, `literal_bits`).
const RESERVED_BITS: usize = 8;

/// How many phrase labels get a lexicon; the others get token rules.
pub const MAX_PHRASE_LEXICONS: usize = FLAG_BASE as usize - 1 - RESERVED_BITS;

/// The most program steps one phrase rule of a label without a lexicon
/// gets (the engine's bound is `pattern::MAX_PROGRAM`, 4,096).
const PHRASE_RULE_STEPS: usize = 4_000;

/// What a patterns file gave: the rule file of its good lines, and each bad
/// line, skipped (a [`RuleError`] naming file, line and column).
#[derive(Debug, Default)]
pub struct Parsed {
    pub rule_file: RuleFile,
    pub skipped: Vec<RuleError>,
}

/// Converts a patterns file to a rule file; the first bad line is an error.
pub fn to_rule_file(src: &str, file: &str) -> Result<RuleFile, RuleError> {
    let mut parsed = parse(src, file, true);
    match parsed.skipped.is_empty() {
        true => Ok(parsed.rule_file),
        false => Err(parsed.skipped.swap_remove(0)),
    }
}

/// Converts a patterns file to a rule file, skipping bad lines.
pub fn to_rule_file_lenient(src: &str, file: &str) -> Parsed {
    parse(src, file, false)
}

/// Loads a patterns file, skipping bad lines: the rules of the good lines,
/// and the bad lines with what is wrong with each. An error only when no
/// line gave a pattern (then the first bad line's) or the rules cannot be
/// built.
pub fn load(src: &str, file: &str) -> Result<(RuleSet, Vec<RuleError>), RuleError> {
    let mut parsed = to_rule_file_lenient(src, file);
    if parsed.rule_file.rules.is_empty() && !parsed.skipped.is_empty() {
        return Err(parsed.skipped.swap_remove(0));
    }
    let rules = RuleSet::from_file(parsed.rule_file, src, file)?;
    Ok((rules, parsed.skipped))
}

/// [`load`] of a file.
pub fn load_path(path: &Path) -> Result<(RuleSet, Vec<RuleError>), RuleError> {
    let file = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|error| RuleError::Io {
        file: file.clone(),
        error,
    })?;
    load(&src, &file)
}

/// Where things are on one line, for error columns (1-based, in
/// characters, counted on the line as it is in the file).
struct Place<'a> {
    line: &'a str,
}

impl Place<'_> {
    /// The column of byte `at` of the line.
    fn column(&self, at: usize) -> usize {
        let mut at = at.min(self.line.len());
        while !self.line.is_char_boundary(at) {
            at -= 1;
        }
        self.line[..at].chars().count() + 1
    }

    /// The byte where the object starts (after leading white space).
    fn start(&self) -> usize {
        self.line.len() - self.line.trim_start().len()
    }

    /// The byte of the key `"name"` (a string followed by `:`) at or after
    /// `from`.
    fn key(&self, name: &str, from: usize) -> Option<usize> {
        let quoted = serde_json::to_string(name).ok()?;
        let rest = self.line.get(from..)?;
        rest.match_indices(&quoted)
            .find(|(at, _)| rest[at + quoted.len()..].trim_start().starts_with(':'))
            .map(|(at, _)| from + at)
    }

    /// The byte where each element of the array value of `key` starts.
    fn elements(&self, key: usize) -> Vec<usize> {
        let b = self.line.as_bytes();
        let Some(open) = self.line[key..].find('[').map(|i| key + i) else {
            return Vec::new();
        };
        let mut starts = Vec::new();
        let (mut depth, mut in_str, mut esc, mut want) = (0usize, false, false, true);
        for (i, &c) in b.iter().enumerate().skip(open) {
            if in_str {
                match c {
                    _ if esc => esc = false,
                    b'\\' => esc = true,
                    b'"' => in_str = false,
                    _ => {}
                }
                continue;
            }
            if want && depth == 1 && !c.is_ascii_whitespace() && c != b']' {
                starts.push(i);
                want = false;
            }
            match c {
                b'"' => in_str = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                b',' if depth == 1 => want = true,
                _ => {}
            }
        }
        starts
    }
}

/// One line's pattern.
enum LineOut {
    Phrase { label: String, phrase: String },
    Rule(RuleDef),
}

fn parse(src: &str, file: &str, strict: bool) -> Parsed {
    let mut out = Parsed {
        rule_file: RuleFile {
            name: file.to_string(),
            ..RuleFile::default()
        },
        skipped: Vec::new(),
    };
    let mut phrases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids = std::collections::HashSet::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, i + 1, file, &ids) {
            Ok(LineOut::Phrase { label, phrase }) => phrases.entry(label).or_default().push(phrase),
            Ok(LineOut::Rule(rule)) => {
                ids.insert(rule.id.clone());
                out.rule_file.rules.push(rule);
            }
            Err(e) => {
                out.skipped.push(e);
                if strict {
                    return out;
                }
            }
        }
    }
    add_phrases(&mut out.rule_file, phrases, file);
    out
}

fn parse_line(
    line: &str,
    line_no: usize,
    file: &str,
    ids: &std::collections::HashSet<String>,
) -> Result<LineOut, RuleError> {
    let place = Place { line };
    let syntax = |at: usize, message: String| RuleError::Syntax {
        file: file.to_string(),
        line: line_no,
        column: place.column(at),
        message,
    };
    let start = place.start();
    let v: Value = serde_json::from_str(line.trim_start()).map_err(|e| {
        // serde_json counts the column in bytes of the one line it read,
        // and puts an early end on the last character: point after it.
        let at = match e.classify() {
            serde_json::error::Category::Eof => line.len(),
            _ => start + e.column().saturating_sub(1),
        };
        // Its own " at line 1 column N" would contradict the place.
        let text = e.to_string();
        let text = match text.rfind(" at line ") {
            Some(i) => &text[..i],
            None => &text,
        };
        syntax(at, format!("not JSON: {text}"))
    })?;
    if !v.is_object() {
        return Err(syntax(
            start,
            "a pattern is a JSON object: {\"label\": …, \"pattern\": …}".into(),
        ));
    }
    let label_at = place.key("label", start).unwrap_or(start);
    let label = v
        .get("label")
        .and_then(Value::as_str)
        .ok_or_else(|| syntax(label_at, "a pattern needs a string `label`".into()))?;
    if label.trim().is_empty() {
        return Err(syntax(label_at, "the `label` is empty".into()));
    }
    let pattern_at = place.key("pattern", start).unwrap_or(start);
    let id = v
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("{label}-line{line_no}"));
    match v.get("pattern") {
        Some(Value::String(p)) => {
            if entry_tokens(p).is_empty() {
                return Err(syntax(
                    pattern_at,
                    "the phrase has no words (it is empty or white space)".into(),
                ));
            }
            Ok(LineOut::Phrase {
                label: label.to_string(),
                phrase: p.clone(),
            })
        }
        Some(Value::Array(items)) => {
            let starts = place.elements(pattern_at);
            let token_at = |k: usize| starts.get(k).copied().unwrap_or(pattern_at);
            let id = if ids.contains(&id) {
                format!("{id}-line{line_no}")
            } else {
                id
            };
            let rule_err = |at: usize, message: String| RuleError::Rule {
                file: file.to_string(),
                line: line_no,
                column: place.column(at),
                rule: id.clone(),
                message,
            };
            if items.is_empty() {
                return Err(rule_err(pattern_at, "the pattern has no tokens".into()));
            }
            let mut elems = Vec::new();
            for (k, it) in items.iter().enumerate() {
                let obj = it.as_object().ok_or_else(|| {
                    syntax(
                        token_at(k),
                        format!("token {} of the pattern is not an object", k + 1),
                    )
                })?;
                let spec = tok_spec(obj).map_err(|m| {
                    // Point at the attribute the message names, in this token.
                    let at = obj
                        .keys()
                        .find(|key| m.contains(&format!("`{key}`")))
                        .and_then(|key| place.key(key, token_at(k)))
                        .unwrap_or(token_at(k));
                    rule_err(at, format!("token {}: {m}", k + 1))
                })?;
                elems.push(Elem::Tok(spec));
            }
            let rule = RuleDef {
                id: id.clone(),
                description: format!("spaCy token pattern for {label} ({file}, line {line_no})"),
                confidence: 0.5,
                priority: 0,
                enabled: true,
                pattern: vec![Elem::Any(AltSpec {
                    alts: vec![elems],
                    op: String::new(),
                    capture: Some("span".into()),
                })],
                spans: vec![SpanDef {
                    capture: "span".into(),
                    label: label.to_string(),
                    attrs: BTreeMap::new(),
                }],
                relations: Vec::new(),
            };
            // Built alone, so that a rule the engine refuses (a bad regex, a
            // pattern that matches nothing) costs its line, not the file.
            let alone = RuleFile {
                name: file.to_string(),
                rules: vec![rule.clone()],
                ..RuleFile::default()
            };
            if let Err(e) = RuleSet::from_file(alone, line, file) {
                let message = match e {
                    RuleError::Rule { message, .. } | RuleError::Syntax { message, .. } => message,
                    other => other.to_string(),
                };
                return Err(rule_err(pattern_at, message));
            }
            Ok(LineOut::Rule(rule))
        }
        Some(_) => Err(syntax(
            pattern_at,
            "`pattern` must be a string (phrase) or a list of token objects".into(),
        )),
        None => Err(syntax(
            start,
            "a pattern needs a `pattern`: a string (phrase) or a list of token objects".into(),
        )),
    }
}

/// The phrase rules: a lexicon and one rule per label for the labels with
/// the most phrases, token rules for the others (see the module's doc).
fn add_phrases(rf: &mut RuleFile, phrases: BTreeMap<String, Vec<String>>, file: &str) {
    let mut labels: Vec<(String, Vec<String>)> = phrases.into_iter().collect();
    // Most phrases first (a lexicon matters most there); ties by name. The
    // rules keep the labels' name order.
    let mut by_size: Vec<usize> = (0..labels.len()).collect();
    by_size.sort_by(|&a, &b| labels[b].1.len().cmp(&labels[a].1.len()).then(a.cmp(&b)));
    let mut with_lexicon = vec![false; labels.len()];
    for &i in by_size.iter().take(MAX_PHRASE_LEXICONS) {
        with_lexicon[i] = true;
    }
    let mut taken: std::collections::HashSet<String> =
        rf.rules.iter().map(|r| r.id.clone()).collect();
    let mut unique = |id: String| {
        let mut id = id;
        while taken.contains(&id) {
            id.push_str("-phrases");
        }
        taken.insert(id.clone());
        id
    };
    for (i, (label, list)) in labels.drain(..).enumerate() {
        let span = || {
            vec![SpanDef {
                capture: "span".into(),
                label: label.clone(),
                attrs: BTreeMap::new(),
            }]
        };
        let rule = |id: String, pattern: Vec<Elem>| RuleDef {
            id,
            description: format!("spaCy phrase patterns for {label} ({file})"),
            confidence: 0.5,
            priority: 0,
            enabled: true,
            pattern,
            spans: span(),
            relations: Vec::new(),
        };
        if with_lexicon[i] {
            let lex = format!("phrases:{label}");
            let pattern = vec![Elem::Lex(LexSpec {
                name: lex.clone(),
                capture: Some("span".into()),
                ..LexSpec::default()
            })];
            rf.rules
                .push(rule(unique(format!("phrases-{label}")), pattern));
            rf.lexicons.insert(lex, list);
            continue;
        }
        for (part, alts) in phrase_alternatives(&list).into_iter().enumerate() {
            let id = match part {
                0 => format!("phrases-{label}"),
                n => format!("phrases-{label}-{}", n + 1),
            };
            let pattern = vec![Elem::Any(AltSpec {
                alts,
                op: String::new(),
                capture: Some("span".into()),
            })];
            rf.rules.push(rule(unique(id), pattern));
        }
    }
}

/// The phrases as alternatives of token sequences (lowercase forms, as a
/// lexicon matches them), in groups that fit one rule's program: one-word
/// phrases share one token of the first group.
fn phrase_alternatives(list: &[String]) -> Vec<Vec<Vec<Elem>>> {
    let tok = |lower: Vec<String>| {
        Elem::Tok(TokSpec {
            lower,
            ..TokSpec::default()
        })
    };
    let mut words = Vec::new();
    let mut seqs: Vec<Vec<String>> = Vec::new();
    for p in list {
        let toks = entry_tokens(p);
        match toks.len() {
            0 => {}
            1 => words.extend(toks),
            _ => seqs.push(toks),
        }
    }
    words.sort();
    words.dedup();
    seqs.sort();
    seqs.dedup();
    let mut groups: Vec<Vec<Vec<Elem>>> = Vec::new();
    let mut group: Vec<Vec<Elem>> = Vec::new();
    let mut steps = 3;
    if !words.is_empty() {
        group.push(vec![tok(words)]);
        steps += 3;
    }
    for seq in seqs {
        // An alternative costs its tokens and two steps of the `Any`.
        let cost = seq.len() + 2;
        if steps + cost > PHRASE_RULE_STEPS && !group.is_empty() {
            groups.push(std::mem::take(&mut group));
            steps = 3;
        }
        steps += cost;
        group.push(seq.into_iter().map(|t| tok(vec![t])).collect());
    }
    if !group.is_empty() {
        groups.push(group);
    }
    groups
}
