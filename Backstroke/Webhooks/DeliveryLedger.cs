using System.Collections.Concurrent;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Webhooks;

/// <summary>
/// Makes a repeated <c>X-GitHub-Delivery</c> a no-op: the ids of deliveries that changed something are kept in the
/// database (so a redelivery after a restart is still recognised), and the ones being handled right now in memory
/// (so two copies arriving together do not both run).
/// </summary>
internal sealed class DeliveryLedger(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="deliveryId"/> for this request, or returns why it is a repeat.</summary>
    public async Task<string?> ClaimAsync(BackstrokeDbContext db, string deliveryId, CancellationToken ct)
    {
        if (!inFlight.TryAdd(deliveryId, 0))
        {
            return "This delivery is already being handled.";
        }

        if (await db.WebhookDeliveries.AnyAsync(d => d.Id == deliveryId, ct))
        {
            inFlight.TryRemove(deliveryId, out _);
            return "This delivery was already handled.";
        }

        return null;
    }

    /// <summary>Ends the claim; a delivery that changed something is remembered for good (until retention).</summary>
    public async Task ReleaseAsync(BackstrokeDbContext db, string deliveryId, string eventName, bool remember)
    {
        try
        {
            if (remember)
            {
                db.WebhookDeliveries.Add(new WebhookDelivery { Id = deliveryId, Event = eventName, ReceivedAt = time.GetUtcNow() });
                // Not cancellable: the work is done, and forgetting it would let a redelivery do it twice.
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        finally
        {
            inFlight.TryRemove(deliveryId, out _);
        }
    }
}
