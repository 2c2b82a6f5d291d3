//! `rolelint license`: Full and Integrated license use from a Jira Align People export,
//! each user classed by what their role actually consumes (judged by the same ceiling
//! rules as `check`); with `--against REV`, who moves between classes compared with the
//! role documents at another git revision.
//!
//! Exit codes: 1 when the working tree's counts exceed the configured seats (so it can
//! gate a pipeline), 0 otherwise, 2 on bad input.
use crate::cli::{LicenseArgs, LicenseFormat};
use crate::commands::check::load_config;
use crate::config::{self, Config};
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::Severity;
use crate::error::Fatal;
use crate::evaluate::rules::TreatedAs;
use crate::fsio::read::{ReadError, Refusal};
use crate::license::impact::{render_impact_csv, render_impact_human, Impact};
use crate::license::judge::RoleJudge;
use crate::license::{
    count_export, read_people, render_csv, render_human, ColumnNames, LicenseReport,
    LicenseSettings, PeopleExport,
};
use crate::pipeline::{self, Run};
use crate::Outcome;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(args: &LicenseArgs) -> Result<Outcome, Fatal> {
    let mut sources = SourceMap::new();
    let (config, root) = load_config(args.config.as_deref(), &[], &mut sources)?;
    let (people, shown) = people_path(args, &config)?;
    let export = read_export(&people, &shown, &config, &root)?;
    let settings = settings(&config, args.full_seats);
    let config_path = config.origin.as_ref().map(|(_, p)| p.clone());

    let run = pipeline::check_repository(&root, config, sources)?;
    warn_broken_documents(&run, "");
    let judge = RoleJudge::from_run(&run);
    let report = count_export(&export, &|r| judge.judge(r), &settings);

    let text = match &args.against {
        None => render_report(&report, &judge, &shown, args.format),
        Some(rev) => {
            let (before_judge, commit) = judge_at(rev, config_path.as_deref(), &root)?;
            let before = count_export(&export, &|r| before_judge.judge(r), &settings);
            let impact = Impact::new(rev, &commit, &before, &report);
            match args.format {
                LicenseFormat::Human => render_impact_human(&impact),
                LicenseFormat::Csv => render_impact_csv(&impact),
                LicenseFormat::Json => json(&ImpactJson {
                    version: 1,
                    people: &shown,
                    impact: &impact,
                    before: &before,
                    after: &report,
                }),
            }
        }
    };
    let carried = match args.format {
        LicenseFormat::Json => true,
        LicenseFormat::Human => args.against.is_none(),
        LicenseFormat::Csv => false,
    };
    if !carried {
        // The CSV and the pull-request comment have no room for them; stderr has.
        for p in &export.problems {
            errln!("warning: {shown}: {}", crate::inert::escape(&p.message));
        }
    }
    let mut out = crate::console::Stdout;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(crate::console::write_failed)?;
    Ok(if report.over_seats() {
        Outcome::Violations
    } else {
        Outcome::Clean
    })
}

/// Where the export comes from, and how to show it (as given, never made absolute).
fn people_path(args: &LicenseArgs, config: &Config) -> Result<(People, String), Fatal> {
    if let Some(p) = &args.people {
        let shown = crate::inert::bounded(&crate::fsio::name::display(p), 200).into_owned();
        return Ok((People::Named(p.clone()), shown));
    }
    match &config.license.people {
        // Relative to the configuration file, like every other path in it.
        Some(p) => Ok((
            People::Configured(p.get_ref().clone()),
            crate::inert::bounded(p.get_ref(), 200).into_owned(),
        )),
        None => Err(Fatal::msg(
            "no people export given: pass `--people FILE` or set `people` under `[license]` in rolelint.toml",
        )),
    }
}

/// The People export: named on the command line (the user's choice: anywhere, but a
/// regular file), or in rolelint.toml (inside the repository only).
enum People {
    Named(PathBuf),
    Configured(String),
}

fn read_export(
    people: &People,
    shown: &str,
    config: &Config,
    root: &Path,
) -> Result<PeopleExport, Fatal> {
    let limit = config.limits.people();
    let bytes = match people {
        People::Named(p) => crate::fsio::read::named(p, limit),
        People::Configured(written) => crate::fsio::Root::new(root)
            .map_err(crate::fsio::read::ReadError::from)
            .and_then(|r| r.read_configured(written, limit)),
    };
    let bytes = bytes.map_err(|e| {
        let hint = match (&e, people) {
            (ReadError::Refused(Refusal::TooLarge(_)), _) => {
                " (raise `people-bytes` under `[limits]` in rolelint.toml)"
            }
            (ReadError::Refused(Refusal::Outside), People::Configured(_)) => {
                " (pass `--people FILE` to read an export kept elsewhere)"
            }
            _ => "",
        };
        Fatal::msg(format!("the people export `{shown}` {e}{hint}"))
    })?;
    read_people(&bytes, &column_names(&config.license.columns))
        .map_err(|e| Fatal::msg(format!("{shown}: {e}")))
}

