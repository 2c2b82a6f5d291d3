//! Recursive descent over Atlassian's JQL grammar (`Jql.g`):
//!
//! ```text
//! query    := [or] [ORDER BY sort (, sort)*]
//! or       := and (OR and)*                    OR  = or | "|" | "||"
//! and      := not (AND not)*                   AND = and | "&" | "&&"
//! not      := (NOT | "!") not | "(" or ")" | clause
//! clause   := field operator [operand] predicate*
//! field    := number | (string | cf "[" number "]") ("[" argument "]" property*)*
//! operand  := EMPTY | string | number | function | list
//! list     := "(" operand ("," operand)* ")"
//! function := (string | number) "(" [argument ("," argument)*] ")"
//! predicate:= (FROM | TO | BY | BEFORE | AFTER | ON | DURING) operand
//! sort     := field [ASC | DESC]
//! ```
//!
//! plus the checks Jira's parser makes after the grammar: `CHANGED` takes no operand and
//! every other operator one; history predicates follow only `WAS ...` and `CHANGED`; an
//! entity property (`issue.property[triage].level`) starts with a `.`.
//! It keeps only what project derivation needs ([`Expr`]).
use super::lexer::{Cmp, Kw, Tok, Token};
use super::{error, FilterError, ProjectRef, MAX_DEPTH};
use std::ops::Range;

#[derive(Debug)]
pub enum Expr {
    /// One or more ORs; only the first OR's span matters (it is what we report).
    Or { first_or: Range<usize> },
    /// Conjuncts, already flattened through parenthesised AND-groups.
    And(Vec<Expr>),
    /// `project = X` or `project in (X, Y)` with literal values only.
    Project(Vec<ProjectRef>),
    /// `project = f()` / `project in (A, f())`: a positive project clause whose projects
    /// only Jira can know when it runs the query; `span` covers the clause.
    ProjectOpaque { span: Range<usize> },
    /// Any other clause, a NOT, or a project clause that guarantees nothing.
    Other,
}

/// An operand: the literal values it names, or `None` when one of them is not a literal.
pub(super) type Operand = Option<Vec<ProjectRef>>;

pub struct Parser<'a> {
    pub src: &'a str,
    pub tokens: Vec<Token>,
    pub pos: usize,
    pub depth: usize,
}

fn describe(tok: &Tok) -> &'static str {
    match tok {
        Tok::Kw(_) | Tok::And | Tok::Or => "keyword",
        _ => "token",
    }
}

