//! Catalogues of names rolelint checks documents against, embedded from `policies/catalog/`.
pub mod toggles;

pub use toggles::ToggleCatalog;

/// The built-in toggle catalogue file.
pub const ALIGN_TOGGLES: (&str, &str) = (
    "<builtin>/policies/catalog/align-toggles.toml",
    include_str!("../../policies/catalog/align-toggles.toml"),
);

/// The built-in toggle catalogue as `build.rs` read it from [`ALIGN_TOGGLES`]' text, so
/// loading the built-ins parses no catalogue TOML (a one-file check saves about a millisecond).
mod prebuilt {
    use crate::document::catalogue_raw::{RawCatalogue, RawSection, RawToggle, Status};
    use toml::Spanned;
    include!(concat!(env!("OUT_DIR"), "/align_toggles.rs"));
}
pub use prebuilt::builtin_raw;

pub mod permissions;
pub use permissions::PermissionCatalog;
