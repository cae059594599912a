//! Reading UIMA CAS XMI back: from `.xmi` files, folders of them, and
//! zips (INCEpTION's per-document export, a whole project export with its
//! per-document zips inside, or Sayso's own export).
//!
//! The XML is parsed by `quick-xml` (namespaces resolved, attribute values
//! normalised as XML requires, no DTD entities expanded). Of each CAS the
//! text of the initial view, `DocumentMetaData`'s title (the document name)
//! and the annotations of the custom span layer [`super::SPAN_TYPE`] are
//! read; annotations of any type with `Governor` and `Dependent` become
//! relations (type: their `label`, else the layer's name). UTF-16 offsets
//! become code points; an offset inside a character is reported and its
//! annotation skipped. Annotations of other layers are counted, not read.
//! Zips are read within the same caps as brat zips.

use std::collections::{BTreeMap, HashMap};
use std::io::Read as _;
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::{LABEL_FEATURE, METADATA_TYPE, SENTENCE_TYPE, SPAN_TYPE, TOKEN_TYPE, type_name};
use crate::io::annotated::{Read, Source};
use crate::io::formats::utf16::Utf16Map;
use crate::io::import::Skipped;
use crate::io::record::{Record, RecordRelation, RecordSpan};
use crate::model::ReviewState;

const XMI_NS: &[u8] = b"http://www.omg.org/XMI";

/// One top-level element of the XMI.
#[derive(Debug, Default)]
struct Element {
    ty: String,
    id: Option<String>,
    attrs: BTreeMap<String, String>,
}

/// One CAS read from XMI.
#[derive(Debug)]
pub struct Parsed {
    pub record: Record,
    /// Annotations that could not be read, with the reason.
    pub bad: Vec<String>,
    /// Annotations of other layers, per type.
    pub other: BTreeMap<String, usize>,
}

/// The top-level elements of an XMI document.
fn elements(xmi: &[u8]) -> Result<Vec<Element>, String> {
    let mut reader = quick_xml::NsReader::from_reader(xmi);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut version = XmlVersion::Implicit1_0;
    let mut out = Vec::new();
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|e| format!("not well-formed XML near byte {at}: {e}"))?;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Decl(d) => {
                version = d.xml_version().unwrap_or(XmlVersion::Implicit1_0);
                buf.clear();
                continue;
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                buf.clear();
                continue;
            }
            _ => {
                buf.clear();
                continue;
            }
        };
        if depth == 1 {
            let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
            let ty = match ns {
                ResolveResult::Bound(n) => {
                    type_name(&String::from_utf8_lossy(n.as_ref()), &local).unwrap_or(local)
                }
                _ => local,
            };
            let mut el = Element {
                ty,
                ..Element::default()
            };
            for a in e.attributes() {
                let a = a.map_err(|err| format!("bad attribute near byte {at}: {err}"))?;
                let value = a
                    .normalized_value(version)
                    .map_err(|err| format!("bad attribute value near byte {at}: {err}"))?
                    .into_owned();
                let (ans, alocal) = reader.resolver().resolve_attribute(a.key);
                let alocal = String::from_utf8_lossy(alocal.as_ref()).into_owned();
                match ans {
                    ResolveResult::Bound(n) if n.as_ref() == XMI_NS => {
                        if alocal == "id" {
                            el.id = Some(value);
                        }
                    }
                    ResolveResult::Bound(_) => {}
                    _ => {
                        el.attrs.insert(alocal, value);
                    }
                }
            }
            out.push(el);
        }
        if !empty {
            depth += 1;
        }
        buf.clear();
    }
    if out.is_empty() {
        return Err("no XMI content (no elements inside <xmi:XMI>)".into());
    }
    Ok(out)
}

