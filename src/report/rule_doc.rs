//! A rule's full documentation as plain text: `rolelint explain`, and the help of a rule in
//! SARIF.
use super::shown::text;
use crate::diagnostics::rule_meta::RuleMeta;

/// The full documentation of one rule as plain text (Markdown-friendly).
/// Policies may come from the repository: every field is shown inert, an example line by
/// line ([`crate::report::shown::text`]).
pub fn render(d: &RuleMeta) -> String {
    let mut s = format!(
        "{} {} ({}, {})\n\n{}\n",
        text(&d.code),
        text(&d.name),
        text(d.severity.as_str()),
        text(&d.rule_type),
        text(&capitalize(&d.summary))
    );
    if !d.message.is_empty() {
        s.push_str(&format!("\nMessage: {}\n", text(&d.message)));
    }
    s.push_str(&format!("Help: {}\n", text(&d.help)));
    if let Some(file) = &d.policy_file {
        s.push_str(&format!("Defined in: {} (this repository)\n", text(file)));
    }
    if let Some(src) = &d.source {
        s.push_str(&format!("Source: {}", text(&src.title)));
        if let Some(url) = &src.url {
            s.push_str(&format!(" <{}>", text(url)));
        }
        s.push('\n');
    }
    if !d.suppressible {
        s.push_str("This rule cannot be suppressed.\n");
    }
    for (title, examples) in [("fails", &d.example_fail), ("passes", &d.example_pass)] {
        for (i, e) in examples.iter().enumerate() {
            let n = if examples.len() > 1 {
                format!(" (document {})", i + 1)
            } else {
                String::new()
            };
            let example: Vec<_> = e.trim_end().lines().map(text).collect();
            s.push_str(&format!(
                "\nExample that {title}{n}:\n\n```toml\n{}\n```\n",
                example.join("\n")
            ));
        }
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
