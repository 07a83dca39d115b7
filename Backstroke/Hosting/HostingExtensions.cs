using Microsoft.Extensions.Options;

namespace Backstroke.Hosting;

internal static class HostingExtensions
{
    /// <summary>What every feature leans on: the <c>Backstroke</c> settings, the clock, health, metrics and proxy headers. Features add their own readiness checks and gauges.</summary>
    public static IServiceCollection AddHosting(this IServiceCollection services)
    {
        services.AddOptions<BackstrokeOptions>().BindConfiguration(BackstrokeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BackstrokeOptions>, BackstrokeOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddHealthChecks();
        services.AddSingleton<BackstrokeMetrics>();
        services.AddProxyHeaders();
        return services;
    }

    public static IEndpointRouteBuilder MapHosting(this IEndpointRouteBuilder endpoints)
    {
        // Liveness only: the process answers. Readiness (database, scheduler, workers) is /readyz.
        endpoints.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        endpoints.MapReadiness();
        endpoints.MapMetricsEndpoint();
        return endpoints;
    }
}
