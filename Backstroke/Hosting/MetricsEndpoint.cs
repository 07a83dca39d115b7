using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace Backstroke.Hosting;

/// <summary>
/// <c>/metrics</c>. Values that are states rather than events (queue depth, rate-limit budgets) are read when Prometheus
/// scrapes, so they cost nothing between scrapes and are never stale.
/// </summary>
internal static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var metrics = services.GetRequiredService<BackstrokeMetrics>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var budgets = services.GetRequiredService<RateLimitBudgets>();
        metrics.Registry.AddBeforeCollectCallback(async ct =>
        {
            foreach (var budget in budgets.Snapshot())
            {
                // The account is a GitHub user id or a short hash of the token: the token itself never leaves memory.
                metrics.RateLimitRemaining.WithLabels(budget.Account).Set(budget.Remaining);
            }

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
        });

        endpoints.MapMetrics("/metrics", metrics.Registry);
        return endpoints;
    }
}
