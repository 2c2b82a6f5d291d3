//! Catalogues of names rolelint checks documents against, embedded from `policies/catalog/`.
pub mod toggles;

pub use toggles::ToggleCatalog;

/// The built-in toggle catalogue file.
pub const ALIGN_TOGGLES: (&str, &str) = (
    "<builtin>/policies/catalog/align-toggles.toml",
    include_str!("../../policies/catalog/align-toggles.toml"),
);

pub mod permissions;
pub use permissions::PermissionCatalog;
