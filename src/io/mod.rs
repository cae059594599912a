//! Reading documents into Sayso and writing datasets out of it.
//!
//! - [`decode`]: bytes of a text file to a `String` (BOMs, UTF-16, legacy
//!   encodings), with line endings normalised to `\n`.
//! - [`import`]: text files, folders of them and JSONL into documents.
//! - [`record`]: the native JSONL line (document, spans, relations).

pub mod annotated;
pub mod decode;
pub mod export;
pub mod formats;
pub mod import;
pub mod record;
