//! Reading the Jira Align People export (Settings > People > More Actions > Export, CSV).
//!
//! No public source shows the export's full header row, so columns are found by header
//! name: case-insensitively, ignoring surrounding whitespace, trying each configured
//! candidate in order ([`ColumnNames`]). Anything wrong with a single row is a
//! [`RowProblem`]; only a file that cannot be read at all is a [`PeopleError`].
//!
//! Row numbers are the line on which a record *starts* (the header is normally line 1),
//! so a quoted field with an embedded newline does not shift the numbers of later rows.

use std::fmt;

use serde::Serialize;

/// Header names (candidates, first match wins) and the values of the active column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnNames {
    /// Candidates for the email column.
    pub email: Vec<String>,
    /// Candidates for the system role column.
    pub role: Vec<String>,
    /// Candidates for the active column. Empty means "the export has no such column":
    /// every row is then treated as active.
    pub active: Vec<String>,
    /// Values of the active column meaning the user is active (case-insensitive).
    pub active_values: Vec<String>,
    /// Values of the active column meaning the user is deactivated (case-insensitive).
    pub inactive_values: Vec<String>,
}

impl Default for ColumnNames {
    fn default() -> Self {
        fn owned(names: &[&str]) -> Vec<String> {
            names.iter().map(|s| (*s).to_string()).collect()
        }
        ColumnNames {
            email: owned(&["Email", "Email Address"]),
            role: owned(&["System Role", "Role"]),
            active: owned(&["Active User", "Status"]),
            active_values: owned(&["Active"]),
            inactive_values: owned(&["Deactivated", "Inactive"]),
        }
    }
}

/// One user row of the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    /// 1-based line on which the record starts (the header is line 1).
    pub row: usize,
    /// Email, surrounding whitespace removed, case kept (compare case-insensitively).
    pub email: String,
    /// System role name as written, surrounding whitespace removed.
    pub role: String,
    /// False only for a recognised inactive value.
    pub active: bool,
}

/// A problem with one row; reading goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// 1-based line on which the record starts.
    pub row: usize,
    /// Lowercase, no final period, identifiers in backticks.
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The people read from an export, in file order, and the problems met on the way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PeopleExport {
    pub people: Vec<Person>,
    pub problems: Vec<RowProblem>,
}

/// The export cannot be used at all (the command exits with code 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeopleError {
    /// None of the candidate headers for a needed column is present.
    #[error("{}", missing_column_message(wanted, tried, found))]
    MissingColumn {
        /// `email`, `role` or `active`.
        wanted: &'static str,
        /// The configured candidates.
        tried: Vec<String>,
        /// The headers of the export, trimmed.
        found: Vec<String>,
    },
    /// The CSV reader failed.
    #[error("{}", csv_message(message, *row))]
    Csv { message: String, row: Option<usize> },
    /// A field holds bytes that are not UTF-8.
    #[error("{}", utf8_message(*row, column.as_deref()))]
    NotUtf8 {
        row: usize,
        /// Header of the offending field, when it has one.
        column: Option<String>,
    },
    /// A quoted field opens and never closes: everything after it would be one field.
    #[error("people export row {row} opens a quoted field that is never closed: read the {read} user row{} before it, not the rest of the file; fix the quoting and export it again", if *read == 1 { "" } else { "s" })]
    UnclosedQuote {
        /// Line on which the quote opened.
        row: usize,
        /// User rows before the record holding it.
        read: usize,
    },
    /// No header row (the file is empty or blank).
    #[error("people export is empty: expected a header row naming the email, system role and active columns")]
    Empty,
}

fn backticked_list(names: &[String], joiner: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {joiner} {last}", rest.join(", ")),
    }
}

/// At most this many headers are quoted in an error, each cut to [`HEADER_CHARS`].
const HEADERS_SHOWN: usize = 20;
const HEADER_CHARS: usize = 60;

fn missing_column_message(wanted: &str, tried: &[String], found: &[String]) -> String {
    let named: Vec<&String> = found.iter().filter(|h| !h.is_empty()).collect();
    let found_text = if named.is_empty() {
        "no named columns".to_string()
    } else {
        let mut shown: Vec<String> = named
            .iter()
            .take(HEADERS_SHOWN)
            .map(|n| format!("`{}`", crate::inert::bounded(n, HEADER_CHARS)))
            .collect();
        if named.len() > HEADERS_SHOWN {
            shown.push(format!("and {} more", named.len() - HEADERS_SHOWN));
        }
        shown.join(", ")
    };
    if tried.is_empty() {
        format!("no header name is configured for the {wanted} column of the people export (found: {found_text})")
    } else {
        format!(
            "people export has no {} column (found: {found_text})",
            backticked_list(tried, "or")
        )
    }
}

