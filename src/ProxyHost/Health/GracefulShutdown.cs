using FingerprintProxy.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FingerprintProxy.Health;

/// <summary>
/// A stop (SIGTERM: ECS gives 30 s by default before SIGKILL) that loses no request: readiness turns 503 at
/// once and every answer says <c>Connection: close</c>, so the load balancer and kept-alive clients move to
/// other tasks; new requests are still served for the drain delay (<c>FPJS_SHUTDOWN_DRAIN_SECONDS</c>, at most 60 s); then
/// the server stops accepting connections and requests in flight finish, within the host's shutdown timeout.
/// </summary>
internal sealed class GracefulShutdown(ProxySettingsAccessor settings, IConfiguration configuration, TimeProvider time, ILogger<GracefulShutdown> logger) : IHostedLifecycleService, IHealthCheck
{
    /// <summary>The default drain in a container; on Lambda there is no load balancer to drain from.</summary>
    public const double DefaultDrainSeconds = 5;

    private int _draining;

    /// <summary>True from the moment the host begins to stop.</summary>
    public bool Draining => Volatile.Read(ref _draining) != 0;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Once per process, whichever stop comes first.
        if (Interlocked.Exchange(ref _draining, 1) != 0)
        {
            return;
        }

        var drain = DrainDelay(settings.Current.Options, configuration);
        Log.Draining(logger, drain.TotalSeconds);
        if (drain > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(drain, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out first: stop now.
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Draining ? HealthCheckResult.Unhealthy("Shutting down.") : HealthCheckResult.Healthy());

    /// <summary><c>FPJS_SHUTDOWN_DRAIN_SECONDS</c> in force, else 0 on Lambda and <see cref="DefaultDrainSeconds"/> elsewhere.</summary>
    internal static TimeSpan DrainDelay(ProxyOptions options, IConfiguration configuration) =>
        TimeSpan.FromSeconds(options.ShutdownDrainSeconds
            ?? (ProxyOptionsValidator.IsLambda(configuration) ? 0 : DefaultDrainSeconds));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
