using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when the code under test starts a timer, and for how long, so
/// that a test advances the clock exactly when the code is waiting (never before its timer exists, which
/// would advance past nothing, and never on the real clock). Timers come from <c>Task.Delay</c>,
/// <c>WaitAsync</c> and <c>CancellationTokenSource</c> given this provider.
/// </summary>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _unclaimed = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Signal)> _waiters = [];

    public ObservableTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Started(dueTime);
        return timer;
    }

    /// <summary>
    /// Completes with the due time of the first timer started (before or after this call, and not yet claimed
    /// by another wait) whose due time matches.
    /// </summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _unclaimed.FindIndex(due => match(due));
            if (index >= 0)
            {
                var due = _unclaimed[index];
                _unclaimed.RemoveAt(index);
                return Task.FromResult(due);
            }

            var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = (match, signal);
            _waiters.Add(waiter);
            cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    _waiters.Remove(waiter);
                }

                signal.TrySetCanceled(cancellationToken);
            });
            return signal.Task;
        }
    }

    /// <summary>Waits for a timer of exactly <paramref name="dueTime"/>, then advances the clock by it.</summary>
    public async Task AdvanceWhenWaitingAsync(TimeSpan dueTime)
    {
        await WaitForTimerAsync(due => due == dueTime);
        Advance(dueTime);
    }

    /// <summary>
    /// Until cancelled, advances the clock past every timer shorter than <paramref name="shorterThan"/> as soon
    /// as it starts: the retry delays inside one read, without touching longer timers.
    /// </summary>
    public async Task AdvanceShortTimersAsync(TimeSpan shorterThan, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var due = await WaitForTimerAsync(d => d > TimeSpan.Zero && d < shorterThan, cancellationToken);
                Advance(due);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Started(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        TaskCompletionSource<TimeSpan>? signal = null;
        lock (_lock)
        {
            var index = _waiters.FindIndex(w => w.Match(dueTime));
            if (index >= 0)
            {
                signal = _waiters[index].Signal;
                _waiters.RemoveAt(index);
            }
            else
            {
                _unclaimed.Add(dueTime);
            }
        }

        signal?.TrySetResult(dueTime);
    }

    /// <summary>Reports a timer re-armed with <see cref="ITimer.Change"/> as a new start.</summary>
    private sealed class ObservedTimer(ITimer inner, ObservableTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            owner.Started(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
