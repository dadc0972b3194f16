#!/usr/bin/env bash
# The soak: 10 minutes of mixed load through the proxy on loopback: agent downloads, identification
# POSTs, browser-cache requests, a slice of bad input and of upstream faults (resets, answers slower than
# the proxy's timeout, 503s; bench/soak/upstream.mjs, bench/soak/mixed.lua). The proxy's RSS and open file
# descriptors are sampled every 10 s. It passes when nothing unexpected happened (no socket error at the
# client, no status but 200/400/404/500/503) and RSS and descriptors do not grow: the mean of the last
# minute at most 5 % above the mean of the second minute.
#
# Run by hand (not by CI), on loopback only. Needs wrk, node and the .NET SDK (and clang for the AOT build).
#
#   bench/soak.sh                       # 600 s, the Native AOT build
#   DURATION=120 bench/soak.sh          # a shorter run
#   PROXY=jit bench/soak.sh             # the JIT build
#
# Settings (environment): DURATION=600 CONNECTIONS=32 THREADS=2 PROXY=aot|jit PROXY_BIN=path
#   UPSTREAM_PORT=18090 PROXY_PORT=18091 OUT=bench/out
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-600}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PROXY=${PROXY:-aot}
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
PROXY_PORT=${PROXY_PORT:-18091}
OUT=${OUT:-$ROOT/bench/out}
for tool in wrk node dotnet awk; do
  command -v "$tool" >/dev/null || { echo "soak: '$tool' is missing (apt-get install -y wrk nodejs)" >&2; exit 2; }
done

source "$ROOT/bench/lib.sh"
bench_init soak
mkdir -p "$OUT"

if [ -z "${PROXY_BIN:-}" ]; then
  if [ "$PROXY" = aot ]; then
    log "publishing the Native AOT build"
    dotnet publish "$ROOT/src/ProxyHost" -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/proxy" >"$WORK/publish.log" 2>&1
    PROXY_CMD=("$WORK/proxy/ProxyHost")
  else
    log "publishing the JIT build"
    dotnet publish "$ROOT/src/ProxyHost" -c Release -o "$WORK/proxy" >"$WORK/publish.log" 2>&1
    PROXY_CMD=(dotnet "$WORK/proxy/ProxyHost.dll")
  fi
else
  PROXY_CMD=("$PROXY_BIN")
fi

node "$ROOT/bench/soak/upstream.mjs" "$UPSTREAM_PORT" &
PIDS+=($!)

# The container's runtime settings (the Dockerfile's ENV DOTNET_* lines), a proxy secret, a response
# timeout shorter than the slow fault.
IMAGE_ENV=$(sed -n 's/^ENV \(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' "$ROOT/Dockerfile" | tr '\n' ' ')
log "the image's runtime settings: $IMAGE_ENV"
# shellcheck disable=SC2086 # IMAGE_ENV is a list of K=V words
env $IMAGE_ENV \
  FPJS_PRE_SHARED_SECRET=soak-proxy-secret FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" \
  FPJS_RESPONSE_TIMEOUT_SECONDS=2 Logging__LogLevel__Default=Warning Logging__LogLevel__FingerprintProxy=Error \
  "${PROXY_CMD[@]}" --urls "http://127.0.0.1:$PROXY_PORT" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PROXY_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

samples="$OUT/soak-samples.csv"
echo "seconds,rss_kib,fds" >"$samples"
(
  start=$(date +%s)
  while kill -0 "$PROXY_PID" 2>/dev/null; do
    now=$(( $(date +%s) - start ))
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PROXY_PID/status" 2>/dev/null || echo 0)
    fds=$(ls "/proc/$PROXY_PID/fd" 2>/dev/null | wc -l)
    echo "$now,$rss,$fds" >>"$samples"
    sleep 10
  done
) &
PIDS+=($!)

log "soak: ${DURATION}s, $CONNECTIONS connections, proxy pid $PROXY_PID ($PROXY)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s -s "$ROOT/bench/soak/mixed.lua" \
  "http://127.0.0.1:$PROXY_PORT" >"$WORK/wrk.txt" 2>&1 || true
sleep 1
result=$(grep '^RESULT' "$WORK/wrk.txt" || true)
[ -n "$result" ] || { cat "$WORK/wrk.txt" >&2; echo "soak: wrk gave no result" >&2; exit 1; }

# Means of the second minute (60-119 s) and of the last minute of load (the sample taken as wrk ends,
# at DURATION s, already sees its connections closed and is left out).
read -r rss2 fds2 rssl fdsl < <(awk -F, -v d="$DURATION" 'NR > 1 {
    if ($1 >= 60 && $1 < 120) { r2 += $2; f2 += $3; n2++ }
    if ($1 >= d - 60 && $1 < d) { rl += $2; fl += $3; nl++ }
  } END { printf "%.0f %.1f %.0f %.1f\n", r2 / (n2 ? n2 : 1), f2 / (n2 ? n2 : 1), rl / (nl ? nl : 1), fl / (nl ? nl : 1) }' "$samples")
summary="$OUT/soak-summary.txt"
{
  echo "soak: $PROXY build, ${DURATION}s, $CONNECTIONS connections, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "$result"
  echo "rss_kib: second minute $rss2, last minute $rssl; fds: second minute $fds2, last minute $fdsl"
  awk -v a="$rss2" -v b="$rssl" -v c="$fds2" -v e="$fdsl" -v res="$result" 'BEGIN {
    split(res, kv, " "); se = 0; un = 0
    for (i in kv) { split(kv[i], p, "="); if (p[1] == "socket_errors") se = p[2]; if (p[1] == "unexpected_status") un = p[2] }
    drss = (b - a) / a * 100; dfds = c > 0 ? (e - c) / c * 100 : 0
    # Flat means no growth: memory or descriptors that fall (the GC settling, pools shrinking) leak nothing.
    ok = (se == 0 && un == 0 && drss <= 5 && dfds <= 5)
    printf "rss change %+.1f %%, fds change %+.1f %%: %s\n", drss, dfds, ok ? "PASS" : "FAIL"
  }'
} | tee "$summary"
log "samples: $samples"
