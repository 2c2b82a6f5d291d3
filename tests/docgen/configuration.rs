//! The configuration reference: every key of `rolelint.toml`, its default and description.
//! Keys, order and descriptions come from docs/configuration.toml (a complete, commented
//! configuration); defaults from `rolelint check --show-config`, which also proves that file a
//! valid configuration. That it sets every key of `Config`, optional keys without a default
//! included, is checked next to `Config` (src/config/documented.rs).
use super::{banner, fenced, root, run};
use std::collections::BTreeMap;
use toml_edit::{DocumentMut, Item, Table};

pub const SOURCE: &str = "docs/configuration.toml";

/// `key = value  # origin` lines of `--show-config` for `config`: key → (value, origin).
fn show_config(config: &str) -> BTreeMap<String, (String, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("rolelint.toml"), config).expect("write config");
    let (code, out) = run(dir.path(), &["check", "--show-config"]);
    assert_eq!(code, 0, "`check --show-config` refused {SOURCE}:\n{out}");
    out.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("--"))
        .filter_map(|l| {
            let (key, rest) = l.split_once(" = ")?;
            let (value, origin) = rest.rsplit_once("# ")?;
            Some((
                key.trim().to_string(),
                (value.trim().to_string(), origin.trim().to_string()),
            ))
        })
        .collect()
}

/// The comment lines of a decor prefix, without their `#`, joined into one paragraph.
fn description(prefix: Option<&toml_edit::RawString>) -> String {
    let raw = prefix.and_then(|p| p.as_str()).unwrap_or("");
    // Only the comment block right above: a blank line ends it.
    let block = raw.trim_end().rsplit("\n\n").next().unwrap_or("");
    block
        .lines()
        .filter_map(|l| l.trim().strip_prefix('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

fn section(
    s: &mut String,
    header: &str,
    table: &Table,
    path: &str,
    defaults: &BTreeMap<String, (String, String)>,
) {
    let values: Vec<_> = table.iter().filter(|(_, item)| item.is_value()).collect();
    s.push_str(&format!("## `{header}`\n\n"));
    let about = description(table.decor().prefix());
    if !about.is_empty() {
        s.push_str(&format!("{about}\n\n"));
    }
    if !values.is_empty() {
        s.push_str("| key | default | example | description |\n|---|---|---|---|\n");
        for (key, item) in values {
            let decor = table.key(key).expect("key").leaf_decor();
            let full = format!("{path}.{key}");
            let default = defaults
                .get(&full)
                .map_or("none".to_string(), |(v, _)| format!("`{v}`"));
            let example = item.as_value().expect("value").to_string();
            s.push_str(&format!(
                "| `{}` | {default} | `{}` | {} |\n",
                toml_edit::Key::new(key).display_repr(),
                example.trim().replace('|', "\\|"),
                description(decor.prefix()).replace('|', "\\|")
            ));
        }
        s.push('\n');
    }
}

fn visit(s: &mut String, table: &Table, path: &str, defaults: &BTreeMap<String, (String, String)>) {
    for (key, item) in table.iter() {
        let child = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        match item {
            Item::Table(t) => {
                section(s, &format!("[{child}]"), t, &child, defaults);
                visit(s, t, &child, defaults);
            }
            Item::ArrayOfTables(a) => {
                if let Some(t) = a.iter().next() {
                    section(s, &format!("[[{child}]]"), t, &child, defaults);
                }
            }
            _ => {}
        }
    }
}

pub fn page() -> String {
    let config = std::fs::read_to_string(root().join(SOURCE)).expect(SOURCE);
    let doc: DocumentMut = config.parse().expect("docs/configuration.toml is TOML");
    // Every key rolelint knows is set (and so described) in the source file.
    let undescribed: Vec<_> = show_config(&config)
        .into_iter()
        .filter(|(_, (_, origin))| origin == "default")
        .map(|(k, _)| k)
        .collect();
    assert!(
        undescribed.is_empty(),
        "{SOURCE} does not set (and describe) these keys that `rolelint check --show-config` knows: {}",
        undescribed.join(", ")
    );
    let defaults = show_config("");
    let mut s = String::from("# Configuration reference\n\n");
    s.push_str(&banner(&format!(
        "`{SOURCE}` and `rolelint check --show-config`"
    )));
    s.push_str(
        "\n`rolelint.toml` is found at or above the checked path (or given with `--config FILE`); \
         its directory is the repository root. Every key is optional; unknown keys, unknown rule \
         codes and invalid values are exit 2 with the offending line. \
         `rolelint check --show-config` prints the effective configuration, each key with where \
         it came from.\n\n",
    );
    visit(&mut s, doc.as_table(), "", &defaults);
    s.push_str("## Every key in one file\n\n");
    let body: String = config
        .split_once("\n\n")
        .map_or(config.as_str(), |(_header, rest)| rest)
        .to_string();
    s.push_str(&fenced("toml", &body));
    s
}
