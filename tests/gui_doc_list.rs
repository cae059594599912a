//! The compact document list (issue 13): one line per document with the
//! counts in columns, switched from the list's header and the View menu
//! (remembered in the settings), sortable by a click on a column header,
//! "N of M shown" under a filter.

#![cfg(feature = "gui")]

mod common;

use common::gui::fixture;

use egui_kittest::kittest::Queryable as _;
use sayso::app::doc_list::SortBy;
use sayso::model::{Document, Edit, Project, ReviewState, Span};

/// Four documents with 1, 3, 0 and 2 pending suggestions.
fn project() -> Project {
    let mut project = Project::default();
    let names = [
        "b-first-with-one",
        "d-second-with-three",
        "a-third-with-none",
        "huff-post_2016-09-16_black-lawmakers-rip-donald-trump",
    ];
    for (k, name) in names.iter().enumerate() {
        Edit::AddDocument {
            at: k,
            document: Box::new(Document::new(
                *name,
                "Putin said that the talks must resume, and Erdogan agreed.",
            )),
        }
        .apply(&mut project)
        .expect("add doc");
    }
    for (doc, pending) in [(0, 1), (1, 3), (3, 2)] {
        for j in 0..pending {
            let id = project.new_span_id();
            let mut span = Span::manual(id, j * 6, j * 6 + 5, "Speaker", "rules");
            span.review = ReviewState::Suggested;
            Edit::AddSpan {
                doc,
                span,
                relations: Vec::new(),
            }
            .apply(&mut project)
            .expect("add span");
        }
    }
    project
}

fn shown(f: &common::gui::Fixture) -> Vec<String> {
    let app = f.app();
    app.doc_list
        .order(&app.project, app.settings.compact_documents)
        .into_iter()
        .map(|i| app.project.documents[i].name.clone())
        .collect()
}

#[test]
fn the_compact_list_toggles_sorts_by_a_column_and_keeps_the_filter_count() {
    let mut f = fixture(project(), None);
    assert!(!f.app().settings.compact_documents);
    // The header's button.
    f.harness.get_by_label("Compact").click();
    f.settle();
    assert!(
        f.app().settings.compact_documents,
        "remembered in the settings"
    );
    // Sort by pending: the most first.
    f.harness.get_by_label("Pending").click();
    f.settle();
    assert_eq!(f.app().doc_list.sort, Some(SortBy::Pending));
    assert_eq!(
        shown(&f),
        [
            "d-second-with-three",
            "huff-post_2016-09-16_black-lawmakers-rip-donald-trump",
            "b-first-with-one",
            "a-third-with-none"
        ]
    );
    // Again: the fewest first; a third time: the project's order.
    f.harness.get_by_label("Pending v").click();
    f.settle();
    assert_eq!(shown(&f)[0], "a-third-with-none");
    f.harness.get_by_label("Pending ^").click();
    f.settle();
    assert_eq!(f.app().doc_list.sort, None);
    assert_eq!(shown(&f)[0], "b-first-with-one");
    // By name.
    f.harness.get_by_label("Name").click();
    f.settle();
    assert_eq!(
        shown(&f),
        [
            "a-third-with-none",
            "b-first-with-one",
            "d-second-with-three",
            "huff-post_2016-09-16_black-lawmakers-rip-donald-trump"
        ]
    );
    // One line per document: rows as tall as a button (the third row is
    // two rows below the first; the open document's name is also above the
    // text, so it is not looked up here).
    let a = f.harness.get_by_label("a-third-with-none").rect();
    let d = f.harness.get_by_label("d-second-with-three").rect();
    assert!(d.min.y - a.min.y < 2.0 * 26.0, "{a:?} then {d:?}");
    // The long name is elided in its column.
    let long = f
        .harness
        .get_by_label("huff-post_2016-09-16_black-lawmakers-rip-donald-trump")
        .rect();
    let panel = f.app().panel_rects.documents.expect("the list is shown");
    assert!(long.max.x <= panel.max.x, "{long:?} in {panel:?}");
    // A click opens the document.
    f.harness.get_by_label("d-second-with-three").click();
    f.settle();
    assert_eq!(f.app().doc, 1);
    // Filtered: "N of M shown".
    let field = f.harness.get_by_label("Filter by name");
    field.focus();
    field.type_text("with");
    f.settle();
    f.harness.get_by_label("3 of 4 shown");
    assert_eq!(shown(&f).len(), 3);
    // The View menu switches it back.
    f.harness.get_by_label("View").click();
    f.settle();
    f.harness.get_by_label("Compact document list").click();
    f.settle();
    assert!(!f.app().settings.compact_documents);
    // The two-line list keeps the project's order.
    assert_eq!(shown(&f)[0], "b-first-with-one");
}
