#!/usr/bin/env bash
# Installs what `dotnet publish -r linux-<arch>` (Native AOT) needs besides the .NET SDK, on Debian or
# Ubuntu, as root: clang, lld and zlib for the machine's own architecture, and for another target
# architecture the cross toolchain and that architecture's C library and zlib.
#
#   scripts/install-aot-prerequisites.sh              # this machine's architecture
#   scripts/install-aot-prerequisites.sh arm64        # also cross-compile for arm64 (x86_64 or amd64: the other way)
#
# The Dockerfile's build stage runs it to cross-compile for $TARGETARCH without emulation.
set -euo pipefail

fail() { echo "install-aot-prerequisites: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root"
export DEBIAN_FRONTEND=noninteractive

host=$(dpkg --print-architecture)
case "${1:-$host}" in
  amd64 | x86_64 | x64) target=amd64 gnu=x86_64-linux-gnu ;;
  arm64 | aarch64) target=arm64 gnu=aarch64-linux-gnu ;;
  *) fail "unsupported target architecture ${1:-}" ;;
esac

packages=(clang lld zlib1g-dev)
if [ "$target" != "$host" ]; then
  dpkg --add-architecture "$target"
  # Ubuntu serves arm64 from ports.ubuntu.com and amd64 from archive.ubuntu.com: each source is
  # limited to the architectures it has. Debian's mirrors serve every architecture.
  ubuntu=/etc/apt/sources.list.d/ubuntu.sources
  if [ -f "$ubuntu" ] && ! grep -q '^Architectures:' "$ubuntu"; then
    codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    sed -i "s/^Types: deb\$/Types: deb\nArchitectures: $host/" "$ubuntu"
    if [ "$target" = arm64 ]; then uri=http://ports.ubuntu.com/ubuntu-ports; else uri=http://archive.ubuntu.com/ubuntu; fi
    cat >/etc/apt/sources.list.d/cross-"$target".sources <<EOF
Types: deb
URIs: $uri
Suites: $codename $codename-updates $codename-security
Components: main universe
Architectures: $target
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg
EOF
  fi
  packages+=("gcc-${gnu//_/-}" "binutils-${gnu//_/-}" "libc6-dev:$target" "zlib1g-dev:$target")
fi

apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
echo "install-aot-prerequisites: ready to publish Native AOT for $target on $host"
