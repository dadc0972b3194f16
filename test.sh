#!/usr/bin/env bash
# Runs every test of the project: the .NET solution (unit and real-HTTP integration tests), the black-box
# suite against the published binary (portable and Native AOT), then the deployment checks (edge shim and
# template.yaml with Node's test runner, the Dockerfile's publish started and probed). Needs the .NET SDK,
# Node and npm, and clang/lld/zlib for Native AOT (installed with apt-get when run as root); installs the
# Node test dependencies itself.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

echo "== .NET tests"
# The black-box tests need a published binary: they run in the next step, once per binary.
dotnet test ProxyHost.sln --configuration Release --filter 'FullyQualifiedName!~FingerprintProxy.BlackBox.' 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

tests/blackbox/run.sh 2>&1 | tee "$log" || status=$?
passed=$((passed + $(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')))
failed=$((failed + $(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')))
skipped=$((skipped + $(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')))
# One xunit summary per binary; a binary that could not be published or tested counts as one failure.
runs=$(grep -Ec '^(Passed|Failed|Skipped)! +- ' "$log" || true)
[ "$runs" -ge 2 ] || failed=$((failed + 2 - runs))

tests/deploy-checks.sh 2>&1 | tee "$log" || status=$?
passed=$((passed + $(grep -Eo '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
failed=$((failed + $(grep -Eo '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
if grep -q '^publish-and-run: GET .* answered 200' "$log"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo "== documentation links (scripts/check-links.mjs)"
if node scripts/check-links.mjs; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo
echo "all: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
[ "$failed" -eq 0 ] || status=1
exit "$status"
