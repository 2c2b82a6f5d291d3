#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml: install pre-commit from PyPI, make a throw-away
# git repository with a role over the integrated maximum and a .pre-commit-config.yaml naming
# this repository at HEAD (as a user's config names it at a tag), and check that
# `pre-commit run` fails on it and passes once the role is fixed. pre-commit builds rolelint
# with `cargo install` (language: rust) on the first run and keeps it in its store, so the
# second run reuses it (`pre-commit try-repo` makes a new store each time: it built twice).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
# pre-commit's store (with the built rolelint): the caller's when set, kept between runs.
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$work/cache}"
# `cargo install` inside pre-commit reuses this checkout's release build of the dependencies
# (CI builds them just before), so only rolelint itself is compiled: minutes become seconds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"

repo="$work/repo"
mkdir -p "$repo/roles"
cd "$repo"
git init --quiet
git config user.email ci@example.com
git config user.name ci
printf '[paths]\ninclude = ["roles/*.toml"]\n' > rolelint.toml
cat > roles/member.toml <<'TOML'
kind = "align-role"
name = "Team Member"
license = "integrated"

[toggles.Portfolio.Manage]
Epics = []
TOML
# pre-commit builds from a commit: the working tree's HEAD.
rev="$(git -C "$here" rev-parse HEAD)"
quoted="'${here//\'/\'\'}'" # a YAML single-quoted string
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $quoted
    rev: $rev
    hooks:
      - id: rolelint
YAML
git add -A

if pre-commit run --all-files > "$work/fail.log" 2>&1; then
  cat "$work/fail.log"; echo "FAIL: the violating role passed"; exit 1
fi
grep -q "AL101" "$work/fail.log" || { cat "$work/fail.log"; echo "FAIL: AL101 not reported"; exit 1; }
echo "ok: violating role fails with AL101 (after ${SECONDS} s: pre-commit installed, rolelint built)"

cat > roles/member.toml <<'TOML'
kind = "align-role"
name = "Team Member"
license = "integrated"

[toggles.Team.Manage]
Stories = "all"
TOML
git add -A
if ! pre-commit run --all-files > "$work/pass.log" 2>&1; then
  cat "$work/pass.log"; echo "FAIL: the fixed role did not pass"; exit 1
fi
echo "ok: fixed role passes (after ${SECONDS} s)"
