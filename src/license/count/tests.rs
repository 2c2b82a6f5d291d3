use super::*;
use crate::license::people::{read_people, ColumnNames};

fn person(row: usize, email: &str, role: &str, active: bool) -> Person {
    Person {
        row,
        email: email.into(),
        role: role.into(),
        active,
    }
}

fn judge(role: &str) -> RoleJudgement {
    match role_key(role).as_str() {
        "team member" => RoleJudgement::Integrated,
        "jira connector users" => RoleJudgement::Full {
            declared_integrated: true,
            reasons: vec!["Team > Track > Sprint Health".into()],
        },
        "pmo" | "super admin" => RoleJudgement::Full {
            declared_integrated: false,
            reasons: vec![],
        },
        _ => RoleJudgement::Unknown,
    }
}

fn settings(seats: Option<u64>) -> LicenseSettings {
    LicenseSettings {
        full_seats: seats,
        service_accounts: vec!["SVC-Jira-Connector@Example.com ".into()],
        ..LicenseSettings::default()
    }
}

fn fixture_report(seats: Option<u64>) -> LicenseReport {
    let bytes = include_bytes!("../../../tests/fixtures/license/people.csv");
    match read_people(bytes, &ColumnNames::default()) {
        Ok(export) => count_export(&export, &judge, &settings(seats)),
        Err(err) => panic!("{err}"),
    }
}

#[test]
fn counts_fixture() {
    let r = fixture_report(Some(3));
    assert_eq!((r.full_used, r.integrated_used), (4, 3));
    assert_eq!(
        (r.full_over, r.integrated_allowed, r.integrated_over),
        (1, Some(12), 0)
    );
    assert!(r.over_seats());

    let excluded: Vec<(&str, &ExcludeReason)> = r
        .excluded
        .iter()
        .map(|e| (e.email.as_str(), &e.reason))
        .collect();
    let atlassian = ExcludeReason::Domain {
        domain: "atlassian.com".into(),
    };
    assert_eq!(
        excluded,
        vec![
            ("eve.evans@example.com", &ExcludeReason::Deactivated),
            ("fay.fox@atlassian.com", &atlassian),
            ("gus@support.atlassian.com", &atlassian),
            ("jon.jones@example.com", &ExcludeReason::Deactivated),
            (
                "svc-jira-connector@example.com",
                &ExcludeReason::ServiceAccount
            ),
        ]
    );
    assert_eq!(
        r.duplicates,
        vec![Duplicate {
            email: "ann.archer@example.com".into(),
            rows: vec![2, 12],
            counted_row: Some(2),
        }]
    );
    let roles: Vec<(&str, LicenseClass, u64, bool, bool)> = r
        .roles
        .iter()
        .map(|x| (x.role.as_str(), x.class, x.count, x.over_maximum, x.unknown))
        .collect();
    assert_eq!(
        roles,
        vec![
            ("Jira Connector Users", LicenseClass::Full, 2, true, false),
            ("Legacy Reporter", LicenseClass::Full, 1, false, true),
            ("PMO", LicenseClass::Full, 1, false, false),
            ("Team Member", LicenseClass::Integrated, 3, false, false),
        ]
    );
    let users: Vec<&str> = r.users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(
        users,
        vec![
            "ann.archer@example.com",
            "bob.baker@example.com",
            "cara.cole@example.com",
            "dan.dunn@example.com",
            "HAL.HART@example.com",
            "ivy.ives@example.com",
            "kim.king@example.com",
        ]
    );
    assert_eq!(r.problems.len(), 1);
}

#[test]
fn role_names_group_loosely_and_judge_is_called_once_per_role() {
    let calls = std::cell::RefCell::new(Vec::new());
    let judge = |role: &str| {
        calls.borrow_mut().push(role.to_string());
        RoleJudgement::Integrated
    };
    let people = [
        person(2, "a@x.com", "Team  member", true),
        person(3, "b@x.com", "TEAM MEMBER", true),
        person(4, "c@x.com", "Team\tMember", true),
    ];
    let r = count(&people, &judge, &LicenseSettings::default());
    assert_eq!(calls.into_inner(), vec!["Team  member".to_string()]);
    assert_eq!(r.roles.len(), 1);
    assert_eq!(
        (r.roles[0].role.as_str(), r.roles[0].count),
        ("Team  member", 3)
    );
    assert_eq!(r.users[1].role, "TEAM MEMBER");
}

