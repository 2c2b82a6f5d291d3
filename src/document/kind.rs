//! A document's `kind` read before the document is parsed, so that loading can order the
//! work: policies and catalogues make the rule set every other document is judged by.
//!
//! Top-level keys come before every table header in TOML (a header opens a table, and a
//! string `kind` cannot be written under one), so the lexer of the `toml` crate reads the
//! file only up to its first header: `kind = "..."` spelt any way TOML allows (quoted key,
//! literal or escaped string) is found exactly, and a file whose `kind` is anything else is
//! left to the full parse, which reports it.
use toml_parser::lexer::{Token, TokenKind};
use toml_parser::Source;

/// The string value of the top-level `kind`, when one is written before the first table
/// header; `None` when there is none (or it is not a string, or the text around it is not
/// TOML): then only the full parse can say what the file is.
pub fn top_level(text: &str) -> Option<String> {
    let source = Source::new(text);
    let mut tokens = source.lex().filter(|t| t.kind() != TokenKind::Whitespace);
    loop {
        let first = tokens.next()?;
        match first.kind() {
            TokenKind::Newline | TokenKind::Comment => continue,
            TokenKind::LeftSquareBracket | TokenKind::Eof => return None,
            _ => {}
        }
        // A key: simple keys joined by dots, then `=`.
        let mut parts = 1;
        let mut is_kind = key_is(&source, &first, "kind");
        loop {
            let next = tokens.next()?;
            match next.kind() {
                TokenKind::Equals => break,
                TokenKind::Dot => {
                    let part = tokens.next()?;
                    is_key_part(&part).then_some(())?;
                    parts += 1;
                    is_kind = false;
                }
                _ => return None,
            }
        }
        let value = tokens.next()?;
        if parts == 1 && is_kind {
            return string(&source, &value);
        }
        skip_value(value, &mut tokens)?;
    }
}

/// Is this token a (simple) key spelling `name`?
fn key_is(source: &Source<'_>, token: &Token, name: &str) -> bool {
    if !is_key_part(token) {
        return false;
    }
    let Some(raw) = source.get(token) else {
        return false;
    };
    let mut key = String::new();
    let mut failed = false;
    raw.decode_key(&mut key, &mut |_| failed = true);
    !failed && key == name
}

fn is_key_part(token: &Token) -> bool {
    matches!(
        token.kind(),
        TokenKind::Atom | TokenKind::BasicString | TokenKind::LiteralString
    )
}

/// The decoded text of a string value; `None` for any other value or a string TOML refuses.
fn string(source: &Source<'_>, token: &Token) -> Option<String> {
    let strings = [
        TokenKind::BasicString,
        TokenKind::LiteralString,
        TokenKind::MlBasicString,
        TokenKind::MlLiteralString,
    ];
    if !strings.contains(&token.kind()) {
        return None;
    }
    let raw = source.get(token)?;
    let mut value = String::new();
    let mut failed = false;
    let _ = raw.decode_scalar(&mut value, &mut |_| failed = true);
    (!failed).then_some(value)
}

/// Skip one value (arrays and inline tables may span lines) and the end of its line.
fn skip_value(first: Token, tokens: &mut impl Iterator<Item = Token>) -> Option<()> {
    let mut depth = 0usize;
    let mut token = first;
    loop {
        match token.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.checked_sub(1)?;
            }
            TokenKind::Newline | TokenKind::Comment if depth == 0 => return Some(()),
            TokenKind::Eof => return None,
            _ => {}
        }
        token = tokens.next()?;
    }
}

#[cfg(test)]
mod tests {
    use super::top_level;

    /// What the full parse says the top-level `kind` is, when it is a string.
    fn parsed(text: &str) -> Option<String> {
        let table = toml::de::DeTable::parse(text).ok()?;
        let kind = table.get_ref().get("kind")?;
        kind.get_ref().as_str().map(str::to_string)
    }

    /// The lexer and the full parse agree on every way of writing `kind` (a file the
    /// parse rejects may read either way: it is no document whatever it is routed to).
    #[test]
    fn reads_kind_as_the_parser_does() {
        let cases = [
            "kind = \"policy\"\n",
            "kind='policy'",
            "\u{feff}kind = \"align-role\"",
            "# c\n\n  kind   =   \"policy\"   # trailing\n[rule]\n",
            "\"kind\" = \"policy\"",
            "'kind' = 'align-catalogue'",
            "kind = \"pol\\u0069cy\"",
            "k\\u0069nd = \"policy\"",
            "\"k\\u0069nd\" = \"policy\"",
            "kind = \"\"\"policy\"\"\"",
            "kind = '''policy'''",
            "kind = \"\"\"\npolicy\"\"\"",
            "name = \"x\"\nkind = \"policy\"",
            "a = [\n  \"[x]\",\n  { k = 1 },\n]\nkind = \"policy\"",
            "a = { kind = \"policy\" }\nkind = \"align-role\"",
            "a.kind = \"policy\"",
            "kind.a = \"policy\"",
            "kind = 1",
            "kind = [\"policy\"]",
            "kind = { a = 1 }",
            "[t]\nkind = \"policy\"",
            "[kind]\na = 1",
            "[[kind]]\na = 1",
            "x = 1\n[t]\n[u]\n",
            "",
            "kind",
            "kind =",
            "kind = \"unterminated",
            "= \"policy\"",
            "kind = \"policy\" kind = \"x\"",
            "kind = \"bad \\q escape\"",
            "a = ]\nkind = \"policy\"",
            "a = \"\"\"\n[t]\n\"\"\"\nkind = \"policy\"",
            "a = '''\nkind = \"align-role\"\n'''\nkind = \"policy\"",
            "kind = \"policy\"\r\n",
            "a = { b = [1, { c = \"]\" }] }\nkind = \"align-role\"",
        ];
        for text in cases {
            let want = parsed(text);
            let got = top_level(text);
            if toml::de::DeTable::parse(text).is_ok() {
                assert_eq!(got, want, "{text:?}");
            } else {
                // Never a different valid kind than a repair could give: at most the one
                // written first before any header.
                assert!(got.is_none() || text.contains("kind"), "{text:?}: {got:?}");
            }
        }
    }

    /// Every document the tests and the built-in policies hold reads the same both ways.
    #[test]
    fn reads_every_fixture_as_the_parser_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in ["tests/fixtures", "policies"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.expect("walk the fixtures");
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "toml") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                if toml::de::DeTable::parse(&text).is_ok() {
                    assert_eq!(top_level(&text), parsed(&text), "{}", path.display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 100, "only {seen} fixtures read");
    }
}
