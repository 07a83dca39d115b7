using System.Collections.Concurrent;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Polling;

/// <summary>What one tick did; the job logs it and tests read it.</summary>
internal sealed record PollTick(int Checked, int Unchanged, int Queued, int Failed, int Deferred);

/// <summary>
/// One polling tick: the due links, oldest check first, at most a batch; a conditional probe of each
/// upstream head; a new head, or a link whose last successful sync is behind the head, queues an <c>automatic</c>
/// operation; failures (of checks and of syncs) back off per link and show on it.
/// </summary>
internal sealed partial class Poller(
    IServiceScopeFactory scopes,
    UpstreamProbe probe,
    SyncQueue queue,
    TokenProtector tokens,
    BackstrokeMetrics metrics,
    RateLimitBudgets budgets,
    InstallationTokens installations,
    IOptionsMonitor<PollingOptions> polling,
    IOptionsMonitor<GitHubOptions> github,
    TimeProvider time,
    ILogger<Poller> logger)
{
    // The job never overlaps itself, but a test or an operator may call a tick directly.
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    /// <summary>Links probed and recorded together. The tick's due set is fixed at its start (ids only, oldest first),
    /// then walked a chunk at a time: the links' details, their probe results and the tracked entities of one chunk are
    /// all that is held, so a tick's memory does not grow with <c>Polling:BatchSize</c> (BENCHMARKS.md, "Memory").</summary>
    internal const int ChunkSize = 1_000;

    public async Task<PollTick> PollOnceAsync(CancellationToken ct)
    {
        await oneAtATime.WaitAsync(ct);
        try
        {
            var options = polling.CurrentValue;
            var now = time.GetUtcNow();
            var due = await DueLinkIdsAsync(now, options, ct);
            var tick = new PollTick(0, 0, 0, 0, 0);
            // Many links share an owner: each protected token is unprotected once per tick.
            var tokens = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var ids in due.Chunk(ChunkSize))
            {
                var links = await LinksAsync(ids, ct);
                var results = new ConcurrentBag<(DueLink Link, ProbeResult Result)>();
                await Parallel.ForEachAsync(
                    links,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
                    async (link, token) => results.Add((link, await CheckAsync(link, tokens, options, token))));

                var chunk = await RecordAsync([.. results], now, options, ct);
                tick = new PollTick(tick.Checked + chunk.Checked, tick.Unchanged + chunk.Unchanged, tick.Queued + chunk.Queued,
                    tick.Failed + chunk.Failed, tick.Deferred + chunk.Deferred);
            }

            if (tick.Checked > 0)
            {
                LogTick(tick.Checked, tick.Unchanged, tick.Queued, tick.Failed, tick.Deferred);
            }

            return tick;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task<List<string>> DueLinkIdsAsync(DateTimeOffset now, PollingOptions options, CancellationToken ct)
    {
        var staleBefore = now - options.StaleAfter;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        return await db.Links.AsNoTracking()
            .Where(l => l.Enabled && !l.RepositoryDeleted
                && l.UpstreamOwner != null && l.UpstreamOwner != ""
                && l.UpstreamRepo != null && l.UpstreamRepo != ""
                && l.UpstreamBranch != null && l.UpstreamBranch != ""
                && (l.ForkType == ForkType.ForkAll
                    || (l.ForkOwner != null && l.ForkOwner != "" && l.ForkRepo != null && l.ForkRepo != "" && l.ForkBranch != null && l.ForkBranch != ""))
                && (l.LastSyncedAt == null || l.LastSyncedAt < staleBefore)
                && (l.PollNotBefore == null || l.PollNotBefore <= now))
            // Never-checked links (NULL) sort first, then the longest unchecked.
            .OrderBy(l => l.LastSyncedAt)
            .Take(options.BatchSize)
            .Select(l => l.Id)
            .ToListAsync(ct);
    }

    /// <summary>What a check needs of one chunk of the due links. A link deleted since the tick began is simply absent.</summary>
    private async Task<List<DueLink>> LinksAsync(string[] ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        return await db.Links.AsNoTracking()
            .Where(l => ids.Contains(l.Id))
            .Select(l => new DueLink(l.Id, l.UpstreamOwner!, l.UpstreamRepo!, l.UpstreamBranch!, l.UpstreamSha, l.UpstreamETag,
                l.ConsecutiveFailures, l.LastError, l.Owner!.AccessTokenProtected, (long?)l.Owner.GitHubId,
                // The installation that covers the fork checks its upstream too, as the sync does.
                l.Installation != null && l.Installation.AccountLogin.ToLower() == l.ForkOwner!.ToLower() ? l.InstallationId : null,
                l.Installation != null && l.Installation.Suspended,
                new SyncState(l.SyncedSha, l.SyncFailures, l.SyncRetryAt,
                    db.Operations.Any(o => o.LinkId == l.Id && (o.Status == OperationStatus.Queued || o.Status == OperationStatus.Running)))))
            .ToListAsync(ct);
    }

    private async Task<ProbeResult> CheckAsync(DueLink link, ConcurrentDictionary<string, string?> tokenCache, PollingOptions options, CancellationToken ct)
    {
        if (link.InstallationId is { } installation)
        {
            // A suspended installation sends nothing; its link is looked at again after the usual interval.
            return link.Suspended
                ? new ProbeResult.Deferred(time.GetUtcNow() + options.StaleAfter)
                : await CheckWithInstallationAsync(installation, link, options, ct);
        }

        var token = link.ProtectedToken is null ? null : tokenCache.GetOrAdd(link.ProtectedToken, protectedToken => link.OwnerGitHubId is { } gitHubId ? tokens.Unprotect(protectedToken, gitHubId) : tokens.Unprotect(protectedToken));
        if (token is null)
        {
            return new ProbeResult.Failed(
                $"{UpstreamProbe.FailurePrefix}{link.Owner}/{link.Repo}@{link.Branch}: the link's owner has no usable GitHub token; they need to sign in to Backstroke again.");
        }

        return await ProbeAsync(token, link, options, ct);
    }

    private async Task<ProbeResult> CheckWithInstallationAsync(long installation, DueLink link, PollingOptions options, CancellationToken ct)
    {
        try
        {
            return await installations.RunAsync(installation, async token =>
            {
                var result = await ProbeAsync(token, link, options, ct);
                // GitHub ended the token before we expected: RunAsync gets a fresh one and checks once more.
                return result is ProbeResult.Failed { Message: var message } && message.EndsWith(UpstreamProbe.TokenRefused, StringComparison.Ordinal)
                    ? throw new GitHubException(GitHubFailure.BadCredentials, 401, message)
                    : result;
            }, ct);
        }
        catch (GitHubException limited) when (limited is { Kind: GitHubFailure.RateLimited, Until: { } until })
        {
            return new ProbeResult.Deferred(until);
        }
        catch (GitHubException failure) when (!ct.IsCancellationRequested)
        {
            return new ProbeResult.Failed($"{UpstreamProbe.FailurePrefix}{link.Owner}/{link.Repo}@{link.Branch}: the GitHub App's installation has no usable token ({failure.Message}).");
        }
    }

    private async Task<ProbeResult> ProbeAsync(string token, DueLink link, PollingOptions options, CancellationToken ct)
    {
        // Syncs matter more than checks: leave the last of a token's budget to them.
        var key = budgets.AccountOf(token);
        if (budgets.BlockedUntil(key) is { } blocked)
        {
            return new ProbeResult.Deferred(blocked);
        }

        if (budgets.Get(key) is { } budget && budget.ResetAt > time.GetUtcNow()
            && budget.Remaining <= github.CurrentValue.RateLimitReserve + options.TokenReserve)
        {
            return new ProbeResult.Deferred(RateLimitBudgets.ResumeAt(budget.ResetAt));
        }

        return await probe.ProbeAsync(token, link.Owner, link.Repo, link.Branch, link.ETag, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling tick: {Checked} checked, {Unchanged} unchanged, {Queued} queued, {Failed} failed, {Deferred} deferred for rate limits")]
    private partial void LogTick(int @checked, int unchanged, int queued, int failed, int deferred);

    private sealed record DueLink(string Id, string Owner, string Repo, string Branch, string? Sha, string? ETag,
        int ConsecutiveFailures, string? LastError, string? ProtectedToken, long? OwnerGitHubId, long? InstallationId, bool Suspended, SyncState Sync);

    /// <summary>How the link's syncs stand: the head last synced, failures in a row, when a retry may be queued, and
    /// whether an operation of the link is queued or running (it will get there without another).</summary>
    private sealed record SyncState(string? SyncedSha, int Failures, DateTimeOffset? RetryAt, bool Pending);
}
