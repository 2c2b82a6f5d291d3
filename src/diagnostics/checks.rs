//! Built-in document checks: problems with the documents themselves rather than with what
//! they grant. Their behaviour is code; every word of them is data, in the embedded
//! `policies/checks.toml` (documented the same way as policy rules, so `rolelint explain`
//! covers both). Their findings are made by the typed constructors of
//! [`crate::diagnostics::says`], one per template of that file.
use crate::diagnostics::rule_meta::RuleMeta;
use crate::diagnostics::Severity;
use std::sync::LazyLock;

/// The text of every check.
pub const FILE: (&str, &str) = (
    "<builtin>/policies/checks.toml",
    include_str!("../../policies/checks.toml"),
);

/// One built-in check, by code; its text is in [`FILE`].
#[derive(Debug)]
pub struct Check {
    pub code: &'static str,
}

impl Check {
    const fn new(code: &'static str) -> Self {
        Self { code }
    }

    /// This check's entry in [`FILE`] (`tests/registry.rs` proves every check has one).
    pub fn meta(&self) -> Option<&'static RuleMeta> {
        all().iter().find(|m| m.code == self.code)
    }
}

pub static TOML_SYNTAX: Check = Check::new("RL001");
pub static UNKNOWN_KEY: Check = Check::new("RL002");
pub static UNKNOWN_KIND: Check = Check::new("RL003");
pub static MISSING_KIND: Check = Check::new("RL004");
pub static INVALID_VALUE: Check = Check::new("RL005");
pub static NOT_UTF8: Check = Check::new("RL006");
pub static DUPLICATE_NAME: Check = Check::new("RL007");
pub static NOT_READ: Check = Check::new("RL008");
pub static UNKNOWN_TOGGLE: Check = Check::new("RL010");
pub static INVALID_POLICY: Check = Check::new("RL011");
pub static UNKNOWN_PERMISSION: Check = Check::new("RL020");
pub static PERMISSION_NOT_ON_PLATFORM: Check = Check::new("RL021");
pub static INVALID_HOLDER: Check = Check::new("RL022");
pub static DUPLICATE_HOLDER: Check = Check::new("RL023");
pub static UNRESOLVED_REFERENCE: Check = Check::new("RL024");
pub static INVALID_BOARD_FILTER: Check = Check::new("RL025");
pub static BOARD_FILTER_MISMATCH: Check = Check::new("RL026");
pub static COMPLEX_BOARD_FILTER: Check = Check::new("RL027");
pub static PROJECT_NAME_IS_ANOTHER_KEY: Check = Check::new("RL028");
pub static UNKNOWN_SUBJECT: Check = Check::new("RL029");
pub static SUPPRESSION_WITHOUT_REASON: Check = Check::new("RL090");
pub static EXPIRED_SUPPRESSION: Check = Check::new("RL091");
pub static UNUSED_SUPPRESSION: Check = Check::new("RL092");
pub static MALFORMED_SUPPRESSION: Check = Check::new("RL093");
pub static UNSUPPRESSIBLE_RULE: Check = Check::new("RL094");

/// Every check the code names, in code order.
pub static CODES: &[&Check] = &[
    &TOML_SYNTAX,
    &UNKNOWN_KEY,
    &UNKNOWN_KIND,
    &MISSING_KIND,
    &INVALID_VALUE,
    &NOT_UTF8,
    &DUPLICATE_NAME,
    &NOT_READ,
    &UNKNOWN_TOGGLE,
    &INVALID_POLICY,
    &UNKNOWN_PERMISSION,
    &PERMISSION_NOT_ON_PLATFORM,
    &INVALID_HOLDER,
    &DUPLICATE_HOLDER,
    &UNRESOLVED_REFERENCE,
    &INVALID_BOARD_FILTER,
    &BOARD_FILTER_MISMATCH,
    &COMPLEX_BOARD_FILTER,
    &PROJECT_NAME_IS_ANOTHER_KEY,
    &UNKNOWN_SUBJECT,
    &SUPPRESSION_WITHOUT_REASON,
    &EXPIRED_SUPPRESSION,
    &UNUSED_SUPPRESSION,
    &MALFORMED_SUPPRESSION,
    &UNSUPPRESSIBLE_RULE,
];

/// One check's documentation as `build.rs` read it from [`FILE`] (`build/check_meta.rs`).
struct Prebuilt {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
    help: &'static str,
    suppressible: bool,
    example_fail: Option<&'static str>,
    example_pass: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/check_meta.rs"));

/// Every check's text, as `build.rs` read it from [`FILE`] (in its order: by code).
pub fn all() -> &'static [RuleMeta] {
    static ALL: LazyLock<Vec<RuleMeta>> =
        LazyLock::new(|| PREBUILT.iter().map(Prebuilt::meta).collect());
    &ALL
}

/// The rule type of the built-in document checks in the rule registry.
pub const DOCUMENT_CHECK: &str = "document check";

impl Prebuilt {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: self.code.to_string(),
            name: self.name.to_string(),
            severity: self.severity,
            rule_type: DOCUMENT_CHECK.to_string(),
            summary: self.summary.to_string(),
            message: String::new(),
            help: self.help.to_string(),
            source: None,
            suppressible: self.suppressible,
            example_fail: self.example_fail.map(str::to_string).into_iter().collect(),
            example_pass: self.example_pass.map(str::to_string).into_iter().collect(),
            policy_file: None,
            note: None,
            supersedes: Vec::new(),
            policy: String::new(),
            texts: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_check_the_code_names_has_its_text_and_no_other() {
        let file: Vec<&str> = super::all().iter().map(|m| m.code.as_str()).collect();
        let named: Vec<&str> = super::CODES.iter().map(|c| c.code).collect();
        assert_eq!(file, named);
    }

    /// The table `build.rs` makes says what the file says: every field of every check,
    /// read here with serde as users' policy files are.
    #[test]
    fn the_prebuilt_table_is_the_file() {
        #[derive(serde::Deserialize)]
        struct Checks {
            check: Vec<toml::Table>,
        }
        let parsed: Checks = toml::from_str(super::FILE.1).unwrap();
        assert_eq!(parsed.check.len(), super::all().len());
        for (raw, meta) in parsed.check.iter().zip(super::all()) {
            let s = |k: &str| raw.get(k).and_then(|v| v.as_str()).map(str::to_string);
            assert_eq!(s("code").as_ref(), Some(&meta.code));
            assert_eq!(s("name").as_ref(), Some(&meta.name));
            assert_eq!(s("severity").as_deref(), Some(meta.severity.as_str()));
            assert_eq!(s("summary").as_ref(), Some(&meta.summary));
            assert_eq!(s("help").as_ref(), Some(&meta.help));
            let suppressible = raw.get("suppressible").and_then(|v| v.as_bool());
            assert_eq!(suppressible, Some(meta.suppressible));
            assert_eq!(
                s("example-fail").into_iter().collect::<Vec<_>>(),
                meta.example_fail
            );
            assert_eq!(
                s("example-pass").into_iter().collect::<Vec<_>>(),
                meta.example_pass
            );
        }
    }
}
