//! `--format junit`: JUnit XML for CI test-report views.
//!
//! One `<testsuite>` per checked file (named by its path), one `<testcase>` per finding
//! (`name` = `CODE name`, `classname` = path) failing with the message, and its line,
//! column and help as text; a clean file gets one passing `<testcase name="no findings">`.
//! Every active finding is a failure whatever its severity (the failure `type` says which);
//! a suppressed finding is a skipped test case. No timestamps or times: the output is
//! deterministic. Text from documents is shown escaped ([`super::shown::text`]): XML 1.0
//! cannot hold most control characters, not even as character references.
use super::shown::{self, text, text_cow};
use super::{start, Emitter, Report};
use crate::diagnostics::Diagnostic;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct Junit;

/// Test case name of a clean file.
pub const CLEAN: &str = "no findings";

/// The findings of each file, by path: every checked file (a clean one gets a passing case)
/// and every file with findings that was not in the checked list (e.g. rolelint.toml), so
/// every failure appears somewhere.
fn by_file<'a>(report: &'a Report) -> BTreeMap<&'a str, Vec<&'a Diagnostic>> {
    let mut files: BTreeMap<&str, Vec<&Diagnostic>> = report
        .checked
        .iter()
        .map(|p| (p.as_str(), Vec::new()))
        .collect();
    for d in report.diagnostics {
        let path = report.sources.display(d.location.file);
        files.entry(path).or_default().push(d);
    }
    files
}

/// One file's `<testsuite>`.
fn suite(report: &Report, path: &str, findings: &[&Diagnostic]) -> TestSuite {
    let shown_path = text(path);
    let mut suite = TestSuite::new(shown_path.as_ref());
    if findings.is_empty() {
        let mut ok = TestCase::new(CLEAN, TestCaseStatus::success());
        ok.set_classname(shown_path.as_ref());
        suite.add_test_case(ok);
    }
    for d in findings {
        let (line, col) = start(report.sources, d);
        let status = match &d.suppressed {
            None => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let message = text_cow(d.message.get());
                let mut description = format!("{shown_path}:{line}:{col}: {message}");
                if let Some(help) = d.help() {
                    description.push_str("\nhelp: ");
                    description.push_str(&text(help));
                }
                for n in shown::notes(&d.notes, text) {
                    description.push_str("\nnote: ");
                    description.push_str(&n);
                }
                s.set_message(message.as_ref())
                    .set_type(d.severity.as_str())
                    .set_description(description);
                s
            }
            Some(sup) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("suppressed ({}): {}", sup.kind, text(&sup.reason)));
                s
            }
        };
        let mut case = TestCase::new(
            shown::text_string(format!("{} {}", d.code(), d.name())),
            status,
        );
        case.set_classname(shown_path.as_ref());
        suite.add_test_case(case);
    }
    suite
}

fn serialize_err(e: quick_junit::SerializeError) -> io::Error {
    io::Error::other(e.to_string())
}

/// A report's XML split where a suite's lines start and end: the declaration and the
/// `<testsuites>` start tag, the suites, and the `</testsuites>` end tag with its newline.
fn split(xml: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let lines = |n: usize| {
        xml.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(n)
            .map_or(xml.len(), |(i, _)| i + 1)
    };
    let head = lines(1);
    // The end tag is the last line before the trailing newline.
    let tail = xml[..xml.len().saturating_sub(1)]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(xml.len(), |i| i + 1)
        .max(head);
    (&xml[..head], &xml[head..tail], &xml[tail..])
}

/// quick-junit writes a whole report: each suite is written as a report of its own (the
/// totals of the whole set in its head) and only its `<testsuite>` element is kept, so one
/// file's test cases are held at a time, not every finding's.
impl Emitter for Junit {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let files = by_file(report);
        let mut whole = quick_junit::Report::new("rolelint");
        whole.tests = files.values().map(|f| f.len().max(1)).sum();
        whole.failures = (report.diagnostics.iter())
            .filter(|d| d.suppressed.is_none())
            .count();
        if files.is_empty() {
            whole.serialize(&mut *out).map_err(serialize_err)?;
            return writeln!(out);
        }
        let mut buffer = Vec::new();
        let mut end = Vec::new();
        for (n, (path, findings)) in files.iter().enumerate() {
            whole.test_suites.push(suite(report, path, findings));
            buffer.clear();
            whole.serialize(&mut buffer).map_err(serialize_err)?;
            whole.test_suites.clear();
            let (head, body, tail) = split(&buffer);
            if n == 0 {
                out.write_all(head)?;
                end = tail.to_vec();
            }
            out.write_all(body)?;
        }
        out.write_all(&end)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    fn role(name: &str, toggles: &str) -> (String, String) {
        let text = format!(
            "kind = \"align-role\"\nname = \"{name}\"\nlicense = \"integrated\"\n\n{toggles}"
        );
        (format!("roles/{name}.toml"), text)
    }

