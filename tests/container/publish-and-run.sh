#!/usr/bin/env bash
# Builds what the Dockerfile builds and starts it, without a Docker engine:
#  1. copies the files the Dockerfile's build stage COPYs into a fresh directory (its build context),
#  2. runs the Dockerfile's own `dotnet publish` line there (read from the Dockerfile, so the two cannot
#     drift apart), with $TARGETARCH set to this machine's architecture and /app/publish redirected,
#  3. copies only the files the final stage takes (the native executable and appsettings.json) into an
#     empty directory, as the image's /app, and checks that the executable is Native AOT (an ELF for
#     this architecture, no .NET runtime beside it),
#  4. starts it as the image's ENTRYPOINT does (`/app/ProxyHost`, with the image's ENV DOTNET_* settings,
#     whose GC budget must be bare hexadecimal) on a free loopback port, and waits
#     for GET /healthz, or the status page /<behavior>/status, to answer 200,
#  5. stops it.
# Needs clang, lld and zlib (scripts/install-aot-prerequisites.sh), as the Dockerfile's build stage.
# Usage: tests/container/publish-and-run.sh   (TIMEOUT_SECONDS=60 by default)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dockerfile="$root/Dockerfile"
timeout_seconds=${TIMEOUT_SECONDS:-60}

fail() { echo "publish-and-run: $*" >&2; exit 1; }

# ---------------------------------------------------------------- read the Dockerfile

# The build stage: from the first FROM to the next one.
build_stage=$(awk '/^FROM /{n++} n==1' "$dockerfile")

publish_lines=$(grep -E '^RUN .*dotnet publish ' <<<"$build_stage" || true)
[ "$(grep -c . <<<"$publish_lines")" -eq 1 ] || fail "expected exactly one 'RUN ... dotnet publish' line in the Dockerfile's build stage"
publish_command=${publish_lines#*dotnet publish }
publish_command="dotnet publish $publish_command"
[[ $publish_command == *'-o /app/publish'* ]] || fail "the publish line must write to -o /app/publish"
[[ $publish_command == *'$TARGETARCH'* ]] || fail "the publish line must target \$TARGETARCH"

image_files=(ProxyHost appsettings.json)
grep -qxF 'WORKDIR /app' <<<"$(awk '/^FROM /{n++} n==2' "$dockerfile")" || fail "the final stage's WORKDIR must be /app"
grep -qxF 'COPY --from=build /app/publish/ProxyHost /app/publish/appsettings.json ./' "$dockerfile" \
  || fail "the final stage must copy exactly ${image_files[*]} from /app/publish into its WORKDIR"
grep -qxF 'ENTRYPOINT ["/app/ProxyHost"]' "$dockerfile" || fail "the ENTRYPOINT this script imitates has changed"
# The runtime settings the image sets (ENV DOTNET_*), which the proxy below starts with, as in the image.
image_env=$(sed -n 's/^ENV \(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' "$dockerfile")
gen0=$(sed -n 's/^DOTNET_GCgen0size=//p' <<<"$image_env")
# Native AOT reads DOTNET_GC* values as bare hexadecimal and ignores one with a 0x prefix.
[[ $gen0 =~ ^[0-9a-f]+$ ]] || fail "ENV DOTNET_GCgen0size=$gen0 is not bare hexadecimal: Native AOT would ignore it"

# ---------------------------------------------------------------- recreate the build context

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

context="$work/src"
mkdir -p "$context"
while read -r _ args; do
  read -r -a parts <<<"$args"
  destination=${parts[-1]}
  mkdir -p "$context/$destination"
  for source in "${parts[@]:0:${#parts[@]}-1}"; do
    [ -e "$root/$source" ] || fail "the Dockerfile copies $source, which does not exist"
    if [ -d "$root/$source" ]; then
      cp -R "$root/$source/." "$context/$destination"  # like COPY: the directory's contents
    else
      cp "$root/$source" "$context/$destination"
    fi
  done
done < <(grep -E '^COPY ' <<<"$build_stage" | grep -v -- '--from=')
# What .dockerignore keeps out of the context.
find "$context" -type d \( -name bin -o -name obj -o -name node_modules \) -prune -exec rm -rf {} +

# ---------------------------------------------------------------- publish as the Dockerfile does

case "$(uname -m)" in
  x86_64 | amd64) TARGETARCH=amd64 machine=X86-64 ;;
  aarch64 | arm64) TARGETARCH=arm64 machine=AArch64 ;;
  *) fail "unsupported architecture $(uname -m)" ;;
esac
export TARGETARCH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$work/app/publish"
command=${publish_command//\/app\/publish/$out}
echo "publish-and-run: $publish_command  (TARGETARCH=$TARGETARCH)"
(cd "$context" && eval "$command") >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }

# What the final stage holds: these files and nothing else.
app=$work/image/app
mkdir -p "$app"
for file in "${image_files[@]}"; do
  [ -f "$out/$file" ] || fail "$file is missing from the published output"
  cp "$out/$file" "$app/"
done
readelf -h "$app/ProxyHost" | grep -Eq "Machine: +.*$machine" || fail "ProxyHost is not a native $TARGETARCH executable"
[ ! -e "$out/ProxyHost.dll" ] && [ ! -e "$out/libcoreclr.so" ] || fail "the publish is not Native AOT (it wrote ProxyHost.dll or libcoreclr.so)"
echo "publish-and-run: Native AOT $TARGETARCH executable, $(du -h "$app/ProxyHost" | cut -f1)"

# ---------------------------------------------------------------- start it as the image does

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# A behavior path of this run's own in the image's settings file: the status page answers under it
# only if the proxy read the appsettings.json next to its executable.
behavior_path=probe$RANDOM
node -e "const f=process.argv[1], s=require(f); s.FPJS_BEHAVIOR_PATH=process.argv[2]; require('fs').writeFileSync(f, JSON.stringify(s, null, 2))" \
  "$app/appsettings.json" "$behavior_path"
get() { # path -> HTTP status, 0 when nothing answered
  # node, not curl: a fresh machine is only promised the .NET SDK, Node and npm.
  node -e "fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then(r => console.log(r.status), () => console.log(0))" "http://127.0.0.1:$port$1"
}

# Not Lambda, whatever the calling environment says; settings from appsettings.json only, runtime
# settings from the image's ENV DOTNET_* lines. Started from another directory: the proxy finds
# appsettings.json next to the executable, as in the image.
# shellcheck disable=SC2086 # image_env is a list of K=V words
(cd "$work" && exec env -u AWS_LAMBDA_RUNTIME_API -u FPJS_SECRET_NAME -u ASPNETCORE_HTTP_PORTS -u ASPNETCORE_URLS \
  -u FPJS_BEHAVIOR_PATH $image_env "$app/ProxyHost" --urls "http://127.0.0.1:$port") >"$work/run.log" 2>&1 &
pid=$!

started=$SECONDS
until [ "$(get /healthz)" = 200 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/run.log" >&2
    fail "the published proxy exited before answering"
  fi
  if [ $((SECONDS - started)) -ge "$timeout_seconds" ]; then
    cat "$work/run.log" >&2
    fail "no 200 from /healthz on port $port within $timeout_seconds s"
  fi
  sleep 0.5
done
status=$(get "/$behavior_path/status")
[ "$status" = 200 ] || { cat "$work/run.log" >&2; fail "GET /$behavior_path/status answered $status: the settings file next to the executable was not read"; }
echo "publish-and-run: GET /healthz and /$behavior_path/status (the path from appsettings.json) answered 200 after $((SECONDS - started)) s; stopping it"
