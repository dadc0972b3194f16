#!/usr/bin/env bash
# Builds the proxy for Lambda's provided.al2023 runtime: one Native AOT executable named `bootstrap`
# and the settings file next to it, which is the whole deployment package.
#
#   scripts/publish-lambda.sh <x86_64|arm64> [output directory]     (default: artifacts/lambda)
#
# The architecture is Lambda's name for it, as in template.yaml's Architecture parameter. Needs the
# .NET SDK, clang and zlib (Debian/Ubuntu: apt-get install clang lld zlib1g-dev). An arm64 package
# built on an x86_64 machine also needs the aarch64 cross toolchain and arm64 libraries:
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev:arm64 zlib1g-dev:arm64
# `sam build` runs this script through the Makefile's build-ProxyFunction target.
#
# After publishing it checks what Lambda will load: the executable's ELF machine is the requested
# architecture, it needs no glibc newer than Amazon Linux 2023's (2.34), and appsettings.json is there.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fail() { echo "publish-lambda: $*" >&2; exit 1; }

architecture=${1:-}
case "$architecture" in
  x86_64) rid=linux-x64 machine='X86-64' ;;
  arm64) rid=linux-arm64 machine='AArch64' ;;
  *) fail "usage: $0 <x86_64|arm64> [output directory]" ;;
esac
out=${2:-$root/artifacts/lambda}
# Amazon Linux 2023, the provided.al2023 runtime's OS.
max_glibc=2.34

command -v clang >/dev/null || fail "Native AOT links with clang: apt-get install clang lld zlib1g-dev"
if [ "$architecture" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
  [ -d /usr/lib/gcc-cross/aarch64-linux-gnu ] && [ -f /usr/lib/aarch64-linux-gnu/libz.a ] || fail \
    "cross-compiling for arm64 needs gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu, libc6-dev:arm64 and zlib1g-dev:arm64 (see the top of this script), or run it on an arm64 machine"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
publish=$root/artifacts/publish/lambda-$rid
rm -rf "$publish"
# -r makes ProxyHost.csproj publish Native AOT.
dotnet publish "$root/src/ProxyHost/ProxyHost.csproj" -c Release -r "$rid" -o "$publish"

[ -x "$publish/ProxyHost" ] || fail "the publish wrote no ProxyHost executable"
[ -f "$publish/appsettings.json" ] || fail "the publish wrote no appsettings.json"

header=$(readelf -h "$publish/ProxyHost")
grep -Eq "Machine: +.*$machine" <<<"$header" || fail "ProxyHost is not a $architecture executable: $(grep Machine <<<"$header")"
needed=$(readelf -V "$publish/ProxyHost" | grep -Eo 'GLIBC_[0-9]+(\.[0-9]+)+' | sed 's/GLIBC_//' | sort -uV | tail -1)
[ "$(printf '%s\n%s\n' "$needed" "$max_glibc" | sort -V | tail -1)" = "$max_glibc" ] \
  || fail "ProxyHost needs glibc $needed; Amazon Linux 2023 has $max_glibc"

mkdir -p "$out"
rm -f "$out/bootstrap" "$out/appsettings.json"
cp "$publish/ProxyHost" "$out/bootstrap"
cp "$publish/appsettings.json" "$out/appsettings.json"
echo "publish-lambda: $out/bootstrap ($architecture, $(du -h "$out/bootstrap" | cut -f1), glibc >= $needed) and appsettings.json"
