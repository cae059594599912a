//! Writing the INCEpTION zip: one UIMA CAS XMI per document and the type
//! system that declares its types.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use super::{
    LABEL_FEATURE, METADATA_TYPE, RELATION_TYPE, SENTENCE_TYPE, SPAN_TYPE, TOKEN_TYPE,
    feature_name, namespace,
};
use crate::io::export::{ExportError, ExportOptions};
use crate::io::formats::utf16::Utf16Map;
use crate::io::formats::xml;
use crate::io::record::Record;
use crate::model::Project;
use crate::rules::{default_sentences, tokenize};

/// What writing one document changed or could not carry.
#[derive(Debug, Default)]
pub struct XmiStats {
    /// Characters XML 1.0 cannot hold, written as U+FFFD.
    pub replaced: usize,
    /// Sentence breaks dropped because a span crosses them.
    pub joined: usize,
}

/// Attribute names with the feature each is written as.
pub type Features = Vec<(String, String)>;

/// The attributes of the schema and the records, with their feature names.
pub fn features(project: &Project, records: &[Record]) -> Features {
    let mut names: BTreeSet<String> = project
        .schema
        .labels
        .iter()
        .flat_map(|l| l.attributes.iter().map(|a| a.name.clone()))
        .collect();
    for s in records.iter().flat_map(|r| &r.spans) {
        names.extend(s.attrs.keys().cloned());
    }
    let mut used = BTreeSet::new();
    names
        .into_iter()
        .map(|n| {
            let mut f = feature_name(&n);
            while !used.insert(f.clone()) {
                f.push('_');
            }
            (n, f)
        })
        .collect()
}

/// Sentences (code point ranges) that no span crosses: the rule engine's
/// sentences, joined where a span runs from one into the next, and widened
/// to spans that reach into the space between them. Also returns how many
/// sentence breaks were dropped.
pub fn sentences(text: &str, spans: &[(usize, usize)]) -> (Vec<(usize, usize)>, usize) {
    let base: Vec<(usize, usize)> = default_sentences(text)
        .into_iter()
        .map(|r| (r.start, r.end))
        .collect();
    let mut intervals: Vec<(usize, usize, bool)> =
        base.iter().map(|&(a, b)| (a, b, true)).collect();
    intervals.extend(
        spans
            .iter()
            .filter(|(a, b)| a < b)
            .map(|&(a, b)| (a, b, false)),
    );
    intervals.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut joined = 0;
    let mut sentences_in_current = 0;
    for (a, b, is_sentence) in intervals {
        match out.last_mut() {
            Some(last) if a < last.1 => {
                last.1 = last.1.max(b);
                if is_sentence {
                    sentences_in_current += 1;
                    if sentences_in_current > 1 {
                        joined += 1;
                    }
                }
            }
            _ => {
                out.push((a, b));
                sentences_in_current = usize::from(is_sentence);
            }
        }
    }
    (out, joined)
}

/// The rule engine's tokens, split at every span boundary that falls
/// inside one (code point ranges).
pub fn tokens(text: &str, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let cuts: BTreeSet<usize> = spans.iter().flat_map(|&(a, b)| [a, b]).collect();
    let mut out = Vec::new();
    for t in tokenize(text) {
        let mut start = t.start;
        for &c in cuts.range(t.start + 1..t.end) {
            out.push((start, c));
            start = c;
        }
        out.push((start, t.end));
    }
    out
}

