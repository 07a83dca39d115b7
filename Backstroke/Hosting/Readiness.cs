using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Backstroke.Hosting;

/// <summary>
/// <c>/readyz</c>: every check added with <see cref="AddReadinessCheck{T}"/> must pass. Each feature adds its own (the
/// database in Data, the workers in Sync, the scheduler in Polling), so readiness grows with the app without this file
/// knowing any of them.
/// </summary>
internal static class Readiness
{
    public const string Tag = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A part the app cannot take work without; its description is a sentence shown to operators.</summary>
    public static IServiceCollection AddReadinessCheck<T>(this IServiceCollection services, string name, TimeSpan? timeout = null)
        where T : class, IHealthCheck
    {
        services.AddHealthChecks().AddCheck<T>(name, tags: [Tag], timeout: timeout);
        return services;
    }

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Tag),
            ResponseWriter = WriteAsync,
        });
        return endpoints;
    }

    /// <summary>
    /// <c>{"status":"ready"|"not ready","failing":[names],"checks":{name:{status,description}}}</c>. Descriptions are
    /// sentences written by the checks; exception details go to the log, never into a public answer.
    /// </summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status == HealthStatus.Unhealthy ? "not ready" : "ready",
            failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key).Order(StringComparer.Ordinal),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
