#!/usr/bin/env bash
# Black-box checks of the shipped binary: publishes the proxy twice, then runs tests/BlackBox.Tests once
# against each output, with PROXY_UNDER_TEST naming it:
#   jit: dotnet publish src/ProxyHost -c Release                                    (portable, framework-dependent)
#   aot: scripts/publish-lambda.sh x86_64 <dir>: the Native AOT bootstrap exactly as it ships to Lambda
#        (also the container's binary), run here as a Kestrel server and as a Lambda function
# Native AOT needs clang, lld and zlib: installed with apt-get when clang is missing and this runs as root.
# Prints xunit's summary line for each run ("Failed: N, Passed: N, ..."); exits non-zero if anything failed.
# Usage: tests/blackbox/run.sh [jit|aot ...]   (default: both; BLACKBOX_OUT=<dir> instead of artifacts/blackbox)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${BLACKBOX_OUT:-$root/artifacts/blackbox}
flavours=("$@")
[ ${#flavours[@]} -gt 0 ] || flavours=(jit aot)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

started=$SECONDS
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

say() { echo "black-box: $*"; }

native_toolchain() {
  if command -v clang >/dev/null 2>&1 && [ -e /usr/include/zlib.h ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "Native AOT needs clang, lld and zlib1g-dev (apt-get install -y clang lld zlib1g-dev); not root, so not installed" >&2
    return 1
  fi
  say "installing clang lld zlib1g-dev for Native AOT"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang lld zlib1g-dev; } >"$log" 2>&1 \
    || { cat "$log" >&2; return 1; }
}

publish() {
  local flavour=$1 dir="$out/$1" t0=$SECONDS
  local command
  case "$flavour" in
    jit) command=(dotnet publish "$root/src/ProxyHost" -c Release -o "$dir") ;;
    aot) native_toolchain || return 1; command=("$root/scripts/publish-lambda.sh" x86_64 "$dir") ;;
    *) say "unknown flavour $flavour (jit or aot)" >&2; return 1 ;;
  esac
  rm -rf "$dir"
  say "${command[*]}"
  "${command[@]}" >"$log" 2>&1 || { cat "$log" >&2; say "$flavour: publish failed" >&2; return 1; }
  say "$flavour: published in $((SECONDS - t0)) s"
}

binary() {
  case "$1" in
    jit) echo "$out/jit/ProxyHost.dll" ;;
    aot) echo "$out/aot/bootstrap" ;;
  esac
}

built=
for flavour in "${flavours[@]}"; do
  echo "== black-box: $flavour"
  if ! publish "$flavour"; then
    status=1
    continue
  fi
  t0=$SECONDS
  test_args=(test "$root/tests/BlackBox.Tests" -c Release)
  [ -z "$built" ] || test_args+=(--no-build)
  # The AOT binary runs with the container image's runtime settings (the Dockerfile's ENV DOTNET_*
  # lines), as it ships; the proxy processes the tests start inherit them.
  image_env=()
  if [ "$flavour" = aot ]; then
    while read -r setting; do image_env+=("$setting"); done < <(sed -n 's/^ENV \(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' "$root/Dockerfile")
    say "aot: with the image's ${image_env[*]}"
  fi
  env "${image_env[@]}" PROXY_UNDER_TEST="$(binary "$flavour")" dotnet "${test_args[@]}" || status=1
  built=yes
  say "$flavour: tests ran in $((SECONDS - t0)) s"
done

say "done in $((SECONDS - started)) s"
exit "$status"
