using FingerprintProxy.Configuration;
using FingerprintProxy.Configuration.AwsSecretsManager;
using FingerprintProxy.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Secrets;

internal static class SecretsManagerSettingsExtensions
{
    /// <summary>The longest a Lambda invocation waits for a stale secret to be re-read after a thaw.</summary>
    internal static readonly TimeSpan RefreshWaitBeforeInvocation = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When <c>FPJS_SECRET_NAME</c> is set, adds that AWS Secrets Manager secret as the last, highest layer
    /// of configuration, re-read every <c>FPJS_SECRET_REFRESH_SECONDS</c>: every proxy setting it holds wins
    /// over the file, the environment and the command line, and a rotation takes effect without a restart.
    /// Registers the provider for the status page, readiness (<c>/readyz</c> is 503 until the secret first
    /// loads) and the log. Without a secret name, nothing is added.
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>FPJS_SECRET_*</c> setting is invalid (every error at once).</exception>
    public static IHostApplicationBuilder AddSettingsSecret(this IHostApplicationBuilder builder)
    {
        var options = new SecretsManagerOptions();
        builder.Configuration.Bind(options);
        var result = new SecretsManagerOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(SecretsManagerOptions), typeof(SecretsManagerOptions), result.Failures);
        }

        if (result.Skipped)
        {
            return builder;
        }

        var aws = builder.Configuration.GetAWSOptions();
        if (!string.IsNullOrWhiteSpace(options.SecretRegion))
        {
            aws.Region = Amazon.RegionEndpoint.GetBySystemName(options.SecretRegion.Trim());
        }

        var ignoredKeys = new IgnoredSecretKeys();
        builder.Configuration.AddSecretsManager(source =>
        {
            source.SecretId = options.SecretName!.Trim();
            source.AwsOptions = aws;
            source.ReloadAfter = TimeSpan.FromSeconds(options.RefreshSeconds);
            source.RequestTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            // Start without the secret rather than not at all: /readyz says 503 and the source keeps trying.
            source.Optional = true;
            source.KeyFilter = ignoredKeys.Include;
        });

        var provider = ((IConfigurationRoot)builder.Configuration).Providers.OfType<SecretsManagerConfigurationProvider>().Last();
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton(ignoredKeys);
        builder.Services.AddHostedService<SecretsManagerReloadLog>();
        builder.Services.AddHealthChecks().AddCheck<SecretsManagerHealthCheck>("secrets-manager", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// For hosts whose timers stop between requests (a frozen Lambda execution environment): re-reads the
    /// secret before an invocation when the last read is older than the refresh interval, waiting at most
    /// <see cref="RefreshWaitBeforeInvocation"/>.
    /// </summary>
    public static Task RefreshIfStaleAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetService<SecretsManagerConfigurationProvider>() is { } provider
            ? provider.ReloadIfStaleAsync(RefreshWaitBeforeInvocation, cancellationToken)
            : Task.CompletedTask;
}

/// <summary>Keeps only proxy settings from the secret, and remembers the other keys it held (a typo shows on the status page).</summary>
internal sealed class IgnoredSecretKeys
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keys of the secret that are not proxy settings, in order.</summary>
    public IReadOnlyList<string> Keys => [.. _keys.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    public bool Include(string key)
    {
        if (SettingKeys.IsSettableFromSecret(key))
        {
            return true;
        }

        _keys.TryAdd(key, 0);
        return false;
    }
}

/// <summary>Readiness: the secret has loaded at least once.</summary>
internal sealed class SecretsManagerHealthCheck(SecretsManagerConfigurationProvider provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = provider.State;
        return Task.FromResult(state.Loaded
            ? HealthCheckResult.Healthy("Secret " + state.Target + " is loaded.")
            : HealthCheckResult.Unhealthy("Secret " + state.Target + " has not loaded yet." + (state.LastError is { } error ? " " + error : string.Empty)));
    }
}

/// <summary>Logs each read of the secret (key names and reasons, never a value).</summary>
internal sealed class SecretsManagerReloadLog(
    SecretsManagerConfigurationProvider provider, IgnoredSecretKeys ignoredKeys, ILogger<SecretsManagerReloadLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var state = provider.State;
        SecretsManagerLog.SourceStarted(logger, state.Target, provider.Source.ReloadAfter?.TotalSeconds ?? 0);
        if (state.Loaded)
        {
            OnReloadCompleted(provider, new SecretsManagerReloadEventArgs(SecretsManagerReloadOutcome.Applied, null, state.VersionId, state));
        }
        else
        {
            SecretsManagerLog.SecretNotLoadedAtStartup(logger, state.Target, state.LastError);
        }

        provider.ReloadCompleted += OnReloadCompleted;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        provider.ReloadCompleted -= OnReloadCompleted;
        return Task.CompletedTask;
    }

    private void OnReloadCompleted(object? sender, SecretsManagerReloadEventArgs e)
    {
        var target = e.State.Target;
        switch (e.Outcome)
        {
            case SecretsManagerReloadOutcome.Applied:
                SecretsManagerLog.SecretApplied(logger, target, e.VersionId, string.Join(", ", e.State.Keys));
                if (ignoredKeys.Keys is { Count: > 0 } ignored)
                {
                    SecretsManagerLog.SecretKeysIgnored(logger, target, string.Join(", ", ignored));
                }

                break;
            case SecretsManagerReloadOutcome.Unchanged:
                SecretsManagerLog.SecretUnchanged(logger, target, e.VersionId);
                break;
            default:
                SecretsManagerLog.SecretReadFailed(logger, target, e.Error?.Message ?? e.State.LastError ?? "unknown error");
                break;
        }
    }
}
