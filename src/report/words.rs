//! Where miette may break a line of a human report.
//!
//! miette wraps messages, labels and help with textwrap, which finds break opportunities
//! with the Unicode line-breaking algorithm (UAX #14, through `icu_segmenter`): a tenth of
//! the CPU of a human report with many findings. In a line of letters, digits, spaces and
//! the punctuation in [`PLAIN`], the algorithm allows a break only after a run of spaces,
//! which is exactly what textwrap's `AsciiSpace` separator finds, far faster. Any other
//! line goes to the Unicode separator as before, so the output is the same byte for byte
//! (a test compares both separators over generated lines).
use textwrap::core::Word;
use textwrap::WordSeparator;

/// Punctuation that neither adds nor removes a break opportunity next to letters, digits,
/// spaces and itself under UAX #14 as textwrap applies it...
const PLAIN: &[u8] = b"`.,:;-_=<>*#&@\")]([";
/// ...except these after a space: UAX #14 may not break before them (IS, HY, CP)...
const NOT_AFTER_SPACE: &[u8] = b".,:;-)]";
/// ...and these (OP) anywhere but after a letter, digit or space, or before a space: UAX #14
/// breaks before them after other punctuation, and never after them and the spaces that follow.
const OPENING: &[u8] = b"([";

/// The separator to give miette.
pub const SEPARATOR: WordSeparator = WordSeparator::Custom(words);

/// Each byte's classes, so a line is judged in one pass (a twentieth of a dirty `human`
/// run's CPU went to judging lines in three passes with a search of [`PLAIN`] per byte).
const CLASS: [u8; 256] = classes();
const ALLOWED: u8 = 1;
const ALNUM: u8 = 2;
const SPACE: u8 = 4;
const AFTER_SPACE_NOT: u8 = 8;
const OPENS: u8 = 16;

const fn classes() -> [u8; 256] {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_alphanumeric() {
            class[b] = ALLOWED | ALNUM;
        }
        b += 1;
    }
    class[b' ' as usize] = ALLOWED | SPACE;
    let mut i = 0;
    while i < PLAIN.len() {
        class[PLAIN[i] as usize] |= ALLOWED;
        i += 1;
    }
    i = 0;
    while i < NOT_AFTER_SPACE.len() {
        class[NOT_AFTER_SPACE[i] as usize] |= AFTER_SPACE_NOT;
        i += 1;
    }
    i = 0;
    while i < OPENING.len() {
        class[OPENING[i] as usize] |= OPENS;
        i += 1;
    }
    class
}

fn is_plain_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    // Leading spaces are one word with what follows for UAX #14, not for `AsciiSpace`; and
    // textwrap's Unicode separator drops the last break of a line ending with a hyphen.
    if bytes.starts_with(b" ") || bytes.ends_with(b"-") {
        return false;
    }
    // Each byte allowed, and each pair of neighbours `(before, c)` none of: a space then
    // [`NOT_AFTER_SPACE`]; an opening bracket after anything but a letter, digit or space;
    // an opening bracket then a space. The first byte has no neighbour before it: as if
    // after a letter, which no rule forbids anything after.
    let mut before = ALNUM;
    bytes.iter().all(|&b| {
        let c = CLASS[b as usize];
        let plain = c & ALLOWED != 0
            && !(before & SPACE != 0 && c & AFTER_SPACE_NOT != 0)
            && !(c & OPENS != 0 && before & (ALNUM | SPACE) == 0)
            && !(before & OPENS != 0 && c & SPACE != 0);
        before = c;
        plain
    })
}

fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    if is_plain_line(line) {
        WordSeparator::AsciiSpace.find_words(line)
    } else {
        WordSeparator::UnicodeBreakProperties.find_words(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(sep: WordSeparator, line: &str) -> Vec<(String, String)> {
        sep.find_words(line)
            .map(|w| (w.word.to_string(), w.whitespace.to_string()))
            .collect()
    }

    /// Short lines of every pair and triple of interesting characters, then random lines.
    fn lines() -> Vec<String> {
        let alphabet: Vec<u8> = (b'a'..=b'z')
            .chain(b'A'..=b'Z')
            .chain(b'0'..=b'9')
            .chain(*b"     ")
            .chain(PLAIN.iter().copied())
            .collect();
        let special: Vec<u8> = PLAIN.iter().copied().chain(*b"a1 ").collect();
        let mut lines: Vec<String> = Vec::new();
        for &a in &special {
            for &b in &special {
                for &c in &special {
                    lines.push(String::from_utf8(vec![b'x', a, b, c, b'y']).expect("ASCII"));
                    lines.push(String::from_utf8(vec![a, b, c]).expect("ASCII"));
                }
            }
        }
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (state >> 58) as usize + 1;
            let line: Vec<u8> = (0..len)
                .map(|i| {
                    let r = state.rotate_left(i as u32 * 7) ^ (i as u64 * 0x2545_F491);
                    alphabet[(r % alphabet.len() as u64) as usize]
                })
                .collect();
            lines.push(String::from_utf8(line).expect("ASCII"));
        }
        lines
    }

    /// Every line the fast path takes splits as the Unicode separator splits it.
    #[test]
    fn plain_lines_split_as_unicode_line_breaking_splits_them() {
        let lines = lines();
        let mut fast = 0;
        for line in lines.iter().filter(|l| is_plain_line(l)) {
            fast += 1;
            assert_eq!(
                split(WordSeparator::AsciiSpace, line),
                split(WordSeparator::UnicodeBreakProperties, line),
                "{line:?}"
            );
        }
        assert!(fast > 10_000, "{fast}");
    }

    /// The one-pass judge takes exactly the lines the rules as written take.
    #[test]
    fn one_pass_judge_is_the_rules_as_written() {
        let as_written = |line: &str| {
            let bytes = line.as_bytes();
            let plain = |b: u8| b.is_ascii_alphanumeric() || b == b' ' || PLAIN.contains(&b);
            !bytes.starts_with(b" ")
                && !bytes.ends_with(b"-")
                && bytes.iter().all(|&b| plain(b))
                && !bytes
                    .windows(2)
                    .any(|w| w[0] == b' ' && NOT_AFTER_SPACE.contains(&w[1]))
                && !bytes.windows(2).any(|w| {
                    (OPENING.contains(&w[1]) && !(w[0].is_ascii_alphanumeric() || w[0] == b' '))
                        || (OPENING.contains(&w[0]) && w[1] == b' ')
                })
        };
        for line in lines()
            .iter()
            .map(String::as_str)
            .chain(["", "é", "a\tb", "(x", "x("])
        {
            assert_eq!(is_plain_line(line), as_written(line), "{line:?}");
        }
    }

    #[test]
    fn other_lines_go_to_the_unicode_separator() {
        for line in [
            "a/b c",
            "x(y) z",
            "é à",
            "a|b",
            "wait! then",
            "x .y",
            "x )y",
            "x.(y",
            "( y",
        ] {
            assert_eq!(
                split(SEPARATOR, line),
                split(WordSeparator::UnicodeBreakProperties, line)
            );
        }
    }
}