#[test]
fn domain_and_subdomain_and_service_account_exclusion() {
    let people = [
        person(2, "a@Atlassian.COM", "R", true),
        person(3, "b@eu.support.atlassian.com", "R", true),
        person(4, "c@notatlassian.com", "R", true),
        person(5, "d@atlassian.com.evil.org", "R", true),
        person(6, "e@partner.io", "R", true),
        person(7, " Bot@Example.com ", "R", true),
        person(8, "f@x.com", "R", true),
    ];
    let settings = LicenseSettings {
        exclude_domains: vec!["atlassian.com".into(), "@Partner.io".into(), "  ".into()],
        service_accounts: vec!["bot@example.com".into()],
        ..LicenseSettings::default()
    };
    let r = count(&people, &|_| RoleJudgement::Integrated, &settings);
    let excluded: Vec<(usize, String)> = r
        .excluded
        .iter()
        .map(|e| (e.row, e.reason.to_string()))
        .collect();
    assert_eq!(
        excluded,
        vec![
            (2, "domain atlassian.com".to_string()),
            (3, "domain atlassian.com".to_string()),
            (7, "service account".to_string()),
            (6, "domain partner.io".to_string()),
        ]
    );
    let counted: Vec<usize> = r.users.iter().map(|u| u.row).collect();
    assert_eq!(counted, vec![4, 5, 8]);
    assert_eq!(r.integrated_used, 3);
}

#[test]
fn duplicates_first_surviving_row_wins() {
    let people = [
        person(2, "a@x.com", "PMO", false),
        person(3, "A@X.com", "Team Member", true),
        person(4, "a@x.com ", "PMO", true),
        person(5, "z@x.com", "PMO", false),
        person(6, "z@x.com", "PMO", false),
    ];
    let r = count(&people, &judge, &LicenseSettings::default());
    assert_eq!((r.full_used, r.integrated_used), (0, 1));
    assert_eq!(r.users[0].row, 3);
    assert_eq!(
        r.duplicates,
        vec![
            Duplicate {
                email: "a@x.com".into(),
                rows: vec![2, 3, 4],
                counted_row: Some(3)
            },
            Duplicate {
                email: "z@x.com".into(),
                rows: vec![5, 6],
                counted_row: None
            },
        ]
    );
}

#[test]
fn overage_and_no_seats() {
    let people: Vec<Person> = (0..10)
        .map(|i| {
            let role = if i < 3 { "PMO" } else { "Team Member" };
            person(i + 2, &format!("u{i}@x.com"), role, true)
        })
        .collect();
    let r = count(&people, &judge, &LicenseSettings::default());
    assert_eq!((r.full_used, r.integrated_used), (3, 7));
    assert_eq!(
        (r.full_over, r.integrated_allowed, r.integrated_over),
        (0, None, 0)
    );
    assert!(!r.over_seats());

    let s = LicenseSettings {
        full_seats: Some(1),
        ..LicenseSettings::default()
    };
    let r = count(&people, &judge, &s);
    assert_eq!(
        (r.full_over, r.integrated_allowed, r.integrated_over),
        (2, Some(4), 3)
    );
    assert!(r.over_seats());

    let s = LicenseSettings {
        full_seats: Some(3),
        integrated_per_full: 2,
        ..LicenseSettings::default()
    };
    let r = count(&people, &judge, &s);
    assert_eq!(
        (r.full_over, r.integrated_allowed, r.integrated_over),
        (0, Some(6), 1)
    );
    assert!(r.over_seats());

    let s = LicenseSettings {
        full_seats: Some(u64::MAX),
        ..LicenseSettings::default()
    };
    let r = count(&people, &judge, &s);
    assert_eq!(r.integrated_allowed, Some(u64::MAX));
}

#[test]
fn human_rendering() {
    let text = render_human(&fixture_report(Some(3)));
    let expected = "\
Full used 4 / 3 seats (1 over)
Integrated used 3 / 12

Users by role (7 counted)
  Role                  Class       Users  Note
  Jira Connector Users  Full            2  treated as integrated but over the maximum: Team > Track > Sprint Health
  Legacy Reporter       Full            1  no role document in the repository; counted as Full
  PMO                   Full            1
  Team Member           Integrated      3

Users in roles with no document in the repository, counted as Full (1)
  Legacy Reporter  1  ivy.ives@example.com

Excluded from both counts (5)
  deactivated           2  eve.evans@example.com, jon.jones@example.com
  domain atlassian.com  2  fay.fox@atlassian.com, gus@support.atlassian.com
  service account       1  svc-jira-connector@example.com

Duplicate emails, counted once (1)
  ann.archer@example.com  rows 2, 12  counted row 2

Problems in the people export (1)
  row 15 has 3 fields, the header has 7; skipped it because it has no `Email`, `System Role` or `Active User` field
";
    assert_eq!(text, expected);

    let text = render_human(&fixture_report(None));
    assert!(text.starts_with(
        "Full used 4 (seats unknown: set `full-seats` under `[license]`)\n\
         Integrated used 3 (allowance unknown without `full-seats`)\n"
    ));
}

