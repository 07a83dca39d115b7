using Backstroke.Data;
using Backstroke.Hosting;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Polling;

/// <summary>The second half of a tick: what the probes of one chunk found goes to the links and the queue.</summary>
internal sealed partial class Poller
{
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
        var toQueue = new List<string>();
        int same = 0, failed = 0, deferred = 0;
        foreach (var (link, result) in results)
        {
            if (MetricFor(result, link) is { } metric)
            {
                metrics.PollResult(metric);
            }

            switch (result)
            {
                case ProbeResult.Unchanged or ProbeResult.Head:
                    var head = result is ProbeResult.Head found ? found.Sha : link.Sha;
                    var moved = head != link.Sha;
                    // A new head is worth a sync at once (a run in progress may have started before it), unless the
                    // link's syncs are failing and backing off. A link behind a head it already knew (its last sync
                    // failed, or never came) is queued again when its backoff allows and no run of it is under way:
                    // an upstream change is never forgotten, however long GitHub was down.
                    var queue = RetryAllowed(link.Sync, now) && (moved || (IsBehind(link, head) && !link.Sync.Pending));
                    if (queue)
                    {
                        toQueue.Add(link.Id);
                    }
                    else if (!moved)
                    {
                        same++;
                    }

                    if (!moved && !queue && result is ProbeResult.Unchanged && !IsCheckFailure(link.LastError))
                    {
                        // The common case, nothing to do: recorded in bulk below.
                        unchanged.Add(link.Id);
                        break;
                    }

                    var etag = result is ProbeResult.Head h ? h.ETag : link.ETag;
                    var retry = queue && link.Sync.Failures > 0;
                    changes[link.Id] = l =>
                    {
                        Succeeded(l, now);
                        // Stored before the operation is queued, so the run knows which head it syncs; a crash in
                        // between leaves the link behind this head, and the next check queues it.
                        (l.UpstreamSha, l.UpstreamETag) = (head, etag);
                        if (retry)
                        {
                            l.SyncRetryAt = now + PollBackoff.After(l.SyncFailures, options.StaleAfter);
                        }
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

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            // The common case, an unchanged upstream, is one statement per chunk however many links there are.
            foreach (var chunk in unchanged.Chunk(ChunkSize))
            {
                await db.Links.Where(l => chunk.Contains(l.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastSyncedAt, now).SetProperty(l => l.PollNotBefore, (DateTimeOffset?)null), ct);
            }

            foreach (var chunk in changes.Keys.Chunk(ChunkSize))
            {
                var links = await db.Links.Where(l => chunk.Contains(l.Id)).ToListAsync(ct);
                foreach (var link in links)
                {
                    changes[link.Id](link);
                }

                await db.SaveChangesAsync(ct);
            }
        }

        var queued = 0;
        foreach (var linkId in toQueue)
        {
            // Deleted since this tick began, or the database refused: the link stays behind, so a later check queues it.
            queued += await TryEnqueueAsync(linkId, ct) ? 1 : 0;
        }

        return new PollTick(results.Count, same, queued, failed, deferred);
    }

    /// <summary>Behind the head: its last sync failed, or the head it last synced is not this one.</summary>
    private static bool IsBehind(DueLink link, string? head) =>
        head is not null && (link.Sync.Failures > 0 || link.Sync.SyncedSha != head);

    /// <summary>After failed syncs a link waits out its backoff (<see cref="Link.SyncRetryAt"/>) before another.</summary>
    private static bool RetryAllowed(SyncState sync, DateTimeOffset now) =>
        sync.Failures == 0 || sync.RetryAt is null || sync.RetryAt <= now;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue link {LinkId}, which is behind its upstream")]
    private partial void LogEnqueueFailed(Exception failure, string linkId);
}
