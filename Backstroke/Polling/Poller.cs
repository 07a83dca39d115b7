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
/// One polling tick (SPEC §5): the due links, oldest check first, at most a batch; a conditional probe of each
/// upstream head; a new head queues an <c>automatic</c> operation; failures back off per link and show on it.
/// </summary>
internal sealed partial class Poller(
    IServiceScopeFactory scopes,
    UpstreamProbe probe,
    SyncQueue queue,
    TokenProtector tokens,
    BackstrokeMetrics metrics,
    RateLimitBudgets budgets,
    IOptionsMonitor<PollingOptions> polling,
    IOptionsMonitor<GitHubOptions> github,
    TimeProvider time,
    ILogger<Poller> logger)
{
    // The job never overlaps itself, but a test or an operator may call a tick directly.
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public async Task<PollTick> PollOnceAsync(CancellationToken ct)
    {
        await oneAtATime.WaitAsync(ct);
        try
        {
            var options = polling.CurrentValue;
            var now = time.GetUtcNow();
            var due = await DueLinksAsync(now, options, ct);
            if (due.Count == 0)
            {
                return new PollTick(0, 0, 0, 0, 0);
            }

            var results = new ConcurrentBag<(DueLink Link, ProbeResult Result)>();
            // Many links share an owner: each protected token is unprotected once per tick.
            var tokens = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
                async (link, token) => results.Add((link, await CheckAsync(link, tokens, options, token))));

            var tick = await RecordAsync([.. results], now, options, ct);
            LogTick(tick.Checked, tick.Unchanged, tick.Queued, tick.Failed, tick.Deferred);
            return tick;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task<List<DueLink>> DueLinksAsync(DateTimeOffset now, PollingOptions options, CancellationToken ct)
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
            .Select(l => new DueLink(l.Id, l.UpstreamOwner!, l.UpstreamRepo!, l.UpstreamBranch!, l.UpstreamSha, l.UpstreamETag,
                l.ConsecutiveFailures, l.LastError, l.Owner!.AccessTokenProtected))
            .ToListAsync(ct);
    }

    private async Task<ProbeResult> CheckAsync(DueLink link, ConcurrentDictionary<string, string?> tokenCache, PollingOptions options, CancellationToken ct)
    {
        var token = link.ProtectedToken is null ? null : tokenCache.GetOrAdd(link.ProtectedToken, tokens.Unprotect);
        if (token is null)
        {
            return new ProbeResult.Failed(
                $"{UpstreamProbe.FailurePrefix}{link.Owner}/{link.Repo}@{link.Branch}: the link's owner has no usable GitHub token; they need to sign in to Backstroke again.");
        }

        // Syncs matter more than checks: leave the last of a token's budget to them.
        var key = RateLimitBudgets.KeyFor(token);
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

    /// <summary>The <c>/metrics</c> label of a probe's outcome; a deferred probe sent nothing, so it has none.</summary>
    private static string? MetricFor(ProbeResult result, DueLink link) => result switch
    {
        ProbeResult.Unchanged => BackstrokeMetrics.PollResults.NotModified,
        ProbeResult.Head head => head.Sha != link.Sha ? BackstrokeMetrics.PollResults.Changed : BackstrokeMetrics.PollResults.Same,
        ProbeResult.Failed => BackstrokeMetrics.PollResults.Error,
        _ => null,
    };

    private async Task<PollTick> RecordAsync(IReadOnlyList<(DueLink Link, ProbeResult Result)> results, DateTimeOffset now, PollingOptions options, CancellationToken ct)
    {
        var unchanged = new List<string>();
        var changes = new Dictionary<string, Action<Link>>();
        int same = 0, queued = 0, failed = 0, deferred = 0;
        foreach (var (link, result) in results)
        {
            if (MetricFor(result, link) is { } metric)
            {
                metrics.PollResult(metric);
            }

            switch (result)
            {
                case ProbeResult.Unchanged when !IsCheckFailure(link.LastError):
                    same++;
                    unchanged.Add(link.Id);
                    break;
                case ProbeResult.Unchanged:
                    same++;
                    changes[link.Id] = l => Succeeded(l, now);
                    break;
                case ProbeResult.Head head when head.Sha != link.Sha:
                    // Queued before the SHA is stored: a crash in between means one more check, never a missed sync.
                    if (!await TryEnqueueAsync(link.Id, ct))
                    {
                        // Deleted since this tick began, or the database refused: leave the link due for the next tick.
                        continue;
                    }

                    queued++;
                    changes[link.Id] = l =>
                    {
                        Succeeded(l, now);
                        (l.UpstreamSha, l.UpstreamETag) = (head.Sha, head.ETag);
                    };
                    break;
                case ProbeResult.Head head:
                    same++;
                    // Same head, new ETag (first check after a restart or a webhook): nothing to sync.
                    changes[link.Id] = l =>
                    {
                        Succeeded(l, now);
                        l.UpstreamETag = head.ETag;
                    };
                    break;
                case ProbeResult.Failed failure:
                    failed++;
                    changes[link.Id] = l =>
                    {
                        l.LastSyncedAt = now;
                        l.LastError = failure.Message;
                        l.ConsecutiveFailures++;
                        l.PollNotBefore = now + PollBackoff.After(l.ConsecutiveFailures, options.StaleAfter);
                    };
                    break;
                case ProbeResult.Deferred wait:
                    deferred++;
                    // Not checked: the link stays due, but other tokens' links go first until the reset.
                    changes[link.Id] = l => l.PollNotBefore = wait.Until;
                    break;
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        // The common case, an unchanged upstream, is one statement per chunk however many links there are.
        foreach (var chunk in unchanged.Chunk(1_000))
        {
            await db.Links.Where(l => chunk.Contains(l.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastSyncedAt, now).SetProperty(l => l.PollNotBefore, (DateTimeOffset?)null), ct);
        }

        foreach (var chunk in changes.Keys.Chunk(1_000))
        {
            var links = await db.Links.Where(l => chunk.Contains(l.Id)).ToListAsync(ct);
            foreach (var link in links)
            {
                changes[link.Id](link);
            }

            await db.SaveChangesAsync(ct);
        }

        return new PollTick(results.Count, same, queued, failed, deferred);
    }

    private async Task<bool> TryEnqueueAsync(string linkId, CancellationToken ct)
    {
        try
        {
            await queue.EnqueueAsync(linkId, OperationKind.Automatic, null, ct);
            return true;
        }
        catch (Exception failure) when (failure is System.Data.Common.DbException or DbUpdateException)
        {
            LogEnqueueFailed(failure, linkId);
            return false;
        }
    }

    /// <summary>A good check ends a run of check failures; an error left by a sync stays until the next sync.</summary>
    private static void Succeeded(Link link, DateTimeOffset now)
    {
        link.LastSyncedAt = now;
        link.PollNotBefore = null;
        if (IsCheckFailure(link.LastError))
        {
            link.LastError = null;
            link.ConsecutiveFailures = 0;
        }
    }

    private static bool IsCheckFailure(string? error) => error?.StartsWith(UpstreamProbe.FailurePrefix, StringComparison.Ordinal) == true;

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling tick: {Checked} checked, {Unchanged} unchanged, {Queued} queued, {Failed} failed, {Deferred} deferred for rate limits")]
    private partial void LogTick(int @checked, int unchanged, int queued, int failed, int deferred);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue link {LinkId} after its upstream moved")]
    private partial void LogEnqueueFailed(Exception failure, string linkId);

    private sealed record DueLink(string Id, string Owner, string Repo, string Branch, string? Sha, string? ETag,
        int ConsecutiveFailures, string? LastError, string? ProtectedToken);
}
