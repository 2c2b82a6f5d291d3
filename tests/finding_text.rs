//! Guard tests: every word of a finding comes from a policy or text file, never from a Rust
//! literal. Built-in checks make their findings with the typed constructors `build.rs`
//! generates from `policies/checks.toml` (one struct per template, its fields exactly the
//! template's placeholders, so the compiler proves each placeholder filled); rules fill
//! their policy entry's templates. These tests keep the rest of the code from adding text
//! beside them, and the file from keeping text no code uses.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[path = "../build/texts.rs"]
#[allow(dead_code)]
mod texts;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of `src/` a finding may be built in: each file up to its `#[cfg(test)]` module,
/// test files and the fuzz glue left out, with whitespace squeezed so a call reads the same
/// however it is wrapped.
fn product_code() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let test_file = name == "tests.rs" || name.ends_with("_tests.rs");
            !test_file && !p.components().any(|c| c.as_os_str() == "fuzzing")
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("source is UTF-8");
            let code = product_part(&text).to_string();
            let squeezed: String = code
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace("( ", "(");
            let shown = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
            (shown, squeezed)
        })
        .collect()
}

/// A source file's text before its test code: the first `#[cfg(test)]` that is not a
/// `mod x;` declaration (whose file is scanned on its own) ends the product code.
fn product_part(text: &str) -> &str {
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]") {
        let start = from + at;
        let rest = text[start + "#[cfg(test)]".len()..].trim_start();
        let declaration = rest.lines().next().is_some_and(|l| {
            let l = l.trim_end();
            (l.starts_with("mod ") || l.starts_with("pub mod ")) && l.ends_with(';')
        });
        if !declaration {
            return &text[..start];
        }
        from = start + 1;
    }
    text
}

/// The calls that put words into a finding, and what their text argument may not be.
const TEXT_CALLS: &[&str] = &[".with_label(", ".with_help(", ".with_note("];
const LITERALS: &[&str] = &["\"", "format!(", "String::from(\"", "r#\"", "r\""];

#[test]
fn no_finding_text_is_a_rust_literal() {
    let mut found = Vec::new();
    for (file, code) in product_code() {
        // Only the generated constructors and the rule metadata make a finding from scratch.
        let makes_findings = file.starts_with("src/diagnostics/");
        if !makes_findings && code.contains("Diagnostic::new(") {
            found.push(format!(
                "{file}: `Diagnostic::new(` outside src/diagnostics/"
            ));
        }
        for call in TEXT_CALLS {
            for (at, _) in code.match_indices(call) {
                let arg = &code[at + call.len()..];
                if LITERALS.iter().any(|l| arg.starts_with(l)) {
                    let shown: String = code[at..].chars().take(70).collect();
                    found.push(format!("{file}: {shown}"));
                }
            }
        }
        // A secondary label's text is its second argument.
        for (at, _) in code.match_indices(".with_secondary(") {
            let args: String = code[at..].chars().take(300).collect();
            let second = second_argument(&args["with_secondary(".len() + 1..]);
            if LITERALS.iter().any(|l| second.starts_with(l)) {
                found.push(format!("{file}: {}", &args[..args.len().min(90)]));
            }
        }
    }
    assert!(
        found.is_empty(),
        "finding text written in Rust (put it in policies/checks.toml, a rule's policy entry \
         or policies/rule-types.toml):\n{}",
        found.join("\n")
    );
}

/// The text of the second argument of a call whose arguments start `args`.
fn second_argument(args: &str) -> &str {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut prev = ' ';
    for (i, c) in args.char_indices() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => return args[i + 1..].trim_start(),
            _ => {}
        }
        if depth < 0 {
            break;
        }
        prev = c;
    }
    ""
}

/// Every template id of `file` (under `policies/`) as its generated type's name.
fn text_types(file: &str) -> Vec<String> {
    let path = format!("policies/{file}");
    let text = std::fs::read_to_string(root().join(&path)).expect("text file");
    let generated = texts::generate(&path, &text);
    generated
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct "))
        .map(|l| {
            l.split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
fn every_check_text_is_used_and_every_check_has_some() {
    let code: String = product_code()
        .into_iter()
        .filter(|(file, _)| file != "src/diagnostics/says.rs")
        .map(|(_, c)| c)
        .collect();
    let types = text_types("checks.toml");
    assert!(types.len() > 50, "{types:?}");
    let unused: Vec<&String> = types
        .iter()
        .filter(|t| {
            ["says::{t} ", "says::{t}.", "says::{t}::"]
                .iter()
                .all(|form| !code.contains(&form.replace("{t}", t)))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "texts of policies/checks.toml no code uses: {unused:?}"
    );
    let table: toml::Table = std::fs::read_to_string(root().join("policies/checks.toml"))
        .expect("checks.toml")
        .parse()
        .expect("checks.toml parses");
    let silent: BTreeSet<&str> = table["check"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c.get("finding").is_none())
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert!(silent.is_empty(), "checks with no finding text: {silent:?}");
}

#[test]
fn a_template_s_placeholders_are_what_fill_replaces() {
    let template = "`{role}` has {count} {{literal}} { spaced } {not_a-name} {";
    assert_eq!(texts::placeholders(template), ["role", "count"]);
    let filled = rolelint::diagnostics::fill(template, &[("role", "R"), ("count", "2")]);
    assert_eq!(filled, "`R` has 2 {literal} { spaced } {not_a-name} {");
}

#[test]
fn every_derivation_phrase_is_used() {
    let code: String = product_code()
        .into_iter()
        .filter(|(file, _)| file != "src/jira/words.rs")
        .map(|(_, c)| c)
        .collect();
    let types = text_types("derivations.toml");
    assert!(types.len() > 30, "{types:?}");
    let unused: Vec<&String> = types
        .iter()
        .filter(|t| {
            ["w::{t} ", "w::{t}.", "w::{t}::"]
                .iter()
                .all(|form| !code.contains(&form.replace("{t}", t)))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "phrases of policies/derivations.toml no code uses: {unused:?}"
    );
}
