namespace Backstroke.FakeGitHub;

/// <summary>The primary rate limit of one account (or one anonymous client address).</summary>
internal sealed class RateBudget(int limit, DateTimeOffset reset)
{
    public int Limit { get; set; } = limit;
    public int Remaining { get; set; } = limit;
    public DateTimeOffset Reset { get; set; } = reset;
    public int Used => Limit - Remaining;
}

/// <summary>
/// Per-account budgets that really run out, as GitHub's do: a request is charged before it runs and refunded when it
/// answers 304, because conditional requests that hit the cache are free on GitHub.
/// </summary>
internal sealed class RateLimits(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RateBudget> _budgets = new(StringComparer.Ordinal);

    /// <summary>Turns a token into its account's key ("user:LOGIN"), so callers may name a budget by any of its tokens.</summary>
    public Func<string, string>? KeyOf { get; set; }

    public int DefaultLimit { get; set; } = 5000;

    /// <summary>The hourly limit of a budget that is not a user's or an address's (an installation's), or null for the default.</summary>
    public Func<string, int?>? LimitOf { get; set; }
    public int AnonymousLimit { get; set; } = 60;
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The budget after refilling it if its window is over; <paramref name="key"/> is a token or "ip:ADDR".</summary>
    public (int Limit, int Remaining, long Reset) Peek(string key) => Charge(key, 0, out _);

    /// <summary>Takes <paramref name="cost"/> from the budget; false when it is exhausted (nothing is taken then).</summary>
    public (int Limit, int Remaining, long Reset) Charge(string key, int cost, out bool allowed)
    {
        key = Normalize(key);
        lock (_gate)
        {
            var b = Get(key);
            allowed = b.Remaining >= cost;
            if (allowed)
            {
                b.Remaining -= cost;
            }

            return (b.Limit, b.Remaining, b.Reset.ToUnixTimeSeconds());
        }
    }

    public void Refund(string key)
    {
        key = Normalize(key);
        lock (_gate)
        {
            var b = Get(key);
            b.Remaining = Math.Min(b.Limit, b.Remaining + 1);
        }
    }

    public void Set(string key, int? limit, int? remaining, int? resetInSeconds)
    {
        key = Normalize(key);
        lock (_gate)
        {
            var b = Get(key);
            b.Limit = limit ?? b.Limit;
            b.Remaining = Math.Clamp(remaining ?? b.Limit, 0, b.Limit);
            if (resetInSeconds is { } s)
            {
                b.Reset = time.GetUtcNow().AddSeconds(s);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _budgets.Clear();
        }
    }

    /// <summary>Resolved outside the budgets' lock, since resolving takes the state's lock.</summary>
    private string Normalize(string key) =>
        KeyOf is { } keyOf && !key.StartsWith("ip:", StringComparison.Ordinal) && !key.StartsWith("user:", StringComparison.Ordinal)
            && !key.StartsWith("installation:", StringComparison.Ordinal) && !key.StartsWith("app:", StringComparison.Ordinal) ? keyOf(key) : key;

    /// <summary>Sets the limit of a budget, keeping what it has used (an installation gains or loses repositories).</summary>
    public void Resize(string key, int limit)
    {
        key = Normalize(key);
        lock (_gate)
        {
            var b = Get(key);
            var used = b.Used;
            b.Limit = limit;
            b.Remaining = Math.Clamp(limit - used, 0, limit);
        }
    }

    private RateBudget Get(string key)
    {
        var now = time.GetUtcNow();
        if (!_budgets.TryGetValue(key, out var b))
        {
            b = new RateBudget(key.StartsWith("ip:", StringComparison.Ordinal) ? AnonymousLimit : LimitOf?.Invoke(key) ?? DefaultLimit, now + Window);
            _budgets[key] = b;
        }
        else if (now >= b.Reset)
        {
            b.Remaining = b.Limit;
            b.Reset = now + Window;
        }

        return b;
    }
}
