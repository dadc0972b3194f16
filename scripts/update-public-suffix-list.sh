#!/usr/bin/env bash
# Refreshes the Public Suffix List embedded in the Transforms assembly (src/Transforms/PublicSuffix/)
# from Debian's `publicsuffix` package in Debian unstable, which packages the upstream list unmodified
# within days of an upstream change. The package is fetched with apt-get into a scratch directory,
# with its own source list and state: the machine's apt configuration and installed packages are
# left alone, and the download is verified against Debian's archive key like any apt download.
#
#   scripts/update-public-suffix-list.sh              # the pinned version below
#   scripts/update-public-suffix-list.sh latest       # the newest version in unstable (then pin it here)
#   scripts/update-public-suffix-list.sh 20261007.0728-1
#
# Needs apt-get, dpkg-deb and the debian-archive-keyring package (any Debian or Debian-based machine).
# Unstable keeps only its newest version: when the pinned one has been superseded, run with `latest`,
# review the diff and pin the new version.
#
# The list must keep the upstream shape PublicSuffixList parses: the MPL licence header and both
# `===BEGIN/END ICANN DOMAINS===` and `===BEGIN/END PRIVATE DOMAINS===` sections; the script checks
# them before it replaces anything.
set -euo pipefail

pinned=20261007.0728-1
version=${1:-$pinned}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=$root/src/Transforms/PublicSuffix
readme=$dest/README.md
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
fail() { echo "update-public-suffix-list: $*" >&2; exit 1; }

grep -q '^Snapshot: ' "$readme" || fail "no 'Snapshot: ' line in $readme"
[ -f "$keyring" ] || fail "$keyring is missing: apt-get install debian-archive-keyring"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/download" "$work/package"
echo "deb [signed-by=$keyring] http://deb.debian.org/debian unstable main" >"$work/sources.list"
apt=(apt-get -q -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Architectures::=amd64
  -o APT::Sandbox::User=root)

"${apt[@]}" update >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; fail "apt-get update (Debian unstable) failed"; }
if [ "$version" = latest ]; then
  version=$("${apt[@]}" show publicsuffix 2>/dev/null | awk '/^Version: /{print $2; exit}')
  [ -n "$version" ] || fail "Debian unstable has no publicsuffix package"
fi
(cd "$work/download" && "${apt[@]}" download "publicsuffix=$version") >"$work/download.log" 2>&1 \
  || { cat "$work/download.log" >&2; fail "publicsuffix $version is not in Debian unstable (any more): run with 'latest'"; }
dpkg-deb -x "$work"/download/publicsuffix_*.deb "$work/package"

list=$work/package/usr/share/publicsuffix/public_suffix_list.dat
copyright=$work/package/usr/share/doc/publicsuffix/copyright
[ -f "$list" ] && [ -f "$copyright" ] || fail "the package has no public_suffix_list.dat or copyright file"
head -3 "$list" | grep -q 'Mozilla Public' || fail "the list has lost its MPL licence header"
for marker in 'BEGIN ICANN DOMAINS' 'END ICANN DOMAINS' 'BEGIN PRIVATE DOMAINS' 'END PRIVATE DOMAINS'; do
  [ "$(grep -c "^// ===$marker===\$" "$list")" = 1 ] || fail "the list lacks exactly one '// ===$marker===' line"
done
grep -q '^License: MPL-2.0' "$copyright" || fail "the package's copyright file no longer says MPL-2.0"

cp "$list" "$dest/public_suffix_list.dat"
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
  cat "$copyright"
} >"$dest/LICENSE"

sha=$(sha256sum "$dest/public_suffix_list.dat" | cut -d' ' -f1)
today=$(date -u +%Y-%m-%d)
sed -i -E "s/^Snapshot: .*/Snapshot: Debian unstable package \`publicsuffix\` version \`${version}\`, taken ${today}, SHA-256 \`${sha}\`./" "$readme"

echo "update-public-suffix-list: publicsuffix $version ($(grep -c '^[^/ ]' "$dest/public_suffix_list.dat") rules), SHA-256 $sha"
[ "$version" = "$pinned" ] || echo "update-public-suffix-list: pin it: set pinned=$version at the top of this script"
echo "Review 'git diff -- src/Transforms/PublicSuffix', run 'dotnet test tests/Transforms.Tests -c Release', and commit."
