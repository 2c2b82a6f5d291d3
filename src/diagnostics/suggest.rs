//! Did-you-mean suggestions for misspelt names.

/// The closest candidate to `input`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let needle = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&needle, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.82)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Comparisons the suggestions of a whole run may cost: a few hundredths of a second.
pub const RUN_BUDGET: usize = 500_000;

/// Did-you-mean for many misspelt references to one long list of names. Each suggestion
/// compares the input with every candidate, so N unknown references to M names would cost
/// N × M: a budget pays for whole scans while it lasts, and after that no suggestion is
/// made. What it pays for depends only on the order of the calls, so output stays
/// deterministic.
pub struct Budget {
    left: usize,
}

impl Budget {
    pub fn new(comparisons: usize) -> Self {
        Self { left: comparisons }
    }

    /// [`did_you_mean`], if the budget still covers a scan of `candidates`.
    pub fn did_you_mean<'a, S: AsRef<str>>(
        &mut self,
        input: &str,
        candidates: &'a [S],
    ) -> Option<&'a str> {
        self.left = self.left.checked_sub(candidates.len())?;
        did_you_mean(input, candidates.iter().map(AsRef::as_ref))
    }
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["license", "name", "description", "toggles"];
        assert_eq!(did_you_mean("licence", names), Some("license"));
        assert_eq!(did_you_mean("togles", names), Some("toggles"));
        assert_eq!(did_you_mean("zzz", names), None);
    }

    #[test]
    fn a_budget_pays_for_whole_scans_only() {
        let names = ["license", "name", "description", "toggles"];
        let mut budget = super::Budget::new(6);
        assert_eq!(budget.did_you_mean("licence", &names), Some("license"));
        // Two comparisons left: not enough for the next scan, so no suggestion.
        assert_eq!(budget.did_you_mean("togles", &names), None);
        assert_eq!(budget.did_you_mean("nme", &names[1..3]), Some("name"));
    }
}
