using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 8: the whole job inside a memory cgroup, page cache included, as a container limit counts it. For each
/// limit (128, 112, then 96 MB) the app is started inside a cgroup of that size and given everything at once: a
/// polling cycle over the polling set, trigger load on the trigger links, and syncs of the sync links, against the
/// simulator answering in 50 ms. It survives a limit when the kernel killed nothing (<c>oom_kill</c> 0) and the
/// process is still there at the end. The figure is the smallest limit survived.
/// </summary>
internal sealed class CgroupScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public const string FigureKey = "memory.cgroupSmallestMb";

    private string FigureLabel => $"Smallest memory cgroup the whole job survives ({string.Join(", ", options.CgroupLimitsMb)} MB tried)";

    public async Task RunAsync(SeedData seed)
    {
        var outcomes = new List<CgroupOutcome>();
        try
        {
            foreach (var limit in options.CgroupLimitsMb)
            {
                using var cgroup = MemoryCgroup.Create($"backstroke-bench-{Environment.ProcessId}-{limit}", limit, out var whyNot);
                if (cgroup is null)
                {
                    log.WriteLine($"  skipped: {whyNot}");
                    figures.NotAvailable(whyNot!, (FigureKey, FigureLabel, "MB", "<= 128 MB (aim 96 MB)"));
                    return;
                }

                log.WriteLine($"  {limit} MB ({cgroup.Path})...");
                await world.StopAppAsync();
                string? startFailure = null;
                try
                {
                    await world.StartAppAsync(cgroup.ProcsFile);
                    await JobAsync(seed);
                }
                catch (InvalidOperationException ex)
                {
                    startFailure = ex.Message.Split('\n')[0];
                }

                var outcome = cgroup.Outcome(limit, world.App);
                outcome = startFailure is null ? outcome : outcome with { Survived = false, Note = outcome.Note ?? startFailure };
                outcomes.Add(outcome);
                log.WriteLine($"    {(outcome.Survived ? "survived" : "did not survive")}: oom_kill {outcome.OomKills}, limit hit {outcome.FailCount} times, max usage {outcome.MaxUsageMb} MB{(outcome.Killed ? ", killed by SIGKILL" : "")}");
                await world.StopAppAsync();
            }
        }
        finally
        {
            // The scenarios after this one run against the app as it normally runs.
            if (world.App is null)
            {
                await world.StartAppAsync();
            }
        }

        // The smallest of the limits tried, in order, before the first one the job did not survive.
        var survived = outcomes.TakeWhile(o => o.Survived).Select(o => (double?)o.LimitMb).LastOrDefault();
        figures.Add(FigureKey, FigureLabel, survived, "MB", "<= 128 MB (aim 96 MB)", v => v <= 128,
            survived is null ? $"did not survive {outcomes.FirstOrDefault()?.LimitMb} MB" : null);
        figures.Detail("cgroup", new { limitsMb = options.CgroupLimitsMb, loadSeconds = options.CgroupLoad.TotalSeconds, outcomes });
    }

    /// <summary>Polling, triggers and syncs at once, until the polling cycle is recorded and the syncs are done.</summary>
    private async Task JobAsync(SeedData seed)
    {
        await world.Simulator.SetLatencyAsync(options.SimulatorLatencyMs);
        try
        {
            var polling = PollingScenario.CycleAsync(world, PollingScenario.UpstreamOwner, options.PollUpstreams, options.PollCycleTimeout, TextWriter.Null);
            var next = 0;
            var triggers = seed.Trigger.Count == 0 ? Task.CompletedTask : LoadGenerator.RunAsync(world.Http,
                () => new HttpRequestMessage(HttpMethod.Post, new Uri("/_" + seed.Trigger[Interlocked.Increment(ref next) % seed.Trigger.Count].WebhookId, UriKind.Relative)),
                options.LoadConcurrency, options.CgroupLoad, 201);
            var syncs = Task.WhenAll(seed.Behind.Concat(seed.UpToDate).Select(async link =>
            {
                using var response = await world.Http.PostAsync(new Uri("/_" + link.WebhookId, UriKind.Relative), null);
            }));
            await Task.WhenAll(polling, triggers, syncs);

            // The syncs end; the trigger load's operations (their owner has no token) are dropped, as the trigger
            // scenario drops them.
            await world.Seeder.ExecuteAsync("""DELETE FROM "Operations" WHERE "Status" = 'Queued' AND "LinkId" IN (SELECT "Id" FROM "Links" WHERE "UpstreamOwner" = 'trigger-up')""");
            var deadline = DateTimeOffset.UtcNow + options.PollCycleTimeout;
            while (DateTimeOffset.UtcNow < deadline && world.App is { HasExited: false }
                && await world.Seeder.ScalarAsync("""SELECT COUNT(*) FROM "Operations" WHERE "Status" IN ('Queued', 'Running')""") > 0)
            {
                await Task.Delay(250);
            }
        }
        catch (HttpRequestException) when (world.App is { HasExited: true })
        {
            // The kernel killed the app mid-load: the outcome says so.
        }
        finally
        {
            await world.Simulator.SetLatencyAsync(0);
        }
    }
}
