using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>
/// The queue's state changes, each one conditional UPDATE so that it is atomic without holding a transaction open
/// while GitHub answers: two workers never claim one row, and a link never runs twice at once.
/// </summary>
internal sealed class OperationStore(BackstrokeDbContext db)
{
    /// <summary>Claims the oldest due queued operation whose link is not already running; null when none.</summary>
    public async Task<string?> ClaimNextAsync(DateTimeOffset now, CancellationToken ct)
    {
        var candidates = await db.Operations.AsNoTracking()
            .Where(o => o.Status == OperationStatus.Queued && (o.NextAttemptAt == null || o.NextAttemptAt <= now)
                && !db.Operations.Any(r => r.LinkId == o.LinkId && r.Status == OperationStatus.Running))
            .OrderBy(o => o.EnqueuedAt)
            .Select(o => o.Id)
            .Take(4)
            .ToListAsync(ct);
        foreach (var id in candidates)
        {
            var claimed = await db.Operations
                .Where(o => o.Id == id && o.Status == OperationStatus.Queued
                    && !db.Operations.Any(r => r.LinkId == o.LinkId && r.Status == OperationStatus.Running))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Status, OperationStatus.Running)
                        .SetProperty(o => o.StartedAt, now)
                        .SetProperty(o => o.Attempts, o => o.Attempts + 1),
                    ct);
            if (claimed == 1)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>When the next delayed operation falls due, if any is waiting.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) =>
        db.Operations.Where(o => o.Status == OperationStatus.Queued && o.NextAttemptAt != null)
            .MinAsync(o => o.NextAttemptAt, ct);

    /// <summary>
    /// Puts a running operation back in the queue. When the link got a new queued operation meanwhile, that one
    /// will do the same work, so this one ends, pointing to it (the index allows one queued row per link).
    /// </summary>
    public async Task RequeueAsync(string id, DateTimeOffset at, bool countAttempt, string? note, DateTimeOffset now, CancellationToken ct)
    {
        var uncounted = countAttempt ? 0 : 1;
        var requeued = await db.Operations
            .Where(o => o.Id == id && o.Status == OperationStatus.Running
                && !db.Operations.Any(q => q.LinkId == o.LinkId && q.Status == OperationStatus.Queued))
            .ExecuteUpdateAsync(
                s => s.SetProperty(o => o.Status, OperationStatus.Queued)
                    .SetProperty(o => o.NextAttemptAt, at)
                    .SetProperty(o => o.Attempts, o => o.Attempts - uncounted)
                    .SetProperty(o => o.Error, note),
                ct);
        if (requeued == 0)
        {
            var linkId = await db.Operations.Where(o => o.Id == id).Select(o => o.LinkId).FirstAsync(ct);
            var newer = await db.Operations.Where(o => o.LinkId == linkId && o.Status == OperationStatus.Queued).Select(o => o.Id).FirstOrDefaultAsync(ct);
            await FinishAsync(id, OperationStatus.Error, null, $"Superseded by operation {newer}, queued for the same link, which will run this sync.", now, ct);
        }
    }

    /// <summary>Records the result on the operation and its link together, so a reader never sees one without the other.</summary>
    public async Task FinishAsync(string id, OperationStatus status, string? output, string? error, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Operations.Where(o => o.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(o => o.Status, status)
                .SetProperty(o => o.FinishedAt, now)
                .SetProperty(o => o.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(o => o.Output, output)
                .SetProperty(o => o.Error, error),
            ct);
        var linkId = await db.Operations.Where(o => o.Id == id).Select(o => o.LinkId).FirstAsync(ct);
        var failed = status == OperationStatus.Error;
        await db.Links.Where(l => l.Id == linkId).ExecuteUpdateAsync(
            s => s.SetProperty(l => l.LastOperationId, id)
                .SetProperty(l => l.LastError, error)
                .SetProperty(l => l.ConsecutiveFailures, l => failed ? l.ConsecutiveFailures + 1 : 0),
            ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>After a crash or a kill: what was running runs again (SPEC §4). Returns how many were put back.</summary>
    public async Task<int> RecoverAsync(DateTimeOffset now, CancellationToken ct)
    {
        var running = await db.Operations.Where(o => o.Status == OperationStatus.Running).Select(o => o.Id).ToListAsync(ct);
        foreach (var id in running)
        {
            // The interrupted attempt is not held against the operation: it did not fail, the process stopped.
            await RequeueAsync(id, now, countAttempt: false, note: null, now, ct);
        }

        return running.Count;
    }
}
