#!/usr/bin/env bash
# Builds what the Dockerfile builds and starts it, without a Docker engine:
#  1. copies the files the Dockerfile's build stage COPYs into a fresh directory (its build context),
#  2. runs the Dockerfile's own `dotnet publish` line there (read from the Dockerfile, so the two cannot
#     drift apart), with $TARGETARCH set to this machine's architecture and /app/publish redirected,
#  3. starts the output as the image's ENTRYPOINT does (`dotnet /app/ProxyHost.dll`) on a free
#     loopback port, and waits for GET /healthz, or the status page /<behavior>/status, to answer 200,
#  4. stops it.
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

grep -qxF 'COPY --from=build /app/publish .' "$dockerfile" || fail "the final stage must copy /app/publish into its WORKDIR"
grep -qxF 'ENTRYPOINT ["/usr/bin/dotnet", "/app/ProxyHost.dll"]' "$dockerfile" || fail "the ENTRYPOINT this script imitates has changed"

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
  x86_64 | amd64) TARGETARCH=amd64 ;;
  aarch64 | arm64) TARGETARCH=arm64 ;;
  *) fail "unsupported architecture $(uname -m)" ;;
esac
export TARGETARCH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$work/app/publish"
command=${publish_command//\/app\/publish/$out}
echo "publish-and-run: $publish_command  (TARGETARCH=$TARGETARCH)"
(cd "$context" && eval "$command") >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }

for file in ProxyHost.dll appsettings.json; do
  [ -f "$out/$file" ] || fail "$file is missing from the published output"
done

# ---------------------------------------------------------------- start it as the image does

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
behavior_path=$(node -e "console.log(require(process.argv[1]).FPJS_BEHAVIOR_PATH || 'fpjs')" "$out/appsettings.json")
paths=(/healthz "/$behavior_path/status")

# Not Lambda, whatever the calling environment says; settings from appsettings.json only.
(cd "$out" && exec env -u AWS_LAMBDA_RUNTIME_API -u FPJS_SECRET_NAME -u ASPNETCORE_HTTP_PORTS -u ASPNETCORE_URLS \
  dotnet "$out/ProxyHost.dll" --urls "http://127.0.0.1:$port") >"$work/run.log" 2>&1 &
pid=$!

started=$SECONDS
while :; do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/run.log" >&2
    fail "the published proxy exited before answering"
  fi
  for path in "${paths[@]}"; do
    # node, not curl: a fresh machine is only promised the .NET SDK, Node and npm.
    status=$(node -e "fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then(r => console.log(r.status), () => console.log(0))" "http://127.0.0.1:$port$path")
    if [ "$status" = 200 ]; then
      echo "publish-and-run: GET $path answered 200 after $((SECONDS - started)) s; stopping it"
      exit 0
    fi
  done
  if [ $((SECONDS - started)) -ge "$timeout_seconds" ]; then
    cat "$work/run.log" >&2
    fail "no 200 from ${paths[*]} on port $port within $timeout_seconds s (last status: $status)"
  fi
  sleep 0.5
done
