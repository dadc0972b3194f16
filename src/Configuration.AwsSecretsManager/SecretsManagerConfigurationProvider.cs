using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// Reads one Secrets Manager secret into configuration and, with <see cref="SecretsManagerConfigurationSource.ReloadAfter"/>,
/// keeps it current. A failed read or a rejected secret changes nothing in force: the last good keys stay,
/// <see cref="State"/> records the error and the read is retried with backoff. New content swaps the keys
/// and fires the reload token; unchanged content fires nothing. One read runs at a time, whoever asks for it
/// (the timer, <see cref="ReloadAsync"/>, <see cref="ReloadIfStaleAsync"/>).
/// </summary>
public sealed class SecretsManagerConfigurationProvider : ConfigurationProvider, IDisposable
{
    private static readonly TimeSpan FirstFailureDelay = TimeSpan.FromSeconds(1);

    // Timers are re-armed at most a day ahead; the loop checks the due time again when one fires.
    private static readonly TimeSpan MaxTimerWait = TimeSpan.FromDays(1);

    // Set on the reload loop's own flow, so that Dispose called from an event handler there does not wait for itself.
    private static readonly AsyncLocal<bool> OnLoop = new();

    private readonly SecretsManagerTarget _target;
    private readonly string _versionStage;
    private readonly TimeSpan? _reloadAfter;
    private readonly double _reloadJitter;
    private readonly TimeSpan _initialLoadTimeout;
    private readonly TimeSpan _maxFailureDelay;
    private readonly bool _optional;
    private readonly Func<string, bool>? _keyFilter;
    private readonly Action<SecretsManagerLoadExceptionContext>? _onLoadException;
    private readonly TimeProvider _time;
    private readonly AwsCredentialsResolver _credentials;
    private readonly SecretsManagerClient _client;

    // One read at a time; events are raised after it is released, so that a handler may ask for another.
    private readonly SemaphoreSlim _cycle = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<SecretsManagerReloadEventArgs> _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Task? _loop;
    private Task<bool>? _staleRefresh;
    private SecretsManagerState _state;
    private long _nextDueTicks = DateTimeOffset.MinValue.UtcTicks;
    private volatile bool _lastSucceeded;
    private volatile bool _firstFailureIgnored;
    private int _disposed;

    // Touched only inside a read (under _cycle).
    private bool _attempted;
    private byte[]? _appliedHash;
    private int _consecutiveFailures;

    /// <summary>Creates the provider; the secret is read by <see cref="Load"/>.</summary>
    /// <param name="source">The options, read now.</param>
    /// <exception cref="InvalidOperationException">An option is invalid, or no region can be found.</exception>
    public SecretsManagerConfigurationProvider(SecretsManagerConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(source);
        _target = SecretsManagerTarget.Resolve(source);
        Source = source;
        _versionStage = source.VersionStage;
        _reloadAfter = source.ReloadAfter;
        _reloadJitter = source.ReloadJitter;
        _initialLoadTimeout = source.InitialLoadTimeout;
        _maxFailureDelay = source.MaxFailureDelay;
        _optional = source.Optional;
        _keyFilter = source.KeyFilter;
        _onLoadException = source.OnLoadException;
        _time = source.TimeProvider;
        _credentials = new AwsCredentialsResolver(source.AwsOptions);
        _client = new SecretsManagerClient(_credentials, source.RequestTimeout, source.MaxAttempts, _time);
        _state = new SecretsManagerState { Target = _target.Description };
    }

    /// <summary>The source this provider was built from.</summary>
    public SecretsManagerConfigurationSource Source { get; }

    /// <summary>The provider's state after its last read; an immutable snapshot, read without locking.</summary>
    public SecretsManagerState State => Volatile.Read(ref _state);

    /// <summary>
    /// Raised after every read (the first load included), whatever its outcome, on the thread that did it.
    /// A handler's exception is ignored.
    /// </summary>
    public event EventHandler<SecretsManagerReloadEventArgs>? ReloadCompleted;

