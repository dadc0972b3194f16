# Shared by the bench scripts (sourced, not run): the work directory and its cleanup, logging, and the
# fake Fingerprint upstream (nginx serving a 36 KB agent stand-in). Expects ROOT and UPSTREAM_PORT.

# bench_init NAME: a fresh work directory in $WORK, removed on exit (kept with KEEP=1); $PIDS are killed.
bench_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/fpjs-$1.XXXXXX")
  mkdir -p "$WORK/tmp" "$WORK/www"
  # nginx's workers run as an unprivileged user when started as root: they must read the agent file.
  chmod 755 "$WORK" "$WORK/www"
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "bench: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# bench_render TEMPLATE OUTPUT: fills the @NAME@ placeholders of an nginx configuration.
bench_render() {
  sed -e "s|@WORK@|$WORK|g" -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" -e "s|@PEER_PORT@|${PEER_PORT:-}|g" \
    -e "s|@SECRET@|${SECRET:-}|g" -e "s|@PEER_BUFFERING@|${PEER_BUFFERING:-on}|g" "$1" >"$2"
}

# bench_fake_upstream [PIN PREFIX...]: writes the 36 KB deterministic JavaScript agent and starts the
# fake upstream (bench/nginx/upstream.conf) in the background, its pid appended to PIDS. Called in the
# foreground so that $! is nginx's own pid.
bench_fake_upstream() {
  local i=0
  {
    echo '/** Fingerprint Pro JS agent stand-in for the benchmark (36 KB). */'
    while [ "$i" -lt 800 ]; do
      printf 'var f%04d=function(a,b){return(a*%d+b)%%65521};\n' "$i" "$((i * 7919 % 10007))"
      i=$((i + 1))
    done
  } >"$WORK/agent-full.js"
  # Cut from a file, not a pipe: head closing a pipe early would stop the script (pipefail).
  head -c 36864 "$WORK/agent-full.js" >"$WORK/www/agent.js"
  [ "$(wc -c <"$WORK/www/agent.js")" -eq 36864 ] || { echo "bench: the agent stand-in is not 36 KB" >&2; exit 1; }
  bench_render "$ROOT/bench/nginx/upstream.conf" "$WORK/upstream.conf"
  "$@" nginx -p "$WORK" -c "$WORK/upstream.conf" &
  PIDS+=($!)
}

# bench_cpu_ticks PID...: user + system clock ticks (getconf CLK_TCK per second) the processes have used
# so far, all threads: fields 14 and 15 of /proc/PID/stat, read after the ')' that ends the command name
# (which may hold spaces).
bench_cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
