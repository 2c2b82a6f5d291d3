//! Phase one of reading a document, collecting: serde stops at the first error, so after
//! each error the entry it points at (a key and its value, or an array element) is taken
//! out of the parsed table and deserialisation runs again. Every error of the document is
//! reported, each at its own span, not only the first.
//!
//! Only error paths pay for this: a well-formed document deserialises once.
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::Diagnostic;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::ops::Range;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

/// What phase one found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Phase1 {
    /// Errors reported.
    pub errors: usize,
    /// Spans of values read as placeholders or array elements left out: phase two's
    /// judgements on them would be about the repair, not the document.
    pub repaired: Vec<Range<usize>>,
    /// A missing key was filled in, or a table missing one left out: what phase two would
    /// see is not what was written, so it does not run.
    pub key_removed: bool,
}

impl Phase1 {
    /// Phase two (semantic validation) may run on what was read.
    pub fn validate_rest(&self) -> bool {
        !self.key_removed
    }

    /// Phase two's finding is about the document as written, not about a repair.
    pub fn keeps(&self, d: &Diagnostic) -> bool {
        let s = &d.location.span;
        !self
            .repaired
            .iter()
            .any(|r| s.start < r.end.max(r.start + 1) && r.start < s.end.max(s.start + 1))
    }
}

/// Values tried in place of one of the wrong type, so that serde reads past it.
fn placeholders<'a>() -> [DeValue<'a>; 5] {
    [
        DeValue::String("".into()),
        DeValue::Array(DeArray::new()),
        DeValue::Table(DeTable::new()),
        DeValue::Integer(toml::de::DeInteger::default()),
        DeValue::Boolean(false),
    ]
}

/// Errors reported for one document before giving up: enough for every real mistake, and a
/// bound on the work a generated file with thousands of bad keys can cause (each error
/// costs one more pass).
pub const MAX_ERRORS: usize = 25;

/// Deserialise `table` into `T`, reporting every error (up to [`MAX_ERRORS`]). `Some` when a `T` could be read,
/// possibly with placeholders for the values in error (see [`Phase1`]).
pub fn deserialize<T: DeserializeOwned>(
    file: FileId,
    what: &str,
    table: Spanned<DeTable<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<T>, Phase1) {
    deserialize_with(table, diags, &|e| super::serde_error(file, what, e))
}

