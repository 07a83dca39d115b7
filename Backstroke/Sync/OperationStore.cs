using System.Data.Common;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Backstroke.Sync;

/// <summary>
/// The queue's state changes, each one conditional UPDATE so that it is atomic without holding a transaction open
/// while GitHub answers: two workers never claim one row, and a link never runs twice at once. The writes pass the
/// process's <see cref="SqliteWriteGate"/>, in turn with the enqueue batches.
/// </summary>
internal sealed class OperationStore(BackstrokeDbContext db)
{
    // Due retries first, by due time, then fresh requests by age. Fresh rows are read in rowid order, which is insertion
    // order, along the (Status, NextAttemptAt) index whose entries for Status = 'Queued' and NextAttemptAt IS NULL are
    // already sorted by rowid: the first row comes off the index at once, however long the queue (ordering by
    // EnqueuedAt made SQLite sort every queued row on each claim). The claim is one statement: pick, mark, return.
    private const string ClaimSql = """
        UPDATE "Operations" SET "Status" = 'Running', "StartedAt" = @now, "Attempts" = "Attempts" + 1
        WHERE "Id" = COALESCE(
            (SELECT o."Id" FROM "Operations" o
             WHERE o."Status" = 'Queued' AND o."NextAttemptAt" <= @now
               AND NOT EXISTS (SELECT 1 FROM "Operations" r WHERE r."LinkId" = o."LinkId" AND r."Status" = 'Running')
             ORDER BY o."NextAttemptAt" LIMIT 1),
            (SELECT o."Id" FROM "Operations" o
             WHERE o."Status" = 'Queued' AND o."NextAttemptAt" IS NULL
               AND NOT EXISTS (SELECT 1 FROM "Operations" r WHERE r."LinkId" = o."LinkId" AND r."Status" = 'Running')
             ORDER BY o.rowid LIMIT 1))
          AND "Status" = 'Queued'
        RETURNING "Id"
        """;

    // PostgreSQL has no rowid; enqueue time orders fresh rows the same way. The outer Status test makes a claim that
    // lost the row to a concurrent one (which PostgreSQL lets re-check only the outer WHERE) claim nothing.
    private static readonly string PostgresClaimSql = ClaimSql.Replace("o.rowid", "o.\"EnqueuedAt\", o.\"Id\"", StringComparison.Ordinal);

    // The operation and its link in one transaction; the link is found through the operation in the same statement.
    // Only the holder records: a row no longer running (recovered, or recorded by an earlier try whose answer was
    // lost) is left as it is. A success remembers the upstream head it ran against, so a later check can tell
    // whether the link is level with its upstream; a failure counts towards the link's backoff.
    private const string FinishSql = """
        UPDATE "Links" SET "LastOperationId" = @id, "LastError" = @error,
            "ConsecutiveFailures" = CASE WHEN @failed THEN "ConsecutiveFailures" + 1 ELSE 0 END,
            "SyncFailures" = CASE WHEN @failed THEN "SyncFailures" + 1 ELSE 0 END,
            "SyncedSha" = CASE WHEN @failed THEN "SyncedSha" ELSE COALESCE(@synced, "SyncedSha") END,
            "SyncRetryAt" = CASE WHEN @failed THEN "SyncRetryAt" ELSE NULL END
        WHERE "Id" = (SELECT "LinkId" FROM "Operations" WHERE "Id" = @id AND "Status" = 'Running');
        UPDATE "Operations" SET "Status" = @status, "FinishedAt" = @now, "NextAttemptAt" = NULL, "Output" = @output, "Error" = @error
        WHERE "Id" = @id AND "Status" = 'Running';
        """;

    private readonly SqliteWriteGate gate = SqliteWriteGate.Of(db);

    /// <summary>Claims the oldest due queued operation whose link is not already running; null when none.</summary>
    public async Task<string?> ClaimNextAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = db.Database.IsNpgsql() ? PostgresClaimSql : ClaimSql;
            Add(command, "@now", now.ToUnixTimeMilliseconds());
            return await command.ExecuteScalarAsync(ct) as string;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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
        using var _ = await gate.EnterAsync(ct);
        await RequeueCoreAsync(id, at, countAttempt, note, now, ct);
    }

    private async Task RequeueCoreAsync(string id, DateTimeOffset at, bool countAttempt, string? note, DateTimeOffset now, CancellationToken ct)
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
            // The link got a queued operation meanwhile (or this one is no longer running): that one does this one's
            // work. Under the write gate no claim can take it in between.
            var linkId = await db.Operations.Where(o => o.Id == id && o.Status == OperationStatus.Running).Select(o => o.LinkId).FirstOrDefaultAsync(ct);
            var newer = linkId is null ? null
                : await db.Operations.Where(o => o.LinkId == linkId && o.Status == OperationStatus.Queued).Select(o => o.Id).FirstOrDefaultAsync(ct);
            if (newer is not null)
            {
                await db.Operations.Where(o => o.Id == id && o.Status == OperationStatus.Running)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(o => o.Status, OperationStatus.Superseded)
                            .SetProperty(o => o.SupersededBy, newer)
                            .SetProperty(o => o.FinishedAt, now)
                            .SetProperty(o => o.NextAttemptAt, (DateTimeOffset?)null)
                            .SetProperty(o => o.Error, (string?)null),
                        ct);
            }
        }
    }

    /// <summary>Records the result on the operation and its link together, so a reader never sees one without the other.</summary>
    /// <param name="syncedSha">On success, the upstream head the run synced (as known when it started).</param>
    public async Task FinishAsync(string id, OperationStatus status, string? output, string? error, string? syncedSha, DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = FinishSql;
            Add(command, "@id", id);
            Add(command, "@status", status.ToString());
            Add(command, "@now", now.ToUnixTimeMilliseconds());
            Add(command, "@output", output);
            Add(command, "@error", error);
            Add(command, "@failed", status == OperationStatus.Error);
            Add(command, "@synced", syncedSha);
            await command.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>After a crash or a kill: what was running runs again. Returns how many were put back.</summary>
    public async Task<int> RecoverAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        var running = await db.Operations.Where(o => o.Status == OperationStatus.Running).Select(o => o.Id).ToListAsync(ct);
        foreach (var id in running)
        {
            // The interrupted attempt is not held against the operation: it did not fail, the process stopped.
            await RequeueCoreAsync(id, now, countAttempt: false, note: null, now, ct);
        }

        return running.Count;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
