//! A value pretty-printed where it sits in a larger document: `serde_json`'s
//! `PrettyFormatter` (two spaces an indent) starting some levels deep. The bytes are those of
//! pretty-printing the value alone and indenting every line after it, made in one pass:
//! `json` and `sarif` write their findings' objects straight into the document this way.
use serde::Serialize;
use std::io::{self, Write};

/// Append `value` to `buf` as `serde_json`'s pretty printer lays it out `depth` levels deep
/// (its first line is not indented: it follows a key or the caller's indent).
pub fn write(buf: &mut Vec<u8>, value: &impl Serialize, depth: usize) -> io::Result<()> {
    let formatter = Nested {
        depth,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(buf, formatter);
    value.serialize(&mut ser).map_err(io::Error::from)
}

struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Alone at depth 0 it is `serde_json`'s pretty printer; deeper, every line after the
    /// first is indented two spaces a level, empty arrays and objects included.
    #[test]
    fn nested_is_pretty_printing_indented() {
        let value = json!({"a": [1, {"b": []}, {}], "c": {"d": "e\n\"f\""}, "g": null});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        for depth in [0, 1, 4] {
            let mut buf = Vec::new();
            super::write(&mut buf, &value, depth).unwrap();
            let indent = "  ".repeat(depth);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                pretty.replace('\n', &format!("\n{indent}"))
            );
        }
    }
}
