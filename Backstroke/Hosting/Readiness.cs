using System.Text.Json;
using Backstroke.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Backstroke.Hosting;

/// <summary>
/// <c>/readyz</c>: every health check tagged <see cref="Tag"/> must pass. Each feature adds its own (the database here,
/// the sync workers in Sync, the scheduler with polling), so readiness grows with the app without this file knowing.
/// </summary>
internal static class Readiness
{
    public const string Tag = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IHealthChecksBuilder AddReadinessChecks(this IHealthChecksBuilder checks) =>
        checks.AddCheck<DatabaseReadyCheck>("database", tags: [Tag], timeout: TimeSpan.FromSeconds(5));

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

/// <summary>The database answers a query on the operations table, so the schema is there too, not just the file.</summary>
internal sealed class DatabaseReadyCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            await db.Operations.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database does not answer (see the log for why).", ex);
        }
    }
}
