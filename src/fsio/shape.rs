//! What a rewritten document keeps from the file it replaces: its line endings and its
//! UTF-8 byte order mark. `fmt` and `--fix` edit text with `toml_edit`, which writes `\n`
//! and drops a BOM; the shape of the original is put back before writing.

const BOM: char = '\u{feff}';

/// The byte-level conventions of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    bom: bool,
    crlf: bool,
}

impl Shape {
    /// A file uses CRLF when every line break in it is `\r\n` (and it has one).
    pub fn of(text: &str) -> Self {
        let breaks = text.matches('\n').count();
        Self {
            bom: text.starts_with(BOM),
            crlf: breaks > 0 && text.matches("\r\n").count() == breaks,
        }
    }

    /// `edited` with this shape: BOM in front when the original had one, and every lone
    /// `\n` written as `\r\n` when the original used CRLF.
    pub fn restore(self, edited: &str) -> String {
        let body = edited.strip_prefix(BOM).unwrap_or(edited);
        let mut out = String::with_capacity(edited.len() + edited.len() / 16 + 3);
        if self.bom {
            out.push(BOM);
        }
        if !self.crlf {
            out.push_str(body);
            return out;
        }
        let mut previous = '\0';
        for c in body.chars() {
            if c == '\n' && previous != '\r' {
                out.push('\r');
            }
            out.push(c);
            previous = c;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_bom_come_back() {
        let original = "\u{feff}a = 1\r\nb = 2\r\n";
        let edited = "a = 1\nb = 2\n";
        assert_eq!(Shape::of(original).restore(edited), original);
    }

    #[test]
    fn mixed_or_lf_files_are_left_alone() {
        for original in ["a = 1\nb = 2\r\n", "a = 1\n", "no break"] {
            assert_eq!(Shape::of(original).restore("x\ny\n"), "x\ny\n");
        }
    }

    #[test]
    fn existing_crlf_is_not_doubled() {
        let shape = Shape::of("a\r\n");
        assert_eq!(shape.restore("a\r\nb\n"), "a\r\nb\r\n");
    }
}