/// `[license.columns]` over the defaults: a key that is not set keeps its default.
pub fn column_names(c: &config::Columns) -> ColumnNames {
    let d = ColumnNames::default();
    let or = |given: &Vec<String>, default: Vec<String>| {
        if given.is_empty() {
            default
        } else {
            given.clone()
        }
    };
    ColumnNames {
        email: or(&c.email, d.email),
        role: or(&c.role, d.role),
        active: c.active.clone().unwrap_or(d.active),
        active_values: or(&c.active_values, d.active_values),
        inactive_values: or(&c.inactive_values, d.inactive_values),
    }
}

fn settings(config: &Config, full_seats: Option<u64>) -> LicenseSettings {
    let l = &config.license;
    LicenseSettings {
        full_seats: full_seats.or(l.full_seats),
        integrated_per_full: l.integrated_per_full,
        exclude_domains: l.exclude_domains.clone(),
        service_accounts: l.service_accounts.clone(),
    }
}

/// A role in a document with errors has no judgement: say so rather than count silently.
fn warn_broken_documents(run: &Run, at: &str) {
    let broken = run
        .diagnostics
        .iter()
        .filter(|d| d.is_active() && d.severity == Severity::Error && d.code().starts_with("RL"))
        .count();
    if broken > 0 {
        let s = if broken == 1 { "" } else { "s" };
        errln!(
            "warning: {broken} document error{s}{at}; a role whose document cannot be read counts as Full: run `rolelint check`"
        );
    }
}

/// Judge the roles of the repository at `rev`, read in memory by `review::side`. The checked
/// root maps to the same directory of the revision's tree; the configuration at the
/// revision (the file of the same name in that directory) is used when it exists there
/// (its `[align] integrated-roles` may differ), the working tree's otherwise.
fn judge_at(
    rev: &str,
    config_path: Option<&Path>,
    root: &Path,
) -> Result<(RoleJudge, String), Fatal> {
    let (run, commit) = crate::review::side::run_at(rev, config_path, root)?;
    warn_broken_documents(&run, &format!(" at revision `{rev}`"));
    Ok((RoleJudge::from_run(&run), commit))
}

fn render_report(
    report: &LicenseReport,
    judge: &RoleJudge,
    shown: &str,
    format: LicenseFormat,
) -> String {
    match format {
        LicenseFormat::Human => render_human(report),
        LicenseFormat::Csv => render_csv(report),
        LicenseFormat::Json => json(&ReportJson {
            version: 1,
            people: shown,
            report,
            documents: judge
                .roles()
                .into_iter()
                .map(|r| DocumentJson {
                    role: &r.name,
                    file: &r.file,
                    treated_as: treated_as_str(r.treated_as),
                    class: match &r.judgement {
                        crate::license::RoleJudgement::Integrated => "integrated",
                        crate::license::RoleJudgement::External => "external",
                        _ => "full",
                    },
                    reasons: match &r.judgement {
                        crate::license::RoleJudgement::Full { reasons, .. }
                        | crate::license::RoleJudgement::Unreliable { reasons } => reasons,
                        _ => &[],
                    },
                })
                .collect(),
        }),
    }
}

fn treated_as_str(t: TreatedAs) -> &'static str {
    match t {
        TreatedAs::Integrated => "integrated",
        TreatedAs::Full => "full",
        TreatedAs::External => "external",
    }
}

fn json<T: Serialize>(value: &T) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// `--format json` without `--against`. Shape documented in docs/src/license.md.
#[derive(Serialize)]
struct ReportJson<'a> {
    version: u32,
    people: &'a str,
    #[serde(flatten)]
    report: &'a LicenseReport,
    /// Every role document in the repository and the class it was judged to consume.
    documents: Vec<DocumentJson<'a>>,
}

#[derive(Serialize)]
struct DocumentJson<'a> {
    role: &'a str,
    file: &'a str,
    treated_as: &'static str,
    class: &'static str,
    reasons: &'a [String],
}

/// `--format json` with `--against`.
#[derive(Serialize)]
struct ImpactJson<'a> {
    version: u32,
    people: &'a str,
    #[serde(flatten)]
    impact: &'a Impact,
    before: &'a LicenseReport,
    after: &'a LicenseReport,
}

/// The People export configured in rolelint.toml, read and counted as `license` does, for
/// `review`'s License section; `None` when none is configured.
pub fn configured_people(
    config: &Config,
    root: &Path,
) -> Result<Option<crate::review::license::People>, Fatal> {
    let Some(p) = &config.license.people else {
        return Ok(None);
    };
    let shown = crate::inert::bounded(p.get_ref(), 200).into_owned();
    let people = People::Configured(p.get_ref().clone());
    let export = read_export(&people, &shown, config, root)?;
    Ok(Some(crate::review::license::People {
        export,
        settings: settings(config, None),
        shown,
    }))
}
