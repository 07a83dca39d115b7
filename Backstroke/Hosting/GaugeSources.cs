namespace Backstroke.Hosting;

/// <summary>
/// Sets gauges of <see cref="BackstrokeMetrics"/> that are states rather than events (queue depth, rate-limit budgets),
/// right before Prometheus reads them: they cost nothing between scrapes and are never stale. Each feature registers
/// the source for what it owns with <see cref="GaugeSources.AddGaugeSource{T}"/>.
/// </summary>
internal interface IGaugeSource
{
    /// <summary>Sets the gauges; a source whose backing store is down sets them to NaN rather than failing the scrape.</summary>
    Task RefreshAsync(BackstrokeMetrics metrics, CancellationToken ct);
}

internal static class GaugeSources
{
    public static IServiceCollection AddGaugeSource<T>(this IServiceCollection services)
        where T : class, IGaugeSource
    {
        services.AddSingleton<IGaugeSource, T>();
        return services;
    }
}
