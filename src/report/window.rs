//! A miette source that reads only the lines around a span.
//!
//! miette's own `SourceCode for str` scans from the start of the text on every read, so
//! a file with 100,000 findings took minutes to render. [`Window`] starts the scan at
//! the first context line instead (found by binary search in line starts computed once
//! per file) and shifts the result back, so output is byte-for-byte what miette prints
//! for the whole text.
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Window {
    text: Arc<str>,
    /// Offsets where lines start, counting line breaks as miette does (`\n`, `\r\n`, `\r`).
    starts: Arc<[usize]>,
}

impl Window {
    pub fn new(text: Arc<str>, starts: Arc<[usize]>) -> Self {
        Self { text, starts }
    }
}

/// Line starts as miette counts lines (the breaks found with `memchr`: a `human` report
/// computes them for every file it shows).
pub fn line_starts(text: &str) -> Arc<[usize]> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        // `\r\n` is one break, at its `\n`.
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts.into()
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // 0-based line of the span's start, then back by the context lines wanted and
        // one more, so the span never starts the slice (miette treats offset 0 specially).
        let line = self
            .starts
            .partition_point(|&s| s <= span.offset())
            .saturating_sub(1);
        let first = line.saturating_sub(context_lines_before + 1);
        let base = self.starts.get(first).copied().unwrap_or(0);
        if base == 0 || base > self.text.len() {
            return self
                .text
                .read_span(span, context_lines_before, context_lines_after);
        }
        let sub = &self.text.as_bytes()[base..];
        let shifted = SourceSpan::new((span.offset() - base).into(), span.len());
        let inner = sub.read_span(&shifted, context_lines_before, context_lines_after)?;
        let data: &'a [u8] = inner.data();
        let inner_span = *inner.span();
        Ok(Box::new(MietteSpanContents::new(
            data,
            SourceSpan::new((inner_span.offset() + base).into(), inner_span.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exactly_what_miette_reads_from_the_whole_text() {
        let text = "a = 1\nb = [\r\n  \"çé\",\r  2,\n]\n\n# 役割\nlast = true";
        let window = Window::new(Arc::from(text), line_starts(text));
        for offset in 0..=text.len() {
            for len in [0, 1, 3, 9] {
                for context in 0..3 {
                    let span = SourceSpan::new(offset.into(), len);
                    let want = text.read_span(&span, context, context);
                    let got = window.read_span(&span, context, context);
                    match (want, got) {
                        (Ok(w), Ok(g)) => {
                            let at = format!("span {offset}+{len}, context {context}");
                            assert_eq!(w.data(), g.data(), "{at}");
                            assert_eq!(w.span(), g.span(), "{at}");
                            assert_eq!(w.line(), g.line(), "{at}");
                            assert_eq!(w.column(), g.column(), "{at}");
                            assert_eq!(w.line_count(), g.line_count(), "{at}");
                        }
                        (Err(_), Err(_)) => {}
                        (w, g) => panic!("{offset}+{len}: {:?} vs {:?}", w.is_ok(), g.is_ok()),
                    }
                }
            }
        }
    }
}
