use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/import/",
            $name
        ))
    };
}

const SCHEME_CLOUD: &str = fixture!("scheme-cloud.json");
const SCHEME_DC: &str = fixture!("scheme-dc.json");
const SCHEMES_MULTI: &str = fixture!("schemes-multi.json");
const SCHEME_ODD: &str = fixture!("scheme-odd.json");
const BOARD: &str = fixture!("board.json");
const BOARD_CONFIG: &str = fixture!("board-config.json");
const BOARD_CONFIG_QUERY: &str = fixture!("board-config-query.json");

const ALL_FIXTURES: [&str; 7] = [
    SCHEME_CLOUD,
    SCHEME_DC,
    SCHEMES_MULTI,
    SCHEME_ODD,
    BOARD,
    BOARD_CONFIG,
    BOARD_CONFIG_QUERY,
];

fn schemes(json: &str) -> Vec<Imported> {
    match import_jira_schemes(json) {
        Ok(v) => v,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn one_scheme(json: &str) -> Imported {
    let mut v = schemes(json);
    assert_eq!(v.len(), 1);
    v.remove(0)
}

fn board(json: &str, config: Option<&str>) -> Imported {
    match import_jira_board(json, config) {
        Ok(v) => v,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn scheme_err(json: &str) -> String {
    match import_jira_schemes(json) {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.message,
    }
}

fn board_err(json: &str, config: Option<&str>) -> String {
    match import_jira_board(json, config) {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.message,
    }
}

fn parse(toml_text: &str) -> toml::Table {
    match toml::from_str::<toml::Table>(toml_text) {
        Ok(t) => t,
        Err(e) => panic!("produced TOML does not parse: {e}\n{toml_text}"),
    }
}

/// The holders of `[grants] KEY` as strings.
fn holders(table: &toml::Table, key: &str) -> Vec<String> {
    table["grants"][key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or("<not a string>").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn assert_one_sentence(message: &str) {
    assert!(!message.is_empty());
    assert!(!message.contains('\n'), "multi-line error: {message:?}");
    assert!(
        !message.ends_with('.'),
        "error ends with a period: {message:?}"
    );
}

// ---------------------------------------------------------------- schemes

#[test]
fn import_scheme_cloud_example_exact() {
    let imported = one_scheme(SCHEME_CLOUD);
    assert_eq!(imported.file_name, "software-team-scheme.toml");
    assert_eq!(
        imported.toml,
        r#"# Imported from Jira permission scheme 10000 ("Software team scheme") by `rolelint import jira-scheme`.
kind = "jira-permission-scheme"
name = "Software team scheme"
description = "Company-managed software projects"

[grants]
ADMINISTER_PROJECTS = ["group:Teams in space administrators"]
BROWSE_PROJECTS = ["application-role"]
EDIT_OWN_COMMENTS = ["reporter"]
MANAGE_SPRINTS_PERMISSION = ["role:Developers"]
SCHEDULE_ISSUES = ["role:Developers"]

# Jira group ids of the groups above (names can change, ids do not).
[group-ids]
"Teams in space administrators" = "ca85fac0-d974-40ca-a615-7af99c48d24f"
"#
    );
    // Grant 10103 names role 10001 only by id; grant 10102 expands it as "Developers".
    assert_eq!(imported.notes, Vec::<String>::new());
}

#[test]
fn import_scheme_dc_shape_notes_unresolved_roles() {
    let imported = one_scheme(SCHEME_DC);
    assert_eq!(imported.file_name, "default-permission-scheme.toml");
    assert_eq!(
        imported.toml,
        r#"# Imported from Jira permission scheme 10200 ("Default Permission Scheme") by `rolelint import jira-scheme`.
kind = "jira-permission-scheme"
name = "Default Permission Scheme"

[grants]
ADMINISTER_PROJECTS = ["role:10002"]
BROWSE_PROJECTS = ["anyone", "application-role:jira-software", "assignee", "reporter", "role:10001"]
CREATE_ISSUES = ["group:jira-software-users", "role:10001"]
EDIT_ISSUES = [
    "assignee",
    "group-field:customfield_10101",
    "project-lead",
    "role:10001",
    "user-field:customfield_10100",
]
START_STOP_SPRINTS_PERMISSION = ["role:10001", "user:jsmith"]
"#
    );
    assert_eq!(
        imported.notes,
        vec![
            "project role 10002 has no name in the payload: fetch with ?expand=all or rename `role:10002` by hand",
            "grant 10302 (BROWSE_PROJECTS): a `group` holder with no group is how Data Center stores \"Anyone\": imported as `anyone`",
            "grant 10303 (BROWSE_PROJECTS): Data Center holder `reporterWithCreatePermission` imported as `reporter` (its extra condition, that the reporter can create issues, is not modelled)",
            "project role 10001 has no name in the payload: fetch with ?expand=all or rename `role:10001` by hand",
            "grant 10309 (BROWSE_PROJECTS): Data Center holder `assigneeWithAssignablePermission` imported as `assignee` (its extra condition, that the assignee is assignable, is not modelled)",
        ]
    );
}

#[test]
fn import_scheme_list_each_scheme_its_own_document() {
    let all = schemes(SCHEMES_MULTI);
    let names: Vec<&str> = all.iter().map(|i| i.file_name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "software-team-scheme.toml",
            "service-desk-scheme.toml",
            "software-team-scheme-2.toml"
        ]
    );
    // Role 10002 is named in the first scheme; the second uses the name too.
    let service = parse(&all[1].toml);
    assert_eq!(
        holders(&service, "SERVICEDESK_AGENT"),
        ["role:Administrators"]
    );
    assert_eq!(
        holders(&service, "BROWSE_PROJECTS"),
        ["service-desk-customer"]
    );
    assert_eq!(holders(&service, "CREATE_ISSUES"), ["anyone"]);
    assert!(all[1].notes.is_empty(), "{:?}", all[1].notes);
    assert_eq!(
        all[2].toml,
        "# Imported from Jira permission scheme 10002 (\"Software Team Scheme!\") by `rolelint import jira-scheme`.\n\
         kind = \"jira-permission-scheme\"\nname = \"Software Team Scheme!\"\n\n[grants]\n"
    );
    assert_eq!(
        all[2].notes,
        ["the scheme has no grants (`permissions` is empty): `[grants]` is empty"]
    );
}

#[test]
fn import_scheme_bare_array_of_schemes() {
    let json = format!("[{SCHEME_CLOUD}, {SCHEME_CLOUD}]");
    let all = schemes(&json);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].file_name, "software-team-scheme.toml");
    assert_eq!(all[1].file_name, "software-team-scheme-2.toml");
    assert_eq!(all[0].toml, all[1].toml);
}

#[test]
fn import_scheme_unknown_holder_kept_as_comment() {
    let imported = one_scheme(SCHEME_ODD);
    let text = &imported.toml;
    assert!(text.contains(
        "# unknown holder type \"foo\" (parameter \"x\") from grant 10502: not imported\nBROWSE_PROJECTS = ["
    ));
    assert!(text.contains(
        "# unknown holder type \"bar\" from grant 10503: not imported\nDELETE_ISSUES = []\n"
    ));
    assert!(text.contains("# grant 10505 has no holder: not imported\nEDIT_ISSUES = ["));
    assert!(text.contains(
        "[grants]\n# grant 10504 has no `permission` (holder \"group\"): not imported\n\
         # grant at `$.permissions[7]` is a string: not imported\n# unknown holder type \"foo\""
    ));
    assert!(imported.notes.contains(
        &"grant 10502 (BROWSE_PROJECTS): unknown holder type \"foo\" (parameter \"x\") kept as a comment, not imported"
            .to_string()
    ));
    assert!(imported
        .notes
        .iter()
        .any(|n| n.starts_with("grant 10504 has no `permission`")));
    assert!(imported
        .notes
        .iter()
        .any(|n| n.starts_with("grant at `$.permissions[8]`")));
    assert_eq!(imported.notes.len(), 7, "{:#?}", imported.notes);
}

#[test]
fn import_scheme_quotes_newlines_and_unicode_survive() {
    let imported = one_scheme(SCHEME_ODD);
    assert_eq!(imported.file_name, "equipe-plateforme.toml");
    let table = parse(&imported.toml);
    assert_eq!(table["name"].as_str(), Some("Équipe \"Plateforme\" — 日本"));
    assert_eq!(
        holders(&table, "BROWSE_PROJECTS"),
        ["group:R&D \"core\"\nteam", "group:日本チーム"]
    );
    // A group holder with only the group ID keeps the ID, with a note.
    assert_eq!(
        holders(&table, "EDIT_ISSUES"),
        ["group:ca85fac0-d974-40ca-a615-7af99c48d24f"]
    );
    assert!(imported
        .notes
        .iter()
        .any(|n| n.contains("carries only a group ID")));
    // App permission keys need quoting.
    assert_eq!(
        holders(&table, "ari:cloud:ecosystem::extension/abc/def"),
        ["user:5b10ac8d82e05b22cc7d4ef5"]
    );
    // The header comment stays one line.
    let first = imported.toml.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "# Imported from Jira permission scheme 10400 (\"Équipe \\\"Plateforme\\\" — 日本\") by `rolelint import jira-scheme`."
    );
}

#[test]
fn import_scheme_control_characters_stay_out_of_comments() {
    let json = r#"{"id": "1\n[evil]\u007f", "name": "a\nb\u0000c", "permissions": [
        {"id": "7\nx = 1", "holder": {"type": "weird\ntype", "parameter": "p\r\n"}, "permission": "K\nL"}
    ]}"#;
    let imported = one_scheme(json);
    let table = parse(&imported.toml);
    assert_eq!(table["name"].as_str(), Some("a\nb\u{0}c"));
    assert_eq!(holders(&table, "K\nL"), Vec::<String>::new());
    assert_eq!(table.len(), 3, "{}", imported.toml);
    for note in &imported.notes {
        assert!(!note.chars().any(char::is_control), "{note:?}");
    }
}

