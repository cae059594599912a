//! The undo history: every applied edit's inverse, with no limit on depth.
//!
//! Undo applies the newest inverse and keeps the inverse of that for redo,
//! so undo and redo are exact. [`History::state_id`] names the current
//! state, so that "unsaved changes" survives undoing back to a save.

use super::{Edit, EditError, Project};

#[derive(Debug, Clone)]
struct Step {
    description: String,
    inverse: Edit,
    /// Names the state this step leads to.
    state: u64,
}

/// What an undo or redo did, to tell the user and to show the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub description: String,
    pub document: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_state: u64,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `edit` to `project` and records it; clears the redo list.
    pub fn apply(&mut self, project: &mut Project, edit: Edit) -> Result<(), EditError> {
        let description = edit.describe();
        let inverse = edit.apply(project)?;
        self.next_state += 1;
        self.undo.push(Step {
            description,
            inverse,
            state: self.next_state,
        });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the newest step; `Ok(None)` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<Option<Undone>, EditError> {
        Self::step(&mut self.undo, &mut self.redo, project)
    }

    /// Redoes the newest undone step; `Ok(None)` when there is none.
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<Undone>, EditError> {
        Self::step(&mut self.redo, &mut self.undo, project)
    }

    fn step(
        from: &mut Vec<Step>,
        to: &mut Vec<Step>,
        project: &mut Project,
    ) -> Result<Option<Undone>, EditError> {
        let Some(step) = from.pop() else {
            return Ok(None);
        };
        let document = step.inverse.document();
        match step.inverse.clone().apply(project) {
            Ok(inverse) => {
                let done = Undone {
                    description: step.description.clone(),
                    document,
                };
                to.push(Step { inverse, ..step });
                Ok(Some(done))
            }
            Err(e) => {
                from.push(step);
                Err(e)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_description(&self) -> Option<&str> {
        self.undo.last().map(|s| s.description.as_str())
    }

    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|s| s.description.as_str())
    }

    /// Names the current state of the project as far as this history
    /// knows: equal ids mean equal projects. 0 is the state it started at.
    pub fn state_id(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.state)
    }
}
