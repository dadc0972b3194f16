#!/usr/bin/env bash
# Where our proxy spends its CPU under one wrk scenario: perf's software cpu-clock sampler (hardware
# counters are not available on every VM) with the .NET JIT's perf map, so managed frames have names.
# Same set-up as run.sh (fake upstream + wrk on LOAD_CPU, the proxy on SUT_CPU). Needs linux-perf.
#
#   bench/profile.sh agent            # or identification, browser-cache
#   DURATION=15 DOTNET_ENV="DOTNET_TieredPGO=0" bench/profile.sh identification
#
# Prints the top symbols (self time) and the top modules; the raw perf.data stays in OUT.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIO=${1:-agent}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
LOAD_CPU=${LOAD_CPU:-0}
SUT_CPU=${SUT_CPU:-1}
UPSTREAM_PORT=${UPSTREAM_PORT:-18080}
OURS_PORT=${OURS_PORT:-18082}
OUT=${OUT:-$ROOT/bench/out}
command -v perf >/dev/null || { echo "profile: perf is missing (apt-get install -y linux-perf)" >&2; exit 2; }

source "$ROOT/bench/lib.sh"
bench_init profile
mkdir -p "$OUT"

if [ -z "${PROXY_DIR:-}" ]; then
  dotnet publish "$ROOT/src/ProxyHost" -c Release --use-current-runtime --self-contained false -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; exit 1; }
  PROXY_DIR=$WORK/proxy
fi
bench_fake_upstream taskset -c "$LOAD_CPU"
# shellcheck disable=SC2086
taskset -c "$SUT_CPU" env ${DOTNET_ENV:-} DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$PROXY_DIR/ProxyHost.dll" \
  --urls "http://127.0.0.1:$OURS_PORT" --FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" \
  --FPJS_PRE_SHARED_SECRET=bench-proxy-secret >"$WORK/ours.log" 2>&1 &
PIDS+=($!)
OURS_PID=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$OURS_PORT/healthz" && break; sleep 0.1; done

case $SCENARIO in
  agent) method=GET target="/fpjs/agent?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15" body=0 ;;
  identification) method=POST target="/fpjs/result?ci=js/3.12.15" body=8192 ;;
  browser-cache) method=GET target="/fpjs/result/browser-cache/Xk3p9QmT0vL2aR8s?ci=js/3.12.15" body=0 ;;
  *) echo "profile: unknown scenario $SCENARIO" >&2; exit 2 ;;
esac
wrk_run() {
  BENCH_METHOD=$method BENCH_PATH=$target BENCH_BODY=$body taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${1}s" --timeout 5s -s "$ROOT/bench/wrk/scenario.lua" "http://127.0.0.1:$OURS_PORT" | grep '^RESULT'
}
wrk_run "${WARMUP:-30}" >/dev/null # warm-up: on one core the tiered JIT needs ~10-30 s of load to settle
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
DATA=$OUT/perf-$SCENARIO-$STAMP.data
wrk_run "$DURATION" &
WRK=$!
sleep 1
perf record -q -e cpu-clock -F 1999 -g -p "$OURS_PID" -o "$DATA" -- sleep $((DURATION - 2)) 2>/dev/null
wait "$WRK"
echo "== top symbols (self)"
perf report -i "$DATA" --no-children -g none --sort sym --percent-limit 0.5 --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -60
echo "== by module"
perf report -i "$DATA" --no-children -g none --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15