#[test]
fn import_scheme_holder_ordering_and_dedup() {
    let json = r#"{"name": "Order", "permissions": [
        {"id": 1, "holder": {"type": "sd.customer.portal.only"}, "permission": "P"},
        {"id": 2, "holder": {"type": "groupCustomField", "parameter": "cf2"}, "permission": "P"},
        {"id": 3, "holder": {"type": "userCustomField", "parameter": "cf1"}, "permission": "P"},
        {"id": 4, "holder": {"type": "projectLead"}, "permission": "P"},
        {"id": 5, "holder": {"type": "assignee"}, "permission": "P"},
        {"id": 6, "holder": {"type": "reporter"}, "permission": "P"},
        {"id": 7, "holder": {"type": "user", "parameter": "u2"}, "permission": "P"},
        {"id": 8, "holder": {"type": "user", "value": "u1"}, "permission": "P"},
        {"id": 9, "holder": {"type": "projectRole", "parameter": 5, "projectRole": {"id": 5, "name": "Zeta"}}, "permission": "P"},
        {"id": 10, "holder": {"type": "projectRole", "parameter": "6", "projectRole": {"id": 6, "name": "Alpha"}}, "permission": "P"},
        {"id": 11, "holder": {"type": "group", "parameter": "g-b"}, "permission": "P"},
        {"id": 12, "holder": {"type": "group", "parameter": "g-a"}, "permission": "P"},
        {"id": 13, "holder": {"type": "applicationRole", "parameter": "jira-software"}, "permission": "P"},
        {"id": 14, "holder": {"type": "applicationRole", "parameter": null}, "permission": "P"},
        {"id": 15, "holder": {"type": "anyone"}, "permission": "P"},
        {"id": 16, "holder": {"type": "group", "parameter": "g-a"}, "permission": "P"},
        {"id": 17, "holder": {"type": "anyone"}, "permission": "P"}
    ]}"#;
    let imported = one_scheme(json);
    let table = parse(&imported.toml);
    assert_eq!(
        holders(&table, "P"),
        // Sorted by text and de-duplicated: the order `rolelint fmt` keeps.
        vec![
            "anyone",
            "application-role",
            "application-role:jira-software",
            "assignee",
            "group-field:cf2",
            "group:g-a",
            "group:g-b",
            "project-lead",
            "reporter",
            "role:Alpha",
            "role:Zeta",
            "service-desk-customer",
            "user-field:cf1",
            "user:u1",
            "user:u2",
        ]
    );
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    assert_eq!(imported.file_name, "order.toml");
    // No id: the header names the scheme only.
    assert!(imported
        .toml
        .starts_with("# Imported from Jira permission scheme \"Order\" by"));
}

