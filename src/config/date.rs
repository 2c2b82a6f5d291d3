//! Dates as rolelint reads them (`expires` of an exception or a suppression comment).

/// `YYYY-MM-DD` with a real month and day. The shape is checked first because jiff's parser
/// also accepts other ISO 8601 spellings (`20240229`, `+002024-02-29`) the format does not.
pub fn is_date(s: &str) -> bool {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    shaped && s.parse::<jiff::civil::Date>().is_ok()
}
