//! A small parser for the subset of JQL that board filters use.
//!
//! rolelint only needs one fact from a board's saved filter: which projects Jira
//! considers "referenced" by it. Jira counts a project only when the query *guarantees*
//! that every returned issue comes from the named set (jira-permissions-notes §3.1), i.e.
//! when `project = X` / `project in (...)` clauses are reachable from the top through
//! AND alone. Anything else (an OR at the top, no project clause) makes the filter
//! *complex*, and Jira then demands Manage Sprints in every project (§3.3).
//!
//! The parser is hand-written (tokenizer + recursive descent) because no crate parses
//! this JQL subset. It validates the whole filter, so a typo is reported on its span
//! instead of being silently misread, and it never panics: tokens are reached through
//! `get`, and nesting is capped at [`MAX_DEPTH`] so hostile input cannot overflow the
//! stack.

use rustc_hash::FxHashSet;
use std::ops::Range;

/// What a board filter tells us about the board's projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterProjects {
    /// Projects guaranteed by top-level AND-ed project clauses, in order of first appearance, deduplicated,
    /// each with the byte span (relative to the filter string) of the value that named it.
    Known(Vec<ProjectRef>),
    /// Jira cannot determine the projects (top-level OR, or no project clause): Manage Sprints is then
    /// needed in every project of the instance.
    Complex { reason: ComplexReason },
}

/// A project named by a filter: `name` as written (unquoted, escapes resolved); `span`
/// covers the value token in the filter, quotes included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRef {
    pub name: String,
    pub span: Range<usize>,
}

/// Why a filter's projects cannot be determined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplexReason {
    /// An OR joins the top level; `span` is the first such OR keyword.
    TopLevelOr { span: Range<usize> },
    /// The top level is AND-only but has no literal `project =` / `project in` clause.
    NoProjectClause,
}

/// A filter rolelint does not understand; `span` is the byte range of the offending token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub message: String,
    pub span: Range<usize>,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FilterError {}

/// Deepest nesting of parentheses and `NOT` accepted. Real filters use a handful of
/// levels; the cap keeps recursion bounded on any input.
pub const MAX_DEPTH: usize = 64;

/// Parses a board filter and derives the projects Jira considers referenced by it.
pub fn parse_filter(filter: &str) -> Result<FilterProjects, FilterError> {
    if filter.trim().is_empty() {
        return Err(error("empty filter", 0..filter.len()));
    }
    let tokens = tokenize(filter)?;
    let mut parser = Parser {
        src: filter,
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.parse_query()?;
    Ok(derive_projects(expr))
}

fn error(message: impl Into<String>, span: Range<usize>) -> FilterError {
    FilterError {
        message: message.into(),
        span,
    }
}

// ---------------------------------------------------------------------------
// Project derivation
// ---------------------------------------------------------------------------

/// The parser keeps only what project derivation needs: the shape of the AND/OR
/// structure and the literal values of positive project clauses.
#[derive(Debug)]
enum Expr {
    /// One or more ORs; only the first OR's span matters (it is what we report).
    Or { first_or: Range<usize> },
    /// Conjuncts, already flattened through parenthesised AND-groups.
    And(Vec<Expr>),
    /// `project = X` or `project in (X, Y)` with literal values only.
    Project(Vec<ProjectRef>),
    /// Any other clause, a NOT, or a project clause that guarantees nothing.
    Other,
}

fn derive_projects(expr: Option<Expr>) -> FilterProjects {
    let conjuncts = match expr {
        // A filter with only `ORDER BY` matches every issue.
        None => Vec::new(),
        Some(Expr::Or { first_or }) => {
            return FilterProjects::Complex {
                reason: ComplexReason::TopLevelOr { span: first_or },
            }
        }
        Some(Expr::And(terms)) => terms,
        Some(single) => vec![single],
    };
    // Each project clause bounds the result set, so the guaranteed projects are the
    // intersection of all of them. Or-groups and NOTs among the conjuncts only narrow
    // the issues further and never add a guarantee, so they are skipped.
    let mut known: Option<Vec<ProjectRef>> = None;
    for term in conjuncts {
        if let Expr::Project(refs) = term {
            known = Some(match known {
                None => dedup(refs),
                Some(mut acc) => {
                    let named: FxHashSet<String> = refs.iter().map(project_key).collect();
                    acc.retain(|r| named.contains(&project_key(r)));
                    acc
                }
            });
        }
    }
    match known {
        Some(refs) => FilterProjects::Known(refs),
        None => FilterProjects::Complex {
            reason: ComplexReason::NoProjectClause,
        },
    }
}

/// JQL matches project keys and names case-insensitively (`project = plat` finds PLAT):
/// two references name the same project when their keys are equal.
fn project_key(r: &ProjectRef) -> String {
    r.name.to_lowercase()
}

/// Keeps the first appearance of each project (hashed: a list may hold 100,000s of values).
fn dedup(mut refs: Vec<ProjectRef>) -> Vec<ProjectRef> {
    let mut seen: FxHashSet<String> = FxHashSet::default();
    refs.retain(|r| seen.insert(project_key(r)));
    refs
}

// ---------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    NotEq,
    Like,
    NotLike,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// Unquoted word: field, value, number, function name or keyword. Keywords are
    /// recognised by the parser, so a quoted `"and"` stays a plain string.
    Word(String),
    /// Quoted string with escapes resolved.
    Str(String),
    /// `cf[10001]`: only valid as a field.
    CustomField,
    LParen,
    RParen,
    Comma,
    Cmp(Cmp),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Range<usize>,
}

