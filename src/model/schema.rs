//! The annotation schema: labels with their attributes, colours and hotkeys,
//! and the relation types allowed between labels.
//!
//! The default schema is the one of `ANNOTATION_GUIDE.md` (Speaker, Claim,
//! Stance; `said_by`, `held_by`). A project stores its own copy, which users
//! may extend with labels, attribute values and relation types.

use serde::{Deserialize, Serialize};

use super::EditError;

/// An sRGB colour, written `"#rrggbb"` in project files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    pub fn from_hex(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_hex().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Rgb::from_hex(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("colour {s:?} is not of the form \"#rrggbb\""))
        })
    }
}

/// What values an attribute takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttrKind {
    /// One of a list of values (users may add values).
    Choice(Vec<String>),
    /// Free text.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrDef {
    pub name: String,
    pub kind: AttrKind,
}

impl AttrDef {
    pub fn choice(name: &str, values: &[&str]) -> Self {
        Self {
            name: name.into(),
            kind: AttrKind::Choice(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    pub fn text(name: &str) -> Self {
        Self {
            name: name.into(),
            kind: AttrKind::Text,
        }
    }

    /// Whether `value` is allowed. The empty value is always allowed: it
    /// means "not set" (e.g. a Claim without a reporting cue).
    pub fn allows(&self, value: &str) -> bool {
        match &self.kind {
            AttrKind::Text => true,
            AttrKind::Choice(values) => value.is_empty() || values.iter().any(|v| v == value),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDef {
    pub name: String,
    pub color: Rgb,
    /// The single key that tags a selection with this label.
    pub hotkey: char,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub attributes: Vec<AttrDef>,
}

impl LabelDef {
    pub fn attribute(&self, name: &str) -> Option<&AttrDef> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// A relation type: links a span of label `from` to a span of label `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationDef {
    pub name: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub labels: Vec<LabelDef>,
    pub relations: Vec<RelationDef>,
}

impl Default for Schema {
    /// The schema of the annotation guide.
    fn default() -> Self {
        Schema {
            labels: vec![
                LabelDef {
                    name: "Speaker".into(),
                    color: Rgb([0x25, 0x63, 0xeb]),
                    hotkey: 's',
                    description: "Who makes a statement or holds a stance".into(),
                    attributes: vec![AttrDef::text("entity")],
                },
                LabelDef {
                    name: "Claim".into(),
                    color: Rgb([0xd9, 0x77, 0x06]),
                    hotkey: 'c',
                    description: "What a speaker asserts".into(),
                    attributes: vec![
                        AttrDef::choice("mode", &["direct", "indirect", "mixed"]),
                        AttrDef::text("cue"),
                    ],
                },
                LabelDef {
                    name: "Stance".into(),
                    color: Rgb([0x16, 0xa3, 0x4a]),
                    hotkey: 't',
                    description: "The words that show a position toward a target".into(),
                    attributes: vec![
                        AttrDef::choice("polarity", &["favor", "against", "neutral"]),
                        AttrDef::text("target"),
                    ],
                },
            ],
            relations: vec![
                RelationDef {
                    name: "said_by".into(),
                    from: "Claim".into(),
                    to: "Speaker".into(),
                },
                RelationDef {
                    name: "held_by".into(),
                    from: "Stance".into(),
                    to: "Speaker".into(),
                },
            ],
        }
    }
}

impl Schema {
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn label_mut(&mut self, name: &str) -> Option<&mut LabelDef> {
        self.labels.iter_mut().find(|l| l.name == name)
    }

    pub fn relation(&self, name: &str) -> Option<&RelationDef> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// What makes a schema read from a file unusable: a hotkey that is a
    /// control character (`'\0'`, which no key types), a choice attribute
    /// without values. Names the label and attribute.
    pub fn check(&self) -> Result<(), String> {
        for l in &self.labels {
            if l.hotkey.is_control() {
                return Err(format!(
                    "the label {:?} has the hotkey {:?}, which no key types; give it a letter",
                    l.name, l.hotkey
                ));
            }
            for a in &l.attributes {
                if matches!(&a.kind, AttrKind::Choice(v) if v.is_empty()) {
                    return Err(format!(
                        "the attribute {:?} of {:?} is a choice without values; list its values, or make it Text",
                        a.name, l.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// The label whose hotkey is `key` (case-insensitive).
    pub fn label_for_hotkey(&self, key: char) -> Option<&LabelDef> {
        let key = key.to_ascii_lowercase();
        self.labels
            .iter()
            .find(|l| l.hotkey.to_ascii_lowercase() == key)
    }

    /// The relation type that links `from_label` to `to_label`, if exactly
    /// the schema has one (the first when several fit).
    pub fn relation_between(&self, from_label: &str, to_label: &str) -> Option<&RelationDef> {
        self.relations
            .iter()
            .find(|r| r.from == from_label && r.to == to_label)
    }

    /// Checks a new label before it is added.
    pub fn check_new_label(&self, label: &LabelDef) -> Result<(), EditError> {
        if label.name.trim().is_empty() {
            return Err(EditError::Schema("a label needs a name".into()));
        }
        if self.label(&label.name).is_some() {
            return Err(EditError::Schema(format!(
                "the schema already has a label {:?}",
                label.name
            )));
        }
        if let Some(other) = self.label_for_hotkey(label.hotkey) {
            return Err(EditError::Schema(format!(
                "the hotkey {:?} already tags {:?}; choose another key",
                label.hotkey, other.name
            )));
        }
        Ok(())
    }

    /// Checks a new relation type before it is added.
    pub fn check_new_relation(&self, rel: &RelationDef) -> Result<(), EditError> {
        if self.relation(&rel.name).is_some() {
            return Err(EditError::Schema(format!(
                "the schema already has a relation type {:?}",
                rel.name
            )));
        }
        for end in [&rel.from, &rel.to] {
            if self.label(end).is_none() {
                return Err(EditError::UnknownLabel(end.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_round_trip_through_hex() {
        let c = Rgb([1, 0xab, 0xff]);
        assert_eq!(c.to_hex(), "#01abff");
        assert_eq!(Rgb::from_hex("#01abff"), Some(c));
        assert_eq!(Rgb::from_hex("01abff"), None);
        assert_eq!(Rgb::from_hex("#01ab"), None);
    }

    #[test]
    fn default_schema_follows_the_guide() {
        let s = Schema::default();
        assert_eq!(
            s.label_for_hotkey('S').map(|l| l.name.as_str()),
            Some("Speaker")
        );
        assert_eq!(
            s.relation_between("Claim", "Speaker")
                .map(|r| r.name.as_str()),
            Some("said_by")
        );
        assert!(s.relation_between("Speaker", "Claim").is_none());
        let stance = s.label("Stance").unwrap();
        assert!(stance.attribute("polarity").unwrap().allows("against"));
        assert!(!stance.attribute("polarity").unwrap().allows("maybe"));
    }
}
