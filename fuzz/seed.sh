#!/bin/sh
# Seed the fuzz corpora from the repository's fixtures, examples and built-in policies.
# Run from anywhere; writes fuzz/corpus/<target>/ (ignored by git). Idempotent.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/document" "$corpus/policy" "$corpus/board_filter" \
    "$corpus/people_csv" "$corpus/import_scheme" "$corpus/import_board" "$corpus/import_project" \
    "$corpus/config" "$corpus/fs_shape"

# Name each seed after its content so re-running adds nothing twice.
put() { # put TARGET FILE
    cp "$2" "$corpus/$1/seed-$(sha1sum "$2" | cut -c1-16)"
}

find "$root/tests/fixtures" "$root/examples" "$root/policies" -name '*.toml' | sort |
while read -r f; do
    put document "$f"
    # The policy target prepends `kind = "policy"`: seed it with the rest of each policy.
    if grep -q '^kind = "policy"' "$f"; then
        tmp=$(mktemp)
        grep -v '^kind = "policy"' "$f" > "$tmp"
        put policy "$tmp"
        rm -f "$tmp"
    fi
done

# Board filters: every `filter = "..."` in the fixtures, plus a few typical shapes.
tmp=$(mktemp)
for q in 'project = PLAT' 'project in (PLAT, INFRA) AND type != Epic' \
    'project = PLAT OR project = INFRA' 'NOT (project = "My Project") ORDER BY Rank ASC' \
    'project in (PLAT) AND (assignee = currentUser() OR labels in (a, "b c"))'; do
    printf '%s' "$q" > "$tmp"; put board_filter "$tmp"
done
grep -rhoE '^filter = ".*"' "$root/tests/fixtures" 2>/dev/null | sed 's/^filter = "//; s/"$//' |
while read -r q; do printf '%s' "$q" > "$tmp"; put board_filter "$tmp"; done
# Every filter of the JQL fixtures (one a line, `#` lines are comments).
cat "$root"/tests/fixtures/jql/*.jql | grep -v '^#' | grep -v '^[[:space:]]*$' |
while IFS= read -r q; do printf '%s' "$q" > "$tmp"; put board_filter "$tmp"; done
rm -f "$tmp"

find "$root/tests/fixtures" -name '*.csv' | while read -r f; do put people_csv "$f"; done

docs="$root/tests/fixtures/import/documents"
cases="$root/tests/fixtures/import/cases"
for f in "$docs"/jira-scheme/*.json "$cases"/jira-scheme/*.json; do put import_scheme "$f"; done
# Boards and projects: `first.json`, then a NUL byte and `second.json` when the case has one.
tmp=$(mktemp)
for first in "$docs"/jira-board/*/first.json "$cases"/jira-board/*/first.json \
    "$cases"/jira-project/*/first.json; do
    dir=$(dirname "$first")
    target=import_board
    case "$dir" in */jira-project/*) target=import_project ;; esac
    if [ -f "$dir/second.json" ]; then
        { cat "$first"; printf '\0'; cat "$dir/second.json"; } > "$tmp"
    else
        cat "$first" > "$tmp"
    fi
    put "$target" "$tmp"
done
rm -f "$tmp"

# Configurations: every rolelint.toml of the fixtures and examples.
find "$root/tests/fixtures" "$root/examples" -name rolelint.toml | sort |
while read -r f; do put config "$f"; done

# File-system shapes are 3-byte steps (see `rolelint::fuzzing::fs_shape`): the stored
# inputs below seed them.

# Stored crash inputs are the best seeds of all.
for dir in "$root"/tests/fixtures/fuzz/*/; do
    [ -d "$dir" ] || continue
    t=$(basename "$dir")
    for f in "$dir"*; do [ -f "$f" ] && put "$t" "$f"; done
done
for t in document policy board_filter people_csv import_scheme import_board import_project config fs_shape; do
    echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