/// Characters of an unquoted word. Values may contain `-` (`-1d`, `jira-users`); fields
/// may not, which the parser checks. Non-ASCII letters count as letters.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn string(&mut self, quote: char) -> Result<Tok, FilterError> {
        let start = self.pos;
        self.bump();
        let mut text = String::new();
        loop {
            let unterminated = || error("unterminated string", start..self.src.len());
            match self.bump() {
                None => return Err(unterminated()),
                Some('\\') => match self.bump() {
                    None => return Err(unterminated()),
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some('r') => text.push('\r'),
                    // `\"`, `\'`, `\\` and any other escaped character stand for themselves.
                    Some(c) => text.push(c),
                },
                Some(c) if c == quote => return Ok(Tok::Str(text)),
                Some(c) => text.push(c),
            }
        }
    }

    fn word(&mut self) -> Result<Tok, FilterError> {
        let start = self.pos;
        while self.peek().is_some_and(is_word_char) {
            self.bump();
        }
        let word = self.src.get(start..self.pos).unwrap_or_default();
        if word.eq_ignore_ascii_case("cf") && self.peek() == Some('[') {
            self.bump();
            let digits_start = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
            let has_digits = self.pos > digits_start;
            if !has_digits || self.peek() != Some(']') {
                // Cover what was read plus the character that broke the pattern.
                let end = self.pos + self.peek().map_or(0, char::len_utf8);
                return Err(error(
                    "malformed custom field, expected `cf[NUMBER]`",
                    start..end,
                ));
            }
            self.bump();
            return Ok(Tok::CustomField);
        }
        Ok(Tok::Word(word.to_string()))
    }
}

fn tokenize(src: &str) -> Result<Vec<Token>, FilterError> {
    let mut lx = Lexer { src, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(c) = lx.peek() {
        let start = lx.pos;
        if c.is_whitespace() {
            lx.bump();
            continue;
        }
        // Two-character operators first, then single characters.
        let tok = match c {
            '"' | '\'' => lx.string(c)?,
            c if is_word_char(c) => lx.word()?,
            '(' | ')' | ',' | '=' | '~' => {
                lx.bump();
                match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    ',' => Tok::Comma,
                    '=' => Tok::Cmp(Cmp::Eq),
                    _ => Tok::Cmp(Cmp::Like),
                }
            }
            '!' | '>' | '<' => {
                lx.bump();
                let next = lx.peek();
                let (cmp, two) = match (c, next) {
                    ('!', Some('=')) => (Some(Cmp::NotEq), true),
                    ('!', Some('~')) => (Some(Cmp::NotLike), true),
                    ('>', Some('=')) => (Some(Cmp::Ge), true),
                    ('<', Some('=')) => (Some(Cmp::Le), true),
                    ('>', _) => (Some(Cmp::Gt), false),
                    ('<', _) => (Some(Cmp::Lt), false),
                    _ => (None, false),
                };
                if two {
                    lx.bump();
                }
                match cmp {
                    Some(cmp) => Tok::Cmp(cmp),
                    // A lone `!` is JQL's shorthand NOT, outside the supported subset.
                    None => return Err(error("unexpected `!`, use `NOT` or `!=`", start..lx.pos)),
                }
            }
            other => {
                let end = start + other.len_utf8();
                let message = match other {
                    '&' => "unexpected `&`, use `AND`".to_string(),
                    '|' => "unexpected `|`, use `OR`".to_string(),
                    _ => format!("unexpected character `{other}`"),
                };
                return Err(error(message, start..end));
            }
        };
        tokens.push(Token {
            tok,
            span: start..lx.pos,
        });
    }
    Ok(tokens)
}

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

/// Words that cannot be an unquoted field or value. `EMPTY`/`NULL` are values, and
/// `BY`/`ASC`/`DESC` only matter after `ORDER`, so they are handled in place.
const RESERVED: &[&str] = &["and", "or", "not", "in", "is", "was", "changed", "order"];

/// History predicates (`status was Open after "2024-01-01"`): not needed for project
/// derivation, and rejected rather than half-parsed.
const HISTORY_PREDICATES: &[&str] = &["after", "before", "during", "on", "by", "from", "to"];

fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| word.eq_ignore_ascii_case(r))
}

