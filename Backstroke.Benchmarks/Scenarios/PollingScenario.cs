using System.Diagnostics;
using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>What one polling cycle cost.</summary>
internal sealed record PollCycle(int Upstreams, long Links, bool Complete, double CycleSeconds, double WallSeconds, int Probes, int NotModified, int Counted);

/// <summary>
/// Scenario 3: the links of a set of upstream branches are made due at once (each branch's last check aged by two
/// hours, past <c>Polling:StaleAfter</c> of one hour) and the app polls them in ticks of <c>Polling:BatchSize</c>
/// branches, one tick a second, against a simulator answering in 50 ms. The branches do not move and their rows carry
/// the ETag, so every probe should be a free 304, and there should be one probe per branch, not per link. The cycle
/// is timed from the first to the last probe in the simulator's request log.
/// </summary>
internal sealed class PollingScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public const string UpstreamOwner = "pollup";
    public const string UpstreamRepo = "proj";

    public async Task RunAsync()
    {
        await world.Simulator.SetLatencyAsync(options.SimulatorLatencyMs);
        try
        {
            world.Memory.ResetPhase();
            var small = await CycleAsync(world, UpstreamOwner, options.PollSmallUpstreams, options.PollCycleTimeout, log);
            var large = await CycleAsync(world, UpstreamOwner, options.PollUpstreams, options.PollCycleTimeout, log);
            var pollingMax = world.Memory.ResetPhase();
            var after = world.App?.Memory()?.RssMb;
            var breakdown = world.App?.MemoryBreakdown();

            foreach (var (key, cycle) in new[] { ("small", small), ("large", large) })
            {
                var over = $"over {cycle.Links:N0} unchanged links on {cycle.Upstreams:N0} upstreams";
                var isLarge = key == "large";
                figures.Add($"polling.{key}.links", $"Polling cycle {key}: links", cycle.Links, "links");
                figures.Add($"polling.{key}.upstreams", $"Polling cycle {key}: upstream branches", cycle.Upstreams, "branches");
                figures.Add($"polling.{key}.cycleSeconds", $"Polling cycle {over}", cycle.Complete ? cycle.CycleSeconds : null, "s",
                    isLarge ? "< 600 s (100,000 links)" : null, isLarge ? v => v < 600 : null,
                    cycle.Complete ? null : $"did not finish within {options.PollCycleTimeout.TotalSeconds:0} s: {cycle.Probes} probes");
                figures.Add($"polling.{key}.probes", $"Polling probes {over}", cycle.Probes, "req",
                    isLarge ? "1,000 (one per branch)" : null, isLarge ? v => v <= cycle.Upstreams : null);
                figures.Add($"polling.{key}.countedRequests", $"Polling rate-limited requests {over}", cycle.Counted, "req", "0 (all 304)", v => v == 0);
            }

            figures.Add("memory.pollingMaxMb", $"RSS while polling {large.Links:N0} links (max sampled)", pollingMax, "MB", "< 200 MB (100,000 links)", v => v < 200);
            figures.Add("memory.afterPollingMb", "RSS after the polling cycles", after, "MB", "< 200 MB (100,000 links)", v => v < 200);
            figures.Detail("polling", new { simulatorLatencyMs = options.SimulatorLatencyMs, settings = "Polling:IntervalSeconds=1, StaleAfter=01:00:00, BatchSize=10000, Concurrency default", small, large, afterBreakdownMb = breakdown });
        }
        finally
        {
            await world.Simulator.SetLatencyAsync(0);
        }
    }

    /// <summary>Ages the first <paramref name="upstreams"/> branches of <paramref name="owner"/> and waits for the app to
    /// check them all again.</summary>
    public static async Task<PollCycle> CycleAsync(World world, string owner, int upstreams, TimeSpan timeout, TextWriter log)
    {
        await world.Simulator.ClearRequestsAsync();
        var aged = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();
        await world.Seeder.ExecuteAsync(
            """UPDATE "Upstreams" SET "LastCheckedAt" = @aged WHERE "Id" IN (SELECT "Id" FROM "Upstreams" WHERE "Owner" = @owner ORDER BY "Id" LIMIT @count)""",
            ("@aged", aged), ("@owner", owner), ("@count", upstreams));
        var links = await world.Seeder.ScalarAsync(
            """SELECT COUNT(*) FROM "Links" l JOIN "Upstreams" u ON u."Id" = l."UpstreamId" WHERE u."LastCheckedAt" = @aged""", ("@aged", aged));
        log.WriteLine($"  one cycle over {links:N0} unchanged links on {upstreams:N0} upstream branches...");
        var clock = Stopwatch.StartNew();

        // The poller writes each chunk's results as it goes; the cycle is over when no aged branch is left.
        var complete = true;
        while (await world.Seeder.ScalarAsync("""SELECT COUNT(*) FROM "Upstreams" WHERE "LastCheckedAt" = @aged""", ("@aged", aged)) > 0)
        {
            if (clock.Elapsed > timeout || world.App is not { HasExited: false })
            {
                complete = false;
                break;
            }

            await Task.Delay(250);
        }

        var wall = clock.Elapsed.TotalSeconds;
        var probes = (await world.Simulator.RequestsAsync())
            .Where(r => r.Path.StartsWith($"/repos/{owner}/", StringComparison.Ordinal) && r.Path.Contains("/commits/", StringComparison.Ordinal))
            .ToList();
        var seconds = probes.Count == 0 ? 0 : (probes.Max(p => p.At) - probes.Min(p => p.At)).TotalSeconds;
        var cycle = new PollCycle(upstreams, links, complete, seconds, wall, probes.Count, probes.Count(p => p.Status == 304), probes.Count(p => p.Counted));
        log.WriteLine($"    {cycle.Probes:N0} probes in {cycle.CycleSeconds:0.0} s ({cycle.NotModified:N0} answered 304, {cycle.Counted} counted), all recorded in {wall:0.0} s");
        return cycle;
    }
}
