using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when a timer is created, so that a test advances the clock
/// only once the code under test waits on it (an advance made before the timer exists would be lost).
/// </summary>
public sealed class TimerTrackingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (at most 30 s) until a timer due in <paramref name="dueTime"/> has been created; other timers are skipped.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _created.Reader.ReadAsync(timeout.Token) != dueTime)
        {
        }
    }
}