fn is_empty_kw(word: &str) -> bool {
    word.eq_ignore_ascii_case("empty") || word.eq_ignore_ascii_case("null")
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    fn advance(&mut self) -> Option<Token> {
        let tok = self.tokens.get(self.pos).cloned();
        if tok.is_some() {
            self.pos += 1;
        }
        tok
    }

    fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(kw))
    }

    /// Source text of a span for messages, shortened so a huge token stays readable.
    fn text(&self, span: &Range<usize>) -> String {
        let text = self.src.get(span.clone()).unwrap_or_default();
        if text.chars().count() > 40 {
            let short: String = text.chars().take(40).collect();
            format!("{short}…")
        } else {
            text.to_string()
        }
    }

    /// Error for input that ended where `what` was needed: points at the token that
    /// wanted it (`a = 1 AND` → the `AND`).
    fn missing(&self, what: &str) -> FilterError {
        match self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(prev) => error(
                format!("missing {what} after `{}`", self.text(&prev.span)),
                prev.span.clone(),
            ),
            None => error(format!("missing {what}"), 0..self.src.len()),
        }
    }

    /// Error for a token that is not what the grammar allows here.
    fn unexpected(&self, expected: &str, tok: &Token) -> FilterError {
        error(
            format!("expected {expected}, found `{}`", self.text(&tok.span)),
            tok.span.clone(),
        )
    }

    fn enter(&mut self, span: &Range<usize>) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(error(
                format!("filter nests deeper than {MAX_DEPTH} levels"),
                span.clone(),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// query := [or_expr] [ORDER BY sort (, sort)*]
    fn parse_query(&mut self) -> Result<Option<Expr>, FilterError> {
        let expr = if self.at_kw("order") {
            None
        } else {
            Some(self.parse_or()?)
        };
        let ordered = self.at_kw("order");
        if ordered {
            self.parse_order_by()?;
        }
        if let Some(tok) = self.peek() {
            return Err(match tok.tok {
                Tok::RParen => error("unmatched `)`", tok.span.clone()),
                _ if ordered => self.unexpected("`,` or end of filter", tok),
                _ => self.unexpected("`AND`, `OR` or `ORDER BY`", tok),
            });
        }
        Ok(expr)
    }

    /// or_expr := and_expr (OR and_expr)*   — AND binds tighter than OR.
    fn parse_or(&mut self) -> Result<Expr, FilterError> {
        let first = self.parse_and()?;
        let mut first_or = None;
        while self.at_kw("or") {
            if let Some(tok) = self.advance() {
                first_or.get_or_insert(tok.span);
            }
            self.parse_and()?;
        }
        Ok(match first_or {
            Some(first_or) => Expr::Or { first_or },
            None => first,
        })
    }

    /// and_expr := unary (AND unary)*
    fn parse_and(&mut self) -> Result<Expr, FilterError> {
        let mut terms = Vec::new();
        push_flat(&mut terms, self.parse_unary()?);
        while self.at_kw("and") {
            self.advance();
            push_flat(&mut terms, self.parse_unary()?);
        }
        Ok(if terms.len() == 1 {
            terms.pop().unwrap_or(Expr::Other)
        } else {
            Expr::And(terms)
        })
    }

    /// unary := NOT unary | '(' or_expr ')' | clause
    fn parse_unary(&mut self) -> Result<Expr, FilterError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.missing("clause"));
        };
        if self.at_kw("not") {
            self.enter(&tok.span)?;
            self.advance();
            // Whatever is negated guarantees no project.
            self.parse_unary()?;
            self.leave();
            return Ok(Expr::Other);
        }
        if tok.tok == Tok::LParen {
            self.enter(&tok.span)?;
            self.advance();
            let inner = self.parse_or()?;
            match self.peek() {
                Some(Token {
                    tok: Tok::RParen, ..
                }) => {
                    self.advance();
                }
                Some(other) => return Err(self.unexpected("`)`, `AND` or `OR`", other)),
                None => return Err(error("unclosed `(`", tok.span)),
            }
            self.leave();
            // Returned as is: an inner AND flattens into the outer one, an inner OR stays
            // an OR (top-level only if nothing is AND-ed to it).
            return Ok(inner);
        }
        self.parse_clause()
    }

    /// field := word | "quoted" | cf[N]; returns whether it names `project`.
    fn parse_field(&mut self) -> Result<bool, FilterError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.missing("field"));
        };
        let is_project = match &tok.tok {
            Tok::Word(w) if is_reserved(w) || is_empty_kw(w) => {
                return Err(self.unexpected("a field", &tok))
            }
            Tok::Word(w) if w.contains('-') => {
                return Err(error(
                    format!("field `{}` must be quoted", self.text(&tok.span)),
                    tok.span,
                ))
            }
            Tok::Word(w) | Tok::Str(w) => w.eq_ignore_ascii_case("project"),
            Tok::CustomField => false,
            _ => return Err(self.unexpected("a field", &tok)),
        };
        self.advance();
        Ok(is_project)
    }

    /// clause := field op value
    fn parse_clause(&mut self) -> Result<Expr, FilterError> {
        let is_project = self.parse_field()?;
        let Some(op) = self.peek().cloned() else {
            return Err(self.missing("operator"));
        };
        // `Some(values)` when the operator and values guarantee a project set.
        let guaranteed: Option<Vec<ProjectRef>> = match &op.tok {
            Tok::Cmp(cmp) => {
                self.advance();
                let value = self.parse_single_value()?;
                value.filter(|_| *cmp == Cmp::Eq).map(|r| vec![r])
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("in") => {
                self.advance();
                self.parse_list_or_function()?
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("not") => {
                self.advance();
                if !self.at_kw("in") {
                    return Err(match self.peek() {
                        Some(t) => self.unexpected("`IN` after `NOT`", t),
                        None => self.missing("`IN`"),
                    });
                }
                self.advance();
                self.parse_list_or_function()?;
                None
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("is") => {
                self.advance();
                if self.at_kw("not") {
                    self.advance();
                }
                match self.peek() {
                    Some(Token {
                        tok: Tok::Word(w), ..
                    }) if is_empty_kw(w) => {
                        self.advance();
                    }
                    Some(t) => return Err(self.unexpected("`EMPTY` or `NULL`", t)),
                    None => return Err(self.missing("`EMPTY` or `NULL`")),
                }
                None
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("was") => {
                // History says nothing about where an issue is now.
                self.advance();
                if self.at_kw("not") {
                    self.advance();
                }
                if self.at_kw("in") {
                    self.advance();
                    self.parse_list_or_function()?;
                } else {
                    self.parse_single_value()?;
                }
                self.reject_history_predicate()?;
                None
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("changed") => {
                self.advance();
                self.reject_history_predicate()?;
                None
            }
            _ => return Err(self.unexpected("an operator", &op)),
        };
        Ok(match guaranteed {
            Some(refs) if is_project => Expr::Project(refs),
            _ => Expr::Other,
        })
    }

    fn reject_history_predicate(&self) -> Result<(), FilterError> {
        if let Some(Token {
            tok: Tok::Word(w),
            span,
        }) = self.peek()
        {
            if HISTORY_PREDICATES.iter().any(|p| w.eq_ignore_ascii_case(p)) {
                return Err(error(
                    format!(
                        "history predicate `{}` is not supported",
                        self.text(span).to_lowercase()
                    ),
                    span.clone(),
                ));
            }
        }
        Ok(())
    }

    /// A single value: word, number, string, `EMPTY`/`NULL` or function call.
    /// Returns the project it would name if it is a literal.
    fn parse_single_value(&mut self) -> Result<Option<ProjectRef>, FilterError> {
        match self.peek() {
            Some(Token {
                tok: Tok::LParen,
                span,
            }) => Err(error(
                "a list needs `IN`, not a single-value operator",
                span.clone(),
            )),
            _ => self.parse_value_item(),
        }
    }

    /// A value inside or outside a list (lists themselves are handled by the caller).
    fn parse_value_item(&mut self) -> Result<Option<ProjectRef>, FilterError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.missing("value"));
        };
        match &tok.tok {
            Tok::Str(s) => {
                self.advance();
                Ok(Some(ProjectRef {
                    name: s.clone(),
                    span: tok.span,
                }))
            }
            Tok::Word(w) if is_reserved(w) => Err(self.unexpected("a value", &tok)),
            Tok::Word(_) if matches!(self.peek_at(1), Some(t) if t.tok == Tok::LParen) => {
                // A function's result is only known to Jira at query time.
                self.parse_function()?;
                Ok(None)
            }
            Tok::Word(w) if is_empty_kw(w) => {
                self.advance();
                Ok(None)
            }
            Tok::Word(w) => {
                self.advance();
                Ok(Some(ProjectRef {
                    name: w.clone(),
                    span: tok.span,
                }))
            }
            _ => Err(self.unexpected("a value", &tok)),
        }
    }

    /// function := name '(' [arg (, arg)*] ')' with plain word or string arguments.
    fn parse_function(&mut self) -> Result<(), FilterError> {
        let name = self.advance().map(|t| t.span).unwrap_or_default();
        let open = self.advance().map(|t| t.span).unwrap_or_default();
        let name_text = self.text(&name);
        // `Start`: an argument or `)`; `AfterArg`: `,` or `)`; `AfterComma`: an argument.
        #[derive(PartialEq)]
        enum State {
            Start,
            AfterArg,
            AfterComma,
        }
        let mut state = State::Start;
        loop {
            let Some(tok) = self.peek().cloned() else {
                return Err(error(
                    format!("unclosed `(` in call to `{name_text}`"),
                    open,
                ));
            };
            let is_arg = match &tok.tok {
                Tok::Str(_) => true,
                Tok::Word(w) => !is_reserved(w),
                _ => false,
            };
            state = match (&state, &tok.tok) {
                (State::Start | State::AfterArg, Tok::RParen) => {
                    self.advance();
                    return Ok(());
                }
                (State::AfterArg, Tok::Comma) => State::AfterComma,
                (State::Start | State::AfterComma, _) if is_arg => State::AfterArg,
                (State::AfterArg, _) => return Err(self.unexpected("`,` or `)`", &tok)),
                _ => return Err(self.unexpected("a function argument", &tok)),
            };
            self.advance();
        }
    }

    /// After IN: a list `( v, ... )` or a function. Returns the literal projects if
    /// every item is a literal.
    fn parse_list_or_function(&mut self) -> Result<Option<Vec<ProjectRef>>, FilterError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.missing("list"));
        };
        match &tok.tok {
            Tok::LParen => self.parse_list(),
            Tok::Word(w)
                if !is_reserved(w)
                    && matches!(self.peek_at(1), Some(t) if t.tok == Tok::LParen) =>
            {
                self.parse_function()?;
                Ok(None)
            }
            _ => Err(self.unexpected("a list `( ... )` or a function", &tok)),
        }
    }

    fn parse_list(&mut self) -> Result<Option<Vec<ProjectRef>>, FilterError> {
        let open = self.advance().map(|t| t.span).unwrap_or_default();
        if let Some(Token {
            tok: Tok::RParen,
            span,
        }) = self.peek()
        {
            return Err(error("empty list", open.start..span.end));
        }
        let mut refs = Some(Vec::new());
        loop {
            if let Some(Token {
                tok: Tok::LParen,
                span,
            }) = self.peek()
            {
                return Err(error("nested lists are not supported", span.clone()));
            }
            let item = self.parse_value_item()?;
            // One non-literal item (a function, EMPTY) makes the whole set unknowable.
            refs = match (refs, item) {
                (Some(mut acc), Some(r)) => {
                    acc.push(r);
                    Some(acc)
                }
                _ => None,
            };
            match self.peek() {
                Some(Token {
                    tok: Tok::Comma, ..
                }) => {
                    self.advance();
                }
                Some(Token {
                    tok: Tok::RParen, ..
                }) => {
                    self.advance();
                    return Ok(refs);
                }
                Some(t) => return Err(self.unexpected("`,` or `)`", t)),
                None => return Err(error("unclosed `(`", open)),
            }
        }
    }

    /// ORDER BY field [ASC|DESC] (, field [ASC|DESC])*  — parsed for validity only.
    fn parse_order_by(&mut self) -> Result<(), FilterError> {
        self.advance();
        if !self.at_kw("by") {
            return Err(match self.peek() {
                Some(t) => self.unexpected("`BY` after `ORDER`", t),
                None => self.missing("`BY`"),
            });
        }
        self.advance();
        loop {
            self.parse_field()?;
            if self.at_kw("asc") || self.at_kw("desc") {
                self.advance();
            }
            if matches!(self.peek(), Some(t) if t.tok == Tok::Comma) {
                self.advance();
            } else {
                return Ok(());
            }
        }
    }
}

