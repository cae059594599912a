//! spaCy/Prodigy `patterns.jsonl`: one pattern a line, `{"label": L,
//! "pattern": "a phrase"}` or `{"label": L, "pattern": [{"LOWER": "x"}, ...]}`,
//! turned into span rules so teams can bring the patterns they already have.
//!
//! Token attributes understood: `ORTH`/`TEXT`, `LOWER`, `SHAPE`, `REGEX` (also
//! as `{"REGEX": ..}`, `{"IN": [..]}`, `{"NOT_IN": [..]}` values), `IS_PUNCT`,
//! `IS_SENT_START`, `IS_TITLE`, `IS_DIGIT`, `IS_ALPHA`, `LIKE_NUM`, `OP`.
//! Phrase patterns of one label are gathered into a lexicon and one rule.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::RuleError;
use super::pattern::{Elem, LexSpec, RuleDef, RuleFile, SpanDef, TokSpec};

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

/// Converts a patterns file to a rule file.
pub fn to_rule_file(src: &str, file: &str) -> Result<RuleFile, RuleError> {
    let mut rf = RuleFile {
        name: file.to_string(),
        ..RuleFile::default()
    };
    let mut phrases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, line) in src.lines().enumerate() {
        let line_no = i + 1;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let syntax = |message: String| RuleError::Syntax {
            file: file.to_string(),
            line: line_no,
            column: 1,
            message,
        };
        let v: Value = serde_json::from_str(t).map_err(|e| syntax(format!("not JSON: {e}")))?;
        let label = v
            .get("label")
            .and_then(Value::as_str)
            .ok_or_else(|| syntax("a pattern needs a string `label`".into()))?;
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{label}-line{line_no}"));
        match v.get("pattern") {
            Some(Value::String(p)) => phrases
                .entry(label.to_string())
                .or_default()
                .push(p.clone()),
            Some(Value::Array(items)) => {
                let mut elems = Vec::new();
                for (k, it) in items.iter().enumerate() {
                    let obj = it.as_object().ok_or_else(|| {
                        syntax(format!("token {} of the pattern is not an object", k + 1))
                    })?;
                    let mut spec = tok_spec(obj).map_err(|m| RuleError::Rule {
                        file: file.to_string(),
                        line: line_no,
                        column: 1,
                        rule: id.clone(),
                        message: format!("token {}: {m}", k + 1),
                    })?;
                    if k == 0 {
                        spec.capture = None;
                    }
                    elems.push(Elem::Tok(spec));
                }
                let alts = vec![elems];
                let pattern = vec![Elem::Any(super::pattern::AltSpec {
                    alts,
                    op: String::new(),
                    capture: Some("span".into()),
                })];
                let id = if rf.rules.iter().any(|r| r.id == id) {
                    format!("{id}-line{line_no}")
                } else {
                    id
                };
                rf.rules.push(RuleDef {
                    id,
                    description: format!(
                        "spaCy token pattern for {label} ({file}, line {line_no})"
                    ),
                    confidence: 0.5,
                    priority: 0,
                    enabled: true,
                    pattern,
                    spans: vec![SpanDef {
                        capture: "span".into(),
                        label: label.to_string(),
                        attrs: BTreeMap::new(),
                    }],
                    relations: Vec::new(),
                });
            }
            _ => {
                return Err(syntax(
                    "`pattern` must be a string (phrase) or a list of token objects".into(),
                ));
            }
        }
    }
    for (label, list) in phrases {
        let lex = format!("phrases:{label}");
        rf.lexicons.insert(lex.clone(), list);
        rf.rules.push(RuleDef {
            id: format!("phrases-{label}"),
            description: format!("spaCy phrase patterns for {label} ({file})"),
            confidence: 0.5,
            priority: 0,
            enabled: true,
            pattern: vec![Elem::Lex(LexSpec {
                name: lex,
                op: String::new(),
                capture: Some("span".into()),
            })],
            spans: vec![SpanDef {
                capture: "span".into(),
                label,
                attrs: BTreeMap::new(),
            }],
            relations: Vec::new(),
        });
    }
    Ok(rf)
}
