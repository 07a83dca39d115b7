using Backstroke.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Polling;

/// <summary>
/// Deletes finished operations older than <c>Operations:RetentionDays</c> or beyond a link's newest
/// <c>Operations:MaxPerLink</c>, and webhook delivery ids as old. Queued and running operations are work,
/// not history: they are never deleted.
/// </summary>
internal sealed partial class OperationRetention(
    IServiceScopeFactory scopes, IOptionsMonitor<RetentionOptions> options, TimeProvider time, ILogger<OperationRetention> logger)
{
    // Small batches keep each write transaction short, so workers and the trigger endpoint never wait long on SQLite.
    private const int Batch = 2_000;

    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(settings.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();

        var deleted = 0;
        while (true)
        {
            var old = await db.Operations
                .Where(o => o.Status != OperationStatus.Queued && o.Status != OperationStatus.Running && o.EnqueuedAt < cutoff)
                .Select(o => o.Id)
                .Take(Batch)
                .ToListAsync(ct);
            var excess = old.Count < Batch ? await ExcessAsync(db, settings.MaxPerLink, Batch - old.Count, ct) : [];
            string[] ids = [.. old.Union(excess)];
            if (ids.Length == 0)
            {
                break;
            }

            deleted += await db.Operations.Where(o => ids.Contains(o.Id)).ExecuteDeleteAsync(ct);
        }

        var deliveries = await db.WebhookDeliveries.Where(d => d.ReceivedAt < cutoff).ExecuteDeleteAsync(ct);
        if (deleted > 0 || deliveries > 0)
        {
            LogPruned(deleted, deliveries);
        }

        return deleted;
    }

    /// <summary>Finished operations ranked past <paramref name="keep"/> within their link, newest first.</summary>
    private static Task<List<string>> ExcessAsync(BackstrokeDbContext db, int keep, int limit, CancellationToken ct) =>
        db.Database.SqlQuery<string>($"""
            SELECT "Id" AS "Value" FROM (
                SELECT "Id", "Status", ROW_NUMBER() OVER (PARTITION BY "LinkId" ORDER BY "EnqueuedAt" DESC, "Id" DESC) AS "Rank"
                FROM "Operations") AS ranked
            WHERE "Rank" > {keep} AND "Status" NOT IN ('Queued', 'Running')
            LIMIT {limit}
            """).ToListAsync(ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Operations} operation(s) and {Deliveries} webhook delivery id(s)")]
    private partial void LogPruned(int operations, int deliveries);
}
