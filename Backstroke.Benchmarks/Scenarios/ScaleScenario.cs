using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: a million links over 10,000 upstream branches (seeded straight into the database), all due at once,
/// against a simulator answering in 50 ms: the cycle must fit in the ten minutes of the default
/// <c>Polling:StaleAfter</c>, and the app's memory must stay under 200 MB while it runs.
/// </summary>
internal sealed class ScaleScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public const string UpstreamOwner = "scaleup";

    public async Task RunAsync()
    {
        // Seeded now, after the other scenarios and the restarts, so that their figures (idle memory, start-up) are
        // over the database they always had. The app is idle meanwhile and the new branches are not due.
        log.WriteLine($"  seeding {options.ScaleLinks:N0} links over {options.ScaleUpstreams:N0} upstream branches...");
        var owner = await world.Seeder.AddUserAsync(6, "scaler", Setup.ScalerToken);
        await Setup.SeedPollingAsync(world, owner, UpstreamOwner, "scalefork", options.ScaleUpstreams, options.ScaleLinks, keep: false);

        await world.Simulator.SetLatencyAsync(options.SimulatorLatencyMs);
        try
        {
            world.Memory.ResetPhase();
            var cycle = await PollingScenario.CycleAsync(world, UpstreamOwner, options.ScaleUpstreams, options.ScaleCycleTimeout, log);
            var phaseMax = world.Memory.ResetPhase();
            var peak = world.App?.Memory()?.PeakMb;
            var note = cycle.Complete ? null : $"did not finish within {options.ScaleCycleTimeout.TotalSeconds:0} s: {cycle.Probes} probes";
            figures.Add("scale.links", "Scale cycle: links", cycle.Links, "links");
            figures.Add("scale.upstreams", "Scale cycle: upstream branches", cycle.Upstreams, "branches");
            figures.Add("scale.cycleSeconds", $"Polling cycle over {cycle.Links:N0} links on {cycle.Upstreams:N0} upstreams", cycle.Complete ? cycle.WallSeconds : null, "s",
                "< 600 s (1,000,000 links)", v => v < 600, note);
            figures.Add("scale.probes", $"Polling probes over {cycle.Links:N0} links", cycle.Probes, "req", "10,000 (one per branch)", v => v <= cycle.Upstreams);
            figures.Add("scale.countedRequests", $"Polling rate-limited requests over {cycle.Links:N0} links", cycle.Counted, "req", "0 (all 304)", v => v == 0);
            figures.Add("scale.maxRssMb", $"RSS while polling {cycle.Links:N0} links (max sampled)", phaseMax, "MB", "< 200 MB (1,000,000 links)", v => v < 200);
            figures.Detail("scale", new { simulatorLatencyMs = options.SimulatorLatencyMs, cycle, processPeakMb = peak, breakdownMb = world.App?.MemoryBreakdown() });
        }
        finally
        {
            await world.Simulator.SetLatencyAsync(0);
        }
    }
}