/// The XMI of one record.
pub fn xmi(r: &Record, features: &Features) -> (String, XmiStats) {
    let mut stats = XmiStats::default();
    let map = Utf16Map::new(&r.text);
    let u = |cp: usize| map.to_utf16(cp);
    let text_len = r.text.chars().count();
    stats.replaced += xml::illegal_chars(&r.text);
    let span_ranges: Vec<(usize, usize)> = r
        .spans
        .iter()
        .map(|s| (s.start.min(text_len), s.end.min(text_len)))
        .collect();
    let (sentences, joined) = sentences(&r.text, &span_ranges);
    stats.joined = joined;
    let tokens = tokens(&r.text, &span_ranges);

    let mut out = String::with_capacity(r.text.len() * 3 + 4096);
    let ns = |t: &str| namespace(t.rsplit_once('.').map_or("", |(p, _)| p));
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" xmlns:cas=\"http:///uima/cas.ecore\" xmlns:tcas=\"http:///uima/tcas.ecore\" xmlns:type=\"{}\" xmlns:seg=\"{}\" xmlns:custom=\"{}\" xmi:version=\"2.0\">\n<cas:NULL xmi:id=\"0\"/>\n",
        ns(METADATA_TYPE),
        ns(SENTENCE_TYPE),
        ns(SPAN_TYPE),
    );
    let sofa = 1;
    let mut next_id = 2;
    let mut members = Vec::new();
    let mut new_id = |members: &mut Vec<usize>| {
        let id = next_id;
        next_id += 1;
        members.push(id);
        id
    };
    let name = r.id.clone().unwrap_or_default();
    stats.replaced += xml::illegal_chars(&name);
    let id = new_id(&mut members);
    let _ = writeln!(
        out,
        "<type:DocumentMetaData xmi:id=\"{id}\" sofa=\"{sofa}\" begin=\"0\" end=\"{}\" language=\"x-unspecified\" documentTitle=\"{n}\" documentId=\"{n}\" isLastSegment=\"false\"/>",
        u(text_len),
        n = xml::attr(&name)
    );
    for (a, b) in &sentences {
        let id = new_id(&mut members);
        let _ = writeln!(
            out,
            "<seg:Sentence xmi:id=\"{id}\" sofa=\"{sofa}\" begin=\"{}\" end=\"{}\"/>",
            u(*a),
            u(*b)
        );
    }
    for (a, b) in &tokens {
        let id = new_id(&mut members);
        let _ = writeln!(
            out,
            "<seg:Token xmi:id=\"{id}\" sofa=\"{sofa}\" begin=\"{}\" end=\"{}\"/>",
            u(*a),
            u(*b)
        );
    }
    let mut span_ids = std::collections::HashMap::new();
    let mut span_ends = std::collections::HashMap::new();
    for (s, &(a, b)) in r.spans.iter().zip(&span_ranges) {
        let id = new_id(&mut members);
        span_ids.insert(s.id.as_str(), id);
        span_ends.insert(s.id.as_str(), (a, b));
        let mut feats = format!(" {LABEL_FEATURE}=\"{}\"", xml::attr(&s.label));
        stats.replaced += xml::illegal_chars(&s.label);
        for (attr, feature) in features {
            if let Some(v) = s.attrs.get(attr) {
                stats.replaced += xml::illegal_chars(v);
                let _ = write!(feats, " {feature}=\"{}\"", xml::attr(v));
            }
        }
        if let Some(status) = &s.status {
            let _ = write!(feats, " status=\"{}\"", xml::attr(status));
        }
        if let Some(origin) = &s.origin {
            stats.replaced += xml::illegal_chars(origin);
            let _ = write!(feats, " origin=\"{}\"", xml::attr(origin));
        }
        if let Some(c) = s.confidence {
            let _ = write!(feats, " confidence=\"{}\"", c as f32);
        }
        if let Some(who) = &s.annotator {
            stats.replaced += xml::illegal_chars(who);
            let _ = write!(feats, " annotator=\"{}\"", xml::attr(who));
        }
        let local = SPAN_TYPE.rsplit('.').next().unwrap_or("Sayso");
        let _ = writeln!(
            out,
            "<custom:{local} xmi:id=\"{id}\" sofa=\"{sofa}\" begin=\"{}\" end=\"{}\"{feats}/>",
            u(a),
            u(b)
        );
    }
    let rel_local = RELATION_TYPE.rsplit('.').next().unwrap_or("SaysoRelation");
    for rel in &r.relations {
        let (Some(gov), Some(dep), Some(&(a, b))) = (
            span_ids.get(rel.from.as_str()),
            span_ids.get(rel.to.as_str()),
            span_ends.get(rel.to.as_str()),
        ) else {
            continue;
        };
        let id = new_id(&mut members);
        stats.replaced += xml::illegal_chars(&rel.kind);
        // INCEpTION places a relation at its dependent's offsets.
        let _ = writeln!(
            out,
            "<custom:{rel_local} xmi:id=\"{id}\" sofa=\"{sofa}\" begin=\"{}\" end=\"{}\" Governor=\"{gov}\" Dependent=\"{dep}\" {LABEL_FEATURE}=\"{}\"/>",
            u(a),
            u(b),
            xml::attr(&rel.kind)
        );
    }
    let _ = writeln!(
        out,
        "<cas:Sofa xmi:id=\"{sofa}\" sofaNum=\"1\" sofaID=\"_InitialView\" mimeType=\"text\" sofaString=\"{}\"/>",
        xml::attr(&r.text)
    );
    let members: Vec<String> = members.iter().map(usize::to_string).collect();
    let _ = writeln!(
        out,
        "<cas:View sofa=\"{sofa}\" members=\"{}\"/>\n</xmi:XMI>",
        members.join(" ")
    );
    (out, stats)
}

