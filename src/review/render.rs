//! The review in human, json and markdown form. Order is the model's (sorted), so output
//! is deterministic. Hostile text (messages, names) is printed inert.
use super::findings::Finding;
use super::gate::Gate;
use super::license::RoleMove;
use super::Review;
use serde::Serialize;
use std::fmt::Write as _;

/// GitHub refuses comments longer than this many characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;
/// Items shown per list before "and N more".
const LIST_CAP: usize = 50;
/// Characters of one hostile value shown.
const VALUE_CAP: usize = 300;

/// What the gates decided, for the headline.
pub struct Verdict<'a> {
    pub gates: &'a [Gate],
    pub tripped: &'a [Gate],
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(r: &Review) -> String {
    let f = &r.findings;
    let mut parts = vec![
        format!(
            "{} introduced, {} fixed",
            plural(f.introduced.len(), "finding", "findings"),
            f.fixed.len()
        ),
        format!(
            "{} license class",
            plural(r.license.roles.len(), "role changes", "roles change")
        ),
    ];
    if let Some(d) = &r.license.users {
        parts.push(format!(
            "{} {}",
            plural(d.moves.len(), "user moves", "users move"),
            "class"
        ));
    }
    parts.join("; ")
}

fn verdict_line(v: &Verdict) -> String {
    let names = |g: &[Gate]| g.iter().map(|g| g.name()).collect::<Vec<_>>().join(", ");
    if v.gates.is_empty() {
        "no gate set (`--fail-on`): report only".to_string()
    } else if v.tripped.is_empty() {
        format!("passed: no gate tripped ({})", names(v.gates))
    } else {
        format!("failed: {} tripped", names(v.tripped))
    }
}

fn finding_line(f: &Finding) -> String {
    format!(
        "{}:{}: {} [{}] {}",
        crate::inert::bounded(&f.path, VALUE_CAP),
        f.line,
        f.severity,
        f.code,
        crate::inert::bounded(&f.message, VALUE_CAP)
    )
}

fn role_line(m: &RoleMove) -> String {
    let mut s = format!(
        "{} ({}): {} → {}",
        crate::inert::bounded(&m.role, VALUE_CAP),
        crate::inert::bounded(&m.file, VALUE_CAP),
        m.from.as_str(),
        m.to.as_str()
    );
    if !m.reasons.is_empty() {
        let reasons: Vec<String> = m
            .reasons
            .iter()
            .map(|r| crate::inert::bounded(r, VALUE_CAP).into_owned())
            .collect();
        let _ = write!(s, "; beyond the maximum: {}", reasons.join(", "));
    }
    s
}

const ACCESS_PENDING: &str =
    "Not computed by this build: the access model is not available yet, so gained and lost access is not shown";

/// The terminal form.
pub fn human(r: &Review, v: &Verdict) -> String {
    let mut out = format!(
        "rolelint review of {} against {}: {}\n{}\n",
        r.head.shown(),
        r.base.shown(),
        verdict_line(v),
        summary(r)
    );
    let list = |out: &mut String, title: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{title} ({}):", items.len());
        for item in &items {
            let _ = writeln!(out, "  {item}");
        }
    };
    list(
        &mut out,
        "Findings introduced",
        r.findings.introduced.iter().map(finding_line).collect(),
    );
    list(
        &mut out,
        "Findings fixed",
        r.findings.fixed.iter().map(finding_line).collect(),
    );
    list(
        &mut out,
        "Roles that change license class",
        r.license.roles.iter().map(role_line).collect(),
    );
    if let Some(d) = &r.license.users {
        let _ = writeln!(
            out,
            "\nUsers who move ({}); Full {:+}, Integrated {:+}",
            d.moves.len(),
            d.full_delta,
            d.integrated_delta
        );
        for m in &d.moves {
            let _ = writeln!(
                out,
                "  {} ({}): {} → {}",
                crate::inert::bounded(&m.email, VALUE_CAP),
                crate::inert::bounded(&m.role, VALUE_CAP),
                m.from,
                m.to
            );
        }
    }
    let _ = writeln!(out, "\nAccess: {ACCESS_PENDING}");
    out
}

#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    verdict: &'static str,
    gates: &'a [Gate],
    tripped: &'a [Gate],
    #[serde(flatten)]
    review: &'a Review,
    access: Option<()>,
}

