using System.Data.Common;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Backstroke.Sync;

/// <summary>
/// The queue's state changes, each one conditional UPDATE so that it is atomic without holding a transaction open
/// while GitHub answers: two workers never claim one row, and a link never runs twice at once. A claim is a lease held
/// by one instance (<see cref="SyncInstance"/>): only the holder renews it, records the result or puts the row back,
/// so an instance that lost its lease (it stalled past it, and another took the row over) changes nothing. On SQLite
/// the writes pass the process's <see cref="SqliteWriteGate"/>, in turn with the enqueue batches.
/// </summary>
internal sealed class OperationStore(BackstrokeDbContext db, string instance)
{
    private const string NoRunLeft = """NOT EXISTS (SELECT 1 FROM "Operations" r WHERE r."LinkId" = o."LinkId" AND r."Status" = 'Running')""";

    // Due retries first, by due time, then fresh requests by age, both along the partial index of queued rows
    // (IX_Operations_Claim), so the first row comes off the index at once however long the queue. The claim is one
    // statement: pick, mark, return. On PostgreSQL, rows another claimer holds are skipped rather than waited for, and
    // the outer status test (which PostgreSQL re-checks on a row changed meanwhile) makes a lost race claim nothing.
    private static string ClaimSql(string locking) => $"""
        UPDATE "Operations" SET "Status" = 'Running', "StartedAt" = @now, "Attempts" = "Attempts" + 1,
            "ClaimedBy" = @me, "LeaseUntil" = @lease
        WHERE "Id" = COALESCE(
            (SELECT o."Id" FROM "Operations" o
             WHERE o."Status" = 'Queued' AND o."NextAttemptAt" <= @now AND {NoRunLeft}
             ORDER BY o."NextAttemptAt" LIMIT 1{locking}),
            (SELECT o."Id" FROM "Operations" o
             WHERE o."Status" = 'Queued' AND o."NextAttemptAt" IS NULL AND {NoRunLeft}
             ORDER BY o."EnqueuedAt" LIMIT 1{locking}))
          AND "Status" = 'Queued'
        RETURNING "Id"
        """;

    private static readonly string SqliteClaim = ClaimSql("");
    private static readonly string PostgresClaim = ClaimSql(" FOR UPDATE SKIP LOCKED");

    // The operation and its link in one transaction; the link is found through the operation in the same statement.
    // A success remembers the upstream head it ran against, so a later check can tell whether the link is level with
    // its upstream; a failure counts towards the link's backoff.
    private const string FinishSql = """
        UPDATE "Links" SET "LastOperationId" = @id, "LastError" = @error,
            "ConsecutiveFailures" = CASE WHEN @failed THEN "ConsecutiveFailures" + 1 ELSE 0 END,
            "SyncFailures" = CASE WHEN @failed THEN "SyncFailures" + 1 ELSE 0 END,
            "SyncedSha" = CASE WHEN @failed THEN "SyncedSha" ELSE COALESCE(@synced, "SyncedSha") END,
            "SyncRetryAt" = CASE WHEN @failed THEN "SyncRetryAt" ELSE NULL END
        WHERE "Id" = (SELECT "LinkId" FROM "Operations" WHERE "Id" = @id AND "Status" = 'Running' AND "ClaimedBy" = @me);
        UPDATE "Operations" SET "Status" = @status, "FinishedAt" = @now, "NextAttemptAt" = NULL, "LeaseUntil" = NULL,
            "Output" = @output, "Error" = @error
        WHERE "Id" = @id AND "Status" = 'Running' AND "ClaimedBy" = @me;
        """;

    private readonly SqliteWriteGate gate = SqliteWriteGate.Of(db);

    /// <summary>The store of the scope's context, acting for this instance.</summary>
    public static OperationStore In(IServiceProvider services) =>
        new(services.GetRequiredService<BackstrokeDbContext>(), services.GetRequiredService<SyncInstance>().Id);