    /// Written a suite at a time, the document is byte for byte the one quick-junit writes
    /// for the whole report at once: clean files, failures with notes, skipped (suppressed)
    /// findings, escaped text.
    #[test]
    fn streamed_suites_are_the_whole_report() {
        let docs = [
            role("Clean", ""),
            role(
                "Misspelt",
                "[toggles.Program.Manage]\nRoadmapz = []\n\"Program\\u0007Board\" = []\n",
            ),
            role(
                "Allowed",
                "[toggles.Team.Track]\n# rolelint: allow(AL101) reason=\"kept <on> purpose\"\nNope = []\n",
            ),
        ];
        let run = crate::pipeline::check_texts(&docs, Config::default(), &Overrides::default());
        let report = Report::from_run(&run);
        assert!(report.diagnostics.iter().any(|d| d.suppressed.is_some()));
        assert!(report.diagnostics.iter().any(|d| d.suppressed.is_none()));

        assert_streamed_is_whole(&report);
    }

    /// What `Junit` writes against what quick-junit writes for the whole report at once.
    fn assert_streamed_is_whole(report: &Report) {
        let mut streamed = Vec::new();
        Junit.emit(report, &mut streamed).expect("writes");

        let mut whole = quick_junit::Report::new("rolelint");
        for (path, findings) in by_file(report) {
            whole.add_test_suite(suite(report, path, &findings));
        }
        let mut oracle = whole.to_string().expect("serializes").into_bytes();
        oracle.push(b'\n');
        assert_eq!(
            String::from_utf8(streamed).expect("UTF-8"),
            String::from_utf8(oracle).expect("UTF-8")
        );
    }

    /// A run with nothing to check writes an empty `<testsuites>`, as the whole report would.
    #[test]
    fn an_empty_report_is_the_whole_report() {
        let run = crate::pipeline::check_texts(&[], Config::default(), &Overrides::default());
        let report = Report::from_run(&run);
        assert!(report.diagnostics.is_empty() && report.checked.is_empty());
        assert_streamed_is_whole(&report);
    }

    /// A finding in a file outside the checked list (as `rolelint.toml`'s are) still gets its
    /// suite, in path order among the checked files'.
    #[test]
    fn a_finding_outside_the_checked_files_gets_its_suite() {
        let docs = [
            role("Clean", ""),
            role("Misspelt", "[toggles.Program.Manage]\nRoadmapz = []\n"),
        ];
        let run = crate::pipeline::check_texts(&docs, Config::default(), &Overrides::default());
        let mut report = Report::from_run(&run);
        let checked: Vec<String> = (report.checked.iter())
            .filter(|p| !p.contains("Misspelt"))
            .cloned()
            .collect();
        report.checked = &checked;
        let mut streamed = Vec::new();
        Junit.emit(&report, &mut streamed).expect("writes");
        let xml = String::from_utf8(streamed).expect("UTF-8");
        assert!(
            xml.contains("<testsuite name=\"roles/Misspelt.toml\""),
            "{xml}"
        );
        assert!(
            xml.contains("<testsuite name=\"roles/Clean.toml\""),
            "{xml}"
        );
        assert_streamed_is_whole(&report);
    }

    #[test]
    fn splits_a_report_around_its_suites() {
        let xml = b"<?xml?>\n<testsuites a=\"1\">\n    <testsuite/>\n    <x/>\n</testsuites>\n";
        let (head, body, tail) = split(xml);
        assert_eq!(head, b"<?xml?>\n<testsuites a=\"1\">\n");
        assert_eq!(body, b"    <testsuite/>\n    <x/>\n");
        assert_eq!(tail, b"</testsuites>\n");
    }
}
