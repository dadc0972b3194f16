#!/usr/bin/env bash
# The throughput and latency benchmark: no-proxy (wrk straight to the fake upstream), nginx as the
# same proxy, and our proxy, in interleaved rounds in one run, three scenarios each. Prints requests/s,
# p50 and p99 per system and scenario, the ratios ours/nginx, our peak RSS, and any error or non-2xx.
#
# Run by hand (not by CI), as root or any user, on loopback only. Needs Debian's nginx and wrk
# (apt-get install -y nginx wrk), curl, taskset (util-linux) and the .NET SDK. A full run with the
# defaults takes about 7 minutes on 2 cores (about 18 with FLOOR=all).
#
#   bench/run.sh                          # 3 rounds x 3 systems x 3 scenarios x 10 s
#   ROUNDS=1 DURATION=3 bench/run.sh      # a quick check of the set-up
#
# Settings (environment):
#   ROUNDS=3 DURATION=10 WARMUP=10 CONNECTIONS=32  rounds, seconds per measurement, warm-up seconds
#                                                   per system and scenario, wrk connections. Our
#                                                   proxy needs the warm-up: on one core, .NET's tiered
#                                                   JIT reaches its final code after ~10-30 s of load
#                                                   (docs/performance.md)
#   LOAD_CPU=0 SUT_CPU=1    CPU for wrk and the fake upstream, CPU for the proxy under test (nginx or
#                           ours); PIN=0 runs everything unpinned
#   BUILD=aot               aot: the Native AOT executable, as the container and Lambda ship it (needs
#                           clang: scripts/install-aot-prerequisites.sh); jit: the portable JIT build
#   PROXY_DIR=dir           use an already published proxy instead of publishing one (of BUILD's kind)
#   DOTNET_ENV="K=V ..."    extra environment for our proxy (e.g. DOTNET_gcServer=0), for tuning runs;
#                           it always gets the Dockerfile's ENV DOTNET_* lines, as in the container
#   PEER_BUFFERING=on       nginx proxy_buffering/proxy_request_buffering: on (nginx's default and its
#                           fastest here), off (streams both ways, as ours does)
#   FLOOR=1                 also bench/forwarder-floor, as a fourth system on CPU SUT_CPU: Kestrel and
#                           YARP's forwarder with the proxy's tuning and the image's DOTNET_* settings,
#                           and nothing of the proxy's own (Native AOT): what the platform alone costs
#   FLOOR=all               the four floors: floor as above; relay, Kestrel and the narrowest
#                           hand-written HTTP/1.1 relay in place of YARP and SocketsHttpHandler; kestrel,
#                           Kestrel alone answering from memory (no upstream hop); raw, a forwarder on
#                           .NET's sockets alone, shaped as nginx is (no Kestrel, no ASP.NET Core)
#   SYSCALLS=1              after the rounds, count the system calls per request of nginx, ours and the floors
#                           (strace -c over SYSCALLS_SECONDS=5 of wrk with 8 connections; needs strace)
#   KEEP=1                  keep the work directory (configurations, logs) for inspection
#   OUT=bench/out           where the raw results and the summary are written
#   UPSTREAM_PORT=18080 PEER_PORT=18081 OURS_PORT=18082 FLOOR_PORT=18083 (relay +1, kestrel +2, raw +3)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
LOAD_CPU=${LOAD_CPU:-0}
SUT_CPU=${SUT_CPU:-1}
PIN=${PIN:-1}
PEER_BUFFERING=${PEER_BUFFERING:-on}
UPSTREAM_PORT=${UPSTREAM_PORT:-18080}
PEER_PORT=${PEER_PORT:-18081}
OURS_PORT=${OURS_PORT:-18082}
FLOOR_PORT=${FLOOR_PORT:-18083}
OUT=${OUT:-$ROOT/bench/out}
SECRET=bench-proxy-secret
SYSTEMS=(no-proxy nginx ours)
ALL_FLOORS=(floor relay kestrel raw)
case ${FLOOR:-0} in
  0) FLOORS=() ;;
  1) FLOORS=(floor) ;;
  all) FLOORS=("${ALL_FLOORS[@]}") ;;
  *) echo "bench: FLOOR must be 0, 1 or all" >&2; exit 2 ;;
