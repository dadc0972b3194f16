#!/usr/bin/env bash
# Interleaved A/B of Lambda-mode cold starts: each round starts every variant RUNS times with
# coldstart.mjs (fake Runtime API and fake upstream, loopback only), the variants in turn, so that
# drift on the machine hits them alike. Prints, per variant, the median over the rounds of each
# round's median cold start and CPU to the first response, and the rounds' medians; with
# INVOCATIONS=N (N > 2), also the warm invocations' median latency and CPU per invocation.
#
#   bench/lambda-coldstart/ab.sh 'before@/tmp/a/bootstrap' 'after@/tmp/b/bootstrap'
#   bench/lambda-coldstart/ab.sh 'gen0-4@artifacts/lambda-bench/aot/bootstrap=DOTNET_GCgen0size=400000' \
#                                'gen0-6@artifacts/lambda-bench/aot/bootstrap=DOTNET_GCgen0size=600000'
#
# A variant is NAME@EXECUTABLE[=K=V ...]; the settings are DOTNET_* variables (coldstart.mjs hands only
# those to the process), on top of the function's DOTNET_* settings from template.yaml.
# Settings: ROUNDS=6 RUNS=10 INVOCATIONS=2; MB=256 runs every start under the CPU share of that memory size
# (cpu-share.sh; needs root and a cgroup v1 cpu controller).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-6}
runs=${RUNS:-10}
invocations=${INVOCATIONS:-2}
[ $# -ge 2 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
while read -r name value; do
  export "$name=$value"
done < <(sed -nE "s/^ +(DOTNET_[A-Za-z0-9_]+): *'?([^' ]*)'?\$/\1 \2/p" template.yaml)

share=()
if [ -n "${MB:-}" ]; then
  cgroup=$(bench/lambda-coldstart/cpu-share.sh "$MB")
  trap 'rmdir "$cgroup"' EXIT
  share=(--cgroup "$cgroup")
fi

for round in $(seq "$rounds"); do
  for variant in "$@"; do
    name=${variant%%@*}
    rest=${variant#*@}
    executable=${rest%%=*}
    settings=()
    [ "$rest" = "$executable" ] || read -r -a settings <<<"${rest#*=}"
    env "${settings[@]}" node bench/lambda-coldstart/coldstart.mjs --runs "$runs" --invocations "$invocations" --label "$name" "${share[@]}" -- "$executable"
  done
  echo "ab: round $round of $rounds done" >&2
done | python3 -c '
import json, statistics, sys
cold, cpu, warm, warm_cpu = {}, {}, {}, {}
for line in sys.stdin:
    result = json.loads(line)
    cold.setdefault(result["label"], []).append(result["coldStartMs"]["median"])
    cpu.setdefault(result["label"], []).append(result["coldStartCpuMs"]["median"])
    if result["invocations"] > 2:
        warm.setdefault(result["label"], []).append(result["warmMs"]["median"])
        warm_cpu.setdefault(result["label"], []).append(result["warmCpuUs"])
extra = " warm invocation, median | warm CPU per invocation |" if warm else ""
print("| variant | cold start, median of the rounds | CPU to the first response |" + extra + " rounds (cold start medians) |")
print("| --- | ---: | ---: |" + (" ---: | ---: |" if warm else "") + " --- |")
for label in cold:
    rounds = ", ".join(f"{v:g}" for v in sorted(cold[label]))
    extra = f" {statistics.median(warm[label]):.2f} ms | {statistics.median(warm_cpu[label]):.0f} µs |" if warm else ""
    print(f"| {label} | {statistics.median(cold[label]):.1f} ms | {statistics.median(cpu[label]):.1f} ms |{extra} {rounds} |")
'
