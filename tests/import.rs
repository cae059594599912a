//! Importing text: encodings, line endings, refused files, folders, JSONL.

use sayso::io::decode::{DecodeError, decode, encoding_for_label};
use sayso::io::import::{ImportOptions, add_documents_edit, import_paths};
use sayso::model::Project;

#[test]
fn utf8_with_and_without_bom() {
    let plain = decode("Zoë said “hi”.\r\nBye.".as_bytes(), None).unwrap();
    assert_eq!(plain.text, "Zoë said “hi”.\nBye.");
    assert_eq!(plain.encoding.name(), "UTF-8");
    assert!(plain.warning.is_none());
    let bom = decode(b"\xEF\xBB\xBFZo\xC3\xAB", None).unwrap();
    assert_eq!(bom.text, "Zoë");
}

#[test]
fn utf16_with_bom_both_byte_orders() {
    let text = "Zoë “😀”\r\nx";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, "Zoë “😀”\nx");
        assert_eq!(d.encoding.name(), name);
    }
}

#[test]
fn windows_1252_is_detected_and_the_user_warned() {
    // “Café” – smart quotes and é as Windows-1252 bytes.
    let bytes =
        b"\x93Caf\xe9 au lait\x94, said the mayor of the town, who was \x96 as always \x96 late.";
    let d = decode(bytes, None).unwrap();
    assert_eq!(d.encoding.name(), "windows-1252");
    assert!(d.text.starts_with("“Café au lait”"));
    let warning = d.warning.unwrap();
    assert!(
        warning.contains("windows-1252") && warning.contains("detected"),
        "{warning}"
    );
}

#[test]
fn a_chosen_encoding_overrides_detection() {
    let bytes = b"\xe8\xe9";
    let enc = encoding_for_label("iso-8859-2").unwrap();
    let d = decode(bytes, Some(enc)).unwrap();
    assert_eq!(d.text, "čé");
}

#[test]
fn binary_and_empty_files_are_refused() {
    assert!(matches!(
        decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
        Err(DecodeError::Binary { offset: 8 })
    ));
    assert_eq!(decode(b"", None), Err(DecodeError::Empty));
    assert_eq!(decode(b" \r\n\t", None), Err(DecodeError::Empty));
    assert_eq!(decode(b"\xEF\xBB\xBF", None), Err(DecodeError::Empty));
}

#[test]
fn a_multi_file_import_goes_on_past_bad_files_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let good = write("a.txt", b"First article.");
    let empty = write("b.txt", b"");
    let binary = write("c.txt", b"\0\x01\x02");
    let legacy = write(
        "d.txt",
        b"Caf\xe9 cr\xe8me, na\xefve fa\xe7ade, r\xe9sum\xe9 \x96 d\xe9j\xe0 vu.",
    );
    let missing = dir.path().join("nope.txt");
    let got = import_paths(
        &[good, empty.clone(), binary.clone(), legacy, missing.clone()],
        ImportOptions::default(),
    );
    let names: Vec<_> = got.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["a", "d"]);
    let skipped: Vec<_> = got.skipped.iter().map(|s| s.what.clone()).collect();
    assert_eq!(
        skipped,
        [
            empty.display().to_string(),
            binary.display().to_string(),
            missing.display().to_string()
        ]
    );
    assert!(got.skipped[0].reason.contains("empty"));
    assert!(got.skipped[1].reason.contains("binary"));
    assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
    assert!(got.warnings[0].contains("d.txt"));
}

#[test]
fn a_folder_imports_its_text_files_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("b.txt", "Two."),
        ("a.txt", "One."),
        ("notes.md", "# no"),
        ("c.TXT", "Three."),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/z.txt"), "Deeper.").unwrap();
    let got = import_paths(&[dir.path().to_path_buf()], ImportOptions::default());
    let names: Vec<_> = got.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn jsonl_lines_become_documents_and_bad_lines_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    std::fs::write(
        &path,
        "{\"id\": \"one\", \"text\": \"Hello “world”.\", \"meta\": {\"source\": \"AP\"}}\n\
         \n\
         {\"text\": \"No id here.\"}\n\
         {\"id\": \"broken\", \"text\": \n\
         {\"id\": \"blank\", \"text\": \"   \"}\n",
    )
    .unwrap();
    let got = import_paths(std::slice::from_ref(&path), ImportOptions::default());
    let names: Vec<_> = got.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["one", "feed-3"]);
    assert_eq!(got.documents[0].meta["source"], "AP");
    let skipped: Vec<_> = got.skipped.iter().map(|s| s.what.clone()).collect();
    let file = path.display().to_string();
    assert_eq!(skipped, [format!("{file}:4"), format!("{file}:5")]);
}

#[test]
fn added_documents_get_unique_names() {
    let mut p = Project::default();
    let docs = |n: usize| {
        (0..n)
            .map(|_| sayso::model::Document::new("same", "Text."))
            .collect::<Vec<_>>()
    };
    add_documents_edit(&p, docs(2)).apply(&mut p).unwrap();
    add_documents_edit(&p, docs(1)).apply(&mut p).unwrap();
    let names: Vec<_> = p.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["same", "same-2", "same-3"]);
}

#[test]
fn many_documents_with_one_name_get_unique_names_in_one_undoable_edit() {
    use sayso::io::import::add_documents_edit;
    use sayso::model::{Document, Edit, History, Project};
    let mut p = Project::default();
    for name in ["doc", "doc-3"] {
        Edit::AddDocument {
            at: p.documents.len(),
            document: Box::new(Document::new(name, "Text.")),
        }
        .apply(&mut p)
        .unwrap();
    }
    // Thousands of documents named alike: linear, not pairwise (this took
    // minutes when names were compared one by one).
    let n = 30_000;
    let docs: Vec<Document> = (0..n).map(|_| Document::new("doc", "Text.")).collect();
    let before = p.clone();
    let mut h = History::new();
    let edit = add_documents_edit(&p, docs);
    h.apply(&mut p, edit).unwrap();
    assert_eq!(p.documents.len(), n + 2);
    let names: std::collections::HashSet<&str> =
        p.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names.len(), n + 2, "names are unique");
    let new: Vec<&str> = p.documents[2..6].iter().map(|d| d.name.as_str()).collect();
    assert_eq!(new, ["doc-2", "doc-4", "doc-5", "doc-6"]);
    assert_eq!(p.documents.last().unwrap().name, format!("doc-{}", n + 2));
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    h.redo(&mut p).unwrap();
    assert_eq!(p.documents.len(), n + 2);
    // A name taken twice is refused, and nothing changes.
    let twice = Edit::AddDocuments {
        at: 0,
        documents: vec![Document::new("x", "a"), Document::new("x", "b")],
    };
    let snapshot = p.clone();
    assert!(twice.apply(&mut p).is_err());
    assert_eq!(p, snapshot);
    let taken = Edit::AddDocuments {
        at: 0,
        documents: vec![Document::new("doc-7", "a")],
    };
    assert!(taken.apply(&mut p).is_err());
    assert_eq!(p, snapshot);
}
