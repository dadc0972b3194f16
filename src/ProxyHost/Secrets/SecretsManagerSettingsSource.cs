using System.Security.Cryptography;
using FingerprintProxy.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Secrets;

/// <summary>
/// Keeps the settings secret in force: reads it at start-up, then every <c>FPJS_SECRET_REFRESH_SECONDS</c>,
/// and lays its values over the environment and file settings through <see cref="ProxySettingsStore"/>.
/// A failed read or a rejected secret changes nothing that is in force (the last good values stay, or the
/// environment values before the first success); it is logged, shown in <see cref="State"/> and retried
/// with backoff. Start-up waits a few seconds for the first read so the first requests already use the
/// secret, but never fails because of it.
/// </summary>
internal sealed class SecretsManagerSettingsSource : BackgroundService, IRuntimeSettingsSource
{
    public const string SourceName = "AWS Secrets Manager";

    private static readonly TimeSpan FirstFailureDelay = TimeSpan.FromSeconds(1);

    private readonly SecretsManagerClient _client;
    private readonly ProxySettingsStore _store;
    private readonly SecretsManagerOptions _options;
    private readonly SecretsManagerTarget _target;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One read-check-apply cycle at a time: the background loop and RefreshIfStaleAsync share it.
    private readonly SemaphoreSlim _cycle = new(1, 1);
    private RuntimeSettingsSourceState _state;

    // Touched only inside a cycle (under _cycle).
    private byte[]? _appliedHash;
    private int _consecutiveFailures;

    public SecretsManagerSettingsSource(
        IOptions<SecretsManagerOptions> options,
        SecretsManagerClient client,
        ProxySettingsStore store,
        TimeProvider time,
        ILogger<SecretsManagerSettingsSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (!SecretsManagerTarget.TryResolve(_options, out var target, out var errors))
        {
            // Unreachable after ValidateOnStart; kept so a misuse fails with the real reason.
            throw new OptionsValidationException(nameof(SecretsManagerOptions), typeof(SecretsManagerOptions), errors);
        }

        _target = target;
        _client = client;
        _store = store;
        _time = time;
        _logger = logger;
        _refreshInterval = TimeSpan.FromSeconds(_options.RefreshSeconds);
        _state = new RuntimeSettingsSourceState { Target = target.Description };
    }

    public string Name => SourceName;

    public RuntimeSettingsSourceState State => Volatile.Read(ref _state);

    /// <summary>Starts the refresh loop and waits (briefly) for its first attempt.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        SecretsManagerLog.SourceStarted(_logger, _target.Description, _target.Endpoint.GetLeftPart(UriPartial.Authority), _refreshInterval.TotalSeconds);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);

        var wait = Task.Delay(_options.StartupWait, _time, cancellationToken);
        var first = await Task.WhenAny(_firstAttempt.Task, wait).ConfigureAwait(false);

        // BackgroundService links the loop's stopping token to this one, so a cancelled start-up also ends
        // the first attempt: either task may finish first, and start-up must fail either way.
        cancellationToken.ThrowIfCancellationRequested();
        if (first != _firstAttempt.Task)
        {
            SecretsManagerLog.SecretNotLoadedAtStartup(_logger, _target.Description, _options.StartupWait.TotalSeconds);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                next = await RefreshOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _firstAttempt.TrySetResult();
            }

            try
            {
                await Task.Delay(next, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
    {
        if (!IsStale())
        {
            return;
        }

        await _cycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller (or the loop, thawed at the same moment) may have refreshed while this one waited.
            if (IsStale())
            {
                await RunCycleAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _cycle.Release();
        }
    }

    private bool IsStale() =>
        State.LastAttempt is not { } last || _time.GetUtcNow() - last >= _refreshInterval;

    /// <summary>One read-check-apply cycle. Never throws except when cancelled.</summary>
    /// <returns>How long to wait before the next cycle.</returns>
    internal async Task<TimeSpan> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        await _cycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunCycleAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cycle.Release();
        }
    }

    private async Task<TimeSpan> RunCycleAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAndApplyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug must not end the loop (nor, through BackgroundService, the host): report it and retry.
            var delay = RecordFailure("Unexpected error while refreshing the secret (" + e.GetType().Name + "); see the log.");
            SecretsManagerLog.SecretRefreshCrashed(_logger, e, _target.Description, delay.TotalSeconds);
            return delay;
        }
    }

    private async Task<TimeSpan> ReadAndApplyAsync(CancellationToken cancellationToken)
    {
        SecretValue secret;
        try
        {
            secret = await _client.GetSecretValueAsync(_target, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretsManagerException e)
        {
            var delay = RecordFailure(e.Message);
            SecretsManagerLog.SecretReadFailed(_logger, _target.Description, e.Kind, e.Message, delay.TotalSeconds);
            return delay;
        }

        var hash = SHA256.HashData(secret.Utf8.Span);
        if (_appliedHash is not null && hash.AsSpan().SequenceEqual(_appliedHash))
        {
            RecordSuccess();
            SecretsManagerLog.SecretUnchanged(_logger, _target.Description, secret.VersionId);
            return _refreshInterval;
        }

        var parsed = SecretSettingsParser.Parse(secret.Utf8);
        var errors = parsed.Values is null ? parsed.Errors : _store.TryApplyOverrides(parsed.Values, SettingSource.SecretsManager);
        if (errors.Count > 0)
        {
            var reason = "The secret was rejected, previous settings stay in force: " + string.Join(" ", errors);
            var delay = RecordFailure(reason);
            SecretsManagerLog.SecretRejected(_logger, _target.Description, secret.VersionId, string.Join(" ", errors), delay.TotalSeconds);
            return delay;
        }

        _appliedHash = hash;
        RecordSuccess();
        var applied = SettingKeys.Overridable.Where(key => parsed.Values!.ContainsKey(key));
        SecretsManagerLog.SecretApplied(_logger, _target.Description, secret.VersionId, string.Join(", ", applied));
        if (parsed.IgnoredKeys.Count > 0)
        {
            SecretsManagerLog.SecretKeysIgnored(_logger, _target.Description, string.Join(", ", parsed.IgnoredKeys));
        }

        return _refreshInterval;
    }

    private void RecordSuccess()
    {
        _consecutiveFailures = 0;
        var now = _time.GetUtcNow();
        var previous = State;
        Volatile.Write(ref _state, previous with { Loaded = true, LastSuccess = now, LastAttempt = now, LastError = null });
    }

    /// <returns>The delay before the next attempt: exponential from 1 s, capped, never above the refresh interval.</returns>
    private TimeSpan RecordFailure(string message)
    {
        _consecutiveFailures++;
        var now = _time.GetUtcNow();
        var previous = State;
        Volatile.Write(ref _state, previous with { LastAttempt = now, LastError = message, LastErrorAt = now });

        var cap = Math.Min(_options.MaxFailureDelay.TotalMilliseconds, _refreshInterval.TotalMilliseconds);
        var step = Math.Min(cap, FirstFailureDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_consecutiveFailures - 1, 30)));
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }
}
