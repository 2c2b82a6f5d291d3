//! `--format csv`: one row per subject × scope × permission or capability, RFC 4180 (the
//! `csv` crate), for an access-review spreadsheet.
//!
//! Every cell is made inert against spreadsheet formula injection: a cell that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return (what spreadsheets read as a formula) gets a
//! leading `'`, which spreadsheets show as text. Names come from the repository, and the
//! repository is not trusted.
use super::{Item, Rows, Scope};
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

/// Write the rows to `out`, record by record (the csv writer buffers).
pub fn write(out: impl std::io::Write, rows: &Rows<'_>) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    for r in rows.iter() {
        let (scope, project, board) = match &r.scope {
            Scope::Global => ("global", "", ""),
            Scope::Project(k) => ("project", k.as_str(), ""),
            Scope::Board(b) => ("board", "", b.as_str()),
        };
        let (permission, capability) = match &r.item {
            Item::Permission(k) => (k.as_str(), ""),
            Item::Capability(c) => ("", c.as_str()),
        };
        let subject = r.subject.to_string();
        let via: Vec<String> = r.via.iter().map(ToString::to_string).collect();
        let via = via.join(" | ");
        let record = [
            subject.as_str(),
            scope,
            project,
            board,
            permission,
            capability,
            level(r.guaranteed),
            level(r.possible),
            via.as_str(),
        ];
        w.write_record(record.map(inert_cell).iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
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