/// Adds a conjunct, splicing in the terms of a parenthesised AND-group so that
/// `(project = A AND x = 1) AND y = 2` is treated like its flat form.
fn push_flat(terms: &mut Vec<Expr>, expr: Expr) {
    match expr {
        Expr::And(inner) => terms.extend(inner),
        other => terms.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The span of the `nth` (0-based) occurrence of `needle` in `hay`.
    fn span_of(hay: &str, needle: &str, nth: usize) -> Range<usize> {
        let mut from = 0;
        let mut found = None;
        for _ in 0..=nth {
            let at = hay[from..].find(needle).map(|i| i + from);
            found = at;
            from = at.map_or(hay.len(), |i| i + needle.len());
        }
        let start = found.unwrap_or_else(|| panic!("`{needle}` not in `{hay}`"));
        start..start + needle.len()
    }

    fn known(filter: &str) -> Vec<(String, Range<usize>)> {
        match parse_filter(filter) {
            Ok(FilterProjects::Known(refs)) => refs.into_iter().map(|r| (r.name, r.span)).collect(),
            other => panic!("expected Known for `{filter}`, got {other:?}"),
        }
    }

    fn names(filter: &str) -> Vec<String> {
        known(filter).into_iter().map(|(n, _)| n).collect()
    }

    fn complex(filter: &str) -> ComplexReason {
        match parse_filter(filter) {
            Ok(FilterProjects::Complex { reason }) => reason,
            other => panic!("expected Complex for `{filter}`, got {other:?}"),
        }
    }

    fn err(filter: &str) -> FilterError {
        match parse_filter(filter) {
            Err(e) => e,
            Ok(ok) => panic!("expected an error for `{filter}`, got {ok:?}"),
        }
    }

    /// Asserts the error's message contains `msg` and its span is the `nth` `needle`.
    fn assert_err(filter: &str, msg: &str, needle: &str, nth: usize) {
        let e = err(filter);
        assert!(
            e.message.contains(msg),
            "`{filter}`: message `{}` lacks `{msg}`",
            e.message
        );
        assert_eq!(
            e.span,
            span_of(filter, needle, nth),
            "`{filter}`: {}",
            e.message
        );
        assert!(!e.message.ends_with('.'), "{}", e.message);
        assert!(
            e.message.starts_with(|c: char| !c.is_uppercase()),
            "{}",
            e.message
        );
    }

    // --- project derivation -------------------------------------------------

    #[test]
    fn spec_example() {
        let f = "project in (PLAT, INFRA) AND type != Epic";
        assert_eq!(
            known(f),
            vec![
                ("PLAT".to_string(), span_of(f, "PLAT", 0)),
                ("INFRA".to_string(), span_of(f, "INFRA", 0)),
            ]
        );
    }

    #[test]
    fn single_project_equals() {
        let f = "project = PLAT";
        assert_eq!(known(f), vec![("PLAT".to_string(), 10..14)]);
    }

    #[test]
    fn notes_example_and_reporter() {
        assert_eq!(
            names("project in (ABC, BCD) AND reporter = admin"),
            ["ABC", "BCD"]
        );
    }

    #[test]
    fn notes_example_or_reporter() {
        let f = "project in (ABC, BCD) OR reporter = admin";
        assert_eq!(
            complex(f),
            ComplexReason::TopLevelOr {
                span: span_of(f, "OR", 0)
            }
        );
    }

    #[test]
    fn project_or_project_is_complex() {
        let f = "project = X or project = Y";
        assert_eq!(
            complex(f),
            ComplexReason::TopLevelOr {
                span: span_of(f, "or", 0)
            }
        );
    }

    #[test]
    fn or_with_epic_name_is_complex() {
        let f = "project = SCRUM or \"Epic Name\" in ('Lonely Epic')";
        assert!(matches!(complex(f), ComplexReason::TopLevelOr { .. }));
    }

    #[test]
    fn first_or_is_reported() {
        let f = "a = 1 OR b = 2 OR project = C";
        assert_eq!(
            complex(f),
            ComplexReason::TopLevelOr {
                span: span_of(f, "OR", 0)
            }
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let f = "project = A AND x = 1 OR y = 2";
        assert_eq!(
            complex(f),
            ComplexReason::TopLevelOr {
                span: span_of(f, "OR", 0)
            }
        );
    }

    #[test]
    fn parenthesised_or_group_at_top_is_complex() {
        let f = "(project = A OR project = B)";
        assert_eq!(
            complex(f),
            ComplexReason::TopLevelOr {
                span: span_of(f, "OR", 0)
            }
        );
        let f = "((project = A AND x = 1) OR y = 2)";
        assert_eq!(
            complex(f),
            ComplexReason::TopLevelOr {
                span: span_of(f, "OR", 0)
            }
        );
    }

    #[test]
    fn or_inside_parentheses_anded_with_project_is_known() {
        let f = "project = PLAT AND (status = Open OR assignee = currentUser())";
        assert_eq!(known(f), vec![("PLAT".to_string(), span_of(f, "PLAT", 0))]);
    }

    #[test]
    fn project_only_inside_or_group_does_not_count() {
        assert_eq!(
            complex("(project = A OR project = B) AND x = 1"),
            ComplexReason::NoProjectClause
        );
        assert_eq!(names("project = C AND (project = A OR x = 1)"), ["C"]);
    }

    #[test]
    fn parenthesised_and_group_counts() {
        let f = "(project = A AND x = 1) AND y = 2";
        assert_eq!(known(f), vec![("A".to_string(), span_of(f, "A", 0))]);
        assert_eq!(names("((project = A))"), ["A"]);
        assert_eq!(
            names("x = 1 AND ((y = 2 AND project in (A, B)))"),
            ["A", "B"]
        );
    }

    #[test]
    fn intersection_of_project_clauses() {
        let f = "project in (A, B) AND project = A";
        // The span is the first appearance, inside the list.
        assert_eq!(known(f), vec![("A".to_string(), span_of(f, "A", 0))]);
        assert_eq!(
            names("project in (A, B, C) AND x = 1 AND project in (C, A)"),
            ["A", "C"]
        );
    }

    #[test]
    fn intersection_is_case_insensitive() {
        let f = "project in (PLAT, INFRA) AND project = plat";
        assert_eq!(known(f), vec![("PLAT".to_string(), span_of(f, "PLAT", 0))]);
    }

    #[test]
    fn disjoint_project_clauses_give_empty_known() {
        assert_eq!(names("project = A AND project = B"), Vec::<String>::new());
    }

    #[test]
    fn duplicates_are_removed() {
        let f = "project in (A, B, a, A)";
        assert_eq!(
            known(f),
            vec![
                ("A".to_string(), span_of(f, "A", 0)),
                ("B".to_string(), span_of(f, "B", 0)),
            ]
        );
    }

    #[test]
    fn no_project_clause() {
        assert_eq!(complex("type = Bug"), ComplexReason::NoProjectClause);
        assert_eq!(
            complex("assignee = currentUser() AND status != Done"),
            ComplexReason::NoProjectClause
        );
    }

    #[test]
    fn negative_project_clauses_do_not_count() {
        for f in [
            "project != A",
            "project not in (A, B)",
            "NOT project = A",
            "not (project = A AND x = 1)",
            "NOT NOT project = A",
            "project is not EMPTY",
            "project was A",
            "project was in (A, B)",
            "project changed",
            "project ~ A",
        ] {
            assert_eq!(complex(f), ComplexReason::NoProjectClause, "{f}");
        }
        assert_eq!(names("project = A AND project != B"), ["A"]);
        assert_eq!(names("NOT project = B AND project = A"), ["A"]);
    }

    #[test]
    fn not_over_an_or_group_is_not_a_top_level_or() {
        assert_eq!(names("project = A AND NOT (x = 1 OR y = 2)"), ["A"]);
    }

    #[test]
    fn project_function_counts_as_no_project_clause() {
        assert_eq!(
            complex("project in projectsLeadByUser()"),
            ComplexReason::NoProjectClause
        );
        assert_eq!(
            complex("project = projectByKey(\"A\")"),
            ComplexReason::NoProjectClause
        );
        assert_eq!(
            complex("project in (A, projectsWhereUserHasRole(\"Developers\"))"),
            ComplexReason::NoProjectClause
        );
        assert_eq!(complex("project = EMPTY"), ComplexReason::NoProjectClause);
        // A literal clause beside the function still counts.
        assert_eq!(
            names("project in projectsLeadByUser() AND project = A"),
            ["A"]
        );
    }

    #[test]
    fn quoted_field_and_values() {
        let f = "\"Project\" = \"PLAT\" AND \"Epic Name\" ~ 'Big \\'one\\''";
        assert_eq!(
            known(f),
            vec![("PLAT".to_string(), span_of(f, "\"PLAT\"", 0))]
        );
        assert_eq!(names("PROJECT IN ('A', \"B\")"), ["A", "B"]);
    }

    #[test]
    fn project_keys_ids_and_names() {
        // Keys, numeric ids and names are all returned as written; resolving a name to a
        // key is the caller's job (it knows the repository's projects).
        let f = "project in (PLAT, 10010, \"Platform Team\")";
        assert_eq!(
            known(f),
            vec![
                ("PLAT".to_string(), span_of(f, "PLAT", 0)),
                ("10010".to_string(), span_of(f, "10010", 0)),
                (
                    "Platform Team".to_string(),
                    span_of(f, "\"Platform Team\"", 0)
                ),
            ]
        );
    }

    #[test]
    fn escapes_in_strings() {
        let f = r#"project = "say \"hi\" \\ \n""#;
        assert_eq!(names(f), ["say \"hi\" \\ \n"]);
    }

    #[test]
    fn non_ascii_project_name() {
        let f = "type = Bug AND project = \"Plattform Ü\" AND summary ~ \"Größe\"";
        let refs = known(f);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].0, "Plattform Ü");
        assert_eq!(refs[0].1, span_of(f, "\"Plattform Ü\"", 0));
        assert_eq!(&f[refs[0].1.clone()], "\"Plattform Ü\"");
        // Unquoted non-ASCII word.
        let f = "résumé = x AND project = Ü1";
        assert_eq!(known(f), vec![("Ü1".to_string(), span_of(f, "Ü1", 0))]);
    }

    #[test]
    fn case_insensitive_keywords() {
        assert_eq!(
            names("Project IN (A) and Status NOT IN (Done) And x Is Not Empty order by Rank asc"),
            ["A"]
        );
    }

    #[test]
    fn custom_fields_and_dotted_fields() {
        assert_eq!(
            names("cf[10001] = 5 AND CF[2] in (a) AND issue.property = x AND project = A"),
            ["A"]
        );
    }

    #[test]
    fn all_operators() {
        for op in ["=", "!=", "~", "!~", ">", ">=", "<", "<=", "was", "was not"] {
            let f = format!("project = A AND due {op} -1d");
            assert_eq!(names(&f), ["A"], "{f}");
        }
        for op in ["in", "not in", "was in", "was not in"] {
            let f = format!("project = A AND status {op} (Open, \"In Progress\")");
            assert_eq!(names(&f), ["A"], "{f}");
        }
        for tail in [
            "is EMPTY",
            "is not null",
            "changed",
            "= EMPTY",
            "in (EMPTY, x)",
        ] {
            let f = format!("project = A AND fixVersion {tail}");
            assert_eq!(names(&f), ["A"], "{f}");
        }
    }

    #[test]
    fn functions() {
        assert_eq!(
            names(
                "project = A AND assignee in membersOf(\"jira-users\") AND sprint in openSprints() \
                 AND created > startOfDay(-1d) AND reporter = currentUser() \
                 AND x in (a, currentUser(), b) AND f = g(1, 'two', three)"
            ),
            ["A"]
        );
    }

    #[test]
    fn order_by() {
        let f = "project = A ORDER BY Rank ASC, created desc, \"Epic Name\", cf[100]";
        assert_eq!(known(f), vec![("A".to_string(), span_of(f, "A", 0))]);
        assert_eq!(complex("ORDER BY Rank"), ComplexReason::NoProjectClause);
        assert_eq!(
            complex("x = 1 OR y = 2 order by rank"),
            ComplexReason::TopLevelOr { span: 6..8 }
        );
    }

    #[test]
    fn whitespace_variants() {
        assert_eq!(names("project=A AND(x=1)"), ["A"]);
        assert_eq!(names("\n\tproject\u{a0}in(A,B)  \n"), ["A", "B"]);
    }

    // --- errors ------------------------------------------------------------

    #[test]
    fn empty_filter() {
        assert_eq!(err("").span, 0..0);
        assert_eq!(err("").message, "empty filter");
        assert_eq!(err("  \n ").span, 0..4);
        assert_eq!(err("  \n ").message, "empty filter");
    }

    #[test]
    fn unterminated_strings() {
        let f = "project = \"PLAT AND x = 1";
        let e = err(f);
        assert_eq!(e.message, "unterminated string");
        assert_eq!(e.span, 10..f.len());
        let f = "x = 'a\\'";
        assert_eq!(err(f).span, 4..f.len());
        let f = "x = \"a\\";
        assert_eq!(err(f).span, 4..f.len());
    }

    #[test]
    fn unbalanced_parentheses() {
        assert_err("(project = A AND x = 1", "unclosed `(`", "(", 0);
        assert_err("((project = A) AND x = 1", "unclosed `(`", "(", 0);
        assert_err("project = A)", "unmatched `)`", ")", 0);
        assert_err("project in (A, B", "unclosed `(`", "(", 0);
        assert_err("x = f(a, b", "unclosed `(` in call to `f`", "(", 0);
        assert_err(
            "(x = 1 y = 2)",
            "expected `)`, `AND` or `OR`, found `y`",
            "y",
            0,
        );
        assert_err("()", "expected a field, found `)`", ")", 0);
    }

    #[test]
    fn dangling_operators() {
        assert_err("project = A AND", "missing clause after `AND`", "AND", 0);
        assert_err("project = A or", "missing clause after `or`", "or", 0);
        assert_err("NOT", "missing clause after `NOT`", "NOT", 0);
        assert_err("(", "missing clause after `(`", "(", 0);
        assert_err("project =", "missing value after `=`", "=", 0);
        assert_err("project", "missing operator after `project`", "project", 0);
        assert_err("project in", "missing list after `in`", "in", 0);
        assert_err("project not", "missing `IN` after `not`", "not", 0);
        assert_err("x is", "missing `EMPTY` or `NULL` after `is`", "is", 0);
        assert_err("x was", "missing value after `was`", "was", 0);
        assert_err("x = 1 ORDER", "missing `BY` after `ORDER`", "ORDER", 0);
        assert_err("x = 1 ORDER BY", "missing field after `BY`", "BY", 0);
        assert_err("x = 1 ORDER BY a,", "missing field after `,`", ",", 0);
        assert_err(
            "project = A AND AND x = 1",
            "expected a field, found `AND`",
            "AND",
            1,
        );
    }

    #[test]
    fn trailing_garbage() {
        assert_err(
            "project = A x = 1",
            "expected `AND`, `OR` or `ORDER BY`, found `x`",
            "x",
            0,
        );
        assert_err(
            "project = A ORDER BY rank x",
            "expected `,` or end of filter, found `x`",
            "x",
            0,
        );
        assert_err("project = A ,", "found `,`", ",", 0);
    }

    #[test]
    fn bad_tokens() {
        assert_err("project = A && x = 1", "unexpected `&`, use `AND`", "&", 0);
        assert_err("project = A || x = 1", "unexpected `|`, use `OR`", "|", 0);
        assert_err("!project = A", "unexpected `!`, use `NOT` or `!=`", "!", 0);
        assert_err("x = a@b", "unexpected character `@`", "@", 0);
        assert_err("x = ü€", "unexpected character `€`", "€", 0);
        assert_err("cf[abc] = 1", "malformed custom field", "cf[a", 0);
        assert_err("cf[12 = 1", "malformed custom field", "cf[12 ", 0);
        assert_err("cf[", "malformed custom field", "cf[", 0);
    }

    #[test]
    fn grammar_errors() {
        assert_err("project = (A, B)", "a list needs `IN`", "(", 0);
        assert_err(
            "project in A",
            "expected a list `( ... )` or a function, found `A`",
            "A",
            0,
        );
        assert_err("project in ()", "empty list", "()", 0);
        assert_err("project in (A,)", "expected a value, found `)`", ")", 0);
        assert_err("project in (A B)", "expected `,` or `)`, found `B`", "B", 0);
        assert_err("project in ((A))", "nested lists are not supported", "(", 1);
        assert_err("x = and", "expected a value, found `and`", "and", 0);
        assert_err(
            "x is Open",
            "expected `EMPTY` or `NULL`, found `Open`",
            "Open",
            0,
        );
        assert_err("x not = 1", "expected `IN` after `NOT`, found `=`", "=", 0);
        assert_err("x foo 1", "expected an operator, found `foo`", "foo", 0);
        assert_err("empty = 1", "expected a field, found `empty`", "empty", 0);
        assert_err(
            "my-field = 1",
            "field `my-field` must be quoted",
            "my-field",
            0,
        );
        assert_err("= 1", "expected a field, found `=`", "=", 0);
        assert_err(
            "x = f(a,)",
            "expected a function argument, found `)`",
            ")",
            0,
        );
        assert_err("x = f(a b)", "expected `,` or `)`, found `b`", "b", 0);
        assert_err("x = f(g())", "expected `,` or `)`, found `(`", "(", 1);
        assert_err(
            "x = 1 ORDER rank",
            "expected `BY` after `ORDER`, found `rank`",
            "rank",
            0,
        );
        assert_err(
            "cf[1] = cf[2]",
            "expected a value, found `cf[2]`",
            "cf[2]",
            0,
        );
    }

    #[test]
    fn history_predicates_are_rejected() {
        assert_err(
            "status was Open after \"2024-01-01\"",
            "history predicate `after` is not supported",
            "after",
            0,
        );
        assert_err(
            "status changed BY currentUser()",
            "history predicate `by` is not supported",
            "BY",
            0,
        );
        assert_err(
            "status was in (Open) during (\"a\", \"b\")",
            "history predicate `during`",
            "during",
            0,
        );
    }

    #[test]
    fn long_tokens_are_shortened_in_messages() {
        let long = "x".repeat(500);
        let e = err(&format!("project = A {long}"));
        assert!(e.message.len() < 100, "{}", e.message);
        assert_eq!(e.span, 12..512);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let f = format!(
            "{}project = A{}",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        assert_eq!(names(&f), ["A"]);
        let depth = MAX_DEPTH + 1;
        let f = format!("{}project = A{}", "(".repeat(depth), ")".repeat(depth));
        let e = err(&f);
        assert_eq!(
            e.message,
            format!("filter nests deeper than {MAX_DEPTH} levels")
        );
        assert_eq!(e.span, MAX_DEPTH..MAX_DEPTH + 1);
        // Far deeper input must not overflow the stack either.
        let f = "(".repeat(100_000);
        assert_eq!(err(&f).span, MAX_DEPTH..MAX_DEPTH + 1);
        let f = "NOT ".repeat(100_000) + "x = 1";
        assert_eq!(err(&f).span, MAX_DEPTH * 4..MAX_DEPTH * 4 + 3);
    }

    // --- robustness ---------------------------------------------------------

    const SAMPLES: &[&str] = &[
        "project in (PLAT, INFRA) AND type != Epic",
        "project = X OR project = Y",
        "(project = A AND x = 1) AND y = 2",
        "project in (A, B) AND project = A",
        "project = \"Plattform Ü\" AND summary ~ 'Größe \\' x'",
        "NOT (project = A OR b in membersOf(\"jira-users\")) AND project = B",
        "project in projectsLeadByUser() ORDER BY Rank ASC, created DESC",
        "cf[10001] >= 5 AND \"Epic Name\" !~ 'x' AND due <= -1d",
        "status was not in (Open, Done) AND assignee changed",
        "x is not EMPTY AND y is null AND z = EMPTY",
        "((((project = A))))",
        "project = A && x = 1 || !y",
        "sprint in openSprints() AND f = g(1, 'two', three)",
        "ORDER BY rank",
        "project = SCRUM or \"Epic Name\" in ('Lonely Epic')",
        "status was Open after \"2024-01-01\"",
        "a = 1 AND (b = 2 OR (c = 3 AND NOT d in (e, f)))",
        "project in (A,) AND",
        "résumé = x AND project = Ü1 order by cf[1] desc",
        "\"unterminated \\",
        "x = \u{1F600} AND project = \"\u{1F600}\"",
    ];

    #[test]
    fn no_panic_on_any_prefix() {
        for sample in SAMPLES {
            for end in 0..=sample.len() {
                if let Some(prefix) = sample.get(..end) {
                    check_spans(prefix);
                }
            }
        }
    }

    #[test]
    fn no_panic_on_random_input() {
        // Deterministic LCG (Numerical Recipes constants); no extra dependencies.
        let mut state: u64 = 0x5eed_1234_abcd_0001;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u32
        };
        // Half the cases draw from JQL-ish fragments, half from raw bytes.
        const PIECES: &[&str] = &[
            "project",
            " = ",
            " in ",
            "(",
            ")",
            ",",
            " AND ",
            " OR ",
            "NOT ",
            "A",
            "\"x y\"",
            "'",
            "\"",
            "\\",
            "is",
            " not ",
            "EMPTY",
            "was",
            "changed",
            "f()",
            "cf[1]",
            "!",
            "~",
            ">=",
            " ORDER BY ",
            "asc",
            "Ü",
            "-1d",
            " ",
        ];
        for case in 0..3000 {
            let len = next() % 40;
            let input = if case % 2 == 0 {
                let mut s = String::new();
                for _ in 0..len {
                    s.push_str(PIECES[next() as usize % PIECES.len()]);
                }
                s
            } else {
                let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            };
            check_spans(&input);
        }
    }

    /// Parses without panicking and checks that every span is a valid slice of the input.
    fn check_spans(input: &str) {
        let valid =
            |span: &Range<usize>| span.start <= span.end && input.get(span.clone()).is_some();
        match parse_filter(input) {
            Ok(FilterProjects::Known(refs)) => {
                for r in refs {
                    assert!(valid(&r.span), "`{input}`: {r:?}");
                }
            }
            Ok(FilterProjects::Complex {
                reason: ComplexReason::TopLevelOr { span },
            }) => {
                assert!(valid(&span), "`{input}`: {span:?}");
                assert!(input[span].eq_ignore_ascii_case("or"));
            }
            Ok(FilterProjects::Complex { .. }) => {}
            Err(e) => {
                assert!(valid(&e.span), "`{input}`: {e:?}");
                assert!(!e.message.is_empty());
            }
        }
    }
}
