namespace Backstroke.FakeGitHub;

/// <summary>How a secondary limit refuses: GitHub answers 403 or 429, with or without retry-after.</summary>
internal readonly record struct SecondaryRefusal(int Status, int? RetryAfterSeconds);

/// <summary>
/// GitHub's secondary rate limits, per account (docs: "Rate limits for the REST API", About secondary rate limits):
/// no more than 100 concurrent requests; no more than 900 points a minute, a GET, HEAD or OPTIONS costing 1 point
/// and any other method 5; no more than 80 content-generating requests a minute and 500 an hour. They answer 403
/// or 429, and retry-after is not always sent (octokit/plugin-throttling falls back to 60 seconds when it is
/// missing), so the simulator varies both by limit: concurrency 403 without retry-after, points 403 with it,
/// content per minute 429 with it, content per hour 429 without it.
/// </summary>
internal sealed class SecondaryLimits(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Usage> _usage = new(StringComparer.Ordinal);

    /// <summary>Off for load tests that send what GitHub would refuse on purpose (thousands of pull requests).</summary>
    public bool Enabled { get; set; } = true;
    public int MaxConcurrent { get; set; } = 100;
    public int PointsPerMinute { get; set; } = 900;
    public int ContentPerMinute { get; set; } = 80;
    public int ContentPerHour { get; set; } = 500;

    /// <summary>GitHub's windows; a benchmark shortens both by one factor (<c>PUT /_fake/time-scale</c>) so that hours
    /// of GitHub's pace fit in minutes, the limits' numbers unchanged.</summary>
    public TimeSpan Minute { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan Hour { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Admits a request (call <see cref="Leave"/> when it is answered) or says how GitHub refuses it.</summary>
    public SecondaryRefusal? Enter(string key, bool write, bool content)
    {
        if (!Enabled)
        {
            return null;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_usage.TryGetValue(key, out var u))
            {
                _usage[key] = u = new Usage();
            }

            while (u.Points.TryPeek(out var p) && now - p.At >= Minute)
            {
                u.PointSum -= u.Points.Dequeue().Points;
            }

            while (u.Content.TryPeek(out var c) && now - c >= Hour)
            {
                u.Content.Dequeue();
            }

            if (u.InFlight >= MaxConcurrent)
            {
                return new SecondaryRefusal(403, null);
            }

            var cost = write ? 5 : 1;
            if (u.PointSum + cost > PointsPerMinute)
            {
                return new SecondaryRefusal(403, SecondsUntil(u.Points.Peek().At + Minute, now));
            }

            if (content)
            {
                var lastMinute = u.Content.Where(c => now - c < Minute).ToList();
                if (lastMinute.Count >= ContentPerMinute)
                {
                    return new SecondaryRefusal(429, SecondsUntil(lastMinute[0] + Minute, now));
                }

                if (u.Content.Count >= ContentPerHour)
                {
                    return new SecondaryRefusal(429, null);
                }

                u.Content.Enqueue(now);
            }

            u.Points.Enqueue((now, cost));
            u.PointSum += cost;
            u.InFlight++;
            return null;
        }
    }

    public void Leave(string key)
    {
        lock (_gate)
        {
            if (_usage.TryGetValue(key, out var u) && u.InFlight > 0)
            {
                u.InFlight--;
            }
        }
    }

    private static int SecondsUntil(DateTimeOffset at, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((at - now).TotalSeconds));

    private sealed class Usage
    {
        public int InFlight { get; set; }
        public int PointSum { get; set; }
        public Queue<(DateTimeOffset At, int Points)> Points { get; } = new();
        public Queue<DateTimeOffset> Content { get; } = new();
    }
}