/// Reads one CAS; `fallback_name` names it when it has no
/// `DocumentMetaData` title.
pub fn parse(xmi: &[u8], fallback_name: &str) -> Result<Parsed, String> {
    let elements = elements(xmi)?;
    let sofas: Vec<&Element> = elements
        .iter()
        .filter(|e| e.ty == "uima.cas.Sofa")
        .collect();
    let sofa = sofas
        .iter()
        .find(|e| e.attrs.get("sofaID").map(String::as_str) == Some("_InitialView"))
        .or(sofas.first())
        .ok_or("the XMI has no text (no cas:Sofa element)")?;
    let text = sofa
        .attrs
        .get("sofaString")
        .cloned()
        .ok_or("the XMI's text is not in the file (its cas:Sofa has no sofaString)")?;
    let sofa_id = sofa.id.clone().unwrap_or_default();
    let in_view = |e: &Element| e.attrs.get("sofa").is_none_or(|s| *s == sofa_id);
    let map = Utf16Map::new(&text);
    let chars: Vec<char> = text.chars().collect();
    let mut bad = Vec::new();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    let mut name = None;
    let mut spans = Vec::new();
    let mut relations = Vec::new();
    let offsets = |e: &Element| -> Result<(usize, usize), String> {
        let id = e.id.as_deref().unwrap_or("?");
        let get = |k: &str| -> Result<usize, String> {
            let v = e.attrs.get(k).map(String::as_str).unwrap_or("0");
            let unit: usize = v
                .parse()
                .map_err(|_| format!("annotation {id}: {k} {v:?} is not an offset"))?;
            map.from_utf16(unit).ok_or_else(|| {
                format!(
                    "annotation {id}: {k} {unit} (UTF-16) falls inside a character or past the end of the text; the annotation was skipped"
                )
            })
        };
        let (a, b) = (get("begin")?, get("end")?);
        if a > b {
            return Err(format!("annotation {id}: begin {a} lies after end {b}"));
        }
        Ok((a, b))
    };
    for e in elements.iter().filter(|e| in_view(e)) {
        if e.ty == METADATA_TYPE {
            name = e
                .attrs
                .get("documentTitle")
                .or(e.attrs.get("documentId"))
                .filter(|s| !s.trim().is_empty())
                .cloned();
        } else if e.ty == SPAN_TYPE {
            let (start, end) = match offsets(e) {
                Ok(o) => o,
                Err(why) => {
                    bad.push(why);
                    continue;
                }
            };
            let id = e.id.clone().unwrap_or_default();
            let Some(label) = e
                .attrs
                .get(LABEL_FEATURE)
                .filter(|l| !l.trim().is_empty())
                .cloned()
            else {
                bad.push(format!(
                    "annotation {id} of the Sayso layer has no label; set its \"label\" feature in INCEpTION"
                ));
                continue;
            };
            let status = e
                .attrs
                .get("status")
                .and_then(|s| ReviewState::parse(s))
                .unwrap_or(ReviewState::Accepted);
            // Sayso's own features; absent in annotations made in INCEpTION.
            let meta = |k: &str| e.attrs.get(k).filter(|v| !v.trim().is_empty()).cloned();
            let attrs = e
                .attrs
                .iter()
                .filter(|(k, _)| !super::is_layer_feature(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            spans.push(RecordSpan {
                id,
                start,
                end,
                label,
                text: chars[start..end].iter().collect(),
                attrs,
                status: Some(status.as_str().to_string()),
                origin: meta("origin"),
                confidence: meta("confidence").and_then(|c| c.parse().ok()),
                annotator: meta("annotator"),
                ..RecordSpan::default()
            });
        } else if let (Some(from), Some(to)) = (e.attrs.get("Governor"), e.attrs.get("Dependent")) {
            let kind = e
                .attrs
                .get(LABEL_FEATURE)
                .filter(|l| !l.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| e.ty.rsplit('.').next().unwrap_or(&e.ty).to_string());
            relations.push(RecordRelation {
                kind,
                from: from.clone(),
                to: to.clone(),
            });
        } else if e.attrs.contains_key("begin")
            && e.ty != SENTENCE_TYPE
            && e.ty != TOKEN_TYPE
            && !e.ty.starts_with("uima.")
        {
            *other.entry(e.ty.clone()).or_default() += 1;
        }
    }
    Ok(Parsed {
        record: Record {
            id: Some(name.unwrap_or_else(|| fallback_name.to_string())),
            text,
            spans,
            relations,
            ..Record::default()
        },
        bad,
        other,
    })
}

/// What a zip may still inflate to (see `--max-unzipped-mb`).
struct Budget {
    per_entry: u64,
    left: u64,
    max_mb: u64,
}

impl Budget {
    fn new(max_mb: u64) -> Self {
        let per_entry = max_mb.saturating_mul(1024 * 1024);
        Budget {
            per_entry,
            left: per_entry.saturating_mul(4),
            max_mb,
        }
    }

    /// Reads one entry within the caps; `Err` refuses the whole zip.
    fn read(
        &mut self,
        zip_name: &str,
        entry: &mut impl std::io::Read,
        name: &str,
    ) -> Result<Vec<u8>, String> {
        let cap = self.per_entry.min(self.left);
        let mut body = Vec::new();
        std::io::Read::take(&mut *entry, cap + 1)
            .read_to_end(&mut body)
            .map_err(|e| format!("{zip_name}: cannot inflate {name}: {e}"))?;
        if body.len() as u64 > cap {
            return Err(format!(
                "{zip_name}: entry {name} inflates to more than the cap ({} MB per entry, four times that in all); the zip was not read (a zip bomb?). If you trust it, raise the cap with --max-unzipped-mb",
                self.max_mb
            ));
        }
        self.left -= body.len() as u64;
        Ok(body)
    }
}

/// The file stem of a path inside a zip (`a/b/admin.xmi` → `admin`).
fn stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
}

fn ends_with(name: &str, ext: &str) -> bool {
    name.len() > ext.len()
        && name.is_char_boundary(name.len() - ext.len())
        && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext)
}

