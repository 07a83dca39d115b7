using System.Threading.Channels;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>The operation that answers a sync request, and whether this request created it.</summary>
internal readonly record struct EnqueueResult(string OperationId, bool Created);

/// <summary>
/// The front door of the durable queue (SPEC §4). Every sync request, whatever asked for it, becomes a queued
/// <see cref="Operation"/> row first, so a crash loses nothing; only then is a worker woken up. The database's
/// "one queued operation per link" index makes concurrent requests for one link coalesce into one operation.
/// </summary>
internal sealed class SyncQueue(IServiceScopeFactory scopes, TimeProvider time)
{
    private const int MaxFromRequestLength = 200;

    // Wake-ups are hints: dropping one when many are pending loses nothing, since workers also poll the table.
    private readonly Channel<bool> wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<bool> WakeUps => wakeUps.Reader;

    public void Wake() => wakeUps.Writer.TryWrite(true);

    public async Task<EnqueueResult> EnqueueAsync(string linkId, OperationKind kind, string? fromRequest, CancellationToken ct)
    {
        if (fromRequest is { Length: > MaxFromRequestLength })
        {
            fromRequest = fromRequest[..MaxFromRequestLength];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        var kindText = kind.ToString();
        var queued = nameof(OperationStatus.Queued);

        // The queued row may be claimed between a refused insert and the look-up; then a new insert succeeds.
        for (var attempt = 0; ; attempt++)
        {
            var id = Ids.NewOperationId();
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var inserted = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "Operations" ("Id", "LinkId", "Kind", "Status", "Attempts", "EnqueuedAt", "FromRequest")
                VALUES ({id}, {linkId}, {kindText}, {queued}, 0, {now}, {fromRequest})
                ON CONFLICT DO NOTHING
                """,
                ct);
            if (inserted == 1)
            {
                Wake();
                return new EnqueueResult(id, Created: true);
            }

            var existing = await db.Operations.AsNoTracking()
                .Where(o => o.LinkId == linkId && o.Status == OperationStatus.Queued)
                .Select(o => o.Id)
                .FirstOrDefaultAsync(ct);
            if (existing is not null || attempt >= 3)
            {
                return existing is not null
                    ? new EnqueueResult(existing, Created: false)
                    : throw new InvalidOperationException($"Could not queue an operation for link {linkId}.");
            }
        }
    }
}
