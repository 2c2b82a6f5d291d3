//! The Jira half: permission schemes, global permissions, projects, boards and groups
//! joined into one [`Model`], who-holds-what resolution ([`subject`]), board capabilities
//! ([`capability`]); the Jira rule types are evaluated in [`crate::evaluate::jira`].
pub mod build;
pub mod capability;
pub mod derive;
pub mod model;
pub mod subject;
pub mod words;

pub use model::Model;

#[cfg(test)]
mod tests;
