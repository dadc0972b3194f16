#!/usr/bin/env bash
# A/B runs for tuning: several variants of our proxy side by side (same fake upstream, same pinning as
# run.sh), measured in interleaved rounds so that drift on the machine hits every variant alike.
# Prints the median CPU per request (the variant's user + system time over the requests served), req/s,
# p50 and p99 per variant and scenario, each variant's ratio to the first, and each variant's peak RSS.
#
#   bench/ab.sh base 'pgo-off=DOTNET_TieredPGO=0' 'r2r@/tmp/proxy-r2r'
#
# A variant is NAME[@PUBLISHED_DIR][=K=V K=V ...]: its name, optionally its own published proxy (a
# portable or a Native AOT publish; default: the working tree, published portable once), optionally
# extra environment variables.
# Settings: ROUNDS=3 DURATION=10 WARMUP=10 CONNECTIONS=32 SCENARIOS="agent identification browser-cache"
# LOAD_CPU=0 SUT_CPU=1 UPSTREAM_PORT=18080 FIRST_PORT=18100.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
LOAD_CPU=${LOAD_CPU:-0}
SUT_CPU=${SUT_CPU:-1}
UPSTREAM_PORT=${UPSTREAM_PORT:-18080}
FIRST_PORT=${FIRST_PORT:-18100}
read -r -a SCENARIOS <<<"${SCENARIOS:-agent identification browser-cache}"
[ $# -ge 1 ] || { sed -n '2,13p' "$0" >&2; exit 2; }

source "$ROOT/bench/lib.sh"
bench_init ab
bench_fake_upstream taskset -c "$LOAD_CPU"

NAMES=()
PORTS=()
VPIDS=()
i=0
for spec in "$@"; do
  head=${spec%%=*}
  envs=
  [ "$head" != "$spec" ] && envs=${spec#*=}
  name=${head%%@*}
  dir=
  [ "$name" != "$head" ] && dir=${head#*@}
  if [ -z "$dir" ]; then
    if [ ! -d "$WORK/proxy" ]; then
      log "publishing the working tree"
      dotnet publish "$ROOT/src/ProxyHost" -c Release --use-current-runtime --self-contained false -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
        || { cat "$WORK/publish.log" >&2; exit 1; }
    fi
    dir=$WORK/proxy
  fi
  port=$((FIRST_PORT + i))
  # A Native AOT publish is an executable; a portable one runs on dotnet.
  if [ -f "$dir/ProxyHost.dll" ]; then cmd=(dotnet "$dir/ProxyHost.dll"); else cmd=("$dir/ProxyHost"); fi
  # shellcheck disable=SC2086 # envs is a list of K=V words
  taskset -c "$SUT_CPU" env $envs "${cmd[@]}" --urls "http://127.0.0.1:$port" \
    --FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" --FPJS_PRE_SHARED_SECRET=bench-proxy-secret \
    >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  VPIDS+=($!)
  NAMES+=("$name")
  PORTS+=("$port")
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
  log "variant $name on port $port: ${envs:-no extra environment}${dir:+, $dir}"
  i=$((i + 1))
done
N=${#NAMES[@]}

request_of() {
  case $1 in
    agent) echo "GET /fpjs/agent?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15 0" ;;
    identification) echo "POST /fpjs/result?ci=js/3.12.15 8192" ;;
    browser-cache) echo "GET /fpjs/result/browser-cache/Xk3p9QmT0vL2aR8s?ci=js/3.12.15 0" ;;
  esac
}
run_wrk() { # port scenario seconds
  local method target body
  read -r method target body < <(request_of "$2")
  BENCH_METHOD=$method BENCH_PATH=$target BENCH_BODY=$body taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${3}s" --timeout 5s -s "$ROOT/bench/wrk/scenario.lua" "http://127.0.0.1:$1" | grep '^RESULT'
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

log "warming up: ${WARMUP}s per variant and scenario"
for k in $(seq 0 $((N - 1))); do
  for scenario in "${SCENARIOS[@]}"; do run_wrk "${PORTS[$k]}" "$scenario" "$WARMUP" >/dev/null; done
done
RESULTS=$WORK/results.txt
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    for k in $(seq 0 $((N - 1))); do
      v=$(((k + round - 1) % N))
      before=$(bench_cpu_ticks "${VPIDS[$v]}")
      line=$(run_wrk "${PORTS[$v]}" "$scenario" "$DURATION")
      # CPU per request counts only the variant's own time: time the hypervisor steals slows req/s but not this.
      cpu_us=$(awk -v t="$(($(bench_cpu_ticks "${VPIDS[$v]}") - before))" -v hz="$(getconf CLK_TCK)" -v n="$(field "$line" requests)" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
      bad=$(($(field "$line" connect) + $(field "$line" read) + $(field "$line" write) + $(field "$line" timeout) + $(field "$line" status)))
      echo "${NAMES[$v]} $scenario $(field "$line" rps) $(field "$line" p50_us) $(field "$line" p99_us) $bad $cpu_us" >>"$RESULTS"
      log "round $round $scenario ${NAMES[$v]}: $(field "$line" rps) req/s p99 $(field "$line" p99_us) us, CPU $cpu_us us/request${bad:+, errors+non-2xx $bad}"
    done
  done
done

echo "| scenario | variant | CPU µs/request | vs ${NAMES[0]} | req/s | vs ${NAMES[0]} | p50 ms | p99 ms | vs ${NAMES[0]} | errors |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -v scenarios="${SCENARIOS[*]}" -v names="${NAMES[*]}" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { k = $2 SUBSEP $1; r[k] = r[k] " " $3; p5[k] = p5[k] " " $4; p9[k] = p9[k] " " $5; e[k] += $6; c[k] = c[k] " " $7 }
  END {
    ns = split(scenarios, sc, " "); nn = split(names, nm, " ")
    for (i = 1; i <= ns; i++) {
      b = sc[i] SUBSEP nm[1]; br = median(r[b]); bp = median(p9[b]); bc = median(c[b])
      for (j = 1; j <= nn; j++) {
        k = sc[i] SUBSEP nm[j]
        printf "| %s | %s | %.1f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f | %d |\n", sc[i], nm[j], median(c[k]), median(c[k]) / bc, \
          median(r[k]), median(r[k]) / br, median(p5[k]) / 1000, median(p9[k]) / 1000, median(p9[k]) / bp, e[k]
      }
    }
  }' "$RESULTS"
for k in $(seq 0 $((N - 1))); do
  printf '%s: peak RSS %.1f MB\n' "${NAMES[$k]}" "$(awk '/^VmHWM/ {print $2 / 1024}' "/proc/${VPIDS[$k]}/status")"
done