    private DateTimeOffset NextDue => new(Interlocked.Read(ref _nextDueTicks), TimeSpan.Zero);

    private bool IsDue => _time.GetUtcNow() >= NextDue;

    /// <summary>
    /// The first call starts the reload loop and waits up to <see cref="SecretsManagerConfigurationSource.InitialLoadTimeout"/>
    /// for the first read; a later call (e.g. <c>IConfigurationRoot.Reload()</c>) reads once more, waiting as long.
    /// </summary>
    /// <exception cref="SecretsManagerException">
    /// The first read failed within the wait and the source is not <see cref="SecretsManagerConfigurationSource.Optional"/>.
    /// </exception>
    public override void Load()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        bool first;
        lock (_gate)
        {
            first = _loop is null;
            _loop ??= Task.Run(() => RunLoopAsync(_stopping.Token));
        }

        if (!first)
        {
            WaitAtMost(ReloadAsync(CancellationToken.None), _initialLoadTimeout);
            return;
        }

        if (!WaitAtMost(_firstAttempt.Task, _initialLoadTimeout))
        {
            // The read goes on in the background; its keys fire the reload token when they land.
            return;
        }

        var result = _firstAttempt.Task.Result;
        if (result.Outcome == SecretsManagerReloadOutcome.Failed && !_optional && !_firstFailureIgnored)
        {
            // The caller gets no provider to dispose.
            Dispose();
            var error = result.Error!;
            throw new SecretsManagerException(error.Kind, $"Secret {_target.Description} could not be loaded: {error.Message}", error.ErrorCode, error.StatusCode, error);
        }
    }

    /// <summary>
    /// Reads the secret now and applies it. A read in progress (the timer's or another caller's) is waited for
    /// first: there are never two at once.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting and cancels the read.</param>
    /// <returns>A task that completes when the read has been applied, or has failed (the failure is in <see cref="State"/>).</returns>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await RunCycleAsync(onlyIfDue: false, linked.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// For hosts that are frozen between requests (AWS Lambda), where the timer cannot run on time: when the
    /// next read is due (the last one is older than <see cref="SecretsManagerConfigurationSource.ReloadAfter"/>
    /// with its jitter, or than the backoff after a failure), reads the secret and waits for it at most
    /// <paramref name="maxWait"/>. Concurrent callers share one read; a read that outlasts the wait goes on.
    /// </summary>
    /// <param name="maxWait">How long to wait for the read.</param>
    /// <param name="cancellationToken">Stops waiting (the read goes on).</param>
    /// <returns>True when the data in force is current: the last read succeeded and none is due.</returns>
    public async Task<bool> ReloadIfStaleAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!IsDue)
        {
            return _lastSucceeded;
        }

        Task<bool> refresh;
        lock (_gate)
        {
            if (_staleRefresh is not { IsCompleted: false })
            {
                _staleRefresh = Task.Run(RefreshIfDueAsync);
            }

            refresh = _staleRefresh;
        }

        try
        {
            return await refresh.WaitAsync(maxWait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Stops the reload loop (waiting for a read in progress to be cancelled) and releases the HTTP client.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();

        // A Load still waiting for the first read (on another thread) returns now.
        _firstAttempt.TrySetCanceled();
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        if (loop is not null && !OnLoop.Value)
        {
            // Every wait of the loop observes the stopping token; the bound only guards against a hung SDK call.
            loop.Wait(TimeSpan.FromSeconds(10));
        }

        _client.Dispose();
        _credentials.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(SecretsManagerConfigurationProvider)} for secret {_target.Description} ({(_optional ? "Optional" : "Required")})";

    private static void Validate(SecretsManagerConfigurationSource source)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(source.VersionStage))
        {
            errors.Add($"{nameof(source.VersionStage)} must not be empty.");
        }

        if (source.ReloadAfter is { } reloadAfter && reloadAfter <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(source.ReloadAfter)} must be positive, or null to load once.");
        }

        if (source.ReloadJitter is not (>= 0 and <= 0.5))
        {
            errors.Add($"{nameof(source.ReloadJitter)} must be between 0 and 0.5.");
        }

        if (source.InitialLoadTimeout < TimeSpan.Zero && source.InitialLoadTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{nameof(source.InitialLoadTimeout)} must not be negative.");
        }

        if (source.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(source.RequestTimeout)} must be positive.");
        }

        if (source.MaxAttempts is < 1 or > 10)
        {
            errors.Add($"{nameof(source.MaxAttempts)} must be between 1 and 10.");
        }

        if (source.MaxFailureDelay <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(source.MaxFailureDelay)} must be positive.");
        }

        if (source.TimeProvider is null)
        {
            errors.Add($"{nameof(source.TimeProvider)} must not be null.");
        }

        if (!string.IsNullOrEmpty(source.AwsOptions?.SessionRoleArn))
        {
            errors.Add("AwsOptions.SessionRoleArn is not supported: give the role to the host, or credentials for it in AwsOptions.Credentials.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("AWS Secrets Manager configuration: " + string.Join(" ", errors));
        }
    }

    private bool WaitAtMost(Task task, TimeSpan timeout)
    {
        try
        {
            task.WaitAsync(timeout, _time).GetAwaiter().GetResult();
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting.
            return false;
        }
    }

    private async Task RunLoopAsync(CancellationToken stopping)
    {
        OnLoop.Value = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var due = NextDue;
                if (due == DateTimeOffset.MaxValue)
                {
                    // Loaded, and no reload interval: nothing more to do.
                    return;
                }

                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Timers count whole milliseconds: rounded down, a wait would end just before it is due, and
                    // the sub-millisecond rest would be a zero delay, again and again.
                    wait = TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
                    await Task.Delay(wait < MaxTimerWait ? wait : MaxTimerWait, _time, stopping).ConfigureAwait(false);
                    continue;
                }

                await RunCycleAsync(onlyIfDue: true, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                // A read turns every failure into a result, so this is not expected; if it happens anyway, the
                // loop waits and goes on rather than stop reloading for the life of the process.
                SetNextDue(_time.GetUtcNow() + _maxFailureDelay);
            }
        }
    }

    private async Task<bool> RefreshIfDueAsync()
    {
        try
        {
            await RunCycleAsync(onlyIfDue: true, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return _lastSucceeded && !IsDue;
    }

    /// <summary>One read-check-apply cycle, then its events. Throws only when cancelled.</summary>
    private async Task RunCycleAsync(bool onlyIfDue, CancellationToken cancellationToken)
    {
        await _cycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        SecretsManagerReloadEventArgs result;
        bool first;
        try
        {
            if (onlyIfDue && !IsDue)
            {
                return;
            }

            first = !_attempted;
            _attempted = true;
            result = await ReadAndApplyAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cycle.Release();
        }

        Publish(result, first);
    }

    private async Task<SecretsManagerReloadEventArgs> ReadAndApplyAsync(CancellationToken cancellationToken)
    {
        string? versionId = null;
        try
        {
            var secret = await _client.GetSecretValueAsync(_target, _versionStage, cancellationToken).ConfigureAwait(false);
            versionId = secret.VersionId;
            var content = SecretJsonParser.WithoutByteOrderMark(secret.Utf8);
            var hash = SHA256.HashData(content.Span);
            if (_appliedHash is not null && hash.AsSpan().SequenceEqual(_appliedHash))
            {
                return Succeeded(SecretsManagerReloadOutcome.Unchanged, versionId, keys: null);
            }

            var data = SecretJsonParser.Parse(content);
            if (_keyFilter is not null)
            {
                foreach (var key in data.Keys.Where(key => !_keyFilter(key)).ToList())
                {
                    data.Remove(key);
                }
            }

            var keys = data.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();
            Data = data;
            _appliedHash = hash;
            return Succeeded(SecretsManagerReloadOutcome.Applied, versionId, keys);
        }
        catch (SecretsManagerException e)
        {
            return Failed(e, versionId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug (ours, or a key filter's) must not end the loop nor reach the host: it is one more failure.
            return Failed(new SecretsManagerException(SecretsManagerErrorKind.Other, $"Unexpected error while reading the secret ({e.GetType().Name}).", innerException: e), versionId);
        }
    }

    private SecretsManagerReloadEventArgs Succeeded(SecretsManagerReloadOutcome outcome, string? versionId, IReadOnlyList<string>? keys)
    {
        _consecutiveFailures = 0;
        var now = _time.GetUtcNow();
        var state = State with { Loaded = true, LastSuccess = now, LastAttempt = now, LastError = null, VersionId = versionId, Keys = keys ?? State.Keys };
        Volatile.Write(ref _state, state);
        _lastSucceeded = true;
        SetNextDue(_reloadAfter is { } interval ? now + Jittered(interval) : DateTimeOffset.MaxValue);
        return new SecretsManagerReloadEventArgs(outcome, error: null, versionId, state);
    }

    private SecretsManagerReloadEventArgs Failed(SecretsManagerException error, string? versionId)
    {
        _consecutiveFailures++;
        var now = _time.GetUtcNow();
        var state = State with { LastAttempt = now, LastError = error.Message, LastErrorAt = now };
        Volatile.Write(ref _state, state);
        _lastSucceeded = false;
        SetNextDue(now + FailureDelay(_consecutiveFailures));
        return new SecretsManagerReloadEventArgs(SecretsManagerReloadOutcome.Failed, error, versionId, state);
    }

    private void SetNextDue(DateTimeOffset due) => Interlocked.Exchange(ref _nextDueTicks, due.UtcTicks);

    private TimeSpan Jittered(TimeSpan interval) =>
        TimeSpan.FromMilliseconds(Math.Round(interval.TotalMilliseconds * (1 + (_reloadJitter * ((2 * Random.Shared.NextDouble()) - 1)))));

    /// <summary>Exponential from 1 s with equal jitter, capped by MaxFailureDelay and by ReloadAfter.</summary>
    internal TimeSpan FailureDelay(int consecutiveFailures)
    {
        var cap = Math.Min(_maxFailureDelay.TotalMilliseconds, (_reloadAfter ?? _maxFailureDelay).TotalMilliseconds);
        var step = Math.Min(cap, FirstFailureDelay.TotalMilliseconds * Math.Pow(2, Math.Min(consecutiveFailures - 1, 30)));
        return TimeSpan.FromMilliseconds(Math.Round((step / 2) + (Random.Shared.NextDouble() * step / 2)));
    }

    private void Publish(SecretsManagerReloadEventArgs result, bool first)
    {
        if (result.Outcome == SecretsManagerReloadOutcome.Failed && _onLoadException is not null)
        {
            var context = new SecretsManagerLoadExceptionContext(this, result.Error!, reload: !first);
            Guard(() => _onLoadException(context));
            _firstFailureIgnored |= first && context.Ignore;
        }

        if (result.Outcome == SecretsManagerReloadOutcome.Applied)
        {
            Guard(OnReload);
        }

        if (ReloadCompleted is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<SecretsManagerReloadEventArgs>>())
            {
                Guard(() => handler(this, result));
            }
        }

        if (first)
        {
            _firstAttempt.TrySetResult(result);
        }
    }

    // Change-token callbacks and event handlers are the host's code: their failure must not stop the reloads.
    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception)
        {
            // Nothing to report it to: a configuration provider has no logger. The next read goes on as planned.
        }
    }
}
