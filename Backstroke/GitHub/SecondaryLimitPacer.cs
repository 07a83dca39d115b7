using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

/// <summary>
/// Keeps each account under GitHub's secondary rate limits, which GitHub counts per account and answers with 403 or
/// 429 when crossed: requests in flight, points a minute (a read costs 1, a write 5), and content-creating requests a
/// minute and an hour (<see cref="SecondaryLimitOptions"/>). A request waits for room instead of being sent to be
/// refused; a wait longer than <see cref="MaxInlineWait"/> (the hourly content limit) becomes a rate-limited failure,
/// so the operation is put back in the queue until then instead of holding a worker.
/// </summary>
internal sealed class SecondaryLimitPacer(TimeProvider time, IOptions<GitHubOptions> options)
{
    /// <summary>A minute window is never worth giving the worker up for; an hour is.</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(90);

    private readonly ConcurrentDictionary<string, AccountWindow> accounts = new(StringComparer.Ordinal);

    private SecondaryLimitOptions Limits => options.Value.SecondaryLimits;

    /// <summary>Whether GitHub counts the request against the content-creation limit: Backstroke's POSTs all create something.</summary>
    public static bool IsContentCreating(HttpMethod method) => method == HttpMethod.Post;

    public static bool IsWrite(HttpMethod method) => method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options;

    /// <summary>Waits until <paramref name="account"/> may send the request; dispose the lease when its answer has come.</summary>
    public async Task<IDisposable> EnterAsync(string account, HttpMethod method, CancellationToken ct)
    {
        var window = accounts.GetOrAdd(account, _ => new AccountWindow(Limits.MaxInFlight));
        // The slot is taken first and the request is sent right after it is admitted. GitHub counts it when it arrives,
        // some time later: the lease moves its entry to the moment the answer came, which is after that arrival, so a
        // request slowed on its way never makes two look closer together to GitHub than they did here.
        await window.InFlight.WaitAsync(ct);
        try
        {
            var cost = IsWrite(method) ? 5 : 1;
            var content = IsContentCreating(method);
            while (true)
            {
                var now = time.GetUtcNow();
                var (wait, stamp) = window.TryAdmit(now, cost, content, new Windows(Limits));
                if (wait is not { } delay)
                {
                    return new Lease(window, stamp!, time);
                }

                if (delay > MaxInlineWait)
                {
                    throw GitHubException.RateLimited(now + delay, secondary: false);
                }

                await Task.Delay(delay, time, ct);
            }
        }
        catch
        {
            window.InFlight.Release();
            throw;
        }
    }

    /// <summary>The account's requests admitted and not answered yet.</summary>
    public int InFlight(string account) => accounts.TryGetValue(account, out var window) ? window.MaxInFlight - window.InFlight.CurrentCount : 0;

    /// <summary>What the account has used of each limit right now, for the system page.</summary>
    public SecondaryUsage? Usage(string account) => accounts.TryGetValue(account, out var window) ? window.Usage(time.GetUtcNow(), new Windows(Limits)) : null;

    /// <summary>
    /// The limits and their windows. GitHub counts a request when it arrives, a moment after it is admitted here;
    /// entries are kept a little longer than the window (a second of GitHub's minute) so that both clocks agree the
    /// window has room.
    /// </summary>
    private readonly record struct Windows(SecondaryLimitOptions Limits)
    {
        public TimeSpan Minute => Limits.MinuteWindow + Margin;

        public TimeSpan Hour => Limits.HourWindow + Margin;

        private TimeSpan Margin => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, Limits.MinuteWindow.Ticks / 60));
    }

    private sealed class Lease(AccountWindow window, Stamp stamp, TimeProvider time) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                window.Answered(stamp, time.GetUtcNow());
                window.InFlight.Release();
            }
        }
    }

    /// <summary>When a request counts: admitted, then answered (the later of the two).</summary>
    private sealed class Stamp(DateTimeOffset at)
    {
        public DateTimeOffset At { get; set; } = at;
    }

    private sealed class AccountWindow(int maxInFlight)
    {
        private readonly Lock gate = new();
        private readonly Queue<(Stamp At, int Cost)> points = new();
        private readonly Queue<Stamp> content = new();
        private int pointSum;

        public SemaphoreSlim InFlight { get; } = new(maxInFlight, maxInFlight);

        public int MaxInFlight => maxInFlight;

        /// <summary>Records the request and returns its stamp when there is room; otherwise how long until there is.</summary>
        public (TimeSpan? Wait, Stamp? Stamp) TryAdmit(DateTimeOffset now, int cost, bool creates, Windows w)
        {
            var limits = w.Limits;
            lock (gate)
            {
                Expire(now, w);
                var wait = TimeSpan.Zero;
                if (pointSum + cost > limits.PointsPerMinute)
                {
                    // The moment enough of the oldest points have left the window.
                    var freed = 0;
                    // Answers come back in any order: the oldest stamps first.
                    foreach (var (at, c) in points.OrderBy(p => p.At.At))
                    {
                        freed += c;
                        if (pointSum - freed + cost <= limits.PointsPerMinute)
                        {
                            wait = Max(wait, at.At + w.Minute - now);
                            break;
                        }
                    }
                }

                if (creates)
                {
                    var lastMinute = content.Select(c => c.At).Where(at => at + w.Minute > now).Order().ToList();
                    if (lastMinute.Count >= limits.ContentPerMinute)
                    {
                        wait = Max(wait, lastMinute[lastMinute.Count - limits.ContentPerMinute] + w.Minute - now);
                    }

                    if (content.Count >= limits.ContentPerHour)
                    {
                        wait = Max(wait, content.Select(c => c.At).Order().ElementAt(content.Count - limits.ContentPerHour) + w.Hour - now);
                    }
                }

                if (wait > TimeSpan.Zero)
                {
                    return (wait, null);
                }

                var stamp = new Stamp(now);
                points.Enqueue((stamp, cost));
                pointSum += cost;
                if (creates)
                {
                    content.Enqueue(stamp);
                }

                return (null, stamp);
            }
        }

        public void Answered(Stamp stamp, DateTimeOffset now)
        {
            lock (gate)
            {
                if (now > stamp.At)
                {
                    stamp.At = now;
                }
            }
        }

        public SecondaryUsage Usage(DateTimeOffset now, Windows w)
        {
            lock (gate)
            {
                Expire(now, w);
                return new SecondaryUsage(maxInFlight - InFlight.CurrentCount, pointSum, content.Count(at => at.At + w.Minute > now), content.Count);
            }
        }

        private void Expire(DateTimeOffset now, Windows w)
        {
            // A stamp moved to its answer may sit behind a newer one: it leaves the queue a little late, never early.
            while (points.TryPeek(out var p) && p.At.At + w.Minute <= now)
            {
                pointSum -= points.Dequeue().Cost;
            }

            while (content.TryPeek(out var at) && at.At + w.Hour <= now)
            {
                content.Dequeue();
            }
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}

/// <summary>One account's use of the secondary limits: requests in flight, points in the last minute, content-creating requests in the last minute and hour.</summary>
internal sealed record SecondaryUsage(int InFlight, int PointsLastMinute, int ContentLastMinute, int ContentLastHour);