fn csv_message(message: &str, row: Option<usize>) -> String {
    match row {
        Some(row) => format!("could not read the people export at row {row}: {message}"),
        None => format!("could not read the people export: {message}"),
    }
}

fn utf8_message(row: usize, column: Option<&str>) -> String {
    match column {
        Some(c) if !c.is_empty() => format!(
            "people export row {row} is not valid UTF-8 (column `{}`): export it again or save it as CSV UTF-8",
            crate::inert::bounded(c, HEADER_CHARS)
        ),
        _ => format!(
            "people export row {row} is not valid UTF-8: export it again or save it as CSV UTF-8"
        ),
    }
}

/// Normalises a header or value for comparison: trimmed, lowercase.
fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

fn find_column(headers: &[String], candidates: &[String]) -> Option<usize> {
    candidates.iter().find_map(|candidate| {
        let want = fold(candidate);
        headers.iter().position(|h| fold(h) == want)
    })
}

/// Line numbers from byte offsets. `csv::Position::line` cannot be used as is: after a
/// CRLF record terminator the reader stops at the `\r`, so the next record's position is
/// still on the previous line. Record starts only move forward, so one scan is enough.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    prev: u8,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            pos: 0,
            line: 1,
            prev: 0,
        }
    }

    fn step(&mut self, b: u8) {
        if b == b'\r' || (b == b'\n' && self.prev != b'\r') {
            self.line += 1;
        }
        self.prev = b;
        self.pos += 1;
    }

    /// The line of the first byte at or after `offset` that is not a line terminator.
    fn line_of(&mut self, offset: usize) -> usize {
        while self.pos < offset {
            match self.bytes.get(self.pos) {
                Some(&b) => self.step(b),
                None => break,
            }
        }
        while let Some(&b) = self.bytes.get(self.pos) {
            if b != b'\r' && b != b'\n' {
                break;
            }
            self.step(b);
        }
        self.line
    }
}

fn record_line(record: &csv::ByteRecord, lines: &mut LineCounter<'_>, fallback: usize) -> usize {
    record
        .position()
        .and_then(|p| usize::try_from(p.byte()).ok())
        .map_or(fallback, |byte| lines.line_of(byte))
}

/// Decodes every field of a record, or says which one is not UTF-8.
fn decode(
    record: &csv::ByteRecord,
    row: usize,
    headers: Option<&[String]>,
) -> Result<Vec<String>, PeopleError> {
    record
        .iter()
        .enumerate()
        .map(|(i, field)| match std::str::from_utf8(field) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(PeopleError::NotUtf8 {
                row,
                column: headers.and_then(|h| h.get(i)).map(|h| h.trim().to_string()),
            }),
        })
        .collect()
}

fn is_blank(fields: &[String]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

struct Columns {
    email: usize,
    role: usize,
    active: Option<usize>,
}

fn locate_columns(headers: &[String], names: &ColumnNames) -> Result<Columns, PeopleError> {
    let found: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let missing = |wanted: &'static str, tried: &[String]| PeopleError::MissingColumn {
        wanted,
        tried: tried.to_vec(),
        found: found.clone(),
    };
    let email = find_column(headers, &names.email).ok_or_else(|| missing("email", &names.email))?;
    let role = find_column(headers, &names.role).ok_or_else(|| missing("role", &names.role))?;
    let active = if names.active.is_empty() {
        None
    } else {
        Some(find_column(headers, &names.active).ok_or_else(|| missing("active", &names.active))?)
    };
    Ok(Columns {
        email,
        role,
        active,
    })
}

/// Reads a People export.
///
/// Fatal: no header row, a needed column missing, bytes that are not UTF-8. Everything
/// else is a [`RowProblem`]: a row with the wrong number of fields (still used when it has
/// the needed fields, skipped otherwise), an empty email (skipped), an unknown active value
/// (the user is treated as active, so they are counted). Rows whose fields are all blank
/// (as spreadsheets leave at the end) are ignored. A header-only file gives no people.
pub fn read_people(bytes: &[u8], columns: &ColumnNames) -> Result<PeopleExport, PeopleError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The CSV reader would take everything after a quote that never closes as one field:
    // every later user silently uncounted. Fail closed, saying where it opened.
    if let Some((record, quote)) = unclosed_quote(bytes) {
        let read = match read_records(&bytes[..record], columns) {
            Ok(before) => before.people.len(),
            Err(PeopleError::Empty) => 0, // the header row itself never closes its quote
            Err(e) => return Err(e),
        };
        let row = LineCounter::new(bytes).line_of(quote);
        return Err(PeopleError::UnclosedQuote { row, read });
    }
    read_records(bytes, columns)
}

