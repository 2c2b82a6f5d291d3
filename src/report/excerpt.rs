//! The part of a file a human report shows, made inert and bounded.
//!
//! miette prints every line from a finding's first label to its last, each line whole
//! and as it is: a 34 KB line with thousands of findings printed itself once per finding
//! (hundreds of MB), a span beyond column 65,535 panicked the renderer (it formats
//! columns as `u16` widths), and an escape sequence in a file reached the terminal.
//! [`Snippet::new`] hands miette the file itself ([`Window`]) when the lines to show are
//! few, short and plain, which is every ordinary finding, and otherwise an [`Excerpt`]:
//! only the lines around each label, each cut to a window around the label, control
//! characters shown escaped, with the labels' spans moved to match. Line numbers and
//! the `[path:line:col]` header stay those of the file.
use super::window::Window;
use crate::inert;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::ops::Range;
use std::sync::Arc;

/// A file's lines to show are shown as they are when there are at most this many...
pub const MAX_LINES: usize = 40;
/// ...and none is longer than this many bytes.
pub const MAX_LINE_BYTES: usize = 256;
/// A longer line shows a window of about this many bytes around its label.
pub const WINDOW_BYTES: usize = 120;
/// How far before the label the window starts.
const LEAD_BYTES: usize = 40;
/// A label over more lines than this is shown on its first line only.
pub const MAX_SPAN_LINES: usize = 8;

/// What miette reads a file's lines from.
#[derive(Debug, Clone)]
pub enum Snippet {
    Whole(Window),
    Excerpt(Excerpt),
}

impl Snippet {
    /// The source to render `spans` (labels, primary first) of a file from, and the spans
    /// to give miette for them.
    pub fn new(
        text: Arc<str>,
        starts: Arc<[usize]>,
        spans: &[Range<usize>],
    ) -> (Self, Vec<Range<usize>>) {
        let lines = Lines {
            text: &text,
            starts: &starts,
        };
        let clamped: Vec<Range<usize>> = spans
            .iter()
            .map(|s| {
                let start = s.start.min(text.len());
                start..s.end.clamp(start, text.len())
            })
            .collect();
        let first = clamped.iter().map(|s| lines.of(s.start)).min().unwrap_or(0);
        let last = clamped.iter().map(|s| lines.last_of(s)).max().unwrap_or(0);
        let (first, last) = (first.saturating_sub(1), (last + 1).min(starts.len() - 1));
        let plain = last - first < MAX_LINES
            && (first..=last).all(|l| {
                let line = lines.content(l);
                line.len() <= MAX_LINE_BYTES && !has_shown_control(&text[line])
            });
        if plain {
            let spans = spans.to_vec();
            return (Self::Whole(Window::new(text, starts)), spans);
        }
        let (excerpt, mapped) = Excerpt::new(&lines, &clamped);
        (Self::Excerpt(excerpt), mapped)
    }
}

/// A control character other than a tab (miette shows tabs as spaces).
fn has_shown_control(s: &str) -> bool {
    inert::has_control(s) && s.chars().any(|c| c != '\t' && inert::is_control(c))
}

/// Lines of a file as miette counts them (`\n`, `\r\n` and a lone `\r` end a line).
struct Lines<'a> {
    text: &'a str,
    starts: &'a [usize],
}

impl Lines<'_> {
    /// 0-based line holding `offset`.
    fn of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Line of a span's last byte.
    fn last_of(&self, span: &Range<usize>) -> usize {
        self.of(span.end.saturating_sub(1).max(span.start))
    }

    /// Bytes of line `l` without its line break.
    fn content(&self, l: usize) -> Range<usize> {
        let start = self.starts[l];
        let Some(&next) = self.starts.get(l + 1) else {
            return start..self.text.len();
        };
        let bytes = self.text.as_bytes();
        let brk = if next >= 2 && &bytes[next - 2..next] == b"\r\n" {
            2
        } else {
            1
        };
        start..(next - brk).max(start)
    }
}

