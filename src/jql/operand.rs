//! The parts of a clause other than its operators: fields (`cf[10010]`, entity
//! properties), operands (values, lists, functions) and `ORDER BY`.
use super::lexer::{Kw, Tok, Token};
use super::parser::{Operand, Parser};
use super::{error, FilterError, ProjectRef};

impl Parser<'_> {
    /// field := number | (string | cf[N]) ('[' argument ']' property*)*
    /// Returns whether the field is plain `project`.
    pub(super) fn parse_field(&mut self) -> Result<bool, FilterError> {
        let tok = self.expect_some("field")?;
        let mut is_project = match &tok.tok {
            Tok::Number(_) => {
                self.advance();
                return Ok(false);
            }
            Tok::Str { text, .. } => {
                self.advance();
                text.eq_ignore_ascii_case("project")
            }
            Tok::Cf => {
                self.advance();
                self.parse_custom_field(&tok)?;
                false
            }
            _ => return Err(self.unexpected("a field", &tok)),
        };
        // Entity properties: `issue.property[triage].level`, `cf[10010][key].path`.
        while self.at(&Tok::LBracket) {
            is_project = false;
            let open = self.advance().map(|t| t.span).unwrap_or_default();
            match self.peek_tok() {
                Some(Tok::Str { .. } | Tok::Number(_)) => {
                    self.advance();
                }
                Some(_) => {
                    let t = self.expect_some("property key")?;
                    return Err(self.unexpected("a property key", &t));
                }
                None => return Err(error("unclosed `[`", open)),
            }
            match self.peek() {
                Some(Token {
                    tok: Tok::RBracket, ..
                }) => {
                    self.advance();
                }
                Some(t) => return Err(self.unexpected("`]`", t)),
                None => return Err(error("unclosed `[`", open)),
            }
            while let Some(Token {
                tok: Tok::Str { text, quoted },
                span,
            }) = self.peek().cloned()
            {
                let property = text.starts_with('.') && !quoted;
                if !property {
                    break;
                }
                if text.len() < 2 || text[1..].starts_with('.') {
                    return Err(error(
                        "a property path after `]` is `.name`, e.g. `[key].level`",
                        span,
                    ));
                }
                self.advance();
            }
        }
        Ok(is_project)
    }

    /// After `cf`: `[NUMBER]`.
    pub(super) fn parse_custom_field(&mut self, cf: &Token) -> Result<(), FilterError> {
        let malformed = |end: usize| {
            error(
                "malformed custom field, expected `cf[NUMBER]`",
                cf.span.start..end,
            )
        };
        for want in [Tok::LBracket, Tok::Number(String::new()), Tok::RBracket] {
            let Some(t) = self.peek().cloned() else {
                return Err(malformed(self.src.len()));
            };
            let ok = match (&want, &t.tok) {
                (Tok::Number(_), Tok::Number(n)) => !n.starts_with('-'),
                (w, got) => w == got,
            };
            if !ok {
                return Err(malformed(t.span.end));
            }
            self.advance();
        }
        Ok(())
    }

    /// After `IN`: a list or a function (Jira's validator refuses single values).
    pub(super) fn parse_list_operand(&mut self) -> Result<Operand, FilterError> {
        let tok = self.expect_some("list")?;
        let is_function = matches!(tok.tok, Tok::Str { .. } | Tok::Number(_))
            && self.peek_at(1) == Some(&Tok::LParen);
        if tok.tok != Tok::LParen && !is_function {
            return Err(self.unexpected("a list `( ... )` or a function", &tok));
        }
        self.parse_operand("list")
    }

    /// operand := EMPTY | string | number | function | list. Returns the literal values.
    pub(super) fn parse_operand(&mut self, what: &str) -> Result<Operand, FilterError> {
        let tok = self.expect_some(what)?;
        match &tok.tok {
            Tok::LParen => self.parse_list(),
            Tok::Str { .. } | Tok::Number(_) if self.peek_at(1) == Some(&Tok::LParen) => {
                // A function's result is only known to Jira at query time.
                self.parse_function()?;
                Ok(None)
            }
            Tok::Str { text, .. } | Tok::Number(text) => {
                self.advance();
                Ok(Some(vec![ProjectRef {
                    name: text.clone(),
                    span: tok.span.clone(),
                    numeric: matches!(tok.tok, Tok::Number(_)),
                }]))
            }
            Tok::Kw(Kw::Empty) => {
                self.advance();
                Ok(None)
            }
            _ => Err(self.unexpected("a value", &tok)),
        }
    }

    /// list := '(' operand (',' operand)* ')'; nested lists flatten, as Jira resolves them.
    pub(super) fn parse_list(&mut self) -> Result<Operand, FilterError> {
        let open = self.advance().map(|t| t.span).unwrap_or_default();
        self.enter(&open)?;
        if let Some(Token {
            tok: Tok::RParen,
            span,
        }) = self.peek()
        {
            return Err(error("empty list", open.start..span.end));
        }
        let mut refs = Some(Vec::new());
        loop {
            let item = self.parse_operand("value")?;
            // One non-literal item (a function, EMPTY) makes the whole set unknowable.
            refs = match (refs, item) {
                (Some(mut acc), Some(more)) => {
                    acc.extend(more);
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
                    self.leave();
                    return Ok(refs);
                }
                Some(t) => return Err(self.unexpected("`,` or `)`", t)),
                None => return Err(error("unclosed `(`", open)),
            }
        }
    }

    /// function := name '(' [argument (, argument)*] ')' with string or number arguments.
    pub(super) fn parse_function(&mut self) -> Result<(), FilterError> {
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
            let is_arg = matches!(tok.tok, Tok::Str { .. } | Tok::Number(_));
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

    /// ORDER BY sort (, sort)*  — parsed for validity only.
    pub(super) fn parse_order_by(&mut self) -> Result<(), FilterError> {
        self.advance();
        if !self.at_kw(Kw::By) {
            return Err(match self.peek() {
                Some(t) => self.unexpected("`BY` after `ORDER`", t),
                None => self.missing("`BY`"),
            });
        }
        self.advance();
        loop {
            self.parse_field()?;
            if self.at_kw(Kw::Asc) || self.at_kw(Kw::Desc) {
                self.advance();
            }
            if self.at(&Tok::Comma) {
                self.advance();
            } else {
                return Ok(());
            }
        }
    }
}
