//! Holder strings of Jira grants and memberships (`group:platform-devs`, `role:Developers`,
//! `anyone`, ...) parsed into an enum; a malformed one is a diagnostic on its string.
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::text::Text;
use crate::diagnostics::Diagnostic;
use rustc_hash::FxHashMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// Who a grant goes to (REST `holder.type` / `parameter`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// Names are shared texts: a repository repeats a few hundred in tens of thousands of grants.
pub enum Holder {
    /// Anonymous users included (REST `anyone`).
    Anyone,
    Group(Text),
    /// A project role, filled per project in the project's `[roles]`.
    Role(Text),
    User(Text),
    Reporter,
    Assignee,
    ProjectLead,
    /// `application-role:NAME`; `None` is the bare form: any logged-in user.
    ApplicationRole(Option<Text>),
    UserField(Text),
    GroupField(Text),
    /// JSM portal-only customers (REST `sd.customer.portal.only`).
    ServiceDeskCustomer,
}

/// Holder forms without a parameter.
const BARE: &[&str] = &[
    "anyone",
    "reporter",
    "assignee",
    "project-lead",
    "application-role",
    "service-desk-customer",
];

/// Holder forms with a `:NAME` parameter.
const PREFIXED: &[&str] = &[
    "group",
    "role",
    "user",
    "application-role",
    "user-field",
    "group-field",
];

impl Holder {
    /// Parse a holder string; the error is a short reason and maybe a suggestion.
    pub fn parse(s: &str) -> Result<Self, (String, Option<String>)> {
        if let Some((kind, name)) = s.split_once(':') {
            let name = name.trim();
            if name.is_empty() {
                return Err((says::HolderNeedsName { kind }.text().into(), None));
            }
            let n = crate::diagnostics::text::name(name);
            return match kind {
                "group" => Ok(Self::Group(n)),
                "role" => Ok(Self::Role(n)),
                "user" => Ok(Self::User(n)),
                "application-role" => Ok(Self::ApplicationRole(Some(n))),
                "user-field" => Ok(Self::UserField(n)),
                "group-field" => Ok(Self::GroupField(n)),
                other => Err((
                    says::NotAHolderType { kind: other }.text().into(),
                    did_you_mean(other, PREFIXED.iter().copied()).map(|k| format!("{k}:{name}")),
                )),
            };
        }
        match s {
            "anyone" => Ok(Self::Anyone),
            "reporter" => Ok(Self::Reporter),
            "assignee" => Ok(Self::Assignee),
            "project-lead" => Ok(Self::ProjectLead),
            "application-role" => Ok(Self::ApplicationRole(None)),
            "service-desk-customer" => Ok(Self::ServiceDeskCustomer),
            other => Err((
                says::NotAHolder { holder: other }.text().into(),
                did_you_mean(other, BARE.iter().copied()).map(str::to_string),
            )),
        }
    }

    /// Granted only for some issues or some users (reporter, assignee, project lead, custom fields).
    pub fn is_dynamic(&self) -> bool {
        matches!(
            self,
            Self::Reporter
                | Self::Assignee
                | Self::ProjectLead
                | Self::UserField(_)
                | Self::GroupField(_)
                | Self::ServiceDeskCustomer
        )
    }
}

/// How each holder form's text starts, whatever its name, indexed by [`Holder::form`].
pub const TEXT_STARTS: [&str; 12] = [
    "anyone",
    "group:",
    "role:",
    "user:",
    "reporter",
    "assignee",
    "project-lead",
    "application-role",
    "application-role:",
    "user-field:",
    "group-field:",
    "service-desk-customer",
];

impl Holder {
    /// The holder's form, an index into [`TEXT_STARTS`]: rules decide per form which
    /// patterns could match before any holder text is built.
    pub fn form(&self) -> usize {
        match self {
            Self::Anyone => 0,
            Self::Group(_) => 1,
            Self::Role(_) => 2,
            Self::User(_) => 3,
            Self::Reporter => 4,
            Self::Assignee => 5,
            Self::ProjectLead => 6,
            Self::ApplicationRole(None) => 7,
            Self::ApplicationRole(Some(_)) => 8,
            Self::UserField(_) => 9,
            Self::GroupField(_) => 10,
            Self::ServiceDeskCustomer => 11,
        }
    }
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Anyone => f.write_str("anyone"),
            Self::Group(n) => write!(f, "group:{n}"),
            Self::Role(n) => write!(f, "role:{n}"),
            Self::User(n) => write!(f, "user:{n}"),
            Self::Reporter => f.write_str("reporter"),
            Self::Assignee => f.write_str("assignee"),
            Self::ProjectLead => f.write_str("project-lead"),
            Self::ApplicationRole(None) => f.write_str("application-role"),
            Self::ApplicationRole(Some(n)) => write!(f, "application-role:{n}"),
            Self::UserField(n) => write!(f, "user-field:{n}"),
            Self::GroupField(n) => write!(f, "group-field:{n}"),
            Self::ServiceDeskCustomer => f.write_str("service-desk-customer"),
        }
    }
}

/// A holder with the span of its string in the document.
#[derive(Debug, Clone)]
pub struct SpannedHolder {
    pub holder: Holder,
    pub span: Range<usize>,
}

/// Which holder forms a list accepts, for the error message.
#[derive(Clone, Copy)]
pub enum Allowed {
    /// Every holder form (permission-scheme grants).
    Any,
    /// `group:` or `anyone` (global permissions).
    GroupOrAnyone,
    /// `group:` or `user:` (role members, group members, board admins).
    GroupOrUser,
    /// `group:`, `role:` or `user:` (a board expectation's `who`).
    Subject,
}

