using Backstroke.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Backstroke.Polling;

internal static class PollingExtensions
{
    /// <summary>Quartz with the polling and retention jobs. The store is in memory on SQLite and shared (clustered)
    /// on PostgreSQL: see <see cref="ClusteredScheduler"/>.</summary>
    public static IServiceCollection AddPolling(this IServiceCollection services)
    {
        services.AddOptions<PollingOptions>().BindConfiguration(PollingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PollingOptions>, PollingOptionsValidator>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();

        services.AddSingleton<UpstreamProbe>();
        services.AddSingleton<Poller>();
        services.AddSingleton<OperationRetention>();

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "Backstroke";
                // A stopping app cancels the tick in progress (its probes stop at once) and waits for it to record
                // what it has, rather than leaving it to run against a disposed container.
                scheduler.ShutdownJobInterruption = ShutdownJobInterruption.Always;
            });
            quartz.UseSharedStoreOnPostgres();

            // The schedules come from settings, read when the scheduler is built.
            quartz.ScheduleJob<PollJob>(
                (services, trigger) =>
                {
                    var interval = services.GetRequiredService<IOptions<PollingOptions>>().Value.IntervalSeconds;
                    trigger.WithIdentity("poll", "backstroke")
                        // The first tick waits one interval, so that a starting app answers before it probes.
                        .StartAt(QuartzNow() + TimeSpan.FromSeconds(interval))
                        // A fixed rate keeps the cycle over all links predictable; a tick that runs past the next one
                        // delays it ([DisallowConcurrentExecution]) rather than overlapping it.
                        .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(interval)).RepeatForever());
                },
                (_, job) => job.WithIdentity(PollJob.Key));
            quartz.ScheduleJob<RetentionJob>(
                (services, trigger) =>
                {
                    var interval = services.GetRequiredService<IOptions<RetentionOptions>>().Value.RetentionInterval;
                    trigger.WithIdentity("retention", "backstroke")
                        .StartAt(QuartzNow() + TimeSpan.FromMinutes(1))
                        .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().MeasureIntervalFromCompletion(true));
                },
                (_, job) => job.WithIdentity(RetentionJob.Key));
        });

        services.KeepInMemoryStoreOnSqlite();
        services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        services.AddReadinessCheck<SchedulerReadyCheck>("scheduler", timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>Quartz fires on the system clock, so start times are in its terms; the jobs themselves use the
    /// injected <see cref="TimeProvider"/>.</summary>
    private static DateTimeOffset QuartzNow() => TimeProvider.System.GetUtcNow();
}
