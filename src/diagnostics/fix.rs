//! Fixes: edits a rule attaches to its finding, applied by `check --fix`
//! ([`crate::report::fix::apply`]).
//!
//! A fix is described relative to the finding's primary span, which always points at
//! a key of the document (a toggle, group or section name). Applying a fix finds that
//! key again in the file with `toml_edit` (spans), so the edit lands exactly where the
//! finding points, and comments and layout elsewhere are kept.

/// Whether a fix keeps the document's meaning (safe) or changes what it grants (unsafe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Safety {
    /// Corrects spelling or removes redundancy: applied by `--fix`.
    Safe,
    /// Changes what the document enables: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// What to do with the key the finding points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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

    /// This fix as a finding holds it: the fixes that carry nothing of their own (remove
    /// the key, remove the item) are one shared copy each, not one per finding (a rule
    /// gave 43,000 findings the same "remove the toggle").
    pub fn shared(self) -> std::sync::Arc<Fix> {
        use std::sync::{Arc, OnceLock};
        static PLAIN: OnceLock<[Arc<Fix>; 4]> = OnceLock::new();
        let slot = match (self.safety, &self.edit) {
            (Safety::Safe, Edit::RemoveKey) => 0,
            (Safety::Unsafe, Edit::RemoveKey) => 1,
            (Safety::Safe, Edit::RemoveArrayItem) => 2,
            (Safety::Unsafe, Edit::RemoveArrayItem) => 3,
            _ => return Arc::new(self),
        };
        let plain = PLAIN.get_or_init(|| {
            [
                (Safety::Safe, Edit::RemoveKey),
                (Safety::Unsafe, Edit::RemoveKey),
                (Safety::Safe, Edit::RemoveArrayItem),
                (Safety::Unsafe, Edit::RemoveArrayItem),
            ]
            .map(|(safety, edit)| Arc::new(Fix { safety, edit }))
        });
        plain[slot].clone()
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