/// Some lines of a file, rewritten to be shown: see the module documentation.
#[derive(Debug, Clone)]
pub struct Excerpt {
    text: Arc<str>,
    lines: Vec<ShownLine>,
    /// Where a label starts in `text`, and its column in the file's line (as miette
    /// counts columns: bytes), for the `[path:line:col]` header.
    columns: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct ShownLine {
    /// Offsets in the excerpt's text: the line without its `\n`.
    start: usize,
    end: usize,
    /// 0-based line in the file.
    number: usize,
    /// Lines of one group are consecutive in the file.
    group: usize,
}

impl Excerpt {
    fn new(lines: &Lines, spans: &[Range<usize>]) -> (Self, Vec<Range<usize>>) {
        // A long multi-line label keeps its first line only.
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|s| {
                let (a, b) = (lines.of(s.start), lines.last_of(s));
                if b - a >= MAX_SPAN_LINES {
                    s.start..lines.content(a).end.max(s.start)
                } else {
                    s.clone()
                }
            })
            .collect();
        // The lines around each label, merged where they touch.
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let last = (lines.last_of(s) + 1).min(lines.starts.len() - 1);
                (lines.of(s.start).saturating_sub(1), last)
            })
            .collect();
        ranges.sort_unstable();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match groups.last_mut() {
                Some(g) if a <= g.1 + 1 => g.1 = g.1.max(b),
                _ => groups.push((a, b)),
            }
        }
        let mut text = String::new();
        let mut shown = Vec::new();
        // Where each span's start and end land in `text`.
        let mut mapped: Vec<Range<usize>> = vec![0..0; spans.len()];
        for (group, &(a, b)) in groups.iter().enumerate() {
            for number in a..=b {
                let content = lines.content(number);
                let window = window(lines.text, &content, &spans);
                let start = text.len();
                let ends = |p: usize| (content.start..=lines.line_end(number)).contains(&p);
                let mut points: Vec<(usize, usize, bool)> = Vec::new(); // (offset, span, is_end)
                for (i, s) in spans.iter().enumerate() {
                    if ends(s.start) && lines.of(s.start) == number {
                        points.push((s.start, i, false));
                    }
                    if ends(s.end) && lines.last_of(s) == number {
                        points.push((s.end, i, true));
                    }
                }
                let at = write_line(&mut text, lines.text, &content, &window, &points);
                for (offset, (_, i, is_end)) in at.into_iter().zip(&points) {
                    if *is_end {
                        mapped[*i].end = offset;
                    } else {
                        mapped[*i].start = offset;
                    }
                }
                shown.push(ShownLine {
                    start,
                    end: text.len(),
                    number,
                    group,
                });
                text.push('\n');
            }
        }
        for m in &mut mapped {
            m.end = m.end.max(m.start);
        }
        let columns = spans
            .iter()
            .zip(&mapped)
            .map(|(s, m)| (m.start, s.start - lines.starts[lines.of(s.start)]))
            .collect();
        let excerpt = Self {
            text: text.into(),
            lines: shown,
            columns,
        };
        (excerpt, mapped)
    }

    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }
}

impl Lines<'_> {
    /// Where line `l` ends, its line break included.
    fn line_end(&self, l: usize) -> usize {
        self.starts.get(l + 1).copied().unwrap_or(self.text.len())
    }
}

/// The bytes of a line to show: all of it when short, else a window around the first
/// label starting (or, failing that, ending) on it.
fn window(text: &str, content: &Range<usize>, spans: &[Range<usize>]) -> Range<usize> {
    if content.len() <= MAX_LINE_BYTES {
        return content.clone();
    }
    let on_line = |p: usize| content.contains(&p).then_some(p);
    let anchor = spans
        .iter()
        .find_map(|s| on_line(s.start))
        .or_else(|| spans.iter().find_map(|s| on_line(s.end)))
        .unwrap_or(content.start);
    let latest = content.end.saturating_sub(WINDOW_BYTES).max(content.start);
    let start = anchor
        .saturating_sub(LEAD_BYTES)
        .clamp(content.start, latest);
    let end = (start + WINDOW_BYTES).min(content.end);
    floor_boundary(text, start)..ceil_boundary(text, end)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Append the window of a line to `out`, escaped, with `…` where it was cut; return
/// where each of `points` (file offsets on this line) lands in `out`.
fn write_line(
    out: &mut String,
    text: &str,
    content: &Range<usize>,
    window: &Range<usize>,
    points: &[(usize, usize, bool)],
) -> Vec<usize> {
    let mut at = vec![usize::MAX; points.len()];
    if window.start > content.start {
        out.push('…');
    }
    let place = |offset: usize, out_len: usize, at: &mut Vec<usize>| {
        for (k, p) in points.iter().enumerate() {
            if at[k] == usize::MAX && p.0 <= offset {
                at[k] = out_len;
            }
        }
    };
    for (i, c) in text[window.clone()].char_indices() {
        place(window.start + i, out.len(), &mut at);
        if c != '\t' && inert::is_control(c) {
            let mut buf = [0; 4];
            out.push_str(&inert::escape(c.encode_utf8(&mut buf)));
        } else {
            out.push(c);
        }
    }
    // Points at or after the window's end (or in the line break) land at its end.
    let end = out.len();
    for a in &mut at {
        if *a == usize::MAX {
            *a = end;
        }
    }
    if window.end < content.end {
        out.push('…');
    }
    at
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        match self {
            Self::Whole(w) => w.read_span(span, context_lines_before, context_lines_after),
            Self::Excerpt(e) => e.read_span(span, context_lines_before, context_lines_after),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let i = self.line_at(span.offset());
        let end = (span.offset() + span.len())
            .saturating_sub(1)
            .max(span.offset());
        let group = self.lines[i].group;
        // Context stays within the label's group of consecutive lines.
        let mut j = self.line_at(end).max(i);
        while self.lines[j].group != group {
            j -= 1;
        }
        let group_first = (0..=i)
            .rev()
            .take_while(|&k| self.lines[k].group == group)
            .last()
            .unwrap_or(i);
        let first = i.saturating_sub(context_lines_before).max(group_first);
        let mut last = j;
        while last - j < context_lines_after
            && self.lines.get(last + 1).is_some_and(|l| l.group == group)
        {
            last += 1;
        }
        let from = self.lines[first].start;
        let to = (self.lines[last].end + 1).min(self.text.len());
        let column = if context_lines_before == 0 {
            self.columns
                .iter()
                .find(|(at, _)| *at == span.offset())
                .map_or(span.offset() - self.lines[i].start, |(_, c)| *c)
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new(
            &self.text.as_bytes()[from..to],
            SourceSpan::new(from.into(), to - from),
            self.lines[first].number,
            column,
            last - first + 1,
        )))
    }
}

