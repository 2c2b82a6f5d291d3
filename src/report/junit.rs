//! `--format junit`: JUnit XML for CI test-report views.
//!
//! One `<testsuite>` per checked file (named by its path), one `<testcase>` per finding
//! (`name` = `CODE name`, `classname` = path) failing with the message, and its line,
//! column and help as text; a clean file gets one passing `<testcase name="no findings">`.
//! Every active finding is a failure whatever its severity (the failure `type` says which);
//! a suppressed finding is a skipped test case. No timestamps or times: the output is
//! deterministic. Text from documents is shown escaped ([`super::shown::text`]): XML 1.0
//! cannot hold most control characters, not even as character references.
use super::shown::{self, text};
use super::{region, Emitter, Report};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct Junit;

/// Test case name of a clean file.
pub const CLEAN: &str = "no findings";

pub fn build(report: &Report) -> quick_junit::Report {
    // Files with findings that were not in the checked list (e.g. rolelint.toml) get a
    // suite too, so every failure appears somewhere.
    let mut suites: BTreeMap<&str, Vec<TestCase>> = report
        .checked
        .iter()
        .map(|p| (p.as_str(), Vec::new()))
        .collect();
    for d in report.diagnostics {
        let path = report.sources.display(d.location.file);
        let shown_path = text(path);
        let ((line, col), _) = region(report.sources, d);
        let status = match &d.suppressed {
            None => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let message = text(&d.message);
                let mut description = format!("{shown_path}:{line}:{col}: {message}");
                if let Some(help) = &d.help {
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
        let mut case = TestCase::new(shown::text_string(format!("{} {}", d.code, d.name)), status);
        case.set_classname(shown_path.as_ref());
        suites.entry(path).or_default().push(case);
    }
    let mut out = quick_junit::Report::new("rolelint");
    for (path, mut cases) in suites {
        if cases.is_empty() {
            let mut ok = TestCase::new(CLEAN, TestCaseStatus::success());
            ok.set_classname(text(path).as_ref());
            cases.push(ok);
        }
        let mut suite = TestSuite::new(text(path).as_ref());
        suite.add_test_cases(cases);
        out.add_test_suite(suite);
    }
    out
}

impl Emitter for Junit {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        build(report)
            .serialize(&mut *out)
            .map_err(|e| io::Error::other(e.to_string()))?;
        writeln!(out)
    }
}
