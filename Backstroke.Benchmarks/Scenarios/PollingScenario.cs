using System.Diagnostics;
using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>What one polling cycle cost.</summary>
internal sealed record PollCycle(int Links, bool Complete, double CycleSeconds, double WallSeconds, int Probes, int NotModified, int Counted);

/// <summary>
/// Scenario 3: every link of the set is made due at once (its last check aged by two hours, past
/// <c>Polling:StaleAfter</c> of one hour) and the app polls them in ticks of <c>Polling:BatchSize</c>, one tick a
/// second, against a simulator answering in 50 ms. The links point at an upstream that does not move and carry its
/// ETag, so every probe should be a free 304. The cycle is timed from the first to the last probe in the
/// simulator's request log.
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
            var small = await CycleAsync(options.PollSmall);
            var large = await CycleAsync(options.PollLarge);
            var pollingMax = world.Memory.ResetPhase();
            var after = world.App?.Memory()?.RssMb;
            var breakdown = world.App?.MemoryBreakdown();

            foreach (var (key, cycle) in new[] { ("small", small), ("large", large) })
            {
                var over = $"over {cycle.Links:N0} unchanged links";
                figures.Add($"polling.{key}.links", $"Polling cycle {key}: links", cycle.Links, "links");
                figures.Add($"polling.{key}.cycleSeconds", $"Polling cycle {over}", cycle.Complete ? cycle.CycleSeconds : null, "s",
                    key == "large" ? "< 600 s (100,000 links)" : null, key == "large" ? v => v < 600 : null,
                    cycle.Complete ? null : $"did not finish within {options.PollCycleTimeout.TotalSeconds:0} s: {cycle.Probes} probes");
                figures.Add($"polling.{key}.probes", $"Polling probes {over}", cycle.Probes, "req");
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

    private async Task<PollCycle> CycleAsync(int links)
    {
        log.WriteLine($"  one cycle over {links:N0} unchanged links...");
        await world.Simulator.ClearRequestsAsync();
        var aged = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        await world.Seeder.ExecuteAsync(
            """UPDATE "Links" SET "LastSyncedAt" = $aged WHERE "rowid" IN (SELECT "rowid" FROM "Links" WHERE "UpstreamOwner" = $owner ORDER BY "rowid" LIMIT $count)""",
            ("$aged", aged), ("$owner", UpstreamOwner), ("$count", links));

        // The poller writes each tick's results at its end; the cycle is over when no aged link is left.
        var complete = true;
        while (await world.Seeder.ScalarAsync("""SELECT COUNT(*) FROM "Links" WHERE "Enabled" = 1 AND "LastSyncedAt" = $aged""", ("$aged", aged)) > 0)
        {
            if (clock.Elapsed > options.PollCycleTimeout)
            {
                complete = false;
                break;
            }

            await Task.Delay(250);
        }

        var wall = clock.Elapsed.TotalSeconds;
        var probes = (await world.Simulator.RequestsAsync())
            .Where(r => r.Path.StartsWith($"/repos/{UpstreamOwner}/{UpstreamRepo}/commits/", StringComparison.Ordinal))
            .ToList();
        var seconds = probes.Count == 0 ? 0 : (probes.Max(p => p.At) - probes.Min(p => p.At)).TotalSeconds;
        var cycle = new PollCycle(links, complete, seconds, wall, probes.Count, probes.Count(p => p.Status == 304), probes.Count(p => p.Counted));
        log.WriteLine($"    {cycle.Probes:N0} probes in {cycle.CycleSeconds:0.0} s ({cycle.NotModified:N0} answered 304, {cycle.Counted} counted)");
        return cycle;
    }
}
