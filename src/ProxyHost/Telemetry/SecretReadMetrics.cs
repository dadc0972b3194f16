using FingerprintProxy.Configuration.AwsSecretsManager;

namespace FingerprintProxy.Telemetry;

/// <summary>Counts each read of the settings secret by outcome (the read at start-up included). Does nothing without a secret.</summary>
internal sealed class SecretReadMetrics(IServiceProvider services, ProxyMetrics metrics) : IHostedService
{
    private SecretsManagerConfigurationProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _provider = services.GetService<SecretsManagerConfigurationProvider>();
        if (_provider is null)
        {
            return Task.CompletedTask;
        }

        // The first read happened while configuration was built, before anyone could subscribe.
        if (_provider.State.LastAttempt is not null)
        {
            metrics.SecretRead(_provider.State.Loaded ? SecretsManagerReloadOutcome.Applied : SecretsManagerReloadOutcome.Failed);
        }

        _provider.ReloadCompleted += OnReloadCompleted;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_provider is not null)
        {
            _provider.ReloadCompleted -= OnReloadCompleted;
        }

        return Task.CompletedTask;
    }

    private void OnReloadCompleted(object? sender, SecretsManagerReloadEventArgs e) => metrics.SecretRead(e.Outcome);
}
