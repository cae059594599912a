//! Reading documents into Sayso and writing datasets out of it.
//!
//! - [`decode`]: bytes of a text file to a `String` (BOMs, UTF-16, legacy
//!   encodings), with line endings normalised to `\n`.
//! - [`import`]: text files, folders of them and JSONL into documents.
//! - [`record`]: the native JSONL line (document, spans, relations).
//! - [`annotated`]: annotated files (JSONL, doccano, brat) into documents
//!   with spans; [`mapping`] and [`ann_dir`] for foreign brat corpora.
//! - [`file_id`]: whether two names are one file (device and inode).
//! - [`atomic`]: writing a file through an exclusive temporary file.

pub mod ann_dir;
pub mod annotated;
pub mod atomic;
pub mod decode;
pub mod export;
pub mod file_id;
pub mod formats;
pub mod import;
pub mod mapping;
pub mod record;
