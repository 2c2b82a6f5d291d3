//! JQL tokens, as Atlassian's JQL lexer (`Jql.g`, ANTLR 3) defines them.
//!
//! - Whitespace is space, tab, CR and LF only.
//! - `AND` is also spelt `&` or `&&`, `OR` also `|` or `||`; `!` alone is NOT.
//! - An unquoted string runs until whitespace, a quote, an operator character
//!   (`= ! < > ( ) ~ , [ ] | &`) or a reserved character (`{ } * / % + ^ $ # @ ? ;`), so
//!   `area:payments`, `cf-team`, `1.0` and `-1d` are single words; backslash escapes
//!   (`\t \n \r \" \' \\ \  \uXXXX`) work in quoted and unquoted strings alike.
//! - A reserved character outside quotes, a reserved word unquoted (`JqlStringSupportImpl`'s
//!   list, [`RESERVED_WORDS`]) and a control character inside quotes are errors, as in Jira.
use super::reserved::RESERVED_WORDS;
use super::{error, FilterError};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    NotEq,
    Like,
    NotLike,
    Gt,
    Ge,
    Lt,
    Le,
}

/// The words Jira's lexer turns into tokens of their own (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kw {
    In,
    Is,
    Not,
    /// `EMPTY` or `NULL`.
    Empty,
    Was,
    Changed,
    From,
    To,
    By,
    Before,
    After,
    On,
    During,
    Order,
    Asc,
    Desc,
}

const KEYWORDS: &[(&str, Kw)] = &[
    ("in", Kw::In),
    ("is", Kw::Is),
    ("not", Kw::Not),
    ("empty", Kw::Empty),
    ("null", Kw::Empty),
    ("was", Kw::Was),
    ("changed", Kw::Changed),
    ("from", Kw::From),
    ("to", Kw::To),
    ("by", Kw::By),
    ("before", Kw::Before),
    ("after", Kw::After),
    ("on", Kw::On),
    ("during", Kw::During),
    ("order", Kw::Order),
    ("asc", Kw::Asc),
    ("desc", Kw::Desc),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A string, escapes resolved; `quoted` when written in quotes.
    Str {
        text: String,
        quoted: bool,
    },
    /// An unquoted integer (`10000`, `-3`): Jira reads it as a number.
    Number(String),
    Kw(Kw),
    And,
    Or,
    /// `!` (NOT before a clause).
    Bang,
    /// `cf`, the custom-field prefix of `cf[10010]`.
    Cf,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Cmp(Cmp),
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Range<usize>,
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Jira's `RESERVED_CHARS`: errors anywhere outside quotes.
fn is_reserved_char(c: char) -> bool {
    matches!(
        c,
        '{' | '}' | '*' | '/' | '%' | '+' | '^' | '$' | '#' | '@' | '?' | ';'
    )
}

/// Jira's `CONTROLCHARS` (tab included: write it `\t`; CR and LF are allowed in quotes).
fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{9}' | '\u{b}'..='\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}' | '\u{fffe}'..='\u{ffff}')
}

