using System.Collections.Concurrent;
using Backstroke.Polling;
using Backstroke.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Xunit.Abstractions;

namespace Backstroke.Tests.Polling;

/// <summary>Two instances on one PostgreSQL share one schedule: a polling tick never runs on both at once.</summary>
[Postgres]
public sealed class ClusteredSchedulerTests(ITestOutputHelper output)
{
    [Fact]
    [Slow("cluster")]
    public async Task Ticks_longer_than_the_interval_never_overlap_across_two_instances()
    {
        var database = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase());
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database,
            // A tick a second, each taking longer than that (GitHub answers slowly), so ticks would overlap if
            // each instance ran its own schedule.
            ["Polling:IntervalSeconds"] = "1",
            ["Polling:StaleAfter"] = "00:00:01",
        };
        await using var world = await WatchWorld.StartAsync(settings, output: output);
        await world.AddLinkAsync();
        world.GitHub.SetLatency(1_500);
        await using var second = new BackstrokeApplication(TestSettings.For(world.GitHub.BaseUrl, settings), output);
        _ = second.Server;

        var ticks = new ConcurrentQueue<Tick>();
        foreach (var app in new[] { world.App, second })
        {
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            scheduler.ListenerManager.AddJobListener(new TickRecorder(scheduler.SchedulerInstanceId, ticks), []);
        }

        (await Eventually.TrueAsync(() => Task.FromResult(ticks.Count(t => t.Finished is not null) >= 4), TimeSpan.FromSeconds(40)))
            .Should().BeTrue($"ticks ran ({ticks.Count} recorded)");

        var done = ticks.Where(t => t.Finished is not null).OrderBy(t => t.Started).ToList();
        output.WriteLine(string.Join(Environment.NewLine, done.Select(t => $"{t.Instance} {t.Started:HH:mm:ss.fff} - {t.Finished:HH:mm:ss.fff}")));
        done.Should().OnlyContain(t => t.Finished - t.Started >= TimeSpan.FromSeconds(1), "each tick waited for GitHub");
        for (var i = 1; i < done.Count; i++)
        {
            done[i].Started.Should().BeOnOrAfter(done[i - 1].Finished!.Value,
                $"tick {i} ({done[i].Instance}) started after tick {i - 1} ({done[i - 1].Instance}) ended");
        }
    }

    private sealed record Tick(string Instance, DateTimeOffset Started)
    {
        public DateTimeOffset? Finished { get; set; }
    }

    private sealed class TickRecorder(string instance, ConcurrentQueue<Tick> ticks) : IJobListener
    {
        private readonly ConcurrentDictionary<string, Tick> running = new();

        public string Name => "tick-recorder";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            if (context.JobDetail.Key.Equals(PollJob.Key))
            {
                var tick = new Tick(instance, DateTimeOffset.UtcNow);
                running[context.FireInstanceId] = tick;
                ticks.Enqueue(tick);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (running.TryRemove(context.FireInstanceId, out var tick))
            {
                tick.Finished = DateTimeOffset.UtcNow;
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