impl Parser<'_> {
    pub(super) fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    pub(super) fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    pub(super) fn peek_at(&self, offset: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + offset).map(|t| &t.tok)
    }

    pub(super) fn advance(&mut self) -> Option<Token> {
        let tok = self.tokens.get(self.pos).cloned();
        if tok.is_some() {
            self.pos += 1;
        }
        tok
    }

    pub(super) fn at(&self, tok: &Tok) -> bool {
        self.peek_tok() == Some(tok)
    }

    pub(super) fn at_kw(&self, kw: Kw) -> bool {
        self.at(&Tok::Kw(kw))
    }

    /// End of the previous token (for spans of whole clauses).
    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    /// Source text of a span for messages, shortened so a huge token stays readable.
    pub(super) fn text(&self, span: &Range<usize>) -> String {
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
    pub(super) fn missing(&self, what: &str) -> FilterError {
        match self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(prev) => error(
                format!("missing {what} after `{}`", self.text(&prev.span)),
                prev.span.clone(),
            ),
            None => error(format!("missing {what}"), 0..self.src.len()),
        }
    }

    /// Error for a token that is not what the grammar allows here; a keyword where a
    /// string belongs says how to use the word as a string.
    pub(super) fn unexpected(&self, expected: &str, tok: &Token) -> FilterError {
        let mut message = format!("expected {expected}, found `{}`", self.text(&tok.span));
        if describe(&tok.tok) == "keyword" && expected_is_string(expected) {
            message.push_str(" (a JQL keyword: put it in quotes to use it as text)");
        }
        error(message, tok.span.clone())
    }

    /// The next token, or a "missing" error.
    pub(super) fn expect_some(&self, what: &str) -> Result<Token, FilterError> {
        self.peek().cloned().ok_or_else(|| self.missing(what))
    }

    pub(super) fn enter(&mut self, span: &Range<usize>) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(error(
                format!("filter nests deeper than {MAX_DEPTH} levels"),
                span.clone(),
            ));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// query := [or] [ORDER BY sort (, sort)*]
    pub fn parse_query(&mut self) -> Result<Option<Expr>, FilterError> {
        let expr = if self.at_kw(Kw::Order) || self.peek().is_none() {
            None
        } else {
            Some(self.parse_or()?)
        };
        let ordered = self.at_kw(Kw::Order);
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

    /// or := and (OR and)*   — AND binds tighter than OR.
    fn parse_or(&mut self) -> Result<Expr, FilterError> {
        let first = self.parse_and()?;
        let mut first_or = None;
        while self.at(&Tok::Or) {
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

    /// and := not (AND not)*
    fn parse_and(&mut self) -> Result<Expr, FilterError> {
        let mut terms = Vec::new();
        push_flat(&mut terms, self.parse_not()?);
        while self.at(&Tok::And) {
            self.advance();
            push_flat(&mut terms, self.parse_not()?);
        }
        Ok(if terms.len() == 1 {
            terms.pop().unwrap_or(Expr::Other)
        } else {
            Expr::And(terms)
        })
    }

    /// not := (NOT | !) not | '(' or ')' | clause
    fn parse_not(&mut self) -> Result<Expr, FilterError> {
        let tok = self.expect_some("clause")?;
        if matches!(tok.tok, Tok::Kw(Kw::Not) | Tok::Bang) {
            self.enter(&tok.span)?;
            self.advance();
            // Whatever is negated guarantees no project.
            self.parse_not()?;
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

    /// clause := field operator [operand] predicate*
    fn parse_clause(&mut self) -> Result<Expr, FilterError> {
        let start = self.peek().map_or(0, |t| t.span.start);
        let is_project = self.parse_field()?;
        let op = self.expect_some("operator")?;
        self.advance();
        // Which operator, whether it takes a list, and whether it can guarantee projects.
        enum Op {
            Single { positive: bool },
            List { positive: bool },
            Is,
            Was,
            Changed,
        }
        let kind = match &op.tok {
            Tok::Cmp(cmp) => Op::Single {
                positive: *cmp == Cmp::Eq,
            },
            Tok::Kw(Kw::In) => Op::List { positive: true },
            Tok::Kw(Kw::Not) => {
                if !self.at_kw(Kw::In) {
                    return Err(match self.peek() {
                        Some(t) => self.unexpected("`IN` after `NOT`", t),
                        None => self.missing("`IN`"),
                    });
                }
                self.advance();
                Op::List { positive: false }
            }
            Tok::Kw(Kw::Is) => {
                if self.at_kw(Kw::Not) {
                    self.advance();
                }
                Op::Is
            }
            Tok::Kw(Kw::Was) => {
                if self.at_kw(Kw::Not) {
                    self.advance();
                }
                if self.at_kw(Kw::In) {
                    self.advance();
                }
                Op::Was
            }
            Tok::Kw(Kw::Changed) => Op::Changed,
            _ => return Err(self.unexpected("an operator", &op)),
        };
        let guaranteed = match kind {
            Op::Single { positive } => {
                if let Some(Token {
                    tok: Tok::LParen,
                    span,
                }) = self.peek()
                {
                    return Err(error(
                        "a list needs `IN`, not a single-value operator",
                        span.clone(),
                    ));
                }
                let value = self.parse_operand("value")?;
                positive.then_some(value)
            }
            Op::List { positive } => {
                let value = self.parse_list_operand()?;
                positive.then_some(value)
            }
            Op::Is => {
                match self.peek() {
                    Some(Token {
                        tok: Tok::Kw(Kw::Empty),
                        ..
                    }) => {
                        self.advance();
                    }
                    Some(t) => return Err(self.unexpected("`EMPTY` or `NULL`", t)),
                    None => return Err(self.missing("`EMPTY` or `NULL`")),
                }
                None
            }
            Op::Was => {
                // History says nothing about where an issue is now.
                self.parse_operand("value")?;
                self.parse_predicates()?;
                None
            }
            Op::Changed => {
                if self.peek().is_some_and(|t| !ends_clause(&t.tok)) && !self.at_predicate() {
                    let t = self.expect_some("predicate")?;
                    return Err(error(
                        format!(
                            "`CHANGED` takes no value, found `{}`; use `CHANGED TO ...` or `CHANGED FROM ...`",
                            self.text(&t.span)
                        ),
                        t.span,
                    ));
                }
                self.parse_predicates()?;
                None
            }
        };
        if self.at_predicate() {
            let t = self.expect_some("predicate")?;
            return Err(error(
                format!(
                    "history predicate `{}` follows only `WAS` and `CHANGED`",
                    self.text(&t.span).to_uppercase()
                ),
                t.span,
            ));
        }
        Ok(match guaranteed {
            Some(Some(refs)) if is_project => Expr::Project(refs),
            Some(None) if is_project => Expr::ProjectOpaque {
                span: start..self.prev_end(),
            },
            _ => Expr::Other,
        })
    }

    fn at_predicate(&self) -> bool {
        matches!(
            self.peek_tok(),
            Some(Tok::Kw(
                Kw::From | Kw::To | Kw::By | Kw::Before | Kw::After | Kw::On | Kw::During
            ))
        )
    }

    /// predicate* := ((FROM | TO | BY | BEFORE | AFTER | ON | DURING) operand)*
    fn parse_predicates(&mut self) -> Result<(), FilterError> {
        while self.at_predicate() {
            self.advance();
            self.parse_operand("value")?;
        }
        Ok(())
    }
}

/// Messages that ask for text: a keyword there may be meant as text.
fn expected_is_string(expected: &str) -> bool {
    matches!(
        expected,
        "a value" | "a field" | "a function argument" | "a property key"
    )
}

/// Tokens that may follow a complete clause.
fn ends_clause(tok: &Tok) -> bool {
    matches!(tok, Tok::And | Tok::Or | Tok::RParen | Tok::Kw(Kw::Order))
}

/// Adds a conjunct, splicing in the terms of a parenthesised AND-group so that
/// `(project = A AND x = 1) AND y = 2` is treated like its flat form.
fn push_flat(terms: &mut Vec<Expr>, expr: Expr) {
    match expr {
        Expr::And(inner) => terms.extend(inner),
        other => terms.push(other),
    }
}
