//! Guard tests that keep the rule registry honest: unique codes and names, kebab-case
//! names, fixtures for every rule, and every rule's documented examples behave as documented.
use rolelint::commands::explain::all_docs;
use rolelint::config::Config;
use rolelint::config::Overrides;
use rolelint::pipeline;
use std::collections::HashSet;
use std::path::Path;

#[test]
fn codes_and_names_are_unique_and_kebab_case() {
    let docs = all_docs();
    let mut seen = HashSet::new();
    for d in &docs {
        assert!(
            seen.insert(d.code.to_lowercase()),
            "duplicate code {}",
            d.code
        );
        assert!(seen.insert(d.name.clone()), "duplicate name {}", d.name);
        assert!(
            d.name.split('-').all(|w| !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{} is not kebab-case",
            d.name
        );
    }
    let list: Vec<String> = docs
        .iter()
        .map(|d| format!("{} {} {}", d.code, d.name, d.severity.as_str()))
        .collect();
    insta::with_settings!({ snapshot_path => "../snapshots/registry", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("codes", list.join("\n"));
    });
}

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut missing = Vec::new();
    for d in all_docs() {
        let dir = root.join(format!("{}-{}", d.code, d.name));
        for kind in ["fail-", "pass-"] {
            let found = std::fs::read_dir(&dir)
                .map(|rd| {
                    rd.filter_map(Result::ok).any(|e| {
                        e.file_name().to_string_lossy().starts_with(kind)
                            && e.path().join("rolelint.toml").is_file()
                    })
                })
                .unwrap_or(false);
            if !found {
                missing.push(format!(
                    "{}/{kind}*",
                    dir.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures (add tests/fixtures/rules/...):\n{}",
        missing.join("\n")
    );
}

#[test]
fn documented_examples_behave_as_documented() {
    let mut problems = Vec::new();
    for d in all_docs() {
        for (fails, examples) in [(true, &d.example_fail), (false, &d.example_pass)] {
            if examples.is_empty() {
                continue;
            }
            let docs: Vec<(String, String)> = examples
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("example/{i}.toml"), t.clone()))
                .collect();
            let overrides = Overrides {
                select: vec![d.code.clone()],
                ..Overrides::default()
            };
            let run = pipeline::check_texts(&docs, Config::default(), &overrides);
            let hits = run
                .diagnostics
                .iter()
                .filter(|x| *x.code() == d.code)
                .count();
            if fails && hits == 0 {
                problems.push(format!("{}: failing example reports nothing", d.code));
            }
            if !fails && hits > 0 {
                problems.push(format!(
                    "{}: passing example reports {hits} finding(s)",
                    d.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn builtin_policies_load_without_diagnostics() {
    let run = pipeline::check_texts(&[], Config::default(), &Overrides::default());
    let msgs: Vec<String> = run
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code(), d.message))
        .collect();
    assert!(
        msgs.is_empty(),
        "built-in policies have problems:\n{}",
        msgs.join("\n")
    );
}

/// The folder holding one file per rule type (found by its `ceiling.rs`, wherever the
/// layout puts it).
fn rule_types_folder() -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        if dir.join("ceiling.rs").is_file() && dir.join("mod.rs").is_file() {
            return dir;
        }
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
    panic!("no rule types folder under src/");
}

#[test]
fn every_rule_type_file_is_registered() {
    let mut files: Vec<String> = std::fs::read_dir(rule_types_folder())
        .expect("rule types folder")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
        .filter(|n| n != "mod")
        .map(|n| n.replace('_', "-"))
        .collect();
    files.sort();
    let mut registered: Vec<String> = rolelint::evaluate::rules::TYPES
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    registered.sort();
    assert_eq!(
        files, registered,
        "each file of the rule types folder is one rule type, registered once in `TYPES`"
    );
}

/// The built-in policies, the text of the built-in checks and of the rule types.
#[test]
fn every_builtin_policy_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("policies/")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("<builtin>/policies/{n}"))
        .collect();
    files.sort();
    let mut embedded: Vec<String> = rolelint::evaluate::policy::builtin::POLICIES
        .iter()
        .chain([
            &rolelint::diagnostics::checks::FILE,
            &rolelint::evaluate::policy::builtin::RULE_TEXT,
            &rolelint::jira::words::FILE,
        ])
        .map(|(path, _)| path.to_string())
        .collect();
    embedded.sort();
    assert_eq!(files, embedded, "every file in policies/ is embedded");
}
