using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

/// <summary>What GitHub last said about one token's primary rate limit, and how long it asked us to hold off.</summary>
internal sealed record RateLimitBudget(
    string TokenKey, int Limit, int Remaining, DateTimeOffset ResetAt, DateTimeOffset? HoldUntil, DateTimeOffset UpdatedAt);

/// <summary>
/// Rate-limit budget per token, keyed by a short hash so the system page and metrics can show it without
/// the token. Every GitHub response updates it; a token at the reserve sends nothing until its reset.
/// </summary>
internal sealed class RateLimitBudgets(TimeProvider time, IOptions<GitHubOptions> options)
{
    /// <summary>GitHub's reset is in whole seconds and clocks differ a little: resume a moment after it.</summary>
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, RateLimitBudget> budgets = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RateLimitBudget> Snapshot() => [.. budgets.Values];

    public RateLimitBudget? Get(string tokenKey) => budgets.GetValueOrDefault(tokenKey);

    /// <summary>A stable, short, non-reversible name for a token.</summary>
    public static string KeyFor(string? token) =>
        token is null ? "anonymous" : "tok_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    /// <summary>When the token may send again, or null when it may send now.</summary>
    public DateTimeOffset? BlockedUntil(string tokenKey)
    {
        if (!budgets.TryGetValue(tokenKey, out var budget))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (budget.HoldUntil is { } hold && hold > now)
        {
            return hold;
        }

        var resumeAt = budget.ResetAt + ResetMargin;
        return budget.Remaining <= options.Value.RateLimitReserve && resumeAt > now ? resumeAt : null;
    }

    public void Observe(string tokenKey, int limit, int remaining, DateTimeOffset resetAt)
    {
        var now = time.GetUtcNow();
        budgets.AddOrUpdate(
            tokenKey,
            key => new RateLimitBudget(key, limit, remaining, resetAt, null, now),
            (_, old) => old with { Limit = limit, Remaining = remaining, ResetAt = resetAt, UpdatedAt = now });
    }

    /// <summary>GitHub said to wait (<c>retry-after</c>, secondary limit): nothing more from this token until then.</summary>
    public void Hold(string tokenKey, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        budgets.AddOrUpdate(
            tokenKey,
            key => new RateLimitBudget(key, 0, 0, now, until, now),
            (_, old) => old with { HoldUntil = old.HoldUntil > until ? old.HoldUntil : until, UpdatedAt = now });
    }

    /// <summary>The moment a spent budget lets work go on again.</summary>
    public static DateTimeOffset ResumeAt(DateTimeOffset resetAt) => resetAt + ResetMargin;
}
