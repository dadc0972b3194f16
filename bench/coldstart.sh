#!/usr/bin/env bash
# Cold start: the time from starting the proxy process to its first proxied 200, median of RUNS runs.
#  - Kestrel mode: an agent GET through the fake upstream (nginx); the time until the port accepts
#    connections is shown beside it. Several variants (published builds, environment) interleaved.
#  - Lambda mode (LAMBDA=1, the default when node is installed): the same variants started with
#    AWS_LAMBDA_RUNTIME_API pointing at the fake Runtime API of bench/lambda-coldstart/coldstart.mjs,
#    first invocation = an identification POST proxied to its fake upstream (see that script).
#
#   bench/coldstart.sh                                   # the working tree, published Native AOT (the release build)
#   bench/coldstart.sh aot jit@/tmp/proxy-jit  'ws@/tmp/proxy=DOTNET_gcServer=0'
#
# A variant is NAME[@PUBLISHED_DIR][=K=V ...], as in ab.sh. Without a directory: the working tree
# published for this machine's runtime, which is Native AOT (needs clang, lld and zlib; see
# scripts/install-aot-prerequisites.sh). A directory with ProxyHost.dll runs under `dotnet` (JIT),
# one with only the ProxyHost executable runs it directly. Settings: RUNS=15, LAMBDA=1, PORT=18082,
# UPSTREAM_PORT=18080, CPU (empty: unpinned; e.g. CPU=1 pins the proxy to one core, as a 1-vCPU
# container or Lambda would run it). Needs nginx and curl. The clock is bash's $EPOCHREALTIME; the
# port is polled every 2 ms, so readings carry a few milliseconds of polling overhead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-15}
PORT=${PORT:-18082}
UPSTREAM_PORT=${UPSTREAM_PORT:-18080}
CPU=${CPU:-}
LAMBDA=${LAMBDA:-1}
if [ "$LAMBDA" = 1 ] && ! command -v node >/dev/null; then
  echo "coldstart: node is missing: Lambda mode skipped" >&2
  LAMBDA=0
fi
[ $# -ge 1 ] || set -- default

source "$ROOT/bench/lib.sh"
bench_init coldstart
bench_fake_upstream
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/" && break; sleep 0.05; done

NAMES=()
DIRS=()
ENVS=()
for spec in "$@"; do
  head=${spec%%=*}
  envs=
  [ "$head" != "$spec" ] && envs=${spec#*=}
  name=${head%%@*}
  dir=
  [ "$name" != "$head" ] && dir=${head#*@}
  if [ -z "$dir" ]; then
    if [ ! -d "$WORK/proxy" ]; then
      log "publishing the working tree (Native AOT)"
      case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) echo "unsupported machine" >&2; exit 1 ;; esac
      dotnet publish "$ROOT/src/ProxyHost" -c Release -r "$rid" -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
        || { cat "$WORK/publish.log" >&2; exit 1; }
    fi
    dir=$WORK/proxy
  fi
  NAMES+=("$name")
  DIRS+=("$dir")
  ENVS+=("$envs")
done

PIN=()
[ -n "$CPU" ] && PIN=(taskset -c "$CPU")
host_command() { # published dir -> the command that starts it
  if [ -f "$1/ProxyHost.dll" ]; then echo "dotnet $1/ProxyHost.dll"; else echo "$1/ProxyHost"; fi
}
AGENT="http://127.0.0.1:$PORT/fpjs/agent?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15"
us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }

one_run() { # index -> "listen_ms first200_ms"
  local k=$1 start listen first code pid
  start=$(us)
  # shellcheck disable=SC2086 # ENVS holds K=V words
  # shellcheck disable=SC2046 # host_command gives the command's words
  "${PIN[@]}" env ${ENVS[$k]} $(host_command "${DIRS[$k]}") --urls "http://127.0.0.1:$PORT" \
    --FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" --FPJS_PRE_SHARED_SECRET=bench-proxy-secret \
    >"$WORK/run.log" 2>&1 &
  pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/run.log" >&2; exit 1; }
    sleep 0.002
  done
  listen=$(us)
  code=$(curl -s -o /dev/null -w '%{http_code}' "$AGENT")
  first=$(us)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  [ "$code" = 200 ] || { echo "coldstart: first request answered $code" >&2; cat "$WORK/run.log" >&2; exit 1; }
  echo "$(((listen - start) / 1000)) $(((first - start) / 1000))"
}

RESULTS=$WORK/results.txt
: >"$RESULTS"
log "warming the file cache: one run per variant, not counted"
for k in "${!NAMES[@]}"; do one_run "$k" >/dev/null; done
for run in $(seq 1 "$RUNS"); do
  for k in "${!NAMES[@]}"; do
    read -r listen first < <(one_run "$k")
    echo "${NAMES[$k]} $listen $first" >>"$RESULTS"
  done
  log "run $run/$RUNS done"
done

echo "Cold start, Kestrel mode: process start to the first proxied 200 (agent GET), $RUNS runs per variant${CPU:+, pinned to CPU $CPU}"
echo
echo "| variant | first 200: median ms | min | max | listening: median ms |"
echo "| --- | ---: | ---: | ---: | ---: |"
for name in "${NAMES[@]}"; do
  awk -v n="$name" '$1 == n { l[++c] = $2; f[c] = $3 }
    function sort(a, m,   i, j, t) { for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
    function median(a, m) { return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
    END { sort(l, c); sort(f, c); printf "| %s | %d | %d | %d | %d |\n", n, median(f, c), f[1], f[c], median(l, c) }' "$RESULTS"
done

if [ "$LAMBDA" = 1 ]; then
  echo
  echo "Cold start, Lambda mode: process start to the first response posted to the fake Runtime API (identification POST), $RUNS runs per variant${CPU:+, pinned to CPU $CPU}"
  echo
  echo "| variant | first response: median ms | min | max | warm invocation: median ms | RSS after 200 invocations MB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for k in "${!NAMES[@]}"; do
    # shellcheck disable=SC2086 # ENVS holds K=V words
    json=$(node "$ROOT/bench/lambda-coldstart/coldstart.mjs" --runs "$RUNS" --invocations 200 --label "${NAMES[$k]}" -- \
      "${PIN[@]}" env ${ENVS[$k]} $(host_command "${DIRS[$k]}"))
    node -e 'const r = JSON.parse(process.argv[1]);
      console.log(`| ${r.label} | ${Math.round(r.coldStartMs.median)} | ${Math.round(r.coldStartMs.min)} | ${Math.round(r.coldStartMs.max)} | ${r.warmMs.median} | ${r.afterInvocations.rssMiB} |`);' "$json"
  done
fi
