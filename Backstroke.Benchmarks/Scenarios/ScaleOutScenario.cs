using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;
using Backstroke.Tests.Support;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: the trigger and sync figures again on PostgreSQL, first with one instance, then with two sharing the
/// database (requests spread over them in turn), beside the SQLite figures of the same run. The cluster is a
/// throwaway one started the way the tests start theirs (the same source file), durability off: the figures are the
/// app's and the protocol's, not a disk's. Each instance count gets a fresh database and forks of its own.
/// </summary>
internal sealed class ScaleOutScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public static readonly int[] InstanceCounts = [1, 2];

    public static (string Key, string Label, string Unit, string? Target)[] FigureNames =>
    [
        .. InstanceCounts.SelectMany(n => new (string, string, string, string?)[]
        {
            ($"scaleout.postgres{n}.trigger.durableEnqueuesPerSecond", $"PostgreSQL, {Instances(n)}: trigger durable enqueues", "/s", null),
            ($"scaleout.postgres{n}.trigger.p99Ms", $"PostgreSQL, {Instances(n)}: trigger p99", "ms", null),
            ($"scaleout.postgres{n}.sync.syncsPerSecond", $"PostgreSQL, {Instances(n)}: end-to-end syncs that open a pull request", "syncs/s", null),
        }),
    ];

    public static string? MissingReason => PostgresCluster.MissingReason;

    public async Task RunAsync()
    {
        using var cluster = PostgresCluster.Start();
        await world.Simulator.SetLatencyAsync(0);
        foreach (var instances in InstanceCounts)
        {
            await RunAsync(cluster, instances);
        }
    }

    private async Task RunAsync(PostgresCluster cluster, int instances)
    {
        var name = $"postgres{instances}";
        var database = cluster.ConnectionString(cluster.CreateDatabase());
        using var seeder = new Seeder(Path.Combine(world.DataDirectory, name + "-seed"), database);
        await seeder.MigrateAsync();
        log.WriteLine($"  {name}: {options.TriggerLinks:N0} links for the trigger load, {options.SyncPairs} forks behind...");
        var triggerOwner = await seeder.AddUserAsync(1, "trigger-owner", token: null);
        var trigger = await seeder.AddLinksAsync(triggerOwner, options.TriggerLinks, i => new LinkSeed("trigger-up", "lib", "trigger-fork", "lib" + i));
        await Parallel.ForEachAsync(Enumerable.Range(0, options.SyncPairs), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            await world.Simulator.CreateRepoAsync(SyncScenario.Upstream, $"{name}pr{i}");
            await world.Simulator.CreateRepoAsync(SyncScenario.Owner, $"{name}pr{i}", $"{SyncScenario.Upstream}/{name}pr{i}");
            await world.Simulator.CommitAsync(SyncScenario.Upstream, $"{name}pr{i}", "main", "New upstream work");
        });
        var syncOwner = await seeder.AddUserAsync(2, SyncScenario.Owner, Setup.ForkerToken);
        var behind = await seeder.AddLinksAsync(syncOwner, options.SyncPairs,
            i => new LinkSeed(SyncScenario.Upstream, $"{name}pr{i}", SyncScenario.Owner, $"{name}pr{i}"));

        var apps = new List<ChildProcess>();
        try
        {
            var urls = new List<Uri>();
            foreach (var n in Enumerable.Range(1, instances))
            {
                var (process, url) = await world.StartExtraAppAsync($"{name}-app{n}", new Dictionary<string, string>
                {
                    ["Database__Provider"] = "Postgres",
                    ["Database__ConnectionString"] = database,
                    ["Backstroke__InstanceId"] = $"{name}-app{n}",
                });
                apps.Add(process);
                urls.Add(url);
            }

            var (load, inserted) = await TriggerScenario.MeasureAsync(world, options, log, seeder, urls, trigger);
            var sync = await new SyncScenario(world, options, figures, log).PhaseAsync($"on {Instances(instances)}, forks behind", behind, seeder, urls);

            figures.Add($"scaleout.{name}.trigger.durableEnqueuesPerSecond", $"PostgreSQL, {Instances(instances)}: trigger durable enqueues", inserted / load.Seconds, "/s");
            figures.Add($"scaleout.{name}.trigger.p99Ms", $"PostgreSQL, {Instances(instances)}: trigger p99", load.P99Ms, "ms");
            figures.Add($"scaleout.{name}.sync.syncsPerSecond", $"PostgreSQL, {Instances(instances)}: end-to-end syncs that open a pull request", sync.PerSecond, "syncs/s");
            figures.Detail($"scaleout.{name}", new { instances, trigger = load, insertedOperations = inserted, sync });
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.StopAsync(TimeSpan.FromSeconds(30));
                await app.DisposeAsync();
            }
        }
    }

    private static string Instances(int n) => n == 1 ? "1 instance" : $"{n} instances";
}
