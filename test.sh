#!/usr/bin/env bash
# Runs every test of the project: the .NET solution and the Node tests (edge function, SAM template).
# Needs only the .NET SDK, Node and npm; installs the Node test dependencies itself.
set -euo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test ProxyHost.sln --configuration Release 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

for dir in edge tests/template; do
  if [ -f "$dir/package.json" ]; then
    echo "== node tests in $dir"
    (cd "$dir" && { [ ! -f package-lock.json ] || npm ci --no-audit --no-fund >/dev/null; } && node --test) 2>&1 | tee "$log" || status=$?
    passed=$((passed + $(grep -Eo '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
    failed=$((failed + $(grep -Eo '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
  fi
done

echo
echo "all: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