/// [`deserialize`], each serde error made a diagnostic by `render` (a policy's rule
/// parameters name the rule type in their errors).
pub fn deserialize_with<T: DeserializeOwned>(
    table: Spanned<DeTable<'_>>,
    diags: &mut Vec<Diagnostic>,
    render: &dyn Fn(&toml::de::Error) -> Diagnostic,
) -> (Option<T>, Phase1) {
    let mut table = table;
    let mut phase = Phase1::default();
    // Each round repairs one entry, so the number of entries bounds the rounds.
    let mut rounds = count_entries(table.get_ref()) + 1;
    let mut result = attempt::<T>(&table);
    loop {
        let e = match result {
            Ok(v) => return (Some(v), phase),
            Err(e) => e,
        };
        let missing = missing_field(e.message());
        diags.push(render(&e));
        phase.errors += 1;
        if phase.errors == MAX_ERRORS {
            if let Some(last) = diags.pop() {
                let max = MAX_ERRORS.to_string();
                diags.push(last.with_note(says::StopsAfter { max: &max }.text()));
            }
            return (None, phase);
        }
        rounds = rounds.saturating_sub(1);
        if let Some(field) = missing {
            // Fill the missing key with the first placeholder serde reads past, so the keys
            // after it are read too.
            let at = e.span().unwrap_or(0..0);
            // Empty, so that it is never taken for an entry to leave out.
            let here = at.start..at.start;
            // Still about this key; for an empty table, a missing key at the same place may
            // be one of its own, so it does not fit either.
            let stuck = |r: &Result<T, toml::de::Error>, table_placeholder: bool| {
                r.as_ref().err().is_some_and(|e2| {
                    e2.message() == e.message()
                        || (e2.span() == Some(here.clone())
                            && (table_placeholder || missing_field(e2.message()).is_none()))
                })
            };
            let fitted = placeholders().into_iter().find_map(|p| {
                let table_placeholder = matches!(p, DeValue::Table(_));
                let mut trial = table.clone();
                let t = table_at(&mut trial, &at)?;
                t.insert(
                    Spanned::new(here.clone(), Cow::Owned(field.to_string())),
                    Spanned::new(here.clone(), p),
                );
                let r = attempt::<T>(&trial);
                (!stuck(&r, table_placeholder)).then_some((trial, r))
            });
            if rounds == 0 {
                return (None, phase);
            }
            if let Some((trial, r)) = fitted {
                table = trial;
                result = r;
                phase.key_removed = true;
                continue;
            }
            // No placeholder fits (the key holds a table): leave out the table missing it,
            // unless it is the document itself.
            let whole = smallest_containing(table.get_ref(), &at).filter(|t| *t == at);
            match whole.and_then(|t| remove(table.get_mut(), &t)) {
                Some(_) => {
                    phase.key_removed = true;
                    result = attempt::<T>(&table);
                    continue;
                }
                None => return (None, phase),
            }
        }
        let Some(at) = e.span().filter(|s| !s.is_empty()) else {
            return (None, phase);
        };
        let Some(target) = smallest_containing(table.get_ref(), &at) else {
            return (None, phase);
        };
        if rounds == 0 {
            return (None, phase);
        }
        let unknown_key = e.message().starts_with("unknown field `");
        // A value of the wrong type: the first placeholder serde reads past.
        if !unknown_key {
            let mut fitted = None;
            for p in placeholders() {
                let mut trial = table.clone();
                if !replace(trial.get_mut(), &target, p) {
                    break;
                }
                let r = attempt::<T>(&trial);
                let stuck = r
                    .as_ref()
                    .err()
                    .and_then(|e| e.span())
                    .is_some_and(|s| s.start >= target.start && s.end <= target.end);
                if !stuck {
                    fitted = Some((trial, r));
                    break;
                }
            }
            if let Some((trial, r)) = fitted {
                table = trial;
                result = r;
                phase.repaired.push(target);
                continue;
            }
        }
        match remove(table.get_mut(), &target) {
            Some(Some(_)) if unknown_key => {}
            // No placeholder fits (a value that must be one of some words): read as absent.
            Some(Some(_)) => phase.repaired.push(target),
            Some(None) => phase.repaired.push(target),
            None => return (None, phase),
        }
        result = attempt::<T>(&table);
    }
}

fn attempt<T: DeserializeOwned>(table: &Spanned<DeTable<'_>>) -> Result<T, toml::de::Error> {
    T::deserialize(toml::de::Deserializer::from(table.clone()))
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .trim()
        .strip_prefix("missing field `")?
        .split('`')
        .next()
}

fn count_entries(table: &DeTable<'_>) -> usize {
    table
        .iter()
        .map(|(_, v)| 1 + count_in_value(v.get_ref()))
        .sum()
}

fn count_in_value(v: &DeValue<'_>) -> usize {
    match v {
        DeValue::Table(t) => count_entries(t),
        DeValue::Array(a) => a.iter().map(|e| 1 + count_in_value(e.get_ref())).sum(),
        _ => 0,
    }
}

/// The smallest non-empty span of a key, value or array element that contains `at`.
fn smallest_containing(table: &DeTable<'_>, at: &Range<usize>) -> Option<Range<usize>> {
    let mut best: Option<Range<usize>> = None;
    // `true` stops the walk: nothing is smaller than the error's own span.
    let mut consider = |s: Range<usize>| {
        let contains = s.start <= at.start && at.end <= s.end && !s.is_empty();
        if contains && best.as_ref().is_none_or(|b| s.len() < b.len()) {
            best = Some(s.clone());
        }
        contains && s == *at
    };
    visit(table, &mut consider);
    best
}

fn visit(table: &DeTable<'_>, f: &mut dyn FnMut(Range<usize>) -> bool) -> bool {
    table
        .iter()
        .any(|(k, v)| f(k.span()) || f(v.span()) || visit_value(v.get_ref(), f))
}

fn visit_value(v: &DeValue<'_>, f: &mut dyn FnMut(Range<usize>) -> bool) -> bool {
    match v {
        DeValue::Table(t) => visit(t, f),
        DeValue::Array(a) => a.iter().any(|e| f(e.span()) || visit_value(e.get_ref(), f)),
        _ => false,
    }
}