#[cfg(test)]
// A slice of one label's span is what a renderer is given.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use crate::report::window::line_starts;
    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

    fn render(source: Snippet, spans: &[Range<usize>]) -> String {
        let labels = spans
            .iter()
            .enumerate()
            .map(|(i, s)| LabeledSpan::new(Some(format!("label {i}")), s.start, s.len()));
        let diagnostic = MietteDiagnostic::new("message").with_labels(labels);
        let report = miette::Report::new(diagnostic)
            .with_source_code(miette::NamedSource::new("f.toml", source));
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, report.as_ref())
            .expect("renders");
        out
    }

    fn excerpt(text: &str, spans: &[Range<usize>]) -> (Snippet, Vec<Range<usize>>) {
        let lines = Lines {
            text,
            starts: &line_starts(text),
        };
        let (e, spans) = Excerpt::new(&lines, spans);
        (Snippet::Excerpt(e), spans)
    }

    /// On plain short lines an excerpt renders exactly what the whole file renders.
    #[test]
    fn an_excerpt_of_plain_lines_renders_like_the_file() {
        let text = "a = 1\nb = [\r\n  \"çé\",\n  2,\n]\n\n# 役割\nlast = true";
        let whole = || Snippet::Whole(Window::new(Arc::from(text), line_starts(text)));
        // (miette draws no label at the very end of a file without a final line break;
        // an excerpt does.)
        let bounds: Vec<usize> = (0..text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &start in &bounds {
            for &end in bounds.iter().filter(|&&e| e >= start && e <= start + 9) {
                // A label over a line break ends on the line it starts on in an excerpt,
                // and one inside a `\r\n` is at the end of the line.
                if text[start..end].contains(['\n', '\r']) || text[..start].ends_with('\r') {
                    continue;
                }
                let spans = [start..end];
                let (e, mapped) = excerpt(text, &spans);
                assert_eq!(
                    render(e, &mapped),
                    render(whole(), &spans),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_label() {
        let text = format!("a = \"{}\" x\nb = 1\n", "y".repeat(100_000));
        let at = text.find(" x").expect("marker") + 1;
        let (snippet, spans) =
            Snippet::new(Arc::from(text.as_str()), line_starts(&text), &[at..at + 1]);
        assert!(matches!(snippet, Snippet::Excerpt(_)));
        let out = render(snippet, &spans);
        assert!(out.len() < 2_000, "{out}");
        assert!(out.contains("[f.toml:1:100008]"), "{out}");
        assert!(out.contains("…yyy"), "{out}");
        assert!(out.contains("label 0"), "{out}");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let text = "a = 1\nname = \"\u{1b}]8;;x\u{7}\" \u{9b}2J\nb = 2\n";
        let at = text.find("name").expect("marker");
        let (snippet, spans) = Snippet::new(Arc::from(text), line_starts(text), &[at..at + 4]);
        let out = render(snippet, &spans);
        assert!(
            !out.chars().any(|c| c != '\n' && inert::is_control(c)),
            "{out:?}"
        );
        assert!(out.contains("\\u{1b}]8;;x\\u{7}"), "{out}");
        assert!(out.contains("[f.toml:2:1]"), "{out}");
    }

    #[test]
    fn distant_labels_show_their_own_lines_only() {
        let text: String = (0..10_000).map(|i| format!("k{i} = {i}\n")).collect();
        let first = text.find("k5 ").expect("k5");
        let last = text.find("k9000 ").expect("k9000");
        let spans = [last..last + 5, first..first + 2];
        let (snippet, mapped) = Snippet::new(Arc::from(text.as_str()), line_starts(&text), &spans);
        let out = render(snippet, &mapped);
        assert!(out.lines().count() < 30, "{out}");
        assert!(out.contains("9001 │ k9000 = 9000"), "{out}");
        assert!(out.contains("6 │ k5 = 5"), "{out}");
    }

    #[test]
    fn a_long_multi_line_label_is_shown_on_its_first_line() {
        let text: String = std::iter::once("t = [\n".to_string())
            .chain((0..1_000).map(|i| format!("  {i},\n")))
            .chain(std::iter::once("]\n".to_string()))
            .collect();
        let spans = [4..text.len() - 1];
        let (snippet, mapped) = Snippet::new(Arc::from(text.as_str()), line_starts(&text), &spans);
        let out = render(snippet, &mapped);
        assert!(out.lines().count() < 15, "{out}");
    }
}
