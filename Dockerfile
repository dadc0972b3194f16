# syntax=docker/dockerfile:1
#
# Fingerprint proxy image. One image for every container target:
# - ECS/Fargate (or ECS Express Mode) behind CloudFront: Kestrel on port 8080;
# - a Lambda container image: when Lambda sets AWS_LAMBDA_RUNTIME_API the proxy speaks the Runtime API
#   itself, so the image needs no runtime interface client.
#
#   docker build -t fpjs-proxy .
#   docker buildx build --platform linux/amd64,linux/arm64 -t <registry>/fpjs-proxy:<tag> --push .
#
# tests/container/publish-and-run.sh copies this file's build context, runs its `dotnet publish` line
# as written here and starts the output: keep that command on one line.

# The SDK runs on the build machine's own architecture and cross-targets $TARGETARCH (no emulation).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
# global.json comes along: its rollForward (latestFeature) accepts the newer SDK that the floating
# sdk:10.0 tag carries.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props appsettings.json ./
COPY src/ src/
# Framework-dependent: the runtime image brings ASP.NET Core. -a makes the publish runtime-specific,
# so ProxyHost.csproj's PublishReadyToRun applies: precompiled code starts faster (README.md, "Performance").
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet publish src/ProxyHost/ProxyHost.csproj -c Release -a $TARGETARCH --self-contained false -o /app/publish

# Ubuntu chiseled: the ASP.NET Core runtime and what it links against; no shell, no package manager,
# no SDK, a non-root user. About the size of the Alpine image, but glibc and no shell to exploit.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS final
WORKDIR /app
# Owned by root and world-readable: the app user (and Lambda's own user) can read but not change it.
COPY --from=build /app/publish .
ENV ASPNETCORE_HTTP_PORTS=8080
# Socket completions run on the I/O thread instead of hopping to the thread pool. The proxy's request
# path never blocks, and on the one core a task usually has this removes most context switches: 1.9 ->
# 0.5 per agent request, 13-21 % less CPU per request, +16-29 % requests/s (README.md, "Performance").
ENV DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
EXPOSE 8080
# The non-root 'app' user (uid 1654) that the base image defines.
USER $APP_UID
# No HEALTHCHECK: the image has no shell or curl to run one, and neither ECS behind a load balancer
# nor Lambda uses it. Health is checked from outside: the ALB target group probes GET /readyz (or
# /healthz) on port 8080; see "Deploy on AWS" in README.md.
ENTRYPOINT ["/usr/bin/dotnet", "/app/ProxyHost.dll"]
