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

fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b' ' || PLAIN.contains(&b)
}

fn is_plain_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    // Leading spaces are one word with what follows for UAX #14, not for `AsciiSpace`; and
    // textwrap's Unicode separator drops the last break of a line ending with a hyphen.
    !bytes.starts_with(b" ")
        && !bytes.ends_with(b"-")
        && bytes.iter().all(|&b| is_plain(b))
        && !bytes
            .windows(2)
            .any(|w| w[0] == b' ' && NOT_AFTER_SPACE.contains(&w[1]))
        && !bytes.windows(2).any(|w| {
            (OPENING.contains(&w[1]) && !(w[0].is_ascii_alphanumeric() || w[0] == b' '))
                || (OPENING.contains(&w[0]) && w[1] == b' ')
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

    /// Every line the fast path takes splits as the Unicode separator splits it.
    #[test]
    fn plain_lines_split_as_unicode_line_breaking_splits_them() {
        let alphabet: Vec<u8> = (b'a'..=b'z')
            .chain(b'A'..=b'Z')
            .chain(b'0'..=b'9')
            .chain(*b"     ")
            .chain(PLAIN.iter().copied())
            .collect();
        // Every pair and triple of interesting characters, then random lines.
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