/// The `.xmi` entries of a zip (and of the zips inside it, one level
/// deep), with the place each comes from.
fn zip_entries(
    zip_name: &str,
    bytes: Vec<u8>,
    budget: &mut Budget,
    nested: bool,
    out: &mut Vec<(String, String, Vec<u8>)>,
) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("{zip_name}: not a zip file: {e}"))?;
    let mut names: Vec<String> = Vec::new();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| format!("{zip_name}: entry {}: {e}", i + 1))?;
        if f.is_file()
            && let Ok(n) = f.name()
        {
            names.push(n.to_string());
        }
    }
    names.sort();
    for name in names {
        let is_xmi = ends_with(&name, ".xmi");
        let is_zip = !nested && ends_with(&name, ".zip");
        if !is_xmi && !is_zip {
            continue;
        }
        let mut entry = zip
            .by_name(&name)
            .map_err(|e| format!("{zip_name}: cannot open {name}: {e}"))?;
        let body = budget.read(zip_name, &mut entry, &name)?;
        drop(entry);
        let place = format!("{zip_name}:{name}");
        if is_zip {
            zip_entries(&place, body, budget, true, out)?;
        } else {
            out.push((place, stem(&name), body));
        }
    }
    Ok(())
}

/// Reads the CASes of one path (a `.zip`, a folder, or an `.xmi`) into
/// `out`; `max_mb` caps what a zip entry may inflate to.
pub fn read_path(path: &Path, max_mb: u64, out: &mut Read) {
    let shown = path.display().to_string();
    let skip =
        |out: &mut Read, what: String, reason: String| out.skipped.push(Skipped { what, reason });
    let mut files: Vec<(String, String, Vec<u8>)> = Vec::new();
    let read_file = |p: &Path| -> Result<Vec<u8>, String> {
        if let Some(reason) = crate::io::import::not_regular(p) {
            return Err(reason);
        }
        std::fs::read(p).map_err(|e| format!("cannot read it: {e}"))
    };
    let is = |p: &Path, ext: &str| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    let mut inputs: Vec<std::path::PathBuf> = Vec::new();
    if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                inputs = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| is(p, "xmi") || is(p, "zip"))
                    .collect();
                inputs.sort();
                if inputs.is_empty() {
                    return skip(out, shown, "the folder has no .xmi or .zip files".into());
                }
            }
            Err(e) => return skip(out, shown, format!("cannot list the folder: {e}")),
        }
    } else {
        inputs.push(path.to_path_buf());
    }
    for p in inputs {
        let name = p.display().to_string();
        let bytes = match read_file(&p) {
            Ok(b) => b,
            Err(reason) => {
                skip(out, name, reason);
                continue;
            }
        };
        if is(&p, "zip") {
            let mut budget = Budget::new(max_mb);
            let mut found = Vec::new();
            match zip_entries(&name, bytes, &mut budget, false, &mut found) {
                Ok(()) if found.is_empty() => {
                    skip(out, name, "the zip has no .xmi files".into());
                }
                Ok(()) => files.extend(found),
                Err(reason) => skip(out, name, reason),
            }
        } else {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "document".into());
            files.push((name, stem, bytes));
        }
    }
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    let mut titles: HashMap<String, usize> = HashMap::new();
    for (place, stem, bytes) in files {
        match parse(&bytes, &stem) {
            Ok(parsed) => {
                for why in parsed.bad {
                    skip(out, place.clone(), why);
                }
                for (t, n) in parsed.other {
                    *other.entry(t).or_default() += n;
                }
                if let Some(id) = &parsed.record.id {
                    *titles.entry(id.clone()).or_default() += 1;
                }
                let span_places = parsed
                    .record
                    .spans
                    .iter()
                    .map(|s| format!("{place}: annotation {}", s.id))
                    .collect();
                out.sources.push(Source {
                    record: parsed.record,
                    place,
                    span_places,
                });
            }
            Err(reason) => skip(out, place, reason),
        }
    }
    for (ty, n) in other {
        out.notices.push(format!(
            "{shown}: {n} annotation(s) of the layer {ty} were not read: Sayso reads the {SPAN_TYPE} and relation layers"
        ));
    }
    let repeated: usize = titles.values().filter(|&&n| n > 1).map(|n| n - 1).sum();
    if repeated > 0 {
        out.notices.push(format!(
            "{shown}: {repeated} document(s) came more than once (one per annotator in a project export); each is imported, renamed NAME-2, NAME-3, …"
        ));
    }
}
