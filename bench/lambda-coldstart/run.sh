#!/usr/bin/env bash
# Publishes each packaging of the host and measures it with coldstart.mjs (loopback only).
# Usage: bench/lambda-coldstart/run.sh [runs] [invocations]    (defaults: 10 runs, 1000 invocations)
# Results: one JSON line per packaging on stdout; publish output under artifacts/lambda-bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
invocations=${2:-1000}
out=artifacts/lambda-bench
project=src/ProxyHost/ProxyHost.csproj
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

publish() { # name, publish arguments...
  local name=$1; shift
  dotnet publish "$project" -c Release -o "$out/$name" "$@" >"$out/$name.publish.log" 2>&1 \
    || { echo "publish $name failed, see $out/$name.publish.log" >&2; return 1; }
}

mkdir -p "$out"
# 1. Managed runtime dotnet10: framework-dependent, portable (what `dotnet publish` gives by default).
publish managed
# 2. Managed runtime dotnet10 with ReadyToRun code for linux-x64 (still framework-dependent).
publish managed-r2r -r linux-x64 --self-contained false -p:PublishReadyToRun=true
# 3. provided.al2023: self-contained bootstrap with ReadyToRun.
publish al2023-r2r -r linux-x64 --self-contained true -p:PublishReadyToRun=true
cp "$out/al2023-r2r/ProxyHost" "$out/al2023-r2r/bootstrap"
# 4. provided.al2023, trimmed as well. Configuration binding needs its source generator to be trim-safe.
publish al2023-r2r-trimmed -r linux-x64 --self-contained true -p:PublishReadyToRun=true -p:PublishTrimmed=true \
  -p:EnableConfigurationBindingGenerator=true
cp "$out/al2023-r2r-trimmed/ProxyHost" "$out/al2023-r2r-trimmed/bootstrap"
# 5. Native AOT: fails at restore on a package source without Microsoft.NETCore.App.Runtime.NativeAOT.linux-x64.
if publish al2023-aot -r linux-x64 -p:PublishAot=true -p:EnableConfigurationBindingGenerator=true; then
  cp "$out/al2023-aot/ProxyHost" "$out/al2023-aot/bootstrap"
fi

bench() { node bench/lambda-coldstart/coldstart.mjs --runs "$runs" --invocations "$invocations" --label "$1" -- "${@:2}"; }
bench managed dotnet "$out/managed/ProxyHost.dll"
bench managed-r2r dotnet "$out/managed-r2r/ProxyHost.dll"
bench al2023-r2r "$out/al2023-r2r/bootstrap"
bench al2023-r2r-trimmed "$out/al2023-r2r-trimmed/bootstrap"
if [ -x "$out/al2023-aot/bootstrap" ]; then bench al2023-aot "$out/al2023-aot/bootstrap"; fi
# Lambda's CPU share for a memory size (1,769 MB = 1 vCPU), emulated with a cgroup CPU quota.
if [ -w /sys/fs/cgroup/cpu ]; then
  for mb in 512 1024 1769; do
    bench "al2023-r2r@${mb}MB" bench/lambda-coldstart/with-cpu-share.sh "$mb" "$out/al2023-r2r/bootstrap"
    bench "managed-r2r@${mb}MB" bench/lambda-coldstart/with-cpu-share.sh "$mb" dotnet "$out/managed-r2r/ProxyHost.dll"
    bench "managed@${mb}MB" bench/lambda-coldstart/with-cpu-share.sh "$mb" dotnet "$out/managed/ProxyHost.dll"
    rmdir "/sys/fs/cgroup/cpu/lambda-coldstart-$mb"
  done
else
  echo "no writable cgroup v1 cpu controller: CPU-share runs skipped" >&2
fi
