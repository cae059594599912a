//! INCEpTION, both ways, through UIMA CAS XMI (XML 1.0).
//!
//! Export: a `.zip` with one `NAME.xmi` per document and `TypeSystem.xml`,
//! the layout of INCEpTION's own "UIMA CAS XMI (XML 1.0)" export. Each CAS
//! holds the text (`sofaString`), `DocumentMetaData` (title and id: the
//! document name), DKPro Core `Sentence` and `Token`, one custom span layer
//! [`SPAN_TYPE`] (features `label`, each attribute, `status`, `origin`,
//! `confidence`, `annotator`; an empty attribute value is an empty string,
//! an unset one no feature) and one custom relation layer [`RELATION_TYPE`] (`Governor`
//! = the relation's source, e.g. the Claim; `Dependent` = its target, the
//! Speaker; `label` = the relation type). Offsets are UTF-16 code units, as
//! in Java: converted from and to code points with [`super::utf16`].
//! Sentences never end inside a span (sentences a span crosses are joined),
//! and tokens are split at span boundaries, so every span covers whole
//! tokens of one sentence, as INCEpTION's token-anchored layers expect.
//!
//! Import: `.zip` files (ours, INCEpTION's per-document export, or a whole
//! INCEpTION project export, whose per-document zips inside are opened
//! too), folders of `.xmi` files, or `.xmi` files; see [`read`].

pub mod read;
pub mod write;

pub use write::write;

/// The custom span layer: one annotation per span.
pub const SPAN_TYPE: &str = "webanno.custom.Sayso";
/// The custom relation layer: one annotation per relation.
pub const RELATION_TYPE: &str = "webanno.custom.SaysoRelation";
/// DKPro Core's types that INCEpTION needs in every document.
pub const METADATA_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData";
pub const SENTENCE_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence";
pub const TOKEN_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token";

/// Span features that are not attributes.
pub const LABEL_FEATURE: &str = "label";
pub const META_FEATURES: [&str; 4] = ["status", "origin", "confidence", "annotator"];

/// The UIMA feature name of attribute `name`: a Java identifier (letters,
/// digits, `_`, starting with a letter) that is none of the layer's own
/// features; others are changed (`foo bar` → `foo_bar`, `begin` →
/// `begin_`) and the export says so.
pub fn feature_name(name: &str) -> String {
    let mut f: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !f.chars().next().is_some_and(char::is_alphabetic) {
        f.insert(0, 'a');
    }
    if is_layer_feature(&f) {
        f.push('_');
    }
    f
}

/// A feature of the span layer that is no attribute: the offsets, the
/// sofa, the label and [`META_FEATURES`].
pub fn is_layer_feature(name: &str) -> bool {
    matches!(name, "begin" | "end" | "sofa" | LABEL_FEATURE) || META_FEATURES.contains(&name)
}

/// The XMI namespace of a UIMA package: `webanno.custom` →
/// `http:///webanno/custom.ecore`.
pub fn namespace(package: &str) -> String {
    format!("http:///{}.ecore", package.replace('.', "/"))
}

/// The UIMA type name of an element in namespace `ns` with local name
/// `local` (the inverse of [`namespace`]).
pub fn type_name(ns: &str, local: &str) -> Option<String> {
    let package = ns.strip_prefix("http:///")?.strip_suffix(".ecore")?;
    Some(format!("{}.{local}", package.replace('/', ".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_both_ways() {
        assert_eq!(namespace("webanno.custom"), "http:///webanno/custom.ecore");
        assert_eq!(
            type_name("http:///webanno/custom.ecore", "Sayso").as_deref(),
            Some(SPAN_TYPE)
        );
        assert_eq!(type_name("http://www.omg.org/XMI", "x"), None);
        assert_eq!(feature_name("polarity"), "polarity");
        assert_eq!(feature_name("foo bar"), "foo_bar");
        assert_eq!(feature_name("begin"), "begin_");
        assert_eq!(feature_name("annotator"), "annotator_");
        assert_eq!(feature_name("1st"), "a1st");
    }
}
