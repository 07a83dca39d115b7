using Prometheus;

namespace Backstroke.Hosting;

/// <summary><c>/metrics</c>: the counters features record, plus the gauges their sources set at scrape time.</summary>
internal static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.ServiceProvider.GetRequiredService<BackstrokeMetrics>();
        foreach (var source in endpoints.ServiceProvider.GetServices<IGaugeSource>())
        {
            metrics.Registry.AddBeforeCollectCallback(ct => source.RefreshAsync(metrics, ct));
        }

        endpoints.MapMetrics("/metrics", metrics.Registry);
        return endpoints;
    }
}
