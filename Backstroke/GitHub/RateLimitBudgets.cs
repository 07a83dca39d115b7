using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

/// <summary>What GitHub last said about one account's primary rate limit, and how long it asked us to hold off.</summary>
internal sealed record RateLimitBudget(
    string Account, int Limit, int Remaining, DateTimeOffset ResetAt, DateTimeOffset? HoldUntil, DateTimeOffset UpdatedAt);

/// <summary>
/// Rate-limit budgets per GitHub account: GitHub counts per user, across all of that user's tokens, so two tokens of
/// one user share a budget here too. An account is named by the user's GitHub id once a <c>GET /user</c> answer has
/// told it (<c>user:123</c>), otherwise by a short hash of the token (<c>tok_…</c>), so the system page and metrics
/// show it without the token. Every GitHub response updates it; an account at the reserve sends nothing until its reset.
/// </summary>
internal sealed class RateLimitBudgets(TimeProvider time, IOptions<GitHubOptions> options)
{
    /// <summary>GitHub's reset is in whole seconds and clocks differ a little: resume a moment after it.</summary>
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, RateLimitBudget> budgets = new(StringComparer.Ordinal);

    /// <summary>Token digest → account, learned from <c>GET /user</c>. Holds no token.</summary>
    private readonly ConcurrentDictionary<string, string> accounts = new(StringComparer.Ordinal);

    /// <summary>Secondary-limit refusals in a row per account, for the exponential backoff.</summary>
    private readonly ConcurrentDictionary<string, int> refusals = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RateLimitBudget> Snapshot() => [.. budgets.Values];

    public RateLimitBudget? Get(string account) => budgets.GetValueOrDefault(account);

    /// <summary>The budget key of an installation, shared by all of its tokens (GitHub counts per installation).</summary>
    public static string InstallationKey(long installationId) => $"installation_{installationId}";

    /// <summary>From now on <paramref name="token"/> spends its installation's budget; <paramref name="replaced"/> no longer does.</summary>
    public void Alias(string token, long installationId, string? replaced)
    {
        if (replaced is not null)
        {
            accounts.TryRemove(TokenDigest(replaced), out _);
        }

        accounts[TokenDigest(token)] = InstallationKey(installationId);
    }

    /// <summary>A stable, short, non-reversible name for a token.</summary>
    public static string TokenDigest(string? token) =>
        token is null ? "anonymous" : "tok_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    /// <summary>The account behind <paramref name="token"/>: its user's GitHub id when known, else the token's digest.</summary>
    public string AccountOf(string? token)
    {
        var digest = TokenDigest(token);
        return accounts.TryGetValue(digest, out var account) ? account : digest;
    }

    /// <summary>GitHub said whose token this is: from now on it spends that user's budget, and what it spent so far moves there.</summary>
    public void LearnAccount(string token, long gitHubUserId)
    {
        var digest = TokenDigest(token);
        var account = "user:" + gitHubUserId.ToString(CultureInfo.InvariantCulture);
        if (accounts.TryGetValue(digest, out var known) && known == account)
        {
            return;
        }

        accounts[digest] = account;
        if (budgets.TryRemove(digest, out var spent))
        {
            budgets.TryAdd(account, spent with { Account = account });
        }
    }

    /// <summary>
    /// When the account may send again, or null when it may send now. <paramref name="othersInFlight"/> requests
    /// already sent may each still take one of the remaining requests, so they count as spent: many requests at once
    /// never overrun the budget GitHub last reported.
    /// </summary>
    public DateTimeOffset? BlockedUntil(string account, int othersInFlight = 0)
    {
        if (!budgets.TryGetValue(account, out var budget))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (budget.HoldUntil is { } hold && hold > now)
        {
            return hold;
        }

        var resumeAt = budget.ResetAt + ResetMargin;
        return budget.Remaining - othersInFlight <= options.Value.RateLimitReserve && resumeAt > now ? resumeAt : null;
    }

    /// <summary>Until when GitHub asked the account to hold off (<c>retry-after</c>), or null.</summary>
    public DateTimeOffset? HeldUntil(string account) =>
        budgets.TryGetValue(account, out var budget) && budget.HoldUntil is { } hold && hold > time.GetUtcNow() ? hold : null;

    public void Observe(string account, int limit, int remaining, DateTimeOffset resetAt)
    {
        var now = time.GetUtcNow();
        budgets.AddOrUpdate(
            account,
            key => new RateLimitBudget(key, limit, remaining, resetAt, null, now),
            (_, old) => old with { Limit = limit, Remaining = remaining, ResetAt = resetAt, UpdatedAt = now });
    }

    /// <summary>GitHub said to wait (<c>retry-after</c>): nothing more from this account until then.</summary>
    public void Hold(string account, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        budgets.AddOrUpdate(
            account,
            key => new RateLimitBudget(key, 0, 0, now, until, now),
            (_, old) => old with { HoldUntil = old.HoldUntil > until ? old.HoldUntil : until, UpdatedAt = now });
    }

    /// <summary>
    /// A secondary-limit refusal: the account holds off for <paramref name="retryAfter"/> when GitHub said how long,
    /// otherwise for <c>GitHub:SecondaryLimits:BackoffBase</c>, doubled for each refusal in a row, capped at
    /// <c>BackoffMax</c>. Returns when it may send again.
    /// </summary>
    public DateTimeOffset Refused(string account, TimeSpan? retryAfter)
    {
        var limits = options.Value.SecondaryLimits;
        var inARow = refusals.AddOrUpdate(account, 1, (_, n) => Math.Min(n + 1, 30));
        var wait = retryAfter ?? TimeSpan.FromTicks(Math.Min(limits.BackoffMax.Ticks, limits.BackoffBase.Ticks * (1L << Math.Min(inARow - 1, 20))));
        var until = time.GetUtcNow() + wait;
        Hold(account, until);
        return until;
    }

    /// <summary>An answer that was not a refusal ends the backoff: the next refusal waits the base time again.</summary>
    public void Succeeded(string account) => refusals.TryRemove(account, out _);

    /// <summary>The moment a spent budget lets work go on again.</summary>
    public static DateTimeOffset ResumeAt(DateTimeOffset resetAt) => resetAt + ResetMargin;
}