esac
SYSTEMS+=("${FLOORS[@]}")
declare -A FLOOR_PIDS
# floor system -> its --Mode, and its port: FLOOR_PORT plus its place in ALL_FLOORS
floor_mode() { case $1 in floor) echo forward ;; kestrel) echo answer ;; *) echo "$1" ;; esac; }
floor_port() {
  local i
  for i in "${!ALL_FLOORS[@]}"; do
    if [ "${ALL_FLOORS[$i]}" = "$1" ]; then echo $((FLOOR_PORT + i)); fi
  done
}
SCENARIOS=(agent identification browser-cache)

for tool in nginx wrk curl taskset dotnet awk; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (apt-get install -y nginx wrk curl util-linux)" >&2; exit 2; }
done
if [ "$PIN" = 1 ] && [ "$(nproc)" -lt 2 ]; then
  echo "bench: fewer than 2 CPUs; running unpinned" >&2
  PIN=0
fi

source "$ROOT/bench/lib.sh"
bench_init bench
mkdir -p "$OUT"

# Prefixes that pin a command to a CPU. Arrays, not a function: a background function would run in
# a subshell, and $! would then not be the server's own pid.
PIN_LOAD=()
PIN_SUT=()
if [ "$PIN" = 1 ]; then
  PIN_LOAD=(taskset -c "$LOAD_CPU")
  PIN_SUT=(taskset -c "$SUT_CPU")
fi

# ---- our proxy, published once ---------------------------------------------------------------
BUILD=${BUILD:-aot}
if [ -z "${PROXY_DIR:-}" ]; then
  if [ "$BUILD" = aot ]; then
    log "publishing the proxy (Native AOT, as the Dockerfile and scripts/publish-lambda.sh do)"
    dotnet publish "$ROOT/src/ProxyHost" -c Release -r linux-x64 -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
      || { cat "$WORK/publish.log" >&2; exit 1; }
  else
    log "publishing the proxy (Release, portable JIT build)"
    dotnet publish "$ROOT/src/ProxyHost" -c Release -o "$WORK/proxy" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
      || { cat "$WORK/publish.log" >&2; exit 1; }
  fi
  PROXY_DIR=$WORK/proxy
fi
if [ "$BUILD" = aot ]; then PROXY_CMD=("$PROXY_DIR/ProxyHost"); else PROXY_CMD=(dotnet "$PROXY_DIR/ProxyHost.dll"); fi
if [ ${#FLOORS[@]} -gt 0 ]; then
  log "publishing the forwarder floor (Native AOT)"
  dotnet publish "$ROOT/bench/forwarder-floor/ForwarderFloor.csproj" -c Release --use-current-runtime -o "$WORK/floor" --nologo -v quiet >"$WORK/floor-publish.log" 2>&1 \
    || { cat "$WORK/floor-publish.log" >&2; exit 1; }
fi

bench_render "$ROOT/bench/nginx/peer.conf" "$WORK/peer.conf"

wait_ready() { # name url
  local i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null "$2"; then return 0; fi
    sleep 0.1
  done
  echo "bench: $1 did not start; see $WORK" >&2
  exit 1
}

log "starting the fake upstream (nginx, CPU $LOAD_CPU), the nginx peer and our proxy (CPU $SUT_CPU)"
bench_fake_upstream "${PIN_LOAD[@]}"
"${PIN_SUT[@]}" nginx -p "$WORK" -c "$WORK/peer.conf" &
PIDS+=($!)
PEER_PID=$!
# Our proxy runs with the runtime settings the container image sets (the Dockerfile's ENV DOTNET_*).
IMAGE_ENV=$(sed -n 's/^ENV \(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' "$ROOT/Dockerfile" | tr '\n' ' ')
# shellcheck disable=SC2086 # IMAGE_ENV and DOTNET_ENV are lists of K=V words
"${PIN_SUT[@]}" env $IMAGE_ENV ${DOTNET_ENV:-} ASPNETCORE_ENVIRONMENT=Production \
  "${PROXY_CMD[@]}" --urls "http://127.0.0.1:$OURS_PORT" \
  --FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" --FPJS_PRE_SHARED_SECRET="$SECRET" \
  >"$WORK/ours.log" 2>&1 &
PIDS+=($!)
OURS_PID=$!
for floor in "${FLOORS[@]}"; do
  # shellcheck disable=SC2086 # IMAGE_ENV and DOTNET_ENV are lists of K=V words
  "${PIN_SUT[@]}" env $IMAGE_ENV ${DOTNET_ENV:-} ASPNETCORE_ENVIRONMENT=Production "$WORK/floor/forwarder-floor" --Mode="$(floor_mode "$floor")" \
    --urls "http://127.0.0.1:$(floor_port "$floor")" --FPJS_INGRESS_BASE_URL="http://localhost:$UPSTREAM_PORT" >"$WORK/$floor.log" 2>&1 &
  PIDS+=($!)
  FLOOR_PIDS[$floor]=$!
  wait_ready "$floor" "http://127.0.0.1:$(floor_port "$floor")/healthz"
done
wait_ready upstream "http://127.0.0.1:$UPSTREAM_PORT/"
wait_ready nginx "http://127.0.0.1:$PEER_PORT/"
wait_ready ours "http://127.0.0.1:$OURS_PORT/healthz"

port_of() {
  case $1 in no-proxy) echo "$UPSTREAM_PORT" ;; nginx) echo "$PEER_PORT" ;; ours) echo "$OURS_PORT" ;; *) floor_port "$1" ;; esac
}

