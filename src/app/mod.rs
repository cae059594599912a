//! The desktop window. For now it shows the project's documents read-only;
//! the annotation workbench replaces it.

use std::path::PathBuf;

use eframe::egui;

use crate::model::{Document, Project};

const EXAMPLE: &str = include_str!("../../examples/putin-gaza.txt");

/// Opens the window on a project file, on text files, or on the bundled
/// example.
pub fn run(paths: Vec<PathBuf>) -> anyhow::Result<()> {
    let project = match paths.first() {
        Some(p)
            if p.extension()
                .is_some_and(|e| e == crate::project::EXTENSION) =>
        {
            crate::project::load(p)?
        }
        Some(_) => {
            let imported = crate::io::import::import_paths(
                &paths,
                crate::io::import::ImportOptions::default(),
            );
            let mut project = Project::default();
            crate::io::import::add_documents_edit(&project, imported.documents)
                .apply(&mut project)?;
            project
        }
        None => {
            let mut project = Project::default();
            let doc = Document::new("putin-gaza", EXAMPLE);
            crate::model::Edit::AddDocument {
                at: 0,
                document: Box::new(doc),
            }
            .apply(&mut project)?;
            project
        }
    };
    let options = eframe::NativeOptions::default();
    eframe::run_native(
        "Sayso",
        options,
        Box::new(|_cc| Ok(Box::new(Placeholder { project }))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

struct Placeholder {
    project: Project,
}

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for doc in &self.project.documents {
                    ui.heading(&doc.name);
                    ui.label(doc.text.as_str());
                }
            });
        });
    }
}
