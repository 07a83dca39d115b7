using System.Data.Common;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>
/// Puts a running operation back in the queue, if it is still held as <paramref name="Held"/> says (by whom, and for
/// an expired lease, still expired). When its link got a new queued operation meanwhile, that one will do the same
/// work, so this one ends superseded, pointing to it: the database allows one queued row per link.
/// </summary>
internal sealed record Requeue(
    BackstrokeDbContext Db, IQueryable<Operation> Held, string Id, DateTimeOffset At, bool CountAttempt, string? Note, DateTimeOffset Now)
{
    /// <summary>True when the operation left <c>running</c> (back in the queue, or superseded).</summary>
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        var uncounted = CountAttempt ? 0 : 1;
        try
        {
            var requeued = await Held
                .Where(o => !Db.Operations.Any(q => q.LinkId == o.LinkId && q.Status == OperationStatus.Queued))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Status, OperationStatus.Queued)
                        .SetProperty(o => o.NextAttemptAt, At)
                        .SetProperty(o => o.Attempts, o => o.Attempts - uncounted)
                        .SetProperty(o => o.Error, Note)
                        .SetProperty(o => o.ClaimedBy, (string?)null)
                        .SetProperty(o => o.LeaseUntil, (DateTimeOffset?)null),
                    ct);
            if (requeued == 1)
            {
                return true;
            }
        }
        catch (DbException ex) when (QueueSqlErrors.IsUniqueViolation(ex))
        {
            // On PostgreSQL an enqueue for the link committed between the look and the write: as below.
        }

        // The link has a queued operation (or this one is no longer held): that one does this one's work. No claim can
        // take it in between, since this link still has a running operation, this one.
        var linkId = await Held.Select(o => o.LinkId).FirstOrDefaultAsync(ct);
        var newer = linkId is null ? null
            : await Db.Operations.Where(o => o.LinkId == linkId && o.Status == OperationStatus.Queued).Select(o => o.Id).FirstOrDefaultAsync(ct);
        return newer is not null && await Held.ExecuteUpdateAsync(
            s => s.SetProperty(o => o.Status, OperationStatus.Superseded)
                .SetProperty(o => o.SupersededBy, newer)
                .SetProperty(o => o.FinishedAt, Now)
                .SetProperty(o => o.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(o => o.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(o => o.Error, (string?)null),
            ct) == 1;
    }
}
