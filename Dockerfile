# syntax=docker/dockerfile:1
#
# Fingerprint proxy image: the Native AOT executable on Ubuntu chiseled runtime-deps. One image for
# every container target (docs/deploy-container.md):
# - ECS/Fargate (or ECS Express Mode) behind CloudFront: Kestrel on port 8080;
# - a Lambda container image: when Lambda sets AWS_LAMBDA_RUNTIME_API the proxy speaks the Runtime API
#   itself, so the image needs no runtime interface client.
#
#   docker build -t fpjs-proxy .
#   # Lambda takes one architecture per image, and no image index (no attestations either):
#   docker buildx build --platform linux/arm64 --provenance=false -t <registry>/fpjs-proxy:<tag>-arm64 --push .
#   # ECS: one multi-architecture index
#   docker buildx build --platform linux/amd64,linux/arm64 -t <registry>/fpjs-proxy:<tag> --push .
#
# tests/container/publish-and-run.sh copies this file's build context, runs its `dotnet publish` line
# as written here and starts the output: keep that command on one line.

# The SDK runs on the build machine's own architecture and cross-compiles for $TARGETARCH (no emulation).
# Ubuntu 24.04 like the runtime image, so the executable links against the C library it runs on.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TARGETARCH
# clang, lld and zlib, plus the cross toolchain and $TARGETARCH's libraries when it is not the build
# machine's architecture.
COPY scripts/install-aot-prerequisites.sh /usr/local/bin/
RUN install-aot-prerequisites.sh $TARGETARCH && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# global.json comes along: its rollForward (latestFeature) accepts the newer SDK that the floating
# sdk:10.0 tag carries.
COPY global.json Directory.Build.props Directory.Packages.props appsettings.json ./
COPY src/ src/
# -a makes the publish runtime-specific, so ProxyHost.csproj publishes Native AOT: one self-contained
# executable, no .NET runtime in the image.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet publish src/ProxyHost/ProxyHost.csproj -c Release -a $TARGETARCH -o /app/publish

# Ubuntu chiseled runtime-deps: only the C library, OpenSSL and what they need; no shell, no package
# manager, no .NET runtime (the executable carries its own), a non-root user.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS final
WORKDIR /app
# Owned by root and world-readable: the app user (and Lambda's own user) can read but not change them.
# The settings file sits next to the executable, which is where the proxy looks for it.
COPY --from=build /app/publish/ProxyHost /app/publish/appsettings.json ./
ENV ASPNETCORE_HTTP_PORTS=8080
# Socket completions run on the I/O thread instead of hopping to the thread pool. The proxy's request
# path never blocks, and on the one core a task usually has this removes most context switches: 1.9 ->
# 0.5 per agent request, 13-21 % less CPU per request, +16-29 % requests/s. With it set the proxy also
# has Kestrel run requests on the I/O thread (18-21 % less CPU per browser-cache request; docs/performance.md).
ENV DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
# A 16 MiB gen0 budget (hex, without 0x: Native AOT ignores a prefixed value) instead of one sized from
# the machine's cache: peak RSS under full load on one core about 52 MB instead of 120 MB. Each gen0
# collection pauses the one core for about 1.7 ms whatever the budget, so a larger budget means fewer
# pauses: 20 -> 4.4 per second against 4 MiB, p99 6-24 % lower, CPU per request the same, for 8-13 MB
# more RSS (docs/performance.md, "Tuning"). template.yaml sets 6 MiB on Lambda, one event at a time.
ENV DOTNET_GCgen0size=1000000
EXPOSE 8080
# The non-root 'app' user (uid 1654) that the base image defines.
USER $APP_UID
# No HEALTHCHECK: the image has no shell or curl to run one, and neither ECS behind a load balancer
# nor Lambda uses it. Health is checked from outside: the ALB target group probes GET /readyz (or
# /healthz) on port 8080; see docs/deploy-container.md.
ENTRYPOINT ["/app/ProxyHost"]
