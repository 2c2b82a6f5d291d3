#!/usr/bin/env bash
# Feed rolelint's machine outputs to real third-party readers from PyPI:
#   SARIF  -> sarif-tools (`sarif summary`) and python-jsonschema against the SARIF 2.1.0 schema
#   JUnit  -> junitparser
#   GitLab -> json (array, required fields, unique fingerprints)
# Every count must match rolelint's own JSON summary. Runnable on a clean machine with
# cargo and python3: it builds the binary and a private virtualenv (RL_VENV to reuse one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cargo build --quiet --locked
bin="$root/target/debug/rolelint"

venv="${RL_VENV:-$root/target/consumers-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "sarif-tools==3.0.5" "junitparser==5.0.3" "jsonschema>=4,<5"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# examples/ has errors, so exit 1 is expected; anything else is a failure.
set +e
(cd examples && "$bin" check --format json \
  --output "sarif=$out/rolelint.sarif" \
  --output "junit=$out/rolelint.xml" \
  --output "gitlab=$out/gl-code-quality.json" >"$out/rolelint.json")
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "consumers: expected exit 1 on examples/, got $code" >&2
  exit 1
fi

echo "== sarif-tools: sarif summary"
"$venv/bin/sarif" summary "$out/rolelint.sarif" | tee "$out/sarif-summary.txt"

"$venv/bin/python" - "$out" "$root/tests/data/sarif-schema-2.1.0.json" <<'PY'
import json, re, sys
from pathlib import Path

out, schema_path = Path(sys.argv[1]), sys.argv[2]
summary = json.loads((out / "rolelint.json").read_text())["summary"]
active = summary["errors"] + summary["warnings"] + summary["infos"]
problems = []

# SARIF: schema-valid, and sarif-tools counts the same findings rolelint reported.
import jsonschema
sarif = json.loads((out / "rolelint.sarif").read_text())
errors = list(jsonschema.Draft7Validator(json.load(open(schema_path))).iter_errors(sarif))
problems += [f"sarif schema: {e.message} at {list(e.absolute_path)}" for e in errors]
counts = dict(re.findall(r"^(error|warning|note): (\d+)", (out / "sarif-summary.txt").read_text(), re.M))
want = {"error": summary["errors"], "warning": summary["warnings"], "note": summary["infos"]}
for level, n in want.items():
    if int(counts.get(level, -1)) != n:
        problems.append(f"sarif summary: {level} {counts.get(level)} != {n}")

# JUnit: junitparser reads it; a suite per file, a failure per active finding.
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(str(out / "rolelint.xml"))
suites = list(xml)
failures = sum(1 for s in suites for c in s for r in c.result if isinstance(r, Failure))
if len(suites) != summary["files"]:
    problems.append(f"junit: {len(suites)} suites != {summary['files']} files")
if failures != active:
    problems.append(f"junit: {failures} failures != {active} findings")
print(f"== junitparser: {len(suites)} suites, {sum(len(list(s)) for s in suites)} cases, {failures} failures")

# GitLab Code Quality: an array of issues with unique fingerprints.
issues = json.loads((out / "gl-code-quality.json").read_text())
if not isinstance(issues, list) or len(issues) != active:
    problems.append(f"gitlab: expected an array of {active} issues")
fps = [i["fingerprint"] for i in issues]
if len(set(fps)) != len(fps):
    problems.append("gitlab: duplicate fingerprints")
for i in issues:
    if i["severity"] not in {"info", "minor", "major", "critical", "blocker"} or i["location"]["lines"]["begin"] < 1:
        problems.append(f"gitlab: bad issue {i}")
print(f"== gitlab: {len(issues)} issues, {len(set(fps))} unique fingerprints")

for p in problems:
    print("consumers:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "consumers: all outputs accepted"
