//! How the window shares its width: the text column keeps at least
//! [`TEXT_MIN`] points and re-wraps, and the side panels (the document list
//! on the left; the inspector, with the review panel stacked above it in
//! review mode, on the right) get what is left, each within its own minimum
//! and maximum. A panel that does not fit even at its minimum is not shown
//! (the document list goes first), and the View menu says so. The side
//! panels are drawn here too, each within the share it gets.

use eframe::egui::{self, Rangef, Rect};

use super::{Action, curate_panel, doc_list, inspector, review_panel};

/// The narrowest the text column may get, in points.
pub const TEXT_MIN: f32 = 360.0;

/// Room for the central panel's margins and the panels' separator lines.
const SLACK: f32 = 24.0;

/// The width a side panel starts with, and its bounds (outer width).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideWidth {
    pub min: f32,
    pub default: f32,
    pub max: f32,
}

/// The document list.
pub const DOCUMENTS: SideWidth = SideWidth {
    min: 140.0,
    default: 220.0,
    max: 340.0,
};

/// The right column: the inspector, and the review panel in review mode.
pub const RIGHT: SideWidth = SideWidth {
    min: 220.0,
    default: 300.0,
    max: 460.0,
};

/// The widths the side panels may take this frame; `None`: not shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub documents: Option<Rangef>,
    pub right: Option<Rangef>,
    /// A panel the user wants was left out for lack of room.
    pub documents_squeezed: bool,
    pub right_squeezed: bool,
}

/// Shares `width` (the window's) between the panels the user wants shown
/// and a text column of at least [`TEXT_MIN`].
pub fn budget(width: f32, documents: bool, right: bool) -> Budget {
    let space = (width - TEXT_MIN - SLACK).max(0.0);
    let range = |w: SideWidth, most: f32| Rangef::new(w.min, w.max.min(most));
    let mut out = Budget {
        documents: None,
        right: None,
        documents_squeezed: false,
        right_squeezed: false,
    };
    match (documents, right) {
        (true, true) if space >= DOCUMENTS.min + RIGHT.min => {
            // The list gets up to 40% of the room, the right column the rest.
            let docs_most = (space * 0.4).clamp(DOCUMENTS.min, DOCUMENTS.max);
            out.documents = Some(range(DOCUMENTS, docs_most));
            out.right = Some(range(RIGHT, space - docs_most));
        }
        (true, true) => {
            out.documents_squeezed = true;
            if space >= RIGHT.min {
                out.right = Some(range(RIGHT, space));
            } else {
                out.right_squeezed = true;
            }
        }
        (true, false) if space >= DOCUMENTS.min => {
            out.documents = Some(range(DOCUMENTS, space));
        }
        (false, true) if space >= RIGHT.min => out.right = Some(range(RIGHT, space)),
        (true, false) => out.documents_squeezed = true,
        (false, true) => out.right_squeezed = true,
        (false, false) => {}
    }
    out
}

/// Where the panels were drawn in the last frame (tests check that none
/// covers the text column).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PanelRects {
    pub documents: Option<Rect>,
    pub right: Option<Rect>,
    pub review: Option<Rect>,
    pub curate: Option<Rect>,
    pub text: Option<Rect>,
}

/// A side panel of `id` on `side` with its width bounded by `range`.
pub fn side_panel(left: bool, id: &str, w: SideWidth, range: Rangef) -> egui::Panel {
    let panel = if left {
        egui::Panel::left(id.to_owned())
    } else {
        egui::Panel::right(id.to_owned())
    };
    panel
        .resizable(true)
        .default_size(w.default.clamp(range.min, range.max))
        .size_range(range)
}

impl super::App {
    /// The document list on the left, and on the right the inspector with
    /// the review panel stacked above it in review mode, each within the
    /// width [`budget`] leaves them beside the text column.
    pub(super) fn side_panels_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let right_wanted = self.settings.show_inspector || self.review.open || self.curate.open;
        let budget = budget(
            ui.available_width(),
            self.settings.show_documents,
            right_wanted,
        );
        self.layout_budget = budget;
        self.panel_rects.documents = None;
        self.panel_rects.right = None;
        self.panel_rects.review = None;
        self.panel_rects.curate = None;
        if let Some(range) = budget.documents {
            let r = side_panel(true, "sayso-documents", DOCUMENTS, range).show(ui, |ui| {
                doc_list::doc_list_ui(
                    ui,
                    &mut self.doc_list,
                    &self.project,
                    self.doc,
                    self.settings.compact_documents,
                    actions,
                )
            });
            self.panel_rects.documents = Some(r.response.rect);
        }
        let Some(range) = budget.right else { return };
        let r =
            side_panel(false, "sayso-right", RIGHT, range).show(ui, |ui| {
                if self.review.open {
                    let height = ui.available_height();
                    // The review panel above, the inspector below: they share
                    // the column, and the divider can be dragged. Without the
                    // inspector the review panel takes the whole column.
                    let panel = egui::Panel::top("sayso-review");
                    let panel =
                        if self.settings.show_inspector {
                            panel.resizable(true).default_size(height * 0.6).size_range(
                                Rangef::new((height * 0.3).min(160.0), (height - 120.0).max(160.0)),
                            )
                        } else {
                            panel
                                .resizable(false)
                                .exact_size(height)
                                .show_separator_line(false)
                        };
                    let review = panel
                        .show(ui, |ui| review_panel::review_panel_ui(ui, self, actions))
                        .response
                        .rect;
                    self.panel_rects.review = Some(review);
                } else if self.curate.open {
                    // Curation mode takes the review panel's place.
                    let height = ui.available_height();
                    let panel = egui::Panel::top("sayso-curate");
                    let panel = if self.settings.show_inspector {
                        panel
                            .resizable(true)
                            .default_size(height * 0.65)
                            .size_range(Rangef::new(
                                (height * 0.3).min(160.0),
                                (height - 120.0).max(160.0),
                            ))
                    } else {
                        panel
                            .resizable(false)
                            .exact_size(height)
                            .show_separator_line(false)
                    };
                    let curate = panel
                        .show(ui, |ui| curate_panel::curate_panel_ui(ui, self, actions))
                        .response
                        .rect;
                    self.panel_rects.curate = Some(curate);
                }
                if self.settings.show_inspector {
                    inspector::inspector_ui(
                        ui,
                        &mut self.inspector,
                        &self.project,
                        self.doc,
                        &self.view,
                        &self.settings.annotator,
                        actions,
                    );
                }
            });
        self.panel_rects.right = Some(r.response.rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_keeps_its_width_at_every_size() {
        for width in [640.0, 720.0, 800.0, 1024.0, 1280.0, 1920.0] {
            for (d, r) in [(true, true), (true, false), (false, true)] {
                let b = budget(width, d, r);
                let most = b.documents.map_or(0.0, |x| x.max) + b.right.map_or(0.0, |x| x.max);
                assert!(width - most - SLACK >= TEXT_MIN, "{width} {d} {r}: {b:?}");
                for x in [b.documents, b.right].into_iter().flatten() {
                    assert!(x.min <= x.max, "{width}: {b:?}");
                }
            }
        }
        // Both fit at 800 wide; at 640 the document list gives way.
        let b = budget(800.0, true, true);
        assert!(b.documents.is_some() && b.right.is_some());
        let b = budget(640.0, true, true);
        assert!(b.documents.is_none() && b.documents_squeezed && b.right.is_some());
    }
}