API_KEY=Ab1Cd2Ef3Gh4Ij5Kl6Mn
# scenario system -> "METHOD TARGET BODYBYTES": the proxies get the public paths, no-proxy the
# upstream paths the proxies forward to.
request_of() {
  case $1:$2 in
    agent:no-proxy) echo "GET /web/v3/$API_KEY/loader_v3.12.15.js?apiKey=$API_KEY&version=3&loaderVersion=3.12.15 0" ;;
    agent:*) echo "GET /fpjs/agent?apiKey=$API_KEY&version=3&loaderVersion=3.12.15 0" ;;
    identification:no-proxy) echo "POST /?ci=js/3.12.15&ii=fingerprint-pro-aws-dotnet%2F0.2.0%2Fingress 8192" ;;
    identification:*) echo "POST /fpjs/result?ci=js/3.12.15 8192" ;;
    browser-cache:no-proxy) echo "GET /browser-cache/Xk3p9QmT0vL2aR8s?ci=js/3.12.15 0" ;;
    browser-cache:*) echo "GET /fpjs/result/browser-cache/Xk3p9QmT0vL2aR8s?ci=js/3.12.15 0" ;;
  esac
}

FAILURES=0
loud() {
  FAILURES=$((FAILURES + 1))
  printf '\n!!!!!!!! %s\n\n' "$*" >&2
}

# ---- pre-check: every system answers every scenario with a 200 and the proxies transform ----
precheck() { # scenario system
  local method target body port headers code
  read -r method target body < <(request_of "$1" "$2")
  port=$(port_of "$2")
  headers=$WORK/check-$1-$2.headers
  if [ "$body" -gt 0 ]; then
    code=$(head -c "$body" /dev/zero | tr '\0' 'A' | curl -s -o /dev/null -D "$headers" -w '%{http_code}' \
      -X POST -H 'Host: www.example.test' -H 'Cookie: a=1; _iidt=abc' --data-binary @- "http://127.0.0.1:$port$target")
  else
    code=$(curl -s -o /dev/null -D "$headers" -w '%{http_code}' -H 'Host: www.example.test' "http://127.0.0.1:$port$target")
  fi
  [ "$code" = 200 ] || loud "pre-check: $2 answered $code to $1 ($method $target)"
  # The floors forward without the Fingerprint transforms: only their 200 is checked.
  if [ "$2" = nginx ] || [ "$2" = ours ]; then
    if grep -qi '^strict-transport-security' "$headers"; then loud "pre-check: $2 passed HSTS through on $1"; fi
    if [ "$1" = agent ] && ! grep -qi '^cache-control: public, max-age=3600, s-maxage=60' "$headers"; then
      loud "pre-check: $2 did not cap the agent's Cache-Control"
    fi
    if [ "$1" = identification ] && ! grep -qi '^set-cookie: _iidt=' "$headers"; then
      loud "pre-check: $2 lost the identification Set-Cookie"
    fi
  fi
}
for scenario in "${SCENARIOS[@]}"; do
  for system in "${SYSTEMS[@]}"; do
    precheck "$scenario" "$system"
  done
done
# The relay and Kestrel alone must answer as YARP's floor does (the same headers and values, in order);
# the raw forwarder with the same headers and values in the upstream's order (it passes its head through).
for scenario in "${SCENARIOS[@]}"; do
  for floor in "${FLOORS[@]}"; do
    [ "$floor" = floor ] && continue
    order=(cat)
    [ "$floor" = raw ] && order=(sort -f)
    if ! diff <(grep -vi '^date:' "$WORK/check-$scenario-floor.headers" | "${order[@]}") \
      <(grep -vi '^date:' "$WORK/check-$scenario-$floor.headers" | "${order[@]}") >&2; then
      loud "pre-check: $floor answered $scenario with other headers than floor"
    fi
  done
