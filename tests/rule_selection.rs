//! Rules whose findings no output shows (`--select`, `--ignore`, `off` on the command line
//! or in `[severity]`) are not evaluated at all, and what is shown stays exactly the same.
use assert_cmd::Command;
use std::path::Path;

fn examples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
}

/// Concise findings and the Jira rules that ran (`ROLELINT_TIMINGS` names each one).
fn check(args: &[&str]) -> (Vec<String>, Vec<String>) {
    let out = Command::cargo_bin("rolelint")
        .expect("binary")
        .current_dir(examples())
        .env("ROLELINT_TIMINGS", "1")
        .args(["check", "--format", "concise"])
        .args(args)
        .arg(".")
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    let ran = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("timing:   rule "))
        .filter_map(|l| l.split(" took").next())
        .filter(|r| *r != "board expectations")
        .map(str::to_owned)
        .collect();
    (stdout.lines().map(str::to_owned).collect(), ran)
}

fn code(finding: &str) -> &str {
    finding
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or("", |(c, _)| c)
}

#[test]
fn rules_no_output_shows_do_not_run() {
    let (all, ran_all) = check(&[]);
    for rule in ["AL201", "AL207", "AL210"] {
        assert!(
            ran_all.iter().any(|r| r == rule),
            "{rule} runs: {ran_all:?}"
        );
    }

    let (selected, ran) = check(&["--select", "AL207,AL1"]);
    assert_eq!(ran, ["AL207"], "only the selected Jira rule runs");
    let want: Vec<&String> = all
        .iter()
        .filter(|f| code(f) == "AL207" || code(f).starts_with("AL1"))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(selected.iter().collect::<Vec<_>>(), want);

    let (rest, ran) = check(&["--ignore", "AL207", "--severity", "AL210=off"]);
    assert!(!ran.iter().any(|r| r == "AL207" || r == "AL210"), "{ran:?}");
    assert!(ran.iter().any(|r| r == "AL201"), "{ran:?}");
    let want: Vec<&String> = all
        .iter()
        .filter(|f| code(f) != "AL207" && code(f) != "AL210")
        .collect();
    assert_eq!(rest.iter().collect::<Vec<_>>(), want);
}

/// A role held to the integrated maximum reports its unknown toggle names inside the
/// ceiling finding: with that rule off, they are not reported as unknown toggles instead.
#[test]
fn a_ceiling_switched_off_still_holds_its_roles() {
    let (all, _) = check(&[]);
    let (off, _) = check(&["--severity", "AL101=off", "--severity", "AL111=off"]);
    let want: Vec<&String> = all
        .iter()
        .filter(|f| code(f) != "AL101" && code(f) != "AL111")
        .collect();
    assert_eq!(off.iter().collect::<Vec<_>>(), want);
}