/// Remove the entry whose key or value has span `target`, or the array element with that
/// span. `Some(Some(key))` for a removed table entry, `Some(None)` for an array element.
fn remove(table: &mut DeTable<'_>, target: &Range<usize>) -> Option<Option<String>> {
    let mut hit = None;
    for (k, v) in table.iter_mut() {
        // Deepest first: an array of tables and its first table can share a span.
        if let Some(done) = remove_in_value(v.get_mut(), target) {
            return Some(done);
        }
        if k.span() == *target || v.span() == *target {
            hit = Some(k.clone());
            break;
        }
    }
    let key = hit?;
    table.remove(&key)?;
    Some(Some(key.get_ref().to_string()))
}

fn remove_in_value(v: &mut DeValue<'_>, target: &Range<usize>) -> Option<Option<String>> {
    match v {
        DeValue::Table(t) => remove(t, target),
        DeValue::Array(a) => {
            if let Some(done) = a
                .iter_mut()
                .find_map(|e| remove_in_value(e.get_mut(), target))
            {
                return Some(done);
            }
            if let Some(i) = a.iter().position(|e| e.span() == *target) {
                let old = std::mem::replace(a, DeArray::new());
                *a = old
                    .into_iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, e)| e)
                    .collect();
                return Some(None);
            }
            None
        }
        _ => None,
    }
}

/// Put `value` in place of the table value with span `target` (keeping the span).
fn replace<'a>(table: &mut DeTable<'a>, target: &Range<usize>, value: DeValue<'a>) -> bool {
    let mut value = Some(value);
    replace_in(table, target, &mut value)
}

fn replace_in<'a>(
    table: &mut DeTable<'a>,
    target: &Range<usize>,
    value: &mut Option<DeValue<'a>>,
) -> bool {
    for (_, v) in table.iter_mut() {
        if v.span() == *target {
            if let Some(new) = value.take() {
                *v = Spanned::new(target.clone(), new);
                return true;
            }
            return false;
        }
        let inner = match v.get_mut() {
            DeValue::Table(t) => replace_in(t, target, value),
            DeValue::Array(a) => a.iter_mut().any(|e| match e.get_mut() {
                DeValue::Table(t) => replace_in(t, target, value),
                _ => false,
            }),
            _ => false,
        };
        if inner {
            return true;
        }
    }
    false
}

/// The table a missing-field error points at: the document itself, or the table value
/// with exactly that span.
fn table_at<'t, 'a>(
    root: &'t mut Spanned<DeTable<'a>>,
    at: &Range<usize>,
) -> Option<&'t mut DeTable<'a>> {
    if at.is_empty() || root.span() == *at {
        return Some(root.get_mut());
    }
    find_table(root.get_mut(), at)
}

fn find_table<'t, 'a>(
    table: &'t mut DeTable<'a>,
    at: &Range<usize>,
) -> Option<&'t mut DeTable<'a>> {
    let path = path_to_table(table, at)?;
    let mut here = table;
    for (key, index) in path {
        let value = here.get_mut::<str>(key.as_str())?.get_mut();
        here = match (value, index) {
            (DeValue::Table(t), None) => t,
            (DeValue::Array(a), Some(i)) => match a.get_mut(i)?.get_mut() {
                DeValue::Table(t) => t,
                _ => return None,
            },
            _ => return None,
        };
    }
    Some(here)
}

/// Keys (and array indexes, for arrays of tables) from `table` down to the table value
/// with span `at`.
fn path_to_table(table: &DeTable<'_>, at: &Range<usize>) -> Option<Vec<(String, Option<usize>)>> {
    for (k, v) in table.iter() {
        let key = k.get_ref().to_string();
        match v.get_ref() {
            DeValue::Table(t) => {
                if v.span() == *at {
                    return Some(vec![(key, None)]);
                }
                if let Some(mut rest) = path_to_table(t, at) {
                    rest.insert(0, (key, None));
                    return Some(rest);
                }
            }
            DeValue::Array(a) => {
                for (i, e) in a.iter().enumerate() {
                    let DeValue::Table(t) = e.get_ref() else {
                        continue;
                    };
                    if e.span() == *at {
                        return Some(vec![(key, Some(i))]);
                    }
                    if let Some(mut rest) = path_to_table(t, at) {
                        rest.insert(0, (key.clone(), Some(i)));
                        return Some(rest);
                    }
                }
            }
            _ => {}
        }
    }
    None
}
