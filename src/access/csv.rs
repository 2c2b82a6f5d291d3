//! `--format csv`: one row per subject × scope × permission or capability, RFC 4180 (the
//! `csv` crate), for an access-review spreadsheet.
//!
//! Every cell is made inert against spreadsheet formula injection: a cell that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return (what spreadsheets read as a formula) gets a
//! leading `'`, which spreadsheets show as text. Names come from the repository, and the
//! repository is not trusted.
use super::{Item, Row, Scope};
use crate::jira::subject::Level;

pub const HEADER: [&str; 9] = [
    "subject",
    "scope",
    "project",
    "board",
    "permission",
    "capability",
    "level",
    "possible",
    "via",
];

pub fn render(rows: &[Row<'_>]) -> String {
    let mut buf = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(HEADER);
        for r in rows {
            let (scope, project, board) = match &r.scope {
                Scope::Global => ("global", "", ""),
                Scope::Project(k) => ("project", k.as_str(), ""),
                Scope::Board(b) => ("board", "", b.as_str()),
            };
            let (permission, capability) = match &r.item {
                Item::Permission(k) => (k.as_str(), ""),
                Item::Capability(c) => ("", c.as_str()),
            };
            let via: Vec<String> = r.via.iter().map(ToString::to_string).collect();
            let record = [
                r.subject.to_string(),
                scope.to_string(),
                project.to_string(),
                board.to_string(),
                permission.to_string(),
                capability.to_string(),
                level(r.guaranteed).to_string(),
                level(r.possible).to_string(),
                via.join(" | "),
            ];
            let _ = w.write_record(record.iter().map(|c| inert_cell(c).into_owned()));
        }
        let _ = w.flush();
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// The level as the JSON spells it.
fn level(l: Level) -> &'static str {
    match l {
        Level::Never => "never",
        Level::Sometimes => "sometimes",
        Level::Always => "always",
    }
}

/// `cell` as a spreadsheet shows it as text, never as a formula.
pub fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::inert_cell;

    #[test]
    fn formula_cells_are_made_inert() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(inert_cell("group:devs"), "group:devs");
        assert_eq!(inert_cell(""), "");
    }
}
