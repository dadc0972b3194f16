#!/usr/bin/env bash
# Lambda-mode cold start and memory of the release build: the Native AOT bootstrap that
# scripts/publish-lambda.sh writes for provided.al2023, measured with coldstart.mjs (fake Runtime API
# and fake upstream, loopback only) at a full core and at the CPU share Lambda gives 128, 256, 512
# and 1,024 MB (1,769 MB = one vCPU; emulated with a cgroup v1 CPU quota from cpu-share.sh, which the
# process joins before its clock starts).
#
# Usage: bench/lambda-coldstart/run.sh [runs] [invocations]    (defaults: 10 runs, 1000 invocations)
#   MEMORY_SIZES="128 256 512 1024"  the CPU shares to measure (needs root and /sys/fs/cgroup/cpu)
#   COMPARE=1                        also the managed dotnet10 package (JIT), the documented fallback
#   FLOOR=1                          also floor/: a bare ASP.NET Core host on the same Lambda hosting, one
#                                    endpoint, Native AOT: what any such host costs before the proxy's own work
#   BOOTSTRAP=path                   measure this bootstrap instead of publishing one
# Results: one JSON line per configuration on stdout; the publish under artifacts/lambda-bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
invocations=${2:-1000}
memory_sizes=${MEMORY_SIZES:-128 256 512 1024}
out=artifacts/lambda-bench
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$out"
# The function's DOTNET_* settings from template.yaml, as Lambda passes them (coldstart.mjs hands
# DOTNET_* variables on to the process).
while read -r name value; do
  export "$name=$value"
  echo "run.sh: $name=$value (from template.yaml)" >&2
done < <(sed -nE "s/^ +(DOTNET_[A-Za-z0-9_]+): *'?([^' ]*)'?\$/\1 \2/p" template.yaml)

bootstrap=${BOOTSTRAP:-}
if [ -z "$bootstrap" ]; then
  case "$(uname -m)" in
    x86_64) architecture=x86_64 ;;
    aarch64) architecture=arm64 ;;
    *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
  esac
  scripts/publish-lambda.sh "$architecture" "$out/aot" >"$out/aot.publish.log" 2>&1 \
    || { cat "$out/aot.publish.log" >&2; exit 1; }
  bootstrap=$out/aot/bootstrap
fi
variants=("aot|$bootstrap")
if [ "${COMPARE:-0}" = 1 ]; then
  # The fallback: framework-dependent, portable, what the managed dotnet10 runtime runs.
  dotnet publish src/ProxyHost/ProxyHost.csproj -c Release -o "$out/managed" >"$out/managed.publish.log" 2>&1 \
    || { cat "$out/managed.publish.log" >&2; exit 1; }
  variants+=("managed|dotnet $out/managed/ProxyHost.dll")
fi

if [ "${FLOOR:-0}" = 1 ]; then
  dotnet publish bench/lambda-coldstart/floor/LambdaFloor.csproj -c Release --use-current-runtime -o "$out/floor" >"$out/floor.publish.log" 2>&1 \
    || { cat "$out/floor.publish.log" >&2; exit 1; }
  variants+=("floor|$out/floor/lambda-floor")
fi

# bench LABEL [--cgroup DIR] -- COMMAND...
bench() { node bench/lambda-coldstart/coldstart.mjs --runs "$runs" --invocations "$invocations" --label "$@"; }

for variant in "${variants[@]}"; do
  name=${variant%%|*}
  read -r -a command <<<"${variant#*|}"
  bench "$name" -- "${command[@]}"
done

if [ -w /sys/fs/cgroup/cpu ]; then
  # 1,769 MB: exactly one core, as Lambda gives it (unpinned above, the process may use both).
  for mb in $memory_sizes 1769; do
    cgroup=$(bench/lambda-coldstart/cpu-share.sh "$mb")
    for variant in "${variants[@]}"; do
      name=${variant%%|*}
      read -r -a command <<<"${variant#*|}"
      bench "$name@${mb}MB" --cgroup "$cgroup" -- "${command[@]}"
    done
    rmdir "$cgroup"
  done
else
  echo "no writable cgroup v1 cpu controller: CPU-share runs skipped" >&2
fi