/// Characters that end an unquoted string (`STRINGSTOP`, plus whitespace and `\`, which
/// starts an escape).
fn ends_word(c: char) -> bool {
    is_ws(c)
        || is_control(c)
        || is_reserved_char(c)
        || matches!(
            c,
            '"' | '\'' | '=' | '!' | '<' | '>' | '(' | ')' | '~' | ',' | '[' | ']' | '|' | '&'
        )
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.src.get(self.pos..)?.chars();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// After a `\`: the escaped character (Jira's `ESCAPE` set only).
    fn escape(&mut self, backslash: usize) -> Result<char, FilterError> {
        let bad = |end: usize| {
            error(
                "invalid escape: JQL knows `\\t`, `\\n`, `\\r`, `\\\"`, `\\'`, `\\\\`, `\\ ` and `\\uXXXX`",
                backslash..end,
            )
        };
        let Some(c) = self.bump() else {
            return Err(bad(self.pos));
        };
        Ok(match c {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            '"' | '\'' | '\\' | ' ' => c,
            'u' => {
                let digits = self.src.get(self.pos..self.pos + 4).unwrap_or_default();
                if digits.len() != 4 || !digits.chars().all(|d| d.is_ascii_hexdigit()) {
                    return Err(bad(self.pos));
                }
                self.pos += 4;
                u32::from_str_radix(digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| bad(self.pos))?
            }
            _ => return Err(bad(self.pos)),
        })
    }

    fn quoted(&mut self, quote: char) -> Result<Tok, FilterError> {
        let start = self.pos;
        self.bump();
        let mut text = String::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => return Err(error("unterminated string", start..self.src.len())),
                Some('\\') if self.peek().is_none() => {
                    return Err(error("unterminated string", start..self.src.len()))
                }
                Some('\\') => text.push(self.escape(at)?),
                Some(c) if c == quote => {
                    return Ok(Tok::Str { text, quoted: true });
                }
                Some(c) if is_control(c) => {
                    return Err(error(
                        format!(
                            "control character U+{:04X} inside a string: write it as an escape (`\\t`, `\\uXXXX`)",
                            u32::from(c)
                        ),
                        at..self.pos,
                    ))
                }
                Some(c) => text.push(c),
            }
        }
    }

    fn word(&mut self) -> Result<Tok, FilterError> {
        let start = self.pos;
        let mut text = String::new();
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if c == '\\' {
                let at = self.pos;
                self.bump();
                text.push(self.escape(at)?);
                escaped = true;
            } else if ends_word(c) {
                break;
            } else {
                self.bump();
                text.push(c);
            }
        }
        if escaped {
            return checked(text, start..self.pos);
        }
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "and" => return Ok(Tok::And),
            "or" => return Ok(Tok::Or),
            "cf" => return Ok(Tok::Cf),
            _ => {}
        }
        if let Some((_, kw)) = KEYWORDS.iter().find(|(w, _)| *w == lower) {
            return Ok(Tok::Kw(*kw));
        }
        let digits = text.strip_prefix('-').unwrap_or(&text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Tok::Number(text));
        }
        checked(text, start..self.pos)
    }
}

/// An unquoted string, refused when it is a reserved word.
fn checked(text: String, span: Range<usize>) -> Result<Tok, FilterError> {
    let lower = text.to_lowercase();
    if RESERVED_WORDS.binary_search(&lower.as_str()).is_ok() {
        return Err(error(
            format!("`{text}` is a reserved JQL word: put it in quotes"),
            span,
        ));
    }
    Ok(Tok::Str {
        text,
        quoted: false,
    })
}

pub fn tokenize(src: &str) -> Result<Vec<Token>, FilterError> {
    let mut lx = Lexer { src, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(c) = lx.peek() {
        let start = lx.pos;
        if is_ws(c) {
            lx.bump();
            continue;
        }
        let next = lx.peek2();
        let (tok, width) = match (c, next) {
            ('"' | '\'', _) => (lx.quoted(c)?, 0),
            ('!', Some('=')) => (Tok::Cmp(Cmp::NotEq), 2),
            ('!', Some('~')) => (Tok::Cmp(Cmp::NotLike), 2),
            ('>', Some('=')) => (Tok::Cmp(Cmp::Ge), 2),
            ('<', Some('=')) => (Tok::Cmp(Cmp::Le), 2),
            ('&', Some('&')) => (Tok::And, 2),
            ('|', Some('|')) => (Tok::Or, 2),
            ('!', _) => (Tok::Bang, 1),
            ('>', _) => (Tok::Cmp(Cmp::Gt), 1),
            ('<', _) => (Tok::Cmp(Cmp::Lt), 1),
            ('=', _) => (Tok::Cmp(Cmp::Eq), 1),
            ('~', _) => (Tok::Cmp(Cmp::Like), 1),
            ('&', _) => (Tok::And, 1),
            ('|', _) => (Tok::Or, 1),
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            ('[', _) => (Tok::LBracket, 1),
            (']', _) => (Tok::RBracket, 1),
            (',', _) => (Tok::Comma, 1),
            (c, _) if is_reserved_char(c) => {
                return Err(error(
                    format!("`{c}` is a reserved JQL character: put it in quotes"),
                    start..start + c.len_utf8(),
                ))
            }
            (c, _) if is_control(c) => {
                return Err(error(
                    format!("unexpected control character U+{:04X}", u32::from(c)),
                    start..start + c.len_utf8(),
                ))
            }
            _ => (lx.word()?, 0),
        };
        for _ in 0..width {
            lx.bump();
        }
        tokens.push(Token {
            tok,
            span: start..lx.pos,
        });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_words_are_sorted_for_binary_search() {
        let mut sorted = super::RESERVED_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, super::RESERVED_WORDS);
    }
}
