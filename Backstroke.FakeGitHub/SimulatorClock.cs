using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub;

/// <summary>
/// The simulator's clock: the configured one, plus however far a test has moved it forward. Moving it lets a test see
/// what an hour does (installation tokens expire, budgets reset) while the app under test keeps its own clock.
/// </summary>
internal sealed class SimulatorClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new FakeGitHubException(400, "The clock only moves forward.");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