/// Where a quoted field that never closes starts: (offset of its record, offset of the
/// quote). Quotes are read as the CSV reader reads them: a quote opens a field only at
/// its start; inside, `""` is a quote and a lone `"` closes it.
fn unclosed_quote(bytes: &[u8]) -> Option<(usize, usize)> {
    let (mut i, mut record, mut field_start) = (0, 0, true);
    while i < bytes.len() {
        match bytes[i] {
            b'"' if field_start => {
                // Jump from quote to quote until one closes the field.
                let open = i;
                let mut j = i + 1;
                loop {
                    let Some(k) = memchr::memchr(b'"', &bytes[j..]) else {
                        return Some((record, open));
                    };
                    if bytes.get(j + k + 1) == Some(&b'"') {
                        j += k + 2;
                    } else {
                        i = j + k + 1;
                        break;
                    }
                }
                field_start = false;
                continue;
            }
            b',' => field_start = true,
            b'\n' | b'\r' => {
                field_start = true;
                record = i + 1;
            }
            _ => field_start = false,
        }
        i += 1;
    }
    None
}

fn read_records(bytes: &[u8], columns: &ColumnNames) -> Result<PeopleExport, PeopleError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);

    let mut headers: Option<Vec<String>> = None;
    let mut located: Option<Columns> = None;
    let mut export = PeopleExport::default();
    let mut record = csv::ByteRecord::new();
    let mut ordinal = 0usize;
    let mut lines = LineCounter::new(bytes);

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                let row = err.position().and_then(|p| usize::try_from(p.line()).ok());
                return Err(PeopleError::Csv {
                    message: err.to_string(),
                    row,
                });
            }
        }
        ordinal += 1;
        let row = record_line(&record, &mut lines, ordinal);
        let fields = decode(&record, row, headers.as_deref())?;
        if is_blank(&fields) {
            continue;
        }
        let (Some(header), Some(cols)) = (headers.as_deref(), located.as_ref()) else {
            located = Some(locate_columns(&fields, columns)?);
            headers = Some(fields);
            continue;
        };
        if let Some(person) = read_row(&fields, row, header, cols, columns, &mut export.problems) {
            export.people.push(person);
        }
    }

    if headers.is_none() {
        return Err(PeopleError::Empty);
    }
    Ok(export)
}

fn read_row(
    fields: &[String],
    row: usize,
    header: &[String],
    cols: &Columns,
    names: &ColumnNames,
    problems: &mut Vec<RowProblem>,
) -> Option<Person> {
    let name_of = |i: usize| header.get(i).map(|h| h.trim()).unwrap_or_default();
    let mut problem = |message: String| problems.push(RowProblem { row, message });

    if fields.len() != header.len() {
        let needed = [Some(cols.email), Some(cols.role), cols.active];
        let absent: Vec<String> = needed
            .iter()
            .flatten()
            .filter(|&&i| i >= fields.len())
            .map(|&i| name_of(i).to_string())
            .collect();
        let what = if absent.is_empty() {
            "read it anyway, check its values".to_string()
        } else {
            format!(
                "skipped it because it has no {} field",
                backticked_list(&absent, "or")
            )
        };
        problem(format!(
            "row {row} has {} field{}, the header has {}; {what}",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" },
            header.len()
        ));
        if !absent.is_empty() {
            return None;
        }
    }

    let get = |i: usize| fields.get(i).map(|f| f.trim()).unwrap_or_default();
    let email = get(cols.email);
    if email.is_empty() {
        problem(format!(
            "row {row} has an empty `{}` field; skipped it",
            name_of(cols.email)
        ));
        return None;
    }
    if !email.contains('@') {
        problem(format!(
            "row {row} has `{}` value `{email}`, which is not an email address; counted it anyway",
            name_of(cols.email)
        ));
    }

    let active = match cols.active {
        None => true,
        Some(i) => {
            let value = fold(get(i));
            if names.inactive_values.iter().any(|v| fold(v) == value) {
                false
            } else if names.active_values.iter().any(|v| fold(v) == value) {
                true
            } else {
                let shown = if value.is_empty() {
                    "an empty".to_string()
                } else {
                    format!("the value `{}` in its", get(i))
                };
                problem(format!(
                    "row {row} has {shown} `{}` field, which is neither active ({}) nor inactive ({}); counted the user as active",
                    name_of(i),
                    backticked_list(&names.active_values, "or"),
                    backticked_list(&names.inactive_values, "or"),
                ));
                true
            }
        }
    };

    let role = get(cols.role);
    if role.is_empty() && active {
        problem(format!(
            "row {row} has an empty `{}` field; the user is counted as Full",
            name_of(cols.role)
        ));
    }

    Some(Person {
        row,
        email: email.to_string(),
        role: role.to_string(),
        active,
    })
}