#[test]
fn import_scheme_unresolved_role_noted_once() {
    let json = r#"{"name": "R", "permissions": [
        {"id": 1, "holder": {"type": "projectRole", "parameter": "10001"}, "permission": "A"},
        {"id": 2, "holder": {"type": "projectRole", "value": "10001"}, "permission": "B"},
        {"id": 3, "holder": {"type": "projectRole", "projectRole": {"id": 10001}}, "permission": "C"}
    ]}"#;
    let imported = one_scheme(json);
    let table = parse(&imported.toml);
    for key in ["A", "B", "C"] {
        assert_eq!(holders(&table, key), ["role:10001"]);
    }
    assert_eq!(
        imported.notes,
        ["project role 10001 has no name in the payload: fetch with ?expand=all or rename `role:10001` by hand"]
    );
}

#[test]
fn import_scheme_errors_are_one_clear_sentence() {
    let cases: [(&str, &str); 9] = [
        ("{", "the permission scheme input is not valid JSON: EOF while parsing an object at line 1 column 1"),
        ("\"scheme\"", "not a Jira permission scheme: the input is a string, expected a JSON object"),
        (r#"{"name": "x"}"#, "not a Jira permission scheme: missing `permissions` array at `$` (fetch the scheme with `?expand=all`)"),
        (r#"{"name": "x", "permissions": {}}"#, "not a Jira permission scheme: `$.permissions` is an object, expected an array of grants"),
        (r#"{"permissions": []}"#, "not a Jira permission scheme: this is the grants of one permission scheme from GET /rest/api/3/permissionscheme/{id}/permission, which omits the scheme's name; fetch the whole scheme with GET /rest/api/3/permissionscheme/{id}?expand=all"),
        (r#"{"name": "  ", "permissions": []}"#, "not a Jira permission scheme: `$.name` is missing or not a non-empty string"),
        (r#"{"permissionSchemes": {}}"#, "not a list of Jira permission schemes: `$.permissionSchemes` is an object, expected an array"),
        (r#"{"permissionSchemes": []}"#, "`$.permissionSchemes` is an empty list: there is no permission scheme to import"),
        (r#"{"permissionSchemes": [{"name": "a", "permissions": []}, 3]}"#, "not a Jira permission scheme: `$.permissionSchemes[1]` is a number, expected an object"),
    ];
    for (input, expected) in cases {
        let message = scheme_err(input);
        assert_eq!(message, expected, "input {input:?}");
        assert_one_sentence(&message);
    }
    let nested = scheme_err(r#"{"permissionSchemes": [{"name": "a"}]}"#);
    assert!(nested.contains("`$.permissionSchemes[0]`"), "{nested}");
    // A board given to the scheme importer.
    assert_one_sentence(&scheme_err(BOARD));
    assert_eq!(
        ImportError::new("x").to_string(),
        "x",
        "Display is the message"
    );
}

// ---------------------------------------------------------------- boards

#[test]
fn import_board_without_config() {
    let imported = board(BOARD, None);
    assert_eq!(imported.file_name, "platform-scrum.toml");
    assert_eq!(
        imported.toml,
        r#"# Imported from Jira board 84 by `rolelint import jira-board`.
kind = "jira-board"
name = "Platform Scrum"
type = "scrum"
projects = ["PLAT"]
admins = ["group:platform-leads", "user:5b10ac8d82e05b22cc7d4ef5"]
"#
    );
    assert_eq!(
        imported.notes,
        ["no board configuration was given: `projects` is only the board's location (PLAT); set `filter` to the board filter's JQL (GET /rest/api/3/filter/{id}) so rolelint sees every project the board covers"]
    );
}

#[test]
fn import_board_with_config_filter_id_only() {
    let imported = board(BOARD, Some(BOARD_CONFIG));
    assert_eq!(
        imported.toml,
        r#"# Imported from Jira board 84 by `rolelint import jira-board`.
kind = "jira-board"
name = "Platform Scrum"
type = "scrum"
# filter 1001: fetch its JQL with GET /rest/api/3/filter/1001 and set filter = "..."
projects = ["PLAT"]
admins = ["group:platform-leads", "user:5b10ac8d82e05b22cc7d4ef5"]
"#
    );
    assert_eq!(
        imported.notes,
        ["the configuration gives only the id of filter 1001, not its JQL: `projects` is only the board's location (PLAT); set `filter` to the board filter's JQL (GET /rest/api/3/filter/1001) so rolelint sees every project the board covers"]
    );
}

#[test]
fn import_board_with_filter_query() {
    let imported = board(BOARD, Some(BOARD_CONFIG_QUERY));
    assert_eq!(
        imported.toml,
        r#"# Imported from Jira board 84 by `rolelint import jira-board`.
kind = "jira-board"
name = "Platform Scrum"
type = "scrum"
filter = "project in (PLAT, INFRA) ORDER BY Rank ASC"
admins = ["group:platform-leads", "user:5b10ac8d82e05b22cc7d4ef5"]
"#
    );
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
}

#[test]
fn import_board_filter_jql_key_and_saved_filter_json() {
    let config = r#"{"filter": {"id": 7, "jql": "project = \"A B\" AND labels = 'x'"}}"#;
    let table = parse(&board(BOARD, Some(config)).toml);
    assert_eq!(
        table["filter"].as_str(),
        Some("project = \"A B\" AND labels = 'x'")
    );
    assert!(table.get("projects").is_none());

    let saved_filter =
        r#"{"id": "1001", "name": "Filter for PLAT", "jql": "project = PLAT ORDER BY Rank ASC"}"#;
    let imported = board(BOARD, Some(saved_filter));
    let table = parse(&imported.toml);
    assert_eq!(
        table["filter"].as_str(),
        Some("project = PLAT ORDER BY Rank ASC")
    );
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(imported.notes[0].contains("saved filter"));
}

#[test]
fn import_board_simple_dc_admins_and_missing_parts() {
    let json = r#"{"id": 3, "name": "Ops board", "type": "simple",
        "admins": {"users": [{"key": "JIRAUSER10100", "name": "ops", "displayName": "Ops"},
                             {"displayName": "Ghost"},
                             {"accountId": "a2"}, {"accountId": "a1"}, {"accountId": "a1"}],
                   "groups": [{"name": "zz"}, {"name": "aa"}, {}]},
        "location": {"type": "user", "userId": 1, "displayName": "Ops"}}"#;
    let imported = board(json, None);
    let table = parse(&imported.toml);
    assert_eq!(table["type"].as_str(), Some("simple"));
    assert!(table.get("projects").is_none());
    let admins: Vec<&str> = table["admins"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        admins,
        [
            "group:aa",
            "group:zz",
            "user:JIRAUSER10100",
            "user:a1",
            "user:a2"
        ]
    );
    assert_eq!(
        imported.notes,
        [
            "no board configuration was given and the board has no project location: set `projects` or `filter` by hand",
            "board admin `$.admins.users[0]` has no `accountId`: imported as `user:JIRAUSER10100` from its Data Center key/name",
            "board admin `$.admins.users[1]` (\"Ghost\") has no `accountId`: not imported",
            "board admin group `$.admins.groups[2]` has no `name`: not imported",
        ]
    );
    assert_eq!(imported.file_name, "ops-board.toml");

    let bare = board(r#"{"name": "Bare"}"#, None);
    assert_eq!(
        bare.toml,
        "# Imported from Jira board \"Bare\" by `rolelint import jira-board`.\nkind = \"jira-board\"\nname = \"Bare\"\n"
    );
    assert_eq!(bare.notes.len(), 3, "{:#?}", bare.notes);
}

#[test]
fn import_board_location_from_config() {
    let json = r#"{"id": 5, "name": "B", "type": "kanban", "admins": {"users": [], "groups": []}}"#;
    let imported = board(json, Some(BOARD_CONFIG));
    let table = parse(&imported.toml);
    assert_eq!(
        table["projects"].as_array().map(|a| a.len()),
        Some(1),
        "{}",
        imported.toml
    );
    assert_eq!(table["projects"][0].as_str(), Some("PROJ"));
    assert_eq!(table["admins"].as_array().map(|a| a.len()), Some(0));
}

#[test]
fn import_board_errors_are_one_clear_sentence() {
    let cases: [(&str, Option<&str>, &str); 6] = [
        ("[1]", None, "not a Jira board: the input is an array, expected the JSON object of GET /rest/agile/1.0/board/{id}"),
        ("{\"id\": 1}", None, "not a Jira board: `$.name` is missing or not a non-empty string"),
        ("{\"name\": 7}", None, "not a Jira board: `$.name` is missing or not a non-empty string"),
        (BOARD_CONFIG, None, "not a Jira board: this is a board configuration from GET /rest/agile/1.0/board/{id}/configuration; pass the board (GET /rest/agile/1.0/board/{id}) with it"),
        (BOARD, Some("[]"), "not a Jira board configuration: the input is an array, expected the JSON object of GET /rest/agile/1.0/board/{id}/configuration"),
        ("nope", None, "the board input is not valid JSON: expected ident at line 1 column 2"),
    ];
    for (input, config, expected) in cases {
        let message = board_err(input, config);
        assert_eq!(message, expected, "input {input:?}");
        assert_one_sentence(&message);
    }
    let message = board_err(BOARD, Some("{"));
    assert!(message.starts_with("the board configuration input is not valid JSON: "));
    assert_one_sentence(&message);
}

// ---------------------------------------------------------------- guarantees

#[test]
fn import_every_output_parses_as_toml() {
    let mut outputs = Vec::new();
    for json in [SCHEME_CLOUD, SCHEME_DC, SCHEMES_MULTI, SCHEME_ODD] {
        outputs.extend(schemes(json));
    }
    for config in [None, Some(BOARD_CONFIG), Some(BOARD_CONFIG_QUERY)] {
        outputs.push(board(BOARD, config));
    }
    for imported in &outputs {
        let table = parse(&imported.toml);
        let kind = table["kind"].as_str().unwrap_or_default();
        assert!(
            kind == "jira-permission-scheme" || kind == "jira-board",
            "{kind}"
        );
        assert!(imported.file_name.ends_with(".toml"));
        assert!(!imported.file_name.contains(['/', '\\']));
        assert!(imported.toml.ends_with('\n'));
    }
}

/// Every char-boundary prefix of `text`.
fn prefixes(text: &str) -> impl Iterator<Item = &str> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .filter_map(|i| text.get(..i))
}

#[test]
fn import_never_panics_on_fixture_prefixes() {
    for fixture in ALL_FIXTURES {
        for prefix in prefixes(fixture) {
            if let Ok(all) = import_jira_schemes(prefix) {
                for imported in all {
                    parse(&imported.toml);
                }
            }
            if let Ok(imported) = import_jira_board(prefix, None) {
                parse(&imported.toml);
            }
            if let Ok(imported) = import_jira_board(BOARD, Some(prefix)) {
                parse(&imported.toml);
            }
            if let Ok(imported) = import_jira_board(prefix, Some(BOARD_CONFIG_QUERY)) {
                parse(&imported.toml);
            }
        }
    }
}

#[test]
fn import_never_panics_on_odd_shapes() {
    let odd = [
        "",
        " ",
        "null",
        "0",
        "[]",
        "[[]]",
        "{}",
        "{\"permissionSchemes\": null}",
        r#"{"name": "x", "permissions": [null, 1, [], {}, {"permission": 1}, {"permission": "", "holder": 1},
            {"permission": "P", "holder": {"type": 1}}, {"permission": "P", "holder": {"type": "projectRole"}},
            {"permission": "P", "holder": {"type": "projectRole", "projectRole": "x"}},
            {"permission": "P", "holder": {"type": "group", "parameter": ""}},
            {"permission": "P", "holder": {"type": "applicationRole", "parameter": ""}},
            {"permission": "P", "holder": {"type": "userCustomField"}},
            {"permission": "P", "holder": {"type": "user", "parameter": 1.5e300}}]}"#,
        r#"{"name": "x", "type": [], "admins": {"users": 1, "groups": [1, null]}, "location": 3, "filter": 3}"#,
        r#"{"name": "x", "admins": [], "filter": {"query": ""}, "location": {"projectKey": ""}}"#,
        &"[".repeat(10_000),
        &"{\"a\":".repeat(10_000),
    ];
    for input in odd {
        if let Ok(all) = import_jira_schemes(input) {
            for imported in all {
                parse(&imported.toml);
            }
        }
        for config in [None, Some(input)] {
            if let Ok(imported) = import_jira_board(input, config) {
                parse(&imported.toml);
            }
        }
    }
}

// ---------------------------------------------------------------- helpers

#[test]
fn import_slugs() {
    assert_eq!(slugify("Software team scheme", "x"), "software-team-scheme");
    assert_eq!(slugify("  --Hello__World--  ", "x"), "hello-world");
    assert_eq!(slugify("../../etc/passwd", "x"), "etc-passwd");
    assert_eq!(slugify("C:\\Windows", "x"), "c-windows");
    assert_eq!(slugify("Équipe Ærø straße", "x"), "equipe-aero-strasse");
    assert_eq!(
        slugify("日本", "permission-scheme-10400"),
        "permission-scheme-10400"
    );
    assert_eq!(slugify("", ""), "imported");
    assert_eq!(slugify("!!!", "/"), "imported");
    let long = "word ".repeat(100);
    let slug = slugify(&long, "x");
    assert!(slug.len() <= 80 && !slug.ends_with('-'), "{slug}");
    let unbroken = "a".repeat(200);
    assert_eq!(slugify(&unbroken, "x").len(), 80);

    let mut used = std::collections::HashSet::new();
    assert_eq!(unique_file_name("a-2", &mut used), "a-2.toml");
    assert_eq!(unique_file_name("a", &mut used), "a.toml");
    assert_eq!(unique_file_name("a", &mut used), "a-3.toml");
    assert_eq!(unique_file_name("a", &mut used), "a-4.toml");
}

#[test]
fn import_comment_helpers() {
    assert_eq!(
        quote_for_comment("a\"b\\c\nd\u{7f}é"),
        "\"a\\\"b\\\\c\\nd\\u007Fé\""
    );
    assert_eq!(comment_safe("a\nb\tc"), "a\\u000Ab\tc");
}

#[test]
fn import_scheme_only_unusable_grants_comments_end_document() {
    let imported =
        one_scheme(r#"{"name": "x", "permissions": [{"id": 1}, {"id": 2, "permission": 5}]}"#);
    assert_eq!(
        imported.toml,
        "# Imported from Jira permission scheme \"x\" by `rolelint import jira-scheme`.\n\
         kind = \"jira-permission-scheme\"\nname = \"x\"\n\n[grants]\n\
         # grant 1 has no `permission` (holder missing): not imported\n\
         # grant 2 has a `permission` that is a number (holder missing): not imported\n"
    );
    assert_eq!(
        imported.notes,
        [
            "grant 1 has no `permission`: kept as a comment, not imported",
            "grant 2 has a `permission` that is a number: kept as a comment, not imported",
        ]
    );
    parse(&imported.toml);
}

// ---------------------------------------------------------------- projects

const PROJECT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/cases/jira-project/project-with-scheme/first.json"
));
const PROJECT_SCHEME: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/cases/jira-project/project-with-scheme/second.json"
));

#[test]
fn import_project_fills_id_in_either_order() {
    for (a, b) in [(PROJECT, PROJECT_SCHEME), (PROJECT_SCHEME, PROJECT)] {
        let imported = match import_jira_project(a, Some(b)) {
            Ok(v) => v,
            Err(e) => panic!("import failed: {e}"),
        };
        let table = parse(&imported.toml);
        assert_eq!(table["id"].as_integer(), Some(10000));
        assert_eq!(table["key"].as_str(), Some("PLAT"));
        assert_eq!(
            table["permission-scheme"].as_str(),
            Some("Software Delivery Scheme")
        );
        assert_eq!(imported.file_name, "plat.toml");
    }
    let err = match import_jira_project(BOARD, None) {
        Err(e) => e.message,
        Ok(v) => panic!("expected an error, got {v:?}"),
    };
    assert_one_sentence(&err);
    assert!(err.contains("this is a Jira board"), "{err}");
}

#[test]
fn import_project_never_panics_on_prefixes() {
    for prefix in prefixes(PROJECT) {
        if let Ok(imported) = import_jira_project(prefix, None) {
            parse(&imported.toml);
        }
        if let Ok(imported) = import_jira_project(PROJECT, Some(prefix)) {
            parse(&imported.toml);
        }
    }
}

#[test]
fn import_scheme_group_given_by_name_keeps_name_and_id() {
    let json = r#"{"name": "S", "permissions": [
        {"id": 1, "holder": {"type": "group", "value": "b1c2",
            "group": {"name": "ops-team", "groupId": "b1c2"}}, "permission": "BROWSE_PROJECTS"}]}"#;
    let imported = one_scheme(json);
    let table = parse(&imported.toml);
    assert_eq!(holders(&table, "BROWSE_PROJECTS"), ["group:ops-team"]);
    assert_eq!(table["group-ids"]["ops-team"].as_str(), Some("b1c2"));
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
}

#[test]
fn payload_shapes_survive_odd_values() {
    use super::payload::{shape, Shape};
    let of = |s: &str| shape(&serde_json::from_str(s).expect("test JSON"));
    assert_eq!(
        of(r#"{"isLast": true, "values": [1, "x", null]}"#),
        Shape::Page
    );
    assert_eq!(
        of(r#"{"isLast": true, "values": [3, {"type": "kanban"}]}"#),
        Shape::PageOfBoards
    );
    assert_eq!(of(r#"{"errorMessages": "boom"}"#), Shape::JiraError(None));
    assert_eq!(of(r#"{"permissions": 3}"#), Shape::SchemeGrants);
    assert_eq!(
        of(r#"{"name": "B", "filter": 1, "admins": {}}"#),
        Shape::Board
    );
    assert_eq!(
        of(r#"{"name": "C", "filter": {"id": 1}}"#),
        Shape::BoardConfiguration
    );
    assert_eq!(of("[]"), Shape::NotObject("an array"));
}
