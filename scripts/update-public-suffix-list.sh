#!/usr/bin/env bash
# Refreshes the Public Suffix List snapshot embedded in the Transforms assembly from Debian's
# `publicsuffix` package (the only source the build machines can reach), and records the
# package version and date in src/Transforms/PublicSuffix/README.md.
# Usage: scripts/update-public-suffix-list.sh   (as root, or with sudo available)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest_dir="$repo_root/src/Transforms/PublicSuffix"
readme="$dest_dir/README.md"
list_source=/usr/share/publicsuffix/public_suffix_list.dat
copyright_source=/usr/share/doc/publicsuffix/copyright

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

# Fail before changing anything if the README no longer has the line this script rewrites.
if ! grep -q '^Snapshot: ' "$readme"; then
  echo "error: no 'Snapshot: ' line in $readme" >&2
  exit 1
fi

"${sudo_cmd[@]}" apt-get update
# install also upgrades an installed package to the newest version the mirror has.
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y publicsuffix

version="$(dpkg-query -W -f='${Version}' publicsuffix)"
today="$(date -u +%Y-%m-%d)"

cp "$list_source" "$dest_dir/public_suffix_list.dat"

{
  cat <<'HEADER'
Licence of public_suffix_list.dat
=================================

public_suffix_list.dat in this folder is an unmodified copy of the Public Suffix List
(https://publicsuffix.org/), maintained by the PSL maintainers and published under the
Mozilla Public License, v. 2.0 (MPL-2.0). It is embedded, unmodified, as a resource in the
FingerprintProxy.Transforms assembly. Its source form is this file; the upstream source is
https://publicsuffix.org/list/public_suffix_list.dat.

The MPL-2.0 applies to public_suffix_list.dat only, not to the rest of this repository.

What follows is the machine-readable copyright file of the Debian package `publicsuffix`
(/usr/share/doc/publicsuffix/copyright), which this copy was taken from. It names the
copyright holders and contains the full text of the Mozilla Public License, Version 2.0.

----------------------------------------------------------------------------------------------

HEADER
  cat "$copyright_source"
} > "$dest_dir/LICENSE"

sed -i -E "s/^Snapshot: .*/Snapshot: Debian package \`publicsuffix\` version \`${version}\`, taken ${today}./" "$readme"

echo "Public Suffix List updated from Debian publicsuffix ${version} (${today})."
echo "Review 'git diff -- src/Transforms/PublicSuffix', run 'dotnet test tests/Transforms.Tests', and commit."
