using System.Collections.Concurrent;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Polling;

/// <summary>What one tick did; the job logs it and tests read it. <see cref="Checked"/>, <see cref="Unchanged"/>,
/// <see cref="Failed"/> and <see cref="Deferred"/> count upstream branches; <see cref="Queued"/> counts links.</summary>
internal sealed record PollTick(int Checked, int Unchanged, int Queued, int Failed, int Deferred);

/// <summary>
/// One polling tick: the due upstream branches, oldest check first, at most a batch; one conditional probe of each,
/// whatever number of links watch it, with the token of a link owner who can read it; a new head, or a link whose last
/// successful sync is behind the head, queues an <c>automatic</c> operation of each such link. Check failures back off
/// per upstream and show on its links; sync failures back off per link (docs/sync-rules.md).
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

    /// <summary>Upstreams probed and recorded together. The tick's due set is fixed at its start (ids only, oldest
    /// first), then walked a chunk at a time: the upstreams' readers, their probe results and the links queued by one
    /// chunk are all that is held, so a tick's memory does not grow with <c>Polling:BatchSize</c> (BENCHMARKS.md, "Memory").</summary>
    internal const int ChunkSize = 500;

    /// <summary>Probes one upstream may cost in a tick when tokens cannot see it: one owner's private fork of a public
    /// upstream is no reason to stop, but a branch nobody can read should not cost a request per link.</summary>
    internal const int MaxProbesPerUpstream = 3;

    public async Task<PollTick> PollOnceAsync(CancellationToken ct)
    {
        await oneAtATime.WaitAsync(ct);
        try
        {
            var options = polling.CurrentValue;
            var now = time.GetUtcNow();
            var due = await DueUpstreamIdsAsync(now, options, ct);
            var tick = new PollTick(0, 0, 0, 0, 0);
            // Many links share an owner: each protected token is unprotected once per tick.
            var tokenCache = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var ids in due.Chunk(ChunkSize))
            {
                var upstreams = await UpstreamsAsync(ids, ct);
                var results = new ConcurrentBag<(DueUpstream Upstream, ProbeResult Result)>();
                await Parallel.ForEachAsync(
                    upstreams,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
                    async (upstream, token) => results.Add((upstream, await CheckAsync(upstream, tokenCache, options, token))));

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

    /// <summary>The links polling looks after: enabled, configured, and not flagged as naming a deleted repository.</summary>
    private static IQueryable<Link> Watching(IQueryable<Link> links) =>
        links.Where(l => l.Enabled && !l.RepositoryDeleted
            && (l.ForkType == ForkType.ForkAll
                || (l.ForkOwner != null && l.ForkOwner != "" && l.ForkRepo != null && l.ForkRepo != "" && l.ForkBranch != null && l.ForkBranch != "")));

    private async Task<List<long>> DueUpstreamIdsAsync(DateTimeOffset now, PollingOptions options, CancellationToken ct)
    {
        var staleBefore = now - options.StaleAfter;
        // A branch that delivers push webhooks is checked only as a safety net, once per WebhookSafetyInterval.
        var safetyBefore = now - (options.WebhookSafetyInterval > options.StaleAfter ? options.WebhookSafetyInterval : options.StaleAfter);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        var watched = Watching(db.Links);
        return await db.Upstreams.AsNoTracking()
            .Where(u => u.NextCheckAt != null
                ? u.NextCheckAt <= now
                : u.LastCheckedAt == null || u.LastCheckedAt < safetyBefore
                    || (u.LastCheckedAt < staleBefore && (u.LastPushAt == null || u.LastPushAt < safetyBefore)))
            // A branch no link watches any more costs nothing.
            .Where(u => watched.Any(l => l.UpstreamId == u.Id))
            // Never-checked branches first on both providers (PostgreSQL sorts NULL last, SQLite first).
            .OrderBy(u => u.LastCheckedAt == null ? 0 : 1).ThenBy(u => u.LastCheckedAt)
            .Take(options.BatchSize)
            .Select(u => u.Id)
            .ToListAsync(ct);
    }

    /// <summary>What a check needs of one chunk of the due upstreams: each with the distinct credentials of the links
    /// watching it, which the probe tries in turn. A branch no longer watched since the tick began is simply absent.</summary>
    private async Task<List<DueUpstream>> UpstreamsAsync(long[] ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        var upstreams = await db.Upstreams.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Owner, u.Repo, u.Branch, u.HeadSha, u.ETag, u.ConsecutiveFailures })
            .ToListAsync(ct);
        var readers = await Watching(db.Links).Where(l => ids.Contains(l.UpstreamId!.Value))
            .Select(l => new
            {
                UpstreamId = l.UpstreamId!.Value,
                l.OwnerId,
                // The installation that covers the fork checks its upstream too, as the sync does.
                InstallationId = l.Installation != null && l.Installation.AccountLogin.ToLower() == l.ForkOwner!.ToLower() ? l.InstallationId : null,
                Suspended = l.Installation != null && l.Installation.Suspended,
            })
            .Distinct()
            // In a stable order, so that the same reader probes a branch tick after tick while it can.
            .OrderBy(r => r.UpstreamId).ThenBy(r => r.InstallationId).ThenBy(r => r.OwnerId)
            .ToListAsync(ct);
        var ownerIds = readers.Where(r => r.InstallationId is null && r.OwnerId is not null).Select(r => r.OwnerId!.Value).Distinct().ToList();
        var owners = new Dictionary<long, (string? Token, long GitHubId)>();
        foreach (var chunk in ownerIds.Chunk(ChunkSize))
        {
            foreach (var user in await db.Users.AsNoTracking().Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.AccessTokenProtected, u.GitHubId }).ToListAsync(ct))
            {
                owners[user.Id] = (user.AccessTokenProtected, user.GitHubId);
            }
        }

        var byUpstream = readers.ToLookup(r => r.UpstreamId, r => r.InstallationId is { } installation
            ? new Reader(null, null, installation, r.Suspended)
            : r.OwnerId is { } owner && owners.TryGetValue(owner, out var user) ? new Reader(user.Token, user.GitHubId, null, false) : new Reader(null, null, null, false));
        return [.. upstreams.Select(u => new DueUpstream(u.Id, u.Owner, u.Repo, u.Branch, u.HeadSha, u.ETag, u.ConsecutiveFailures,
            [.. byUpstream[u.Id].Distinct()]))];
    }

    /// <summary>Tries the readers of the branch in turn until one gets an answer: a reader whose token is unusable, or
    /// cannot see the branch, gives way to the next, so one owner's lost access does not stop another's links.</summary>
    private async Task<ProbeResult> CheckAsync(DueUpstream upstream, ConcurrentDictionary<string, string?> tokenCache, PollingOptions options, CancellationToken ct)
    {
        ProbeResult? first = null;
        DateTimeOffset? deferredUntil = null;
        var probes = 0;
        foreach (var reader in upstream.Readers)
        {
            if (probes >= MaxProbesPerUpstream)
            {
                break;
            }

            var (result, sent) = await CheckWithAsync(reader, upstream, tokenCache, options, ct);
            probes += sent ? 1 : 0;
            switch (result)
            {
                case ProbeResult.Deferred wait:
                    deferredUntil = deferredUntil is { } earlier && earlier < wait.Until ? earlier : wait.Until;
                    continue;
                case ProbeResult.Failed { TokenProblem: true }:
                    first ??= result;
                    continue;
                default:
                    return result;
            }
        }

        // Nobody could answer now: a reader who must wait for a reset (or a suspended installation) is asked again
        // then, rather than the branch being reported broken for another owner's lost access.
        return deferredUntil is { } until ? new ProbeResult.Deferred(until)
            : first ?? new ProbeResult.Deferred(time.GetUtcNow() + options.StaleAfter);
    }

    private async Task<(ProbeResult Result, bool Sent)> CheckWithAsync(Reader reader, DueUpstream upstream, ConcurrentDictionary<string, string?> tokenCache, PollingOptions options, CancellationToken ct)
    {
        if (reader.InstallationId is { } installation)
        {
            // A suspended installation sends nothing; its branch is looked at again after the usual interval.
            return reader.Suspended
                ? (new ProbeResult.Deferred(time.GetUtcNow() + options.StaleAfter), false)
                : await CheckWithInstallationAsync(installation, upstream, options, ct);
        }

        var token = reader.ProtectedToken is null ? null : tokenCache.GetOrAdd(reader.ProtectedToken, protectedToken => reader.OwnerGitHubId is { } gitHubId ? tokens.Unprotect(protectedToken, gitHubId) : tokens.Unprotect(protectedToken));
        if (token is null)
        {
            return (new ProbeResult.Failed(
                $"{UpstreamProbe.FailurePrefix}{upstream.Where}: the link's owner has no usable GitHub token; they need to sign in to Backstroke again.", TokenProblem: true), false);
        }

        var result = await ProbeAsync(token, upstream, options, ct);
        return (result, result is not ProbeResult.Deferred);
    }

    private async Task<(ProbeResult Result, bool Sent)> CheckWithInstallationAsync(long installation, DueUpstream upstream, PollingOptions options, CancellationToken ct)
    {
        try
        {
            var result = await installations.RunAsync(installation, async token =>
            {
                var result = await ProbeAsync(token, upstream, options, ct);
                // GitHub ended the token before we expected: RunAsync gets a fresh one and checks once more.
                return result is ProbeResult.Failed { Message: var message } && message.EndsWith(UpstreamProbe.TokenRefused, StringComparison.Ordinal)
                    ? throw new GitHubException(GitHubFailure.BadCredentials, 401, message)
                    : result;
            }, ct);
            return (result, result is not ProbeResult.Deferred);
        }
        catch (GitHubException limited) when (limited is { Kind: GitHubFailure.RateLimited, Until: { } until })
        {
            return (new ProbeResult.Deferred(until), false);
        }
        catch (GitHubException failure) when (!ct.IsCancellationRequested)
        {
            return (new ProbeResult.Failed($"{UpstreamProbe.FailurePrefix}{upstream.Where}: the GitHub App's installation has no usable token ({failure.Message}).", TokenProblem: true), true);
        }
    }

    private async Task<ProbeResult> ProbeAsync(string token, DueUpstream upstream, PollingOptions options, CancellationToken ct)
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

        return await probe.ProbeAsync(token, upstream.Owner, upstream.Repo, upstream.Branch, upstream.ETag, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling tick: {Checked} upstream(s) checked, {Unchanged} unchanged, {Queued} link(s) queued, {Failed} failed, {Deferred} deferred for rate limits")]
    private partial void LogTick(int @checked, int unchanged, int queued, int failed, int deferred);

    private sealed record DueUpstream(long Id, string Owner, string Repo, string Branch, string? Sha, string? ETag, int ConsecutiveFailures, IReadOnlyList<Reader> Readers)
    {
        public string Where => $"{Owner}/{Repo}@{Branch}";
    }

    /// <summary>One way to read a branch: a link owner's token, or the installation that covers a link's fork.</summary>
    private sealed record Reader(string? ProtectedToken, long? OwnerGitHubId, long? InstallationId, bool Suspended);
}
