#!/usr/bin/env bash
# Where our proxy spends its CPU under one wrk scenario: perf's software cpu-clock sampler (hardware
# counters are not available on every VM). Same set-up as run.sh (fake upstream + wrk on LOAD_CPU, the
# proxy on SUT_CPU, the Dockerfile's ENV DOTNET_* lines). Needs linux-perf and python3.
#
#   bench/profile.sh agent            # or identification, browser-cache
#   BUILD=jit DURATION=15 DOTNET_ENV="DOTNET_TieredPGO=0" bench/profile.sh identification
#
# BUILD=aot (default) profiles the Native AOT executable, whose symbols perf reads from the ProxyHost.dbg
# next to it; BUILD=jit the portable build, with the JIT's perf map. PROXY_DIR uses an existing publish.
# Prints the top symbols (self time), the time by component (bench/profile-components.py: kernel by
# system call, Kestrel, HttpClient, YARP, the proxy's own code, GC, ...) and the top modules; the raw
# perf.data stays in OUT.
#
#   GC=1 bench/profile.sh identification   # garbage collections instead: how many, how long each pauses
#
# GC=1 (Native AOT only) puts perf uprobes on the entry and return of the runtime's
# WKS::GCHeap::GarbageCollectGeneration (its address from ProxyHost.dbg) and prints the collections per
# second, their pauses (median, p90, max) and the share of the run spent in them.
#
#   FLOOR_MODE=relay bench/profile.sh identification   # one of the floors instead of the proxy
#
# FLOOR_MODE=forward|relay|answer|raw profiles bench/forwarder-floor in that mode (Native AOT, the image's
# settings; run.sh's floor, relay, kestrel and raw systems) instead of the proxy.
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

BUILD=${BUILD:-aot}
EXE=ProxyHost
PROXY_ARGS=(--FPJS_PRE_SHARED_SECRET=bench-proxy-secret)
if [ -n "${FLOOR_MODE:-}" ]; then
  [ "$BUILD" = aot ] || { echo "profile: FLOOR_MODE needs the Native AOT build" >&2; exit 2; }
  dotnet publish "$ROOT/bench/forwarder-floor/ForwarderFloor.csproj" -c Release --use-current-runtime -o "$WORK/floor" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; exit 1; }
  PROXY_DIR=$WORK/floor
  EXE=forwarder-floor
  PROXY_ARGS=(--Mode="$FLOOR_MODE")
fi
if [ -z "${PROXY_DIR:-}" ]; then
  if [ "$BUILD" = aot ]; then
    dotnet publish "$ROOT/src/ProxyHost" -c Release -r linux-x64 -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
      || { cat "$WORK/publish.log" >&2; exit 1; }
  else
    dotnet publish "$ROOT/src/ProxyHost" -c Release --use-current-runtime --self-contained false -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
      || { cat "$WORK/publish.log" >&2; exit 1; }
  fi
  PROXY_DIR=$WORK/proxy
fi
if [ "$BUILD" = aot ]; then
  PROXY_CMD=("$PROXY_DIR/$EXE")
else
  PROXY_CMD=(env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$PROXY_DIR/ProxyHost.dll")
fi
bench_fake_upstream taskset -c "$LOAD_CPU"
IMAGE_ENV=$(sed -n 's/^ENV \(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' "$ROOT/Dockerfile" | tr '\n' ' ')
# shellcheck disable=SC2086 # IMAGE_ENV and DOTNET_ENV are lists of K=V words
taskset -c "$SUT_CPU" env $IMAGE_ENV ${DOTNET_ENV:-} "${PROXY_CMD[@]}" \
  --urls "http://127.0.0.1:$OURS_PORT" --FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" \
  "${PROXY_ARGS[@]}" >"$WORK/ours.log" 2>&1 &
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
# Warm-up: on one core the tiered JIT needs ~10-30 s of load to settle (the AOT build needs none, but
# the connection pools and buffers do).
wrk_run "${WARMUP:-30}" >/dev/null
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
DATA=$OUT/perf-$SCENARIO-$STAMP.data
if [ "${GC:-0}" = 1 ]; then
  [ "$BUILD" = aot ] || { echo "profile: GC=1 needs the Native AOT build" >&2; exit 2; }
  address=$(nm "$PROXY_DIR/$EXE.dbg" | awk '/ _ZN3WKS6GCHeap24GarbageCollectGeneration/ {a = "0x" $1} END {print a}')
  [ -n "$address" ] || { echo "profile: no WKS::GCHeap::GarbageCollectGeneration in $EXE.dbg" >&2; exit 1; }
  perf probe -q -d 'bench_gc:*' 2>/dev/null || true
  perf probe -q -x "$PROXY_DIR/$EXE" -a "bench_gc:gcstart=$address" -a "bench_gc:gcend=$address%return"
  wrk_run "$DURATION" &
  WRK=$!
  sleep 1
  seconds=$((DURATION - 2))
  perf record -q -e bench_gc:gcstart -e bench_gc:gcend__return -p "$OURS_PID" -o "$DATA" -- sleep "$seconds" 2>/dev/null
  wait "$WRK"
  perf probe -q -d 'bench_gc:*'
  echo "== garbage collections over ${seconds} s"
  perf script -i "$DATA" -F time,event 2>/dev/null | python3 -c '
import sys
seconds, start, pauses = float(sys.argv[1]), None, []
for line in sys.stdin:
    time, event = line.split()[:2]
    time = float(time.rstrip(":"))
    if "gcend" in event:
        if start is not None:
            pauses.append((time - start) * 1e6)
        start = None
    else:
        start = time
pauses.sort()
if not pauses:
    sys.exit("no collections")
n = len(pauses)
print(f"{n} collections, {n / seconds:.1f}/s; pause median {pauses[n // 2]:.0f} us, p90 {pauses[int(n * 0.9)]:.0f} us, max {pauses[-1]:.0f} us; "
      f"{100 * sum(pauses) / 1e6 / seconds:.1f} % of the time")
' "$seconds"
  exit 0
fi
wrk_run "$DURATION" &
WRK=$!
sleep 1
perf record -q -e cpu-clock -F 1999 -g -p "$OURS_PID" -o "$DATA" -- sleep $((DURATION - 2)) 2>/dev/null
wait "$WRK"
echo "== top symbols (self)"
perf report -i "$DATA" --no-children -g none --sort sym --percent-limit 0.5 --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -60
echo "== by component (the first component found from the sampled frame outwards)"
perf script -i "$DATA" -F comm,ip,sym 2>/dev/null | python3 "$ROOT/bench/profile-components.py"
echo "== by module"
perf report -i "$DATA" --no-children -g none --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15
