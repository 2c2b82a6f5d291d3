//! Glob patterns with fast paths. Discovery and the grant rules test every file or holder
//! against every pattern; most patterns are a literal, `*`, `prefix*` or `**/*.ext`, which
//! need no glob engine. Anything else goes to `glob::Pattern`, with the same semantics.
use glob::{MatchOptions, Pattern};

#[derive(Debug, Clone)]
pub struct Matcher {
    kind: Kind,
    options: MatchOptions,
    /// Every text it matches starts with this (empty when nothing is known).
    literal_start: String,
}

#[derive(Debug, Clone)]
enum Kind {
    Any,
    Literal(String),
    Prefix(String),
    /// `**/*.ext`: any path ending in `.ext`.
    Extension(String),
    Glob(Pattern),
}

fn plain(s: &str) -> bool {
    !s.contains(['*', '?', '[', ']', '{', '}', '!'])
}

impl Matcher {
    /// Compile `pattern`; `options` are used for the glob fallback and decide whether
    /// `*` may cross `/` (then `prefix*` and `*` are only fast when it may).
    pub fn new(pattern: &str, options: MatchOptions) -> Result<Self, glob::PatternError> {
        let glob = Pattern::new(pattern)?;
        let crosses = !options.require_literal_separator;
        let kind = if !options.case_sensitive {
            Kind::Glob(glob)
        } else if plain(pattern) {
            Kind::Literal(pattern.to_string())
        } else if let Some(ext) = pattern
            .strip_prefix("**/*.")
            .filter(|e| plain(e) && !e.contains('/'))
        {
            Kind::Extension(format!(".{ext}"))
        } else if pattern == "*" && crosses {
            Kind::Any
        } else if let Some(prefix) = pattern.strip_suffix('*').filter(|p| plain(p) && crosses) {
            Kind::Prefix(prefix.to_string())
        } else {
            Kind::Glob(glob)
        };
        let literal_start = if options.case_sensitive {
            let end = pattern
                .find(['*', '?', '[', ']', '{', '}', '!'])
                .unwrap_or(pattern.len());
            pattern[..end].to_string()
        } else {
            String::new()
        };
        Ok(Self {
            kind,
            options,
            literal_start,
        })
    }

    /// Could a text that starts with `start` (and goes on) match? A cheap test that
    /// rules out most candidates before their text is built.
    pub fn may_match_start(&self, start: &str) -> bool {
        let l = self.literal_start.as_str();
        l.starts_with(start) || start.starts_with(l)
    }

    pub fn matches(&self, text: &str) -> bool {
        match &self.kind {
            Kind::Any => true,
            Kind::Literal(l) => text == l,
            Kind::Prefix(p) => text.starts_with(p.as_str()),
            Kind::Extension(e) => text.ends_with(e.as_str()) && !text.ends_with('/'),
            Kind::Glob(g) => g.matches_with(text, self.options),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATHS: MatchOptions = MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };

    /// Every fast path agrees with the glob engine it stands in for.
    #[test]
    fn fast_paths_agree_with_glob() {
        let texts = [
            "a.toml",
            "dir/a.toml",
            "dir/sub/a.toml",
            "a.tomlx",
            ".toml",
            "group:jira-users",
            "group:jira",
            "user:bob",
            "anyone",
            "*",
            "",
            "dir/",
            "access/archive/x.toml",
        ];
        let patterns = [
            "**/*.toml",
            "group:jira-*",
            "user:*",
            "anyone",
            "*",
            "access/archive/**",
            "*.toml",
        ];
        for opts in [PATHS, MatchOptions::new()] {
            for p in patterns {
                let m = Matcher::new(p, opts).expect("valid");
                let g = Pattern::new(p).expect("valid");
                for t in texts {
                    assert_eq!(
                        m.matches(t),
                        g.matches_with(t, opts),
                        "{p} on {t:?} with {opts:?}"
                    );
                }
            }
        }
    }

    /// The start test never rules out a text the pattern matches.
    #[test]
    fn start_test_never_rules_out_a_match() {
        let texts = [
            "group:jira-users",
            "user:bob",
            "anyone",
            "application-role",
            "role:x",
        ];
        for p in [
            "group:jira-*",
            "user:*",
            "anyone",
            "*",
            "gr?up:*",
            "[a]nyone",
            "role:x",
        ] {
            let m = Matcher::new(p, MatchOptions::new()).expect("valid");
            for t in texts {
                for i in 0..=t.len() {
                    if m.matches(t) {
                        assert!(m.may_match_start(&t[..i]), "{p} on {t:?} at {i}");
                    }
                }
            }
        }
        let m = Matcher::new("anyone", MatchOptions::new()).expect("valid");
        assert!(!m.may_match_start("user:"));
    }
}
