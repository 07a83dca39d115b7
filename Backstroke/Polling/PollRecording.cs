using Backstroke.Data;
using Backstroke.Hosting;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Polling;

/// <summary>The second half of a tick: what the probes of one chunk found goes to the upstreams, their links and the queue.</summary>
internal sealed partial class Poller
{
    /// <summary>The <c>/metrics</c> label of a probe's outcome; a deferred probe sent nothing, so it has none.</summary>
    private static string? MetricFor(ProbeResult result, DueUpstream upstream) => result switch
    {
        ProbeResult.Unchanged => BackstrokeMetrics.PollResults.NotModified,
        ProbeResult.Head head => head.Sha != upstream.Sha ? BackstrokeMetrics.PollResults.Changed : BackstrokeMetrics.PollResults.Same,
        ProbeResult.Failed => BackstrokeMetrics.PollResults.Error,
        _ => null,
    };

    private async Task<PollTick> RecordAsync(IReadOnlyList<(DueUpstream Upstream, ProbeResult Result)> results, DateTimeOffset now, PollingOptions options, CancellationToken ct)
    {
        var checkedIds = new List<long>();
        var movedIds = new List<long>();
        var recovered = new List<long>();
        var changes = new Dictionary<long, Action<Upstream>>();
        var failures = new List<(long Id, string Message)>();
        int unchangedCount = 0, failed = 0, deferred = 0;
        foreach (var (upstream, result) in results)
        {
            if (MetricFor(result, upstream) is { } metric)
            {
                metrics.PollResult(metric);
            }

            switch (result)
            {
                case ProbeResult.Unchanged or ProbeResult.Head:
                    checkedIds.Add(upstream.Id);
                    if (upstream.ConsecutiveFailures > 0)
                    {
                        recovered.Add(upstream.Id);
                    }

                    if (result is ProbeResult.Head head && (head.Sha != upstream.Sha || head.ETag != upstream.ETag))
                    {
                        if (head.Sha != upstream.Sha)
                        {
                            movedIds.Add(upstream.Id);
                        }

                        // Stored before any link is queued, so each run knows which head it syncs; a crash in between
                        // leaves the links behind this head, and the next check queues them.
                        changes[upstream.Id] = u => (u.HeadSha, u.ETag) = (head.Sha, head.ETag);
                    }

                    break;
                case ProbeResult.Failed failure:
                    failed++;
                    failures.Add((upstream.Id, failure.Message));
                    changes[upstream.Id] = u =>
                    {
                        u.LastCheckedAt = now;
                        u.LastError = failure.Message;
                        u.ConsecutiveFailures++;
                        u.NextCheckAt = now + PollBackoff.After(u.ConsecutiveFailures, options.StaleAfter);
                    };
                    break;
                case ProbeResult.Deferred wait:
                    deferred++;
                    // Not checked: the branch stays due, but other tokens' branches go first until the reset.
                    changes[upstream.Id] = u => u.NextCheckAt = wait.Until;
                    break;
            }
        }

        List<(string Id, int Failures)> behind;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            // A good check ends a run of check failures, on the branch and on its links; an error a sync left on a link
            // stays until the link's next sync.
            foreach (var chunk in checkedIds.Chunk(ChunkSize))
            {
                await db.Upstreams.Where(u => chunk.Contains(u.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.LastCheckedAt, now)
                    .SetProperty(u => u.NextCheckAt, (DateTimeOffset?)null)
                    .SetProperty(u => u.ConsecutiveFailures, 0)
                    .SetProperty(u => u.LastError, (string?)null), ct);
            }

            if (recovered.Count > 0)
            {
                await db.Links.Where(l => recovered.Contains(l.UpstreamId!.Value) && l.LastError!.StartsWith(UpstreamProbe.FailurePrefix))
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastError, (string?)null).SetProperty(l => l.ConsecutiveFailures, 0), ct);
            }

            foreach (var chunk in changes.Keys.Chunk(ChunkSize))
            {
                foreach (var upstream in await db.Upstreams.Where(u => chunk.Contains(u.Id)).ToListAsync(ct))
                {
                    changes[upstream.Id](upstream);
                }

                await db.SaveChangesAsync(ct);
            }

            // The branch's error shows on each of its links, as a failed check of the link did.
            foreach (var (id, message) in failures)
            {
                await Watching(db.Links).Where(l => l.UpstreamId == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastError, message).SetProperty(l => l.ConsecutiveFailures, l => l.ConsecutiveFailures + 1), ct);
            }

            behind = checkedIds.Count == 0 ? [] : await BehindAsync(db, checkedIds, movedIds, now, ct);
            var retries = behind.Where(l => l.Failures > 0).ToList();
            foreach (var group in retries.GroupBy(l => l.Failures))
            {
                // A retry after failed syncs: the next one waits longer, so a broken link does not spend its owner's budget.
                var retryAt = now + PollBackoff.After(group.Key, options.StaleAfter);
                foreach (var chunk in group.Select(l => l.Id).Chunk(ChunkSize))
                {
                    await db.Links.Where(l => chunk.Contains(l.Id)).ExecuteUpdateAsync(s => s.SetProperty(l => l.SyncRetryAt, retryAt), ct);
                }
            }
        }

        // Every link behind the head at once: the queue writes them in a few transactions, not one each.
        var queued = await EnqueueAllAsync(behind.Select(l => l.Id), ct);
        unchangedCount = checkedIds.Count - movedIds.Count;
        return new PollTick(results.Count, unchangedCount, queued, failed, deferred);
    }

    /// <summary>
    /// The links of the checked branches that need a sync: behind the head (it moved past the head they last synced,
    /// or their last sync failed), not waiting out a sync backoff, and with no run already queued or running, except
    /// when the head just moved (a run in progress may have started before it). A link level with its head, the common
    /// case, is not even read.
    /// </summary>
    private static async Task<List<(string Id, int Failures)>> BehindAsync(BackstrokeDbContext db, List<long> checkedIds, List<long> movedIds, DateTimeOffset now, CancellationToken ct)
    {
        var found = new List<(string, int)>();
        foreach (var chunk in checkedIds.Chunk(ChunkSize))
        {
            var rows = await Watching(db.Links.AsNoTracking())
                .Where(l => chunk.Contains(l.UpstreamId!.Value) && l.Upstream!.HeadSha != null
                    && (l.SyncFailures > 0 || l.SyncedSha == null || l.SyncedSha != l.Upstream.HeadSha)
                    && (l.SyncFailures == 0 || l.SyncRetryAt == null || l.SyncRetryAt <= now)
                    && (movedIds.Contains(l.UpstreamId!.Value)
                        || !db.Operations.Any(o => o.LinkId == l.Id && (o.Status == OperationStatus.Queued || o.Status == OperationStatus.Running))))
                .Select(l => new { l.Id, l.SyncFailures })
                .ToListAsync(ct);
            found.AddRange(rows.Select(r => (r.Id, r.SyncFailures)));
        }

        return found;
    }

    private async Task<int> EnqueueAllAsync(IEnumerable<string> linkIds, CancellationToken ct)
    {
        var queued = 0;
        foreach (var chunk in linkIds.Chunk(ChunkSize))
        {
            var done = await Task.WhenAll(chunk.Select(id => TryEnqueueAsync(id, ct)));
            queued += done.Count(d => d);
        }

        return queued;
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
            // Deleted since this tick began, or the database refused: the link stays behind, so a later check queues it.
            LogEnqueueFailed(failure, linkId);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue link {LinkId}, which is behind its upstream")]
    private partial void LogEnqueueFailed(Exception failure, string linkId);
}
