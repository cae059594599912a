//! Sayso: a workbench for marking up who said what in news articles, and
//! where they stand.
//!
//! The library holds everything that is not drawing: the annotation model
//! with its edit commands ([`model`]), the project file ([`project`]),
//! the rule engine that suggests annotations ([`rules`]), evaluation against
//! a reference annotation and agreement between annotators ([`eval`]),
//! working as a team ([`team`]: handing out, merging, curating), imports
//! and exports ([`io`]) and the command-line interface ([`cli`]).
//! The desktop window ([`app`], feature `gui`) is a thin layer over it.

pub mod cli;
pub mod eval;
pub mod io;
pub mod model;
pub mod project;
pub mod rules;
pub mod team;

#[cfg(feature = "gui")]
pub mod app;