impl Allowed {
    fn accepts(self, h: &Holder) -> bool {
        match self {
            Self::Any => true,
            Self::GroupOrAnyone => matches!(h, Holder::Group(_) | Holder::Anyone),
            Self::GroupOrUser => matches!(h, Holder::Group(_) | Holder::User(_)),
            Self::Subject => matches!(h, Holder::Group(_) | Holder::Role(_) | Holder::User(_)),
        }
    }

    fn describe(self) -> crate::diagnostics::text::Text {
        match self {
            Self::Any => says::AnyHolder.text(),
            Self::GroupOrAnyone => says::GroupOrAnyone.text(),
            Self::GroupOrUser => says::GroupOrUser.text(),
            Self::Subject => says::GroupRoleOrUser.text(),
        }
    }
}

/// Parse one holder string, reporting a malformed or disallowed one. `context` names the
/// list for messages; it is only built for a message.
pub fn parse_one(
    file: FileId,
    s: &Spanned<String>,
    allowed: Allowed,
    context: &dyn Fn() -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<SpannedHolder> {
    match Holder::parse(s.get_ref()) {
        Ok(holder) if allowed.accepts(&holder) => Some(SpannedHolder {
            holder,
            span: s.span(),
        }),
        Ok(holder) => {
            let (holder, list) = (holder.to_string(), context());
            let expected = &allowed.describe();
            diags.push(
                says::HolderNotAllowed {
                    holder: &holder,
                    list: &list,
                    expected,
                }
                .at(file, s.span()),
            );
            None
        }
        Err((reason, suggestion)) => {
            let holder = s.get_ref();
            let mut d = says::MalformedHolder {
                holder,
                reason: &reason,
            }
            .at(file, s.span());
            if let Some(s) = suggestion {
                d = d.with_help(says::DidYouMean { suggestion: &s }.text());
            }
            diags.push(d);
            None
        }
    }
}

/// Lists up to this long are searched for duplicates by scanning; longer ones by hashing.
const SCAN_LIMIT: usize = 16;

/// Parse a list of holders, reporting malformed ones and duplicates.
pub fn parse_list(
    file: FileId,
    items: &[Spanned<String>],
    allowed: Allowed,
    context: &dyn Fn() -> String,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SpannedHolder> {
    // Sized exactly: a repository keeps tens of thousands of these lists.
    let mut out: Vec<SpannedHolder> = Vec::with_capacity(items.len());
    // Where each holder was first listed. Short lists (nearly all) are scanned without
    // allocating; a long one is indexed, so a million distinct holders cost a million
    // look-ups, not a million scans of the list.
    let mut first_at: FxHashMap<Holder, usize> = FxHashMap::default();
    for s in items {
        let Some(h) = parse_one(file, s, allowed, context, diags) else {
            continue;
        };
        let first = if out.len() < SCAN_LIMIT {
            out.iter().position(|o| o.holder == h.holder)
        } else {
            if first_at.is_empty() {
                first_at.extend(out.iter().enumerate().map(|(i, o)| (o.holder.clone(), i)));
            }
            first_at.get(&h.holder).copied()
        };
        if let Some(first) = first.map(|i| &out[i]) {
            let (holder, list) = (h.holder.to_string(), context());
            diags.push(
                says::HolderTwice {
                    holder: &holder,
                    list: &list,
                }
                .at(file, h.span.clone())
                .with_secondary(
                    crate::diagnostics::source::Location::new(file, first.span.clone()),
                    says::FirstListedHere.text(),
                )
                .with_fix(Some(crate::diagnostics::fix::Fix::safe(
                    crate::diagnostics::fix::Edit::RemoveArrayItem,
                ))),
            );
            continue;
        }
        if !first_at.is_empty() {
            first_at.insert(h.holder.clone(), out.len());
        }
        out.push(h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Holder, TEXT_STARTS};

    /// Every form's text starts as `TEXT_STARTS` says (the forbid-grant pre-filter relies on it).
    #[test]
    fn forms_match_their_text_starts() {
        let all = [
            "anyone",
            "group:g",
            "role:r",
            "user:u",
            "reporter",
            "assignee",
            "project-lead",
            "application-role",
            "application-role:jira-software",
            "user-field:f",
            "group-field:f",
            "service-desk-customer",
        ];
        let mut seen = [false; 12];
        for text in all {
            let h = Holder::parse(text).expect("valid holder");
            assert!(h.to_string().starts_with(TEXT_STARTS[h.form()]), "{text}");
            seen[h.form()] = true;
        }
        assert!(seen.iter().all(|s| *s), "every form is covered");
    }

    #[test]
    fn parses_every_form_and_round_trips() {
        for s in [
            "anyone",
            "group:jira-users",
            "role:Developers",
            "user:alice",
            "reporter",
            "assignee",
            "project-lead",
            "application-role",
            "application-role:jira-software",
            "user-field:customfield_10001",
            "group-field:Team",
            "service-desk-customer",
        ] {
            let h = Holder::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
            assert_eq!(h.to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_holders_with_suggestions() {
        assert_eq!(
            Holder::parse("gruop:devs").err().and_then(|e| e.1),
            Some("group:devs".to_string())
        );
        assert!(Holder::parse("group:").is_err());
        assert_eq!(
            Holder::parse("anyon").err().and_then(|e| e.1),
            Some("anyone".to_string())
        );
        assert!(Holder::parse("project-lead").is_ok_and(|h| h.is_dynamic()));
        assert!(Holder::parse("role:Users").is_ok_and(|h| !h.is_dynamic()));
    }
}
