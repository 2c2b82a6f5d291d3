//! Fixes: edits a rule attaches to its finding, applied by `check --fix`
//! ([`crate::report::fix::apply`]).
//!
//! A fix is described relative to the finding's primary span, which always points at
//! a key of the document (a toggle, group or section name). Applying a fix finds that
//! key again in the file with `toml_edit` (spans), so the edit lands exactly where the
//! finding points, and comments and layout elsewhere are kept.

/// Whether a fix keeps the document's meaning (safe) or changes what it grants (unsafe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Corrects spelling or removes redundancy: applied by `--fix`.
    Safe,
    /// Changes what the document enables: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// What to do with the key the finding points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Rename the key, keeping its value.
    RenameKey(String),
    /// Remove the key and its value.
    RemoveKey,
    /// Replace the key's value by this list of strings.
    SetStrings(Vec<String>),
    /// Remove the array element the finding points at (a duplicate holder).
    RemoveArrayItem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    pub edit: Edit,
}

impl Fix {
    pub fn safe(edit: Edit) -> Self {
        Self {
            safety: Safety::Safe,
            edit,
        }
    }

    pub fn unsafe_(edit: Edit) -> Self {
        Self {
            safety: Safety::Unsafe,
            edit,
        }
    }

    /// One line for the user: "rename to `Stories`".
    pub fn describe(&self) -> String {
        match &self.edit {
            Edit::RenameKey(to) => format!("rename to `{to}`"),
            Edit::RemoveKey => "remove the toggle".to_string(),
            Edit::RemoveArrayItem => "remove the duplicate".to_string(),
            Edit::SetStrings(v) if v.is_empty() => "turn every sub-toggle off".to_string(),
            Edit::SetStrings(v) => format!(
                "keep only {}",
                v.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