#[test]
fn human_rendering_limits_emails_and_handles_empty() {
    let people: Vec<Person> = (0..8)
        .map(|i| person(i + 2, &format!("u{i}@x.com"), "R", false))
        .collect();
    let r = count(&people, &judge, &LicenseSettings::default());
    let text = render_human(&r);
    assert!(text.contains("No users counted\n"), "{text}");
    assert!(
        text.contains(
            "deactivated  8  u0@x.com, u1@x.com, u2@x.com, u3@x.com, u4@x.com and 3 more"
        ),
        "{text}"
    );
}

#[test]
fn csv_rendering() {
    let people = [
        person(2, "b@x.com", "Team, Member", true),
        person(3, "a@x.com", "PMO \"old\"", true),
    ];
    let r = count(
        &people,
        &|_| RoleJudgement::Unknown,
        &LicenseSettings::default(),
    );
    assert_eq!(
        render_csv(&r),
        "email,role,class\na@x.com,\"PMO \"\"old\"\"\",Full\nb@x.com,\"Team, Member\",Full\n"
    );
    let parsed = read_people(
        render_csv(&r).as_bytes(),
        &ColumnNames {
            active: vec![],
            role: vec!["role".into()],
            ..ColumnNames::default()
        },
    );
    assert_eq!(parsed.map(|e| e.people.len()), Ok(2));
}

#[test]
fn json_shape() {
    let r = fixture_report(Some(3));
    let value = serde_json::to_value(&r).unwrap_or_default();
    assert_eq!(value["full_over"], 1);
    assert_eq!(value["roles"][0]["class"], "full");
    assert_eq!(value["excluded"][1]["reason"]["kind"], "domain");
    assert_eq!(value["excluded"][1]["reason"]["domain"], "atlassian.com");
    assert_eq!(value["excluded"][4]["reason"]["kind"], "service-account");
    assert!(value["roles"][2].get("note").is_none());
}

fn connector_fixed(role: &str) -> RoleJudgement {
    match judge(role) {
        RoleJudgement::Full {
            declared_integrated: true,
            ..
        } => RoleJudgement::Integrated,
        other => other,
    }
}

#[test]
fn diff_moves() {
    let bytes = include_bytes!("../../../tests/fixtures/license/people.csv");
    let Ok(export) = read_people(bytes, &ColumnNames::default()) else {
        panic!("fixture unreadable")
    };
    let before = count_export(&export, &connector_fixed, &settings(Some(3)));
    let after = count_export(&export, &judge, &settings(Some(3)));
    assert!(!before.over_seats());
    let d = diff(&before, &after);
    assert_eq!(
        d.moves,
        vec![
            Move {
                email: "cara.cole@example.com".into(),
                role: "Jira Connector Users".into(),
                from: LicenseClass::Integrated,
                to: LicenseClass::Full,
            },
            Move {
                email: "kim.king@example.com".into(),
                role: "Jira Connector Users".into(),
                from: LicenseClass::Integrated,
                to: LicenseClass::Full,
            },
        ]
    );
    assert_eq!((d.full_delta, d.integrated_delta), (2, -2));
    assert_eq!(
        render_diff_human(&d),
        "\
2 users move from Integrated to Full: +1 Full seat needed (4 / 3)
- cara.cole@example.com (Jira Connector Users)
- kim.king@example.com (Jira Connector Users)

Full: 2 → 4 (+2) of 3 seats, 1 over
Integrated: 5 → 3 (-2) of 12 allowed
"
    );

    let back = diff(&after, &before);
    assert_eq!(back.moves.len(), 2);
    assert!(render_diff_human(&back)
        .starts_with("2 users move from Full to Integrated: 1 Full seat fewer needed (2 / 3)\n"));

    let same = diff(&after, &after);
    assert_eq!(
        render_diff_human(&same),
        "No user changes license class: full used 4 / 3 seats (1 over); integrated used 3 / 12\n"
    );
}

#[test]
fn diff_both_directions_and_unknown_seats() {
    let people = [
        person(2, "a@x.com", "A", true),
        person(3, "b@x.com", "B", true),
        person(4, "c@x.com", "B", true),
    ];
    let full = || RoleJudgement::Full {
        declared_integrated: false,
        reasons: vec![],
    };
    let before = count(
        &people,
        &|r| {
            if r == "A" {
                RoleJudgement::Integrated
            } else {
                full()
            }
        },
        &LicenseSettings::default(),
    );
    let after = count(
        &people,
        &|r| {
            if r == "A" {
                full()
            } else {
                RoleJudgement::Integrated
            }
        },
        &LicenseSettings::default(),
    );
    let text = render_diff_human(&diff(&before, &after));
    assert_eq!(
        text,
        "\
1 user moves from Integrated to Full
- a@x.com (A)

2 users move from Full to Integrated
- b@x.com (B)
- c@x.com (B)

Net: Full used 2 → 1

Full: 2 → 1 (-1)
Integrated: 1 → 2 (+1)
"
    );
}