/// The machine form (shape in docs/src/review.md); `access` is `null` until the access model lands.
pub fn json(r: &Review, v: &Verdict) -> String {
    let verdict = if v.gates.is_empty() {
        "report-only"
    } else if v.tripped.is_empty() {
        "pass"
    } else {
        "fail"
    };
    let doc = Json {
        version: 1,
        verdict,
        gates: v.gates,
        tripped: v.tripped,
        review: r,
        access: None,
    };
    // Serialising plain data to a string cannot fail; say so if it ever does.
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Text made inert for markdown: no HTML, links, emphasis or code spans from the input.
fn md(s: &str) -> String {
    let bounded = crate::inert::bounded(s, VALUE_CAP);
    let mut out = String::with_capacity(bounded.len());
    for c in bounded.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' | '@' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A folded list: `<details>` with a summary, at most `cap` items, then "and N more".
fn folded(out: &mut String, summary: &str, items: &[String], cap: usize) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "<details><summary>{summary}</summary>\n\n");
    for item in items.iter().take(cap) {
        let _ = writeln!(out, "- {item}");
    }
    if items.len() > cap {
        let _ = writeln!(out, "- … and {} more", items.len() - cap);
    }
    out.push_str("\n</details>\n\n");
}

fn md_finding(f: &Finding) -> String {
    format!(
        "**{}** {} {}:{}: {}",
        f.code,
        f.severity,
        md(&f.path),
        f.line,
        md(&f.message)
    )
}

fn md_role(m: &RoleMove) -> String {
    let mut s = format!(
        "{} \\({}\\): {} → **{}**",
        md(&m.role),
        md(&m.file),
        m.from.as_str(),
        m.to.as_str()
    );
    if !m.reasons.is_empty() {
        let reasons: Vec<String> = m.reasons.iter().map(|r| md(r)).collect();
        let _ = write!(s, "; beyond the maximum: {}", reasons.join(", "));
    }
    s
}

/// The pull-request comment: the verdict first, one section per part with its counts, the
/// details folded. Lists are capped so the comment stays under GitHub's limit; when even
/// that is too long the caps shrink and the comment says so.
pub fn markdown(r: &Review, v: &Verdict) -> String {
    let mut cap = LIST_CAP;
    loop {
        let text = markdown_capped(r, v, cap, cap < LIST_CAP);
        if text.chars().count() < GITHUB_COMMENT_LIMIT || cap == 1 {
            return text;
        }
        cap /= 2;
    }
}

fn markdown_capped(r: &Review, v: &Verdict, cap: usize, shortened: bool) -> String {
    let mark = if v.tripped.is_empty() { "✅" } else { "❌" };
    let mut out = format!(
        "## {mark} rolelint review: {}\n\n{}.\n\nComparing {} with {}.\n\n",
        md(&verdict_line(v)),
        md(&summary(r)),
        md(&r.head.shown()),
        md(&r.base.shown())
    );
    if shortened {
        let _ = write!(
            out,
            "> Lists are cut to {cap} items to stay under GitHub's {GITHUB_COMMENT_LIMIT}-character comment limit; `rolelint review --format json` has everything.\n\n"
        );
    }
    let f = &r.findings;
    let _ = write!(
        out,
        "### Findings: {} introduced, {} fixed\n\n",
        f.introduced.len(),
        f.fixed.len()
    );
    if f.is_empty() {
        out.push_str("No finding introduced or fixed.\n\n");
    }
    let items: Vec<String> = f.introduced.iter().map(md_finding).collect();
    folded(
        &mut out,
        &format!("{} introduced", items.len()),
        &items,
        cap,
    );
    let items: Vec<String> = f.fixed.iter().map(md_finding).collect();
    folded(&mut out, &format!("{} fixed", items.len()), &items, cap);

    let l = &r.license;
    let _ = write!(
        out,
        "### License: {}\n\n",
        plural(l.roles.len(), "role changes class", "roles change class")
    );
    if l.roles.is_empty() {
        out.push_str("No Jira Align role changes license class.\n\n");
    }
    let items: Vec<String> = l.roles.iter().map(md_role).collect();
    folded(&mut out, &plural(items.len(), "role", "roles"), &items, cap);
    if let Some(d) = &l.users {
        let _ = write!(
            out,
            "Users who move: {}; Full licenses {:+}, Integrated {:+}.\n\n",
            d.moves.len(),
            d.full_delta,
            d.integrated_delta
        );
        let items: Vec<String> = d
            .moves
            .iter()
            .map(|m| format!("{} ({}): {} → {}", md(&m.email), md(&m.role), m.from, m.to))
            .collect();
        folded(&mut out, &plural(items.len(), "user", "users"), &items, cap);
    }
    let _ = write!(out, "### Access\n\n{}.\n", md(ACCESS_PENDING));
    out
}