    /// <summary>Claims the oldest due queued operation whose link is not already running, leased until
    /// <paramref name="leaseUntil"/>; null when none.</summary>
    public async Task<string?> ClaimNextAsync(DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = db.Database.IsSqlite() ? SqliteClaim : PostgresClaim;
                Add(command, "@now", now.ToUnixTimeMilliseconds());
                Add(command, "@lease", leaseUntil.ToUnixTimeMilliseconds());
                Add(command, "@me", instance);
                try
                {
                    return await command.ExecuteScalarAsync(ct) as string;
                }
                catch (DbException ex) when (attempt < 3 && QueueSqlErrors.IsUniqueViolation(ex))
                {
                    // Another instance started this link's queued run between our look and our write (the "one running
                    // per link" index refused ours): look again.
                }
            }
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

    /// <summary>Moves this instance's lease on a running operation forward; false when it no longer holds it.</summary>
    public async Task<bool> RenewAsync(string id, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        return await Held(id, instance).ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseUntil, leaseUntil), ct) == 1;
    }

    /// <summary>Puts an operation this instance runs back in the queue (see <see cref="Requeue"/>); false when this
    /// instance no longer holds it.</summary>
    public async Task<bool> RequeueAsync(string id, DateTimeOffset at, bool countAttempt, string? note, DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        return await new Requeue(db, Held(id, instance), id, at, countAttempt, note, now).RunAsync(ct);
    }

    /// <summary>Records the result on the operation and its link together, so a reader never sees one without the other.
    /// False when this instance no longer holds the operation: nothing was written.</summary>
    /// <param name="syncedSha">On success, the upstream head the run synced (as known when it started).</param>
    public async Task<bool> FinishAsync(string id, OperationStatus status, string? output, string? error, string? syncedSha, DateTimeOffset now, CancellationToken ct)
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
            Add(command, "@me", instance);
            Add(command, "@status", status.ToString());
            Add(command, "@now", now.ToUnixTimeMilliseconds());
            Add(command, "@output", output);
            Add(command, "@error", error);
            Add(command, "@failed", status == OperationStatus.Error);
            Add(command, "@synced", syncedSha);
            var written = await command.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            return written > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// At start: what an earlier process of this instance left running runs again at once, since that process is gone
    /// (and so does what a version without leases left running, unclaimed). Another instance's work is left to its
    /// lease. Returns how many were put back.
    /// </summary>
    public async Task<int> ReclaimOwnAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        var left = await db.Operations.Where(o => o.Status == OperationStatus.Running && (o.ClaimedBy == instance || o.ClaimedBy == null))
            .Select(o => new { o.Id, o.ClaimedBy }).ToListAsync(ct);
        foreach (var row in left)
        {
            // The interrupted attempt is not held against the operation: it did not fail, the process stopped.
            await new Requeue(db, Held(row.Id, row.ClaimedBy), row.Id, now, CountAttempt: false, Note: null, now).RunAsync(ct);
        }

        return left.Count;
    }

    /// <summary>Puts back in the queue what other instances hold under leases that ran out (they died, or lost the
    /// database for longer than a lease). Returns the operations and the instances that held them.</summary>
    public async Task<IReadOnlyList<(string Id, string Holder)>> RequeueExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ct);
        DateTimeOffset? cutoff = now;
        var expired = await db.Operations
            .Where(o => o.Status == OperationStatus.Running && o.ClaimedBy != null && o.ClaimedBy != instance && o.LeaseUntil < cutoff)
            .Select(o => new { o.Id, o.ClaimedBy }).ToListAsync(ct);
        var requeued = new List<(string, string)>();
        foreach (var row in expired)
        {
            // Still expired when written: a holder that renewed in between keeps its work.
            var held = Held(row.Id, row.ClaimedBy).Where(o => o.LeaseUntil < cutoff);
            if (await new Requeue(db, held, row.Id, now, CountAttempt: false, Note: null, now).RunAsync(ct))
            {
                requeued.Add((row.Id, row.ClaimedBy!));
            }
        }

        return requeued;
    }

    private IQueryable<Operation> Held(string id, string? holder) =>
        db.Operations.Where(o => o.Id == id && o.Status == OperationStatus.Running && o.ClaimedBy == holder);

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null)
        {
            parameter.DbType = System.Data.DbType.String;
        }

        command.Parameters.Add(parameter);
    }
}