done

RESULTS=$WORK/results.txt
: >"$RESULTS"

run_wrk() { # system scenario seconds -> the RESULT line
  local method target body
  read -r method target body < <(request_of "$2" "$1")
  BENCH_METHOD=$method BENCH_PATH=$target BENCH_BODY=$body \
    "${PIN_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"${3}s" --timeout 5s -s "$ROOT/bench/wrk/scenario.lua" \
    "http://127.0.0.1:$(port_of "$1")" | grep '^RESULT'
}

field() { # line key
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# The processes whose CPU time a system's requests cost: nginx's master and worker, or our proxy.
pids_of() {
  case $1 in
    nginx) echo "$PEER_PID" $(pgrep -P "$PEER_PID" || true) ;;
    ours) echo "$OURS_PID" ;;
    no-proxy) ;;
    *) echo "${FLOOR_PIDS[$1]}" ;;
  esac
}

log "warming up: ${WARMUP}s per system and scenario"
for system in "${SYSTEMS[@]}"; do
  for scenario in "${SCENARIOS[@]}"; do
    run_wrk "$system" "$scenario" "$WARMUP" >/dev/null
  done
done
WARM_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$OURS_PID/status")

for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    # Rotate the order every round so that no system always runs first or last.
    for k in $(seq 0 $((${#SYSTEMS[@]} - 1))); do
      system=${SYSTEMS[$(((k + round - 1) % ${#SYSTEMS[@]}))]}
      pids=$(pids_of "$system")
      # shellcheck disable=SC2086 # a list of pids
      [ -n "$pids" ] && before=$(bench_cpu_ticks $pids)
      line=$(run_wrk "$system" "$scenario" "$DURATION")
      cpu_us=0
      # shellcheck disable=SC2086
      [ -n "$pids" ] && cpu_us=$(awk -v t="$(($(bench_cpu_ticks $pids) - before))" -v hz="$(getconf CLK_TCK)" -v n="$(field "$line" requests)" \
        'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
      errors=$(($(field "$line" connect) + $(field "$line" read) + $(field "$line" write) + $(field "$line" timeout)))
      non2xx=$(field "$line" status)
      printf '%s %s %s %s %s %s %s %s %s\n' "$system" "$scenario" "$round" "$(field "$line" rps)" \
        "$(field "$line" p50_us)" "$(field "$line" p99_us)" "$errors" "$non2xx" "$cpu_us" >>"$RESULTS"
      log "round $round $scenario $system: $(field "$line" rps) req/s, p50 $(field "$line" p50_us) us, p99 $(field "$line" p99_us) us, CPU $cpu_us us/request, errors $errors, non-2xx $non2xx"
      if [ "$errors" -gt 0 ] || [ "$non2xx" -gt 0 ]; then
        loud "$system $scenario round $round: $errors socket errors/timeouts and $non2xx non-2xx responses"
      fi
      kill -0 "$OURS_PID" 2>/dev/null || { loud "our proxy died; its log:"; cat "$WORK/ours.log" >&2; exit 1; }
    done
  done
done

# ---- optional: system calls per request (strace -c on the proxy's processes over one bounded run) ----
SYSCALLS_TABLE=$WORK/syscalls.md
: >"$SYSCALLS_TABLE"
if [ "${SYSCALLS:-0}" = 1 ]; then
  command -v strace >/dev/null || { echo "bench: SYSCALLS=1 needs strace (apt-get install -y strace)" >&2; exit 2; }
  {
    echo "| scenario | system | calls per request | the most frequent, per request |"
    echo "| --- | --- | ---: | --- |"
  } >"$SYSCALLS_TABLE"
  for scenario in "${SCENARIOS[@]}"; do
    for system in nginx ours "${FLOORS[@]}"; do
      trace=$WORK/strace-$scenario-$system.txt
      strace_args=()
      for pid in $(pids_of "$system"); do strace_args+=(-p "$pid"); done
      strace -c -f -o "$trace" "${strace_args[@]}" 2>/dev/null &
      STRACE_PID=$!
      sleep 1
      # strace slows the traced process: the count per request is what matters, not the rate.
      line=$(CONNECTIONS=8 run_wrk "$system" "$scenario" "${SYSCALLS_SECONDS:-5}")
      kill -INT "$STRACE_PID"
      wait "$STRACE_PID" 2>/dev/null || true
      requests=$(field "$line" requests)
      total=$(awk '$NF == "total" {print $4}' "$trace")
      top=$(awk '$4 ~ /^[0-9]+$/ && $NF != "total" {print $4, $NF}' "$trace" | sort -rn | head -4 \
        | awk -v n="$requests" '{printf "%s`%s` %.1f", (NR > 1 ? ", " : ""), $2, $1 / n}')
      printf '| %s | %s | %.1f | %s |\n' "$scenario" "$system" "$(awk -v t="$total" -v n="$requests" 'BEGIN {print t / n}')" "$top" >>"$SYSCALLS_TABLE"
      log "system calls, $scenario $system: $(tail -1 "$SYSCALLS_TABLE")"
    done
  done
fi

OURS_HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$OURS_PID/status")
OURS_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$OURS_PID/status")
PEER_HWM_KB=0
for pid in $PEER_PID $(pgrep -P "$PEER_PID" || true); do
  PEER_HWM_KB=$((PEER_HWM_KB + $(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")))
done
# wrk closes its connections with requests in flight when a run ends; YARP logs each such request as
# a client cancellation (RequestCanceled and the like, a warning). At most one per connection and
# wrk run is expected; anything else our proxy logs at warning level or above is a problem.
WRK_RUNS=$((${#SYSTEMS[@]} * ${#SCENARIOS[@]} * (ROUNDS + 1)))
ABORTS=$(grep -cE '^ +(RequestCanceled|RequestBodyCanceled|ResponseBodyCanceled|ResponseBodyClient|RequestBodyClient):' "$WORK/ours.log" || true)
OTHER=$(grep -E '^(warn|fail|crit):' -A1 "$WORK/ours.log" | grep -E '^ +[A-Za-z]+:' \
  | grep -vcE '^ +(RequestCanceled|RequestBodyCanceled|ResponseBodyCanceled|ResponseBodyClient|RequestBodyClient):' || true)
if [ "$ABORTS" -gt $((WRK_RUNS * CONNECTIONS)) ]; then
  loud "our proxy logged $ABORTS client cancellations, more than the $((WRK_RUNS * CONNECTIONS)) that wrk's end of runs explains"
fi
if [ "$OTHER" -gt 0 ] || grep -qE '^(fail|crit):' "$WORK/ours.log"; then
  loud "our proxy logged warnings or errors other than client cancellations:"
  grep -E '^(warn|fail|crit):' -A1 "$WORK/ours.log" | grep -vE '^--$' | sort | uniq -c | sort -rn | head -20 >&2
fi
for f in "$WORK/upstream-error.log" "$WORK/peer-error.log"; do
  if [ -s "$f" ]; then
    loud "$(basename "$f") is not empty:"
    sort "$f" | head -10 >&2
  fi
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
cp "$RESULTS" "$OUT/results-$STAMP.txt"
SUMMARY=$OUT/summary-$STAMP.md
{
  echo "Machine: $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "Versions: $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | awk '{print "wrk " $2}'), .NET SDK $(dotnet --version), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  if [ "$PIN" = 1 ]; then pinning="wrk -t1 and the fake upstream on CPU $LOAD_CPU; the proxy under test (nginx 1 worker, or ours) on CPU $SUT_CPU"; else pinning="unpinned"; fi
  echo "Run: $ROUNDS rounds x ${DURATION}s per system and scenario (interleaved, order rotated), ${WARMUP}s warm-up, $CONNECTIONS connections; $pinning; nginx peer buffering $PEER_BUFFERING; ours ($BUILD build) with the image's ${IMAGE_ENV:-(none)}${DOTNET_ENV:+ and $DOTNET_ENV}"
  echo
  echo "| scenario | system | req/s | p50 ms | p99 ms | CPU µs/request | errors | non-2xx |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -v scenarios="${SCENARIOS[*]}" -v systems="${SYSTEMS[*]}" -v floors="${FLOORS[*]}" '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { k = $2 SUBSEP $1; rps[k] = rps[k] " " $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $6; err[k] += $7; bad[k] += $8; cpu[k] = cpu[k] " " $9 }
    END {
      ns = split(scenarios, sc, " "); ny = split(systems, sy, " ")
      for (i = 1; i <= ns; i++) {
        for (j = 1; j <= ny; j++) {
          k = sc[i] SUBSEP sy[j]
          R[k] = median(rps[k]); P50[k] = median(p50[k]); P99[k] = median(p99[k]); C[k] = median(cpu[k])
          printf "| %s | %s | %.0f | %.2f | %.2f | %s | %d | %d |\n", sc[i], sy[j], R[k], P50[k] / 1000, P99[k] / 1000, \
            sy[j] == "no-proxy" ? "-" : sprintf("%.1f", C[k]), err[k], bad[k]
        }
      }
      print ""
      print "| scenario | ours/nginx CPU per request | ours/nginx req/s | ours/nginx p99 | ours/no-proxy req/s | nginx/no-proxy req/s |"
      print "| --- | ---: | ---: | ---: | ---: | ---: |"
      for (i = 1; i <= ns; i++) {
        o = sc[i] SUBSEP "ours"; g = sc[i] SUBSEP "nginx"; n = sc[i] SUBSEP "no-proxy"
        printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", sc[i], C[o] / C[g], R[o] / R[g], P99[o] / P99[g], R[o] / R[n], R[g] / R[n]
      }
      nf = split(floors, fl, " ")
      if (nf > 0) {
        print ""
        print "| scenario | floor | floor/nginx CPU per request | ours/floor CPU per request | floor/nginx p99 | ours/floor p99 |"
        print "| --- | --- | ---: | ---: | ---: | ---: |"
        for (i = 1; i <= ns; i++) {
          for (j = 1; j <= nf; j++) {
            o = sc[i] SUBSEP "ours"; g = sc[i] SUBSEP "nginx"; f = sc[i] SUBSEP fl[j]
            printf "| %s | %s | %.2f | %.2f | %.2f | %.2f |\n", sc[i], fl[j], C[f] / C[g], C[o] / C[f], P99[f] / P99[g], P99[o] / P99[f]
          }
        }
      }
    }' "$RESULTS"
  echo
  echo "Medians of the rounds; errors and non-2xx are totals over all rounds. CPU per request: user + system time of the proxy's processes (nginx: master and worker) during the run, over the requests wrk completed. A ratio below 1 means ours costs less or is faster."
  printf 'Our proxy: peak RSS (VmHWM) %.1f MB over the whole run; RSS %.1f MB after warm-up, %.1f MB at the end. nginx peer (master + worker) peak RSS %.1f MB.\n' \
    "$(awk -v k="$OURS_HWM_KB" 'BEGIN {print k / 1024}')" "$(awk -v k="$WARM_RSS_KB" 'BEGIN {print k / 1024}')" \
    "$(awk -v k="$OURS_RSS_KB" 'BEGIN {print k / 1024}')" "$(awk -v k="$PEER_HWM_KB" 'BEGIN {print k / 1024}')"
  for floor in "${FLOORS[@]}"; do
    case $floor in
      floor) what="Kestrel and YARP's forwarder with the proxy's tuning and nothing of the proxy's own" ;;
      relay) what="Kestrel and the narrowest hand-written HTTP/1.1 relay, with the proxy's socket tuning" ;;
      kestrel) what="Kestrel alone, answering from memory what the upstream answered first, with the proxy's socket tuning" ;;
      raw) what="a forwarder on .NET's sockets alone, shaped as nginx is: no Kestrel, no ASP.NET Core" ;;
    esac
    echo "$floor (bench/forwarder-floor --Mode=$(floor_mode "$floor")): $what; peak RSS $(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/${FLOOR_PIDS[$floor]}/status") MB."
  done
  if [ -s "$SYSCALLS_TABLE" ]; then
    echo
    echo "System calls per request (strace -c -f on the proxy's processes, ${SYSCALLS_SECONDS:-5} s of wrk with 8 connections):"
    echo
    cat "$SYSCALLS_TABLE"
  fi
  if [ "$FAILURES" -gt 0 ]; then
    echo
    echo "**$FAILURES PROBLEM(S) FLAGGED DURING THE RUN: see the !!!!!!!! lines above. These numbers are not valid.**"
  else
    echo "No errors, no non-2xx responses; our proxy logged nothing but $ABORTS client cancellations when wrk ended its runs."
  fi
} | tee "$SUMMARY"
echo >&2
log "summary written to $SUMMARY"
[ "$FAILURES" -eq 0 ]
