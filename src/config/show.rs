//! `rolelint check --show-config`: the effective configuration, one `key = value` line each,
//! with where the value comes from: `default`, `FILE:LINE` or `command line`.
use crate::diagnostics::source::line_col;
use crate::evaluate::Overrides;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The defaults of `config::Config`, written out (a unit test keeps them in step).
pub const DEFAULTS: &str = r#"
[paths]
include = ["**/*.toml"]
exclude = []
[policies]
extra = []
disable = []
[align]
integrated-roles = []
integrated-allows-ideation = false
[jira]
platform = "cloud"
[license]
integrated-per-full = 4
exclude-domains = ["atlassian.com"]
service-accounts = []
[limits]
document-bytes = 33554432
people-bytes = 268435456
"#;

/// Render the effective configuration. `config_file` is the file's display path and text.
pub fn render(config_file: Option<(&str, &str)>, o: &Overrides, baseline: Option<&str>) -> String {
    let mut values: BTreeMap<String, (String, String)> = BTreeMap::new();
    if let Ok(t) = DeTable::parse(DEFAULTS) {
        flatten(DEFAULTS, "", t.get_ref(), &mut |k, v, _| {
            values.insert(k, (v, "default".to_string()));
        });
    }
    let mut out = String::new();
    match config_file {
        Some((name, text)) => {
            out.push_str(&format!("# configuration file: {name}\n"));
            if let Ok(t) = DeTable::parse(text) {
                flatten(text, "", t.get_ref(), &mut |k, v, at| {
                    let line = line_col(text, at).0;
                    values.insert(k, (v, format!("{name}:{line}")));
                });
            }
        }
        None => out.push_str("# configuration file: none found, built-in defaults\n"),
    }
    let width = values
        .iter()
        .map(|(k, (v, _))| k.len() + v.len() + 3)
        .max()
        .unwrap_or(0);
    let mut line = |key: &str, value: &str, origin: &str| {
        let kv = format!("{key} = {value}");
        out.push_str(&format!("{kv:width$}  # {origin}\n"));
    };
    for (k, (v, origin)) in &values {
        line(k, v, origin);
    }
    let list = |v: &[String]| toml::Value::from(v.to_vec()).to_string();
    let cli = |set: bool| if set { "command line" } else { "default" };
    line("--select", &list(&o.select), cli(!o.select.is_empty()));
    line("--ignore", &list(&o.ignore), cli(!o.ignore.is_empty()));
    let sev: Vec<String> = o.severity.iter().map(|(k, v)| format!("{k}={v}")).collect();
    line("--severity", &list(&sev), cli(!sev.is_empty()));
    line(
        "--deny-warnings",
        &o.deny_warnings.to_string(),
        cli(o.deny_warnings),
    );
    let b = baseline.map(|b| toml::Value::from(b).to_string());
    line(
        "--baseline",
        b.as_deref().unwrap_or("none"),
        cli(b.is_some()),
    );
    out
}

/// Call `f(dotted key, value, offset of the key)` for every leaf value.
fn flatten(text: &str, prefix: &str, table: &DeTable, f: &mut dyn FnMut(String, String, usize)) {
    for (k, v) in table {
        let key = format!("{prefix}{}", key_repr(k.get_ref()));
        match v.get_ref() {
            DeValue::Table(t) => flatten(text, &format!("{key}."), t, f),
            DeValue::Array(a)
                if !a.is_empty() && a.iter().all(|x| matches!(x.get_ref(), DeValue::Table(_))) =>
            {
                for (i, item) in a.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        flatten(text, &format!("{key}[{i}]."), t, f);
                    }
                }
            }
            _ => f(key, value_repr(text, v), k.span().start),
        }
    }
}

fn key_repr(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_string()
    } else {
        toml::Value::from(k).to_string()
    }
}

/// The value in canonical inline form (comments and line breaks of the file dropped).
fn value_repr(text: &str, v: &Spanned<DeValue>) -> String {
    let raw = text.get(v.span()).unwrap_or_default();
    toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .map(|v| v.to_string())
        .unwrap_or_else(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_config_defaults() {
        let parsed: crate::config::Config = toml::from_str(DEFAULTS).expect("defaults parse");
        let d = crate::config::Config::default();
        let strs =
            |v: &[Spanned<String>]| v.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>();
        assert_eq!(strs(&parsed.paths.include), strs(&d.paths.include));
        assert_eq!(
            parsed.license.integrated_per_full,
            d.license.integrated_per_full
        );
        assert_eq!(parsed.license.exclude_domains, d.license.exclude_domains);
        assert_eq!(parsed.jira.platform, d.jira.platform);
        assert_eq!(parsed.limits.document(), d.limits.document());
        assert_eq!(parsed.limits.people(), d.limits.people());
        assert_eq!(
            parsed.align.integrated_allows_ideation,
            d.align.integrated_allows_ideation
        );
    }

    #[test]
    fn file_values_win_with_their_line_and_cli_is_marked() {
        let text = "[paths]\ninclude = [\n  \"access/**/*.toml\", # roles\n]\n\n[severity]\n\"uniform-on-board\" = \"error\"\n\n[[exception]]\ncode = \"AL101\"\npath = \"a.toml\"\n";
        let o = Overrides {
            select: vec!["AL".into()],
            ..Overrides::default()
        };
        let s = render(Some(("rolelint.toml", text)), &o, None);
        assert!(s.contains("paths.include = [\"access/**/*.toml\"]"), "{s}");
        assert!(s.contains("# rolelint.toml:2\n"), "{s}");
        assert!(s.contains("severity.uniform-on-board = \"error\""), "{s}");
        assert!(s.contains("exception[0].code = \"AL101\""), "{s}");
        assert!(s.contains("# rolelint.toml:10\n"), "{s}");
        assert!(
            s.lines()
                .any(|l| l.starts_with("paths.exclude = []") && l.ends_with("# default")),
            "{s}"
        );
        assert!(
            s.lines()
                .any(|l| l.starts_with("--select = [\"AL\"]") && l.ends_with("# command line")),
            "{s}"
        );
    }
}
