#!/usr/bin/env bash
# Supply-chain check: pip-audit over the pinned image dependencies (requirements.lock).
#
# Exit 1 when a dependency has a known vulnerability that a newer release fixes (upgrade it: .ci/lock.sh).
# Vulnerabilities without any fix are printed but do not fail the build (nothing to upgrade to).
# When the vulnerability service cannot be reached (offline CI), say so plainly and exit 0: an audit
# that did not run is reported as not run, never as passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
LOCK=${1:-requirements.lock}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$PY" -m pip_audit --version >/dev/null 2>&1 || { echo "audit: pip-audit is not installed (pip install 'pi-scanner[test]')" >&2; exit 2; }

# --no-deps/--disable-pip: audit exactly the pinned set without resolving or installing anything.
"$PY" -m pip_audit -r "$LOCK" --no-deps --disable-pip --format json --progress-spinner off \
    --timeout 20 >"$out" 2>"$err"
rc=$?

if [ $rc -ne 0 ] && ! [ -s "$out" ]; then
    if grep -qiE "connection|resolve|timed out|timeout|network|unreachable|max retries|name or service|SSLError|proxy" "$err"; then
        echo "audit: NOT RUN - the vulnerability service (PyPI/OSV) could not be reached:"
        grep -iE "connection|resolve|timed out|timeout|network|unreachable|max retries|SSLError|proxy" "$err" | head -n 3
        echo "audit: no verdict on known vulnerabilities; run .ci/audit.sh again with network access."
        exit 0
    fi
    echo "audit: pip-audit failed:" >&2
    cat "$err" >&2
    exit 2
fi

"$PY" - "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
fixable, unfixable = [], []
skipped = [d for d in data.get("dependencies", []) if d.get("skip_reason")]
for dep in skipped:
    print(f"audit: not audited: {dep['skip_reason']}")
for dep in data.get("dependencies", []):
    for v in dep.get("vulns", []):
        row = f"{dep['name']}=={dep.get('version')} {v['id']} fix: {', '.join(v.get('fix_versions') or []) or 'none'}"
        (fixable if v.get("fix_versions") else unfixable).append(row)
for row in unfixable:
    print(f"audit: known vulnerability, no fix released: {row}")
for row in fixable:
    print(f"audit: FIXABLE vulnerability: {row}")
n = len(data.get("dependencies", []))
if fixable:
    print(f"audit: {len(fixable)} fixable vulnerabilit{'y' if len(fixable) == 1 else 'ies'} in {n} packages: upgrade and re-run .ci/lock.sh")
    sys.exit(1)
print(f"audit: {n - len(skipped)} packages checked ({len(skipped)} not found by the service), "
      "no fixable known vulnerabilities")
PY
