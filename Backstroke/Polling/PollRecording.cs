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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue link {LinkId} after its upstream moved")]
    private partial void LogEnqueueFailed(Exception failure, string linkId);
}