#[cfg(test)]
mod tests {
    //! What the fixture files (`tests/fixtures/license/people-exports/*.csv`, run by
    //! `tests/people_exports.rs`) cannot hold: the quote scanner alone, configured column
    //! names, and exports built to a size. Arbitrary bytes are the `people_csv` fuzz
    //! target's job (its stored inputs replay in `tests/fuzz_regressions.rs`).
    use super::*;

    fn read(bytes: &[u8]) -> PeopleExport {
        match read_people(bytes, &ColumnNames::default()) {
            Ok(export) => export,
            Err(err) => panic!("unexpected error: {err}"),
        }
    }

    fn read_err(bytes: &[u8]) -> PeopleError {
        match read_people(bytes, &ColumnNames::default()) {
            Ok(export) => panic!("expected an error, got {export:?}"),
            Err(err) => err,
        }
    }

    fn person(row: usize, email: &str, role: &str, active: bool) -> Person {
        Person {
            row,
            email: email.into(),
            role: role.into(),
            active,
        }
    }

    #[test]
    fn unclosed_quotes_are_found_as_the_csv_reader_reads_quotes() {
        assert_eq!(unclosed_quote(b"a,b\n\"x,y\"\n"), None);
        assert_eq!(unclosed_quote(b"a,\"say \"\"hi\"\"\"\r\nb,c\n"), None);
        // A quote inside an unquoted field is an ordinary character.
        assert_eq!(unclosed_quote(b"a,b\"c\nd,e\n"), None);
        assert_eq!(
            unclosed_quote(b"h\r\nok\r\n\"open,x\r\ny\r\n"),
            Some((7, 7))
        );
        assert_eq!(unclosed_quote(b"h\nx,\"\"\"\n"), Some((2, 4)));
        match read_people(
            b"Email,Role,Status\na@x.com,R,Active\nb@x.com,\"R,Active\nc@x.com,R,Active\n",
            &ColumnNames::default(),
        ) {
            Err(PeopleError::UnclosedQuote { row: 3, read: 1 }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_column_error_quotes_headers_bounded() {
        let header = format!("{},Role\n", "h".repeat(10_000));
        let many: String = (0..100).map(|i| format!("c{i},")).collect();
        for text in [header, format!("{many}\n")] {
            let message = read_err(text.as_bytes()).to_string();
            assert!(message.len() < 2_000, "{} bytes", message.len());
        }
    }

    #[test]
    fn three_candidates_read_naturally() {
        let names = ColumnNames {
            email: vec!["E-mail".into(), "Mail".into(), "Login".into()],
            ..ColumnNames::default()
        };
        let err = read_people(b"Name\nx\n", &names).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("people export has no `E-mail`, `Mail` or `Login` column (found: `Name`)")
        );
    }

    #[test]
    fn custom_column_names_and_values() {
        let names = ColumnNames {
            email: vec!["Mail".into()],
            role: vec!["Rolle".into()],
            active: vec!["Aktiv".into()],
            active_values: vec!["Ja".into()],
            inactive_values: vec!["Nein".into()],
        };
        let export = read_people(b"Mail,Rolle,Aktiv\na@x.com,R,ja\nb@x.com,R,NEIN\n", &names);
        assert_eq!(
            export.map(|e| e.people),
            Ok(vec![
                person(2, "a@x.com", "R", true),
                person(3, "b@x.com", "R", false)
            ])
        );
    }

    #[test]
    fn no_active_column_configured_means_everyone_active() {
        let names = ColumnNames {
            active: vec![],
            ..ColumnNames::default()
        };
        let export = read_people(b"Email,System Role\na@x.com,R\n", &names);
        assert_eq!(
            export.map(|e| e.people),
            Ok(vec![person(2, "a@x.com", "R", true)])
        );
    }

    #[test]
    fn fixture_export() {
        let export = read(include_bytes!("../../tests/fixtures/license/people.csv"));
        assert_eq!(export.people.len(), 13);
        assert_eq!(export.problems.len(), 1, "{:?}", export.problems);
        assert_eq!(export.problems[0].row, 15);
    }
}