/// `TypeSystem.xml`: DKPro Core's metadata, sentence and token types and
/// the two custom layers with their features.
pub fn type_system(features: &Features) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<typeSystemDescription xmlns=\"http://uima.apache.org/resourceSpecifier\">\n  <types>\n",
    );
    let mut ty = |name: &str, supertype: &str, feats: &[(&str, &str)]| {
        let _ = write!(
            out,
            "    <typeDescription>\n      <name>{name}</name>\n      <description/>\n      <supertypeName>{supertype}</supertypeName>\n"
        );
        if !feats.is_empty() {
            out.push_str("      <features>\n");
            for (f, range) in feats {
                let _ = write!(
                    out,
                    "        <featureDescription>\n          <name>{f}</name>\n          <description/>\n          <rangeTypeName>{range}</rangeTypeName>\n        </featureDescription>\n"
                );
            }
            out.push_str("      </features>\n");
        }
        out.push_str("    </typeDescription>\n");
    };
    const STRING: &str = "uima.cas.String";
    ty(
        METADATA_TYPE,
        "uima.tcas.DocumentAnnotation",
        &[
            ("documentTitle", STRING),
            ("documentId", STRING),
            ("documentUri", STRING),
            ("collectionId", STRING),
            ("documentBaseUri", STRING),
            ("isLastSegment", "uima.cas.Boolean"),
        ],
    );
    ty(SENTENCE_TYPE, "uima.tcas.Annotation", &[("id", STRING)]);
    ty(TOKEN_TYPE, "uima.tcas.Annotation", &[("id", STRING)]);
    let mut span_feats: Vec<(&str, &str)> = vec![(LABEL_FEATURE, STRING)];
    span_feats.extend(features.iter().map(|(_, f)| (f.as_str(), STRING)));
    span_feats.extend(super::META_FEATURES.iter().map(|f| (*f, STRING)));
    ty(SPAN_TYPE, "uima.tcas.Annotation", &span_feats);
    ty(
        RELATION_TYPE,
        "uima.tcas.Annotation",
        &[
            ("Governor", SPAN_TYPE),
            ("Dependent", SPAN_TYPE),
            (LABEL_FEATURE, STRING),
        ],
    );
    out.push_str("  </types>\n</typeSystemDescription>\n");
    out
}

/// Writes the zip to `path`; returns what INCEpTION could not carry or
/// what was changed on the way, one line each.
pub fn write(
    project: &Project,
    _options: &ExportOptions,
    records: &[Record],
    path: &Path,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<String>, ExportError> {
    let features = features(project, records);
    let names: Vec<String> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.id.clone()
                .unwrap_or_else(|| format!("document-{}", i + 1))
        })
        .collect();
    let stems = crate::io::formats::brat::file_stems(&names);
    let mut buf = std::io::Cursor::new(Vec::new());
    let (mut replaced, mut joined, mut with_meta) = (0, 0, 0);
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let add = |zip: &mut zip::ZipWriter<&mut std::io::Cursor<Vec<u8>>>,
                   name: &str,
                   body: &str|
         -> Result<(), ExportError> {
            zip.start_file(name, opts)
                .map_err(|e| ExportError::write(path, std::io::Error::other(e)))?;
            zip.write_all(body.as_bytes())
                .map_err(|e| ExportError::write(path, e))
        };
        add(&mut zip, "TypeSystem.xml", &type_system(&features))?;
        for (i, (r, stem)) in records.iter().zip(&stems).enumerate() {
            let (body, stats) = xmi(r, &features);
            replaced += stats.replaced;
            joined += stats.joined;
            with_meta += usize::from(!r.meta.is_empty());
            add(&mut zip, &format!("{stem}.xmi"), &body)?;
            progress(i + 1);
        }
        zip.finish()
            .map_err(|e| ExportError::write(path, std::io::Error::other(e)))?;
    }
    let bytes = buf.into_inner();
    crate::io::formats::write_file(path, |out| out.write_all(&bytes))?;
    let mut notes = Vec::new();
    if with_meta > 0 {
        notes.push(format!(
            "the metadata of {with_meta} document(s): UIMA's DocumentMetaData holds the name only"
        ));
    }
    if replaced > 0 {
        notes.push(format!(
            "{replaced} character(s) that XML 1.0 cannot hold (control characters), written as U+FFFD; offsets are unchanged"
        ));
    }
    for (attr, feature) in &features {
        if attr != feature {
            notes.push(format!(
                "the name of attribute {attr:?}, written as the feature {feature:?} (UIMA feature names are identifiers) and read back under that name"
            ));
        }
    }
    if joined > 0 {
        notes.push(format!(
            "{joined} sentence break(s) inside spans (those sentences are joined, so that every span lies in one sentence)"
        ));
    }
    Ok(notes)
}
