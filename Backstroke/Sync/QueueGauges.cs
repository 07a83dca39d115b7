using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>Queue depth and running operations, counted in the database when Prometheus scrapes.</summary>
internal sealed class QueueGauges(IServiceScopeFactory scopes) : IGaugeSource
{
    public async Task RefreshAsync(BackstrokeMetrics metrics, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            var counts = await db.Operations.AsNoTracking()
                .Where(o => o.Status == OperationStatus.Queued || o.Status == OperationStatus.Running)
                .GroupBy(o => o.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToListAsync(ct);
            metrics.QueueDepth.Set(counts.FirstOrDefault(c => c.Status == OperationStatus.Queued)?.Count ?? 0);
            metrics.Running.Set(counts.FirstOrDefault(c => c.Status == OperationStatus.Running)?.Count ?? 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is down: /readyz says so; the other metrics are still worth a scrape.
            metrics.QueueDepth.Set(double.NaN);
            metrics.Running.Set(double.NaN);
        }
    }
}
