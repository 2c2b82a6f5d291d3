//! Inline suppression comments: `# rolelint: allow(AL101, AL110) reason="..." expires="2027-03-31"`.
//!
//! Comments are found with a small TOML-aware line scanner (so a `#` inside a string is not a
//! comment) and the directive after `rolelint:` is parsed by hand: it is a tiny grammar of
//! its own, not TOML.
use crate::config::date::is_date;
use crate::diagnostics::says;
use crate::diagnostics::text::Text;
use std::ops::Range;

/// A well-formed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    /// 0-based line of the comment.
    pub line: usize,
    /// 0-based line whose findings it covers: its own line for a comment at the end of a
    /// line, the next line that is not a comment for a comment on a line of its own.
    pub covers: usize,
    /// The whole comment, from `#` to the end of the line.
    pub span: Range<usize>,
    /// Rule codes or names with their spans.
    pub codes: Vec<(String, Range<usize>)>,
    pub reason: Option<String>,
    /// `YYYY-MM-DD` and its span.
    pub expires: Option<(String, Range<usize>)>,
}

/// A comment that starts with `rolelint:` but cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub span: Range<usize>,
    pub message: String,
}

/// Every `# rolelint:` comment of a TOML text.
pub fn scan(text: &str) -> Vec<Result<Pragma, Malformed>> {
    let mut out: Vec<Result<Pragma, Malformed>> = Vec::new();
    // Own-line pragmas waiting for the next line that is not a comment.
    let mut pending: Vec<usize> = Vec::new();
    let mut in_multiline: Option<&'static str> = None;
    let mut offset = 0;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let in_string = in_multiline.is_some();
        let comment = comment_start(body, &mut in_multiline);
        let own_line = !in_string && comment.is_some_and(|at| body[..at].trim().is_empty());
        if !own_line {
            for i in pending.drain(..) {
                if let Ok(p) = &mut out[i] {
                    p.covers = line_no;
                }
            }
        }
        if let Some(start) = comment {
            let comment = &body[start + 1..];
            let trimmed = comment.trim_start();
            if let Some(rest) = trimmed.strip_prefix("rolelint:") {
                let rest_at = offset + body.len() - rest.len();
                let span = offset + start..offset + body.len();
                if own_line {
                    pending.push(out.len());
                }
                out.push(parse_directive(rest, rest_at, line_no, span));
            }
        }
        offset += line.len();
    }
    // Nothing follows but comments: the pragma covers no line.
    for i in pending {
        if let Ok(p) = &mut out[i] {
            p.covers = usize::MAX;
        }
    }
    out
}

/// Byte index of the `#` that starts a comment on this line, tracking multi-line strings.
fn comment_start(line: &str, in_multiline: &mut Option<&'static str>) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(delim) = *in_multiline {
            match line[i..].find(delim) {
                Some(end) => {
                    i += end + 3;
                    *in_multiline = None;
                    continue;
                }
                None => return None,
            }
        }
        match b[i] {
            b'#' => return Some(i),
            q @ (b'"' | b'\'') => {
                let triple = if q == b'"' { "\"\"\"" } else { "'''" };
                if line[i..].starts_with(triple) {
                    *in_multiline = Some(triple);
                    i += 3;
                    continue;
                }
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

fn parse_directive(
    rest: &str,
    rest_at: usize,
    line: usize,
    span: Range<usize>,
) -> Result<Pragma, Malformed> {
    let bad = |message: Text| Malformed {
        span: span.clone(),
        message: message.into(),
    };
    let mut p = Cursor { s: rest, at: 0 };
    p.skip_ws();
    if !p.eat("allow(") {
        return Err(bad(says::PragmaNoAllow.text()));
    }
    let close = p
        .rest()
        .find(')')
        .ok_or_else(|| bad(says::PragmaNoClose.text()))?;
    let mut codes = Vec::new();
    let mut pos = p.at;
    for part in p.rest()[..close].split(',') {
        let lead = part.len() - part.trim_start().len();
        let code = part.trim();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(bad(says::PragmaBadCodes.text()));
        }
        let start = rest_at + pos + lead;
        codes.push((code.to_string(), start..start + code.len()));
        pos += part.len() + 1;
    }
    p.at += close + 1;
    let (mut reason, mut expires) = (None, None);
    loop {
        p.skip_ws();
        if p.rest().is_empty() {
            break;
        }
        let key_len = p
            .rest()
            .find('=')
            .ok_or_else(|| bad(says::PragmaNoEquals.text()))?;
        let key = p.rest()[..key_len].trim().to_string();
        p.at += key_len + 1;
        p.skip_ws();
        let value_at = rest_at + p.at;
        let value = p
            .string()
            .ok_or_else(|| bad(says::PragmaNotQuoted { key: &key }.text()))?;
        let value_span = value_at..rest_at + p.at;
        match key.as_str() {
            "reason" if reason.is_none() => reason = Some(value),
            "expires" if expires.is_none() => {
                if !is_date(&value) {
                    return Err(bad(says::PragmaBadDate.text()));
                }
                expires = Some((value, value_span));
            }
            "reason" | "expires" => return Err(bad(says::PragmaTwice { key: &key }.text())),
            field => {
                let hint = crate::diagnostics::suggest::did_you_mean(field, ["reason", "expires"]);
                return Err(bad(match hint {
                    Some(suggestion) => says::PragmaUnknownFieldHint { field, suggestion }.text(),
                    None => says::PragmaUnknownField { field }.text(),
                }));
            }
        }
    }
    Ok(Pragma {
        line,
        covers: line,
        span,
        codes,
        reason: reason.filter(|r| !r.trim().is_empty()),
        expires,
    })
}

struct Cursor<'a> {
    s: &'a str,
    at: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }
    fn skip_ws(&mut self) {
        let r = self.rest();
        self.at += r.len() - r.trim_start().len();
    }
    fn eat(&mut self, lit: &str) -> bool {
        let ok = self.rest().starts_with(lit);
        if ok {
            self.at += lit.len();
        }
        ok
    }
    /// A double-quoted string with `\"` and `\\` escapes.
    fn string(&mut self) -> Option<String> {
        if !self.eat("\"") {
            return None;
        }
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Some(out);
                }
                '\\' => out.push(chars.next()?.1),
                c => out.push(c),
            }
        }
        None
    }
}

/// Today's date in UTC as `YYYY-MM-DD`: `ROLELINT_TODAY` when it is a valid date (tests,
/// reproducible CI runs), otherwise the system clock. UTC by a fixed offset: no time-zone
/// database is read.
pub fn today() -> String {
    if let Ok(t) = std::env::var("ROLELINT_TODAY") {
        if is_date(&t) {
            return t;
        }
    }
    utc_date(jiff::Timestamp::now()).to_string()
}

/// The civil date in UTC of an instant.
fn utc_date(at: jiff::Timestamp) -> jiff::civil::Date {
    jiff::tz::Offset::UTC.to_datetime(at).date()
}

#[cfg(test)]
#[path = "pragma_tests.rs"]
mod tests;
