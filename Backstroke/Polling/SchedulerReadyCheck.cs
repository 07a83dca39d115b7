using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Backstroke.Polling;

/// <summary>Readiness: polling only happens while the Quartz scheduler runs, so a stopped one is worth a 503.</summary>
internal sealed class SchedulerReadyCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.GetStatus(cancellationToken) == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("The polling scheduler runs.")
            : HealthCheckResult.Unhealthy("The polling scheduler is not running.");
    }
}
