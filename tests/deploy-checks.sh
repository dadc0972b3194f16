#!/usr/bin/env bash
# The deployment artifacts' checks: edge shim, template.yaml, the Lambda package that `sam build`
# makes, the Dockerfile's publish. Meant to be called from .ci/run. cfn-lint runs only where it is
# installed (it is a Python tool, not a project dependency).
#
# Native AOT needs clang, lld and zlib: when they are missing and this runs as root on Debian or
# Ubuntu, scripts/install-aot-prerequisites.sh installs them. The arm64 package is cross-compiled
# and its ELF header checked when the aarch64 cross toolchain is installed
# (scripts/install-aot-prerequisites.sh arm64), or when ARM64=1 asks for it to be installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== edge shim (node --test)"
(cd "$root/edge" && npm test)

echo "== template.yaml (node --test)"
(cd "$root/tests/template" && npm ci --no-audit --no-fund && npm test)

if command -v cfn-lint >/dev/null 2>&1; then
  echo "== template.yaml (cfn-lint $(cfn-lint --version 2>/dev/null | awk '{print $2}'), informational checks included)"
  # `--` ends --include-checks' list, which would otherwise take the file name as a check.
  (cd "$root" && cfn-lint --include-checks I -- template.yaml)
else
  echo "== template.yaml (cfn-lint): not installed, skipped"
fi

if ! command -v clang >/dev/null 2>&1 || [ "${ARM64:-0}" = 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== Native AOT prerequisites"
    if [ "${ARM64:-0}" = 1 ]; then
      "$root/scripts/install-aot-prerequisites.sh" arm64
    else
      "$root/scripts/install-aot-prerequisites.sh"
    fi
  fi
fi

case "$(uname -m)" in
  x86_64) architecture=x86_64 other=arm64 ;;
  aarch64) architecture=arm64 other=x86_64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
package=$(mktemp -d)
trap 'rm -rf "$package"' EXIT

echo "== Lambda package as sam build makes it (make build-ProxyFunction, $architecture), then one invocation"
make -C "$root" --no-print-directory build-ProxyFunction ARCHITECTURE="$architecture" ARTIFACTS_DIR="$package/native"
[ "$(cd "$package/native" && ls | sort | tr '\n' ' ')" = "appsettings.json bootstrap " ] \
  || { ls -la "$package/native" >&2; echo "the package must hold bootstrap and appsettings.json only" >&2; exit 1; }
# The fake Runtime API hands it an identification POST and checks the response it posts back.
node "$root/bench/lambda-coldstart/coldstart.mjs" --runs 1 --invocations 3 --label bootstrap -- "$package/native/bootstrap" >/dev/null
echo "lambda-package: the bootstrap answered its invocations through the Runtime API"

if [ "$other" = arm64 ] && [ -d /usr/lib/gcc-cross/aarch64-linux-gnu ] && [ -f /usr/lib/aarch64-linux-gnu/libz.a ]; then
  echo "== Lambda package for arm64 (cross-compiled)"
  "$root/scripts/publish-lambda.sh" arm64 "$package/arm64"
  readelf -h "$package/arm64/bootstrap" | grep -E 'Class|Machine'
  echo "lambda-package: arm64 bootstrap is an AArch64 ELF executable"
  if command -v qemu-aarch64 >/dev/null 2>&1; then
    # User-mode emulation (Debian's qemu-user), with the arm64 C library the cross toolchain brought.
    node "$root/bench/lambda-coldstart/coldstart.mjs" --runs 1 --invocations 3 --label arm64 -- \
      qemu-aarch64 "$package/arm64/bootstrap" >/dev/null
    echo "lambda-package: the arm64 bootstrap answered its invocations under qemu-aarch64"
  fi
else
  echo "== Lambda package for $other: no cross toolchain here, skipped (ARM64=1 installs it)"
fi

echo "== Dockerfile publish, then the published proxy"
"$root/tests/container/publish-and-run.sh"
