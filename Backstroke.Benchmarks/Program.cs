using System.Diagnostics;
using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;
using Backstroke.Benchmarks.Scenarios;

namespace Backstroke.Benchmarks;

/// <summary>
/// dotnet run -c Release --project Backstroke.Benchmarks -- [all|trigger|sync|polling|webhook|fork-all|memory|scale|cgroup|startup|scaleout]... [--quick].
/// The figures of one run, side by side: the simulator and the app run as separate processes on loopback,
/// the scenarios run in turn against them, and the figures go to a table and to benchmark-results/latest.json.
/// </summary>
internal static class Program
{
    /// <summary>
    /// Scenarios whose load, from one simulated account, is far beyond GitHub's secondary limits on purpose (thousands
    /// of triggers, 200 pull requests in a burst where GitHub allows 80 a minute, 100,000 probes where it allows 900
    /// points a minute): with the limits on they would measure GitHub's throttle and Backstroke's patience, not
    /// Backstroke. They run with the simulator's secondary limits off (and the app's own pacing is raised to match,
    /// see World); the webhook scenario (one push at a time) runs with GitHub's limits on and must meet none of them.
    /// </summary>
    private static readonly HashSet<string> ExceedsSecondaryLimits = ["trigger", "sync", "polling", "scale", "cgroup", "scaleout"];

    public static async Task<int> Main(string[] args)
    {
        if (BenchOptions.Parse(args, Console.Error) is not { } options)
        {
            return 2;
        }

        var log = Console.Out;
        var clock = Stopwatch.StartNew();
        var outputs = await BuildOutputs.LocateAsync(log);
        var features = Features.OfBuild();
        var machine = Machine.Current();
        log.WriteLine($"Backstroke benchmarks ({(options.Quick ? "quick" : "full")}, {outputs.Configuration} build) on {machine}");
        if (outputs.Configuration != "Release")
        {
            log.WriteLine("Note: not a Release build; use `dotnet run -c Release --project Backstroke.Benchmarks` for figures worth comparing.");
        }

        var figures = new Figures();
        var failures = new List<string>();
        var world = await World.StartSimulatorAsync(outputs, options.AppEnvironment);
        try
        {
            await RunAsync(world, options, features, figures, failures, log);
        }
        catch (Exception ex)
        {
            failures.Add("setup: " + ex.Message);
            log.WriteLine($"The run stopped: {ex.Message}");
            if (world.App is { } app)
            {
                log.WriteLine(app.LogTail());
            }
        }
        finally
        {
            await world.DisposeAsync();
            if (!options.KeepData)
            {
                world.DeleteData();
            }
        }

        Report.PrintTable(figures, log);
        var path = options.OutputPath ?? Path.Combine(outputs.RepositoryRoot, "benchmark-results", options.Quick ? "latest-quick.json" : "latest.json");
        await Report.WriteJsonAsync(path, new
        {
            generatedAt = DateTimeOffset.UtcNow,
            mode = options.Quick ? "quick" : "full",
            configuration = outputs.Configuration,
            durationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            machine,
            scenarios = options.Selected.Order(),
            readinessEndpoint = world.ReadinessPath,
            appSettings = world.AppSettings.Where(s => !s.Key.Contains("Secret", StringComparison.OrdinalIgnoreCase)).ToDictionary(),
            failures,
            figures = figures.All,
            details = figures.Details,
        });
        log.WriteLine();
        log.WriteLine($"Figures written to {path} ({clock.Elapsed.TotalSeconds:0} s in all).");
        foreach (var failure in failures)
        {
            log.WriteLine("FAILED: " + failure);
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task RunAsync(World world, BenchOptions options, Features features, Figures figures, List<string> failures, TextWriter log)
    {
        log.WriteLine("Seeding the simulator and the database...");
        var seed = await Setup.SeedAsync(world, options, features, log);

        log.WriteLine("Starting Backstroke...");
        var startups = new List<double> { (await world.StartAppAsync()).TotalMilliseconds };
        await Task.Delay(options.IdleSettle);
        var idle = world.App!.Memory()?.RssMb;
        var idleBreakdown = world.App.MemoryBreakdown();
        figures.Add("memory.idleMb", "RSS idle, after start", idle, "MB", "< 100 MB", v => v < 100);

        async Task Scenario(string name, string title, Func<Task> run)
        {
            if (!options.Runs(name) && !(name == "polling" && options.RunsPolling))
            {
                return;
            }

            log.WriteLine($"[{name}] {title}");
            var unthrottled = ExceedsSecondaryLimits.Contains(name);
            try
            {
                if (unthrottled)
                {
                    await world.Simulator.SetSecondaryLimitsAsync(false);
                }

                await run();
            }
            catch (Exception ex)
            {
                failures.Add($"{name}: {ex.Message}");
                log.WriteLine($"  failed: {ex}");
            }
            finally
            {
                if (unthrottled)
                {
                    await world.Simulator.SetSecondaryLimitsAsync(true);
                }
            }
        }

        await Scenario("trigger", "trigger throughput and latency beside a no-op endpoint",
            () => new TriggerScenario(world, options, figures, log).RunAsync(seed.Trigger));
        await Scenario("sync", "end-to-end syncs and GitHub requests per sync",
            () => new SyncScenario(world, options, figures, log).RunAsync(seed.Behind, seed.UpToDate));
        await Scenario("webhook", "signed push webhook to pull request", async () =>
        {
            if (features.Webhooks && await WebhookScenario.AvailableAsync(world))
            {
                await new WebhookScenario(world, options, figures, log).RunAsync();
            }
            else
            {
                log.WriteLine("  not available in this build (no /webhooks/github)");
                figures.NotAvailable("not available in this build (no /webhooks/github)",
                    ("webhook.p50Ms", "Push webhook to pull request, p50", "ms", null),
                    ("webhook.p95Ms", "Push webhook to pull request, p95", "ms", "< 1000 ms"));
            }
        });
        await Scenario("polling", "polling cycles over unchanged links, simulator answering in 50 ms", async () =>
        {
            if (features.Polling)
            {
                await new PollingScenario(world, options, figures, log).RunAsync();
            }
            else
            {
                log.WriteLine("  not available in this build (no polling)");
                figures.NotAvailable("not available in this build (no polling)",
                    ("polling.small.links", "Polling cycle small: links", "links", null),
                    ("polling.small.upstreams", "Polling cycle small: upstream branches", "branches", null),
                    ("polling.small.cycleSeconds", "Polling cycle over 10,000 unchanged links", "s", null),
                    ("polling.small.probes", "Polling probes, 10,000 links", "req", null),
                    ("polling.small.countedRequests", "Polling rate-limited requests, 10,000 links", "req", "0 (all 304)"),
                    ("polling.large.links", "Polling cycle large: links", "links", null),
                    ("polling.large.upstreams", "Polling cycle large: upstream branches", "branches", null),
                    ("polling.large.cycleSeconds", "Polling cycle over 100,000 unchanged links", "s", "< 600 s (100,000 links)"),
                    ("polling.large.probes", "Polling probes, 100,000 links", "req", "1,000 (one per branch)"),
                    ("polling.large.countedRequests", "Polling rate-limited requests, 100,000 links", "req", "0 (all 304)"),
                    ("memory.pollingMaxMb", "RSS while polling 100,000 links (max sampled)", "MB", "< 200 MB (100,000 links)"),
                    ("memory.afterPollingMb", "RSS after the polling cycles", "MB", "< 200 MB (100,000 links)"));
            }
        });

        await Scenario("scaleout", "trigger and sync figures on PostgreSQL, one instance and two", async () =>
        {
            if (ScaleOutScenario.MissingReason is { } missing)
            {
                log.WriteLine("  not available here: " + missing);
                figures.NotAvailable(missing, ScaleOutScenario.FigureNames);
            }
            else
            {
                await new ScaleOutScenario(world, options, figures, log).RunAsync();
            }
        });

        // The kernel's high-water mark covers the whole life of this process: the peak of the run.
        figures.Add("memory.peakMb", "RSS peak over the run (VmHWM)", world.App?.Memory()?.PeakMb, "MB");

        // Last but one: it restarts the app with GitHub's limits (windows shortened) and restores it after.
        await Scenario("fork-all", "fork-all over many opted-in forks under GitHub's limits, windows shortened",
            () => new ForkAllScenario(world, options, figures, log).RunAsync());

        if (options.Runs("startup"))
        {
            log.WriteLine("[startup] restarts");
            for (var i = 1; i < options.StartupSamples; i++)
            {
                await world.StopAppAsync();
                startups.Add((await world.StartAppAsync()).TotalMilliseconds);
            }
        }

        var fallback = world.ReadinessPath == "/readyz" ? null : "this build has no /readyz: time to the first 200 from /healthz";
        figures.Add("startup.readyMs", $"Start-up to {world.ReadinessPath} (median of {startups.Count})", Stats.Median(startups), "ms", note: fallback);
        figures.Detail("startup", new { endpoint = world.ReadinessPath, samplesMs = startups.Select(s => Math.Round(s)) });

        await Scenario("scale", "one polling cycle over 1,000,000 links on 10,000 upstream branches, simulator answering in 50 ms",
            () => new ScaleScenario(world, options, figures, log).RunAsync());

        await Scenario("cgroup", "the whole job (polling, triggers, syncs) inside memory cgroups of 128, 112 and 96 MB",
            () => new CgroupScenario(world, options, figures, log).RunAsync(seed));
        figures.Detail("memory", new { idleMb = idle, idleBreakdownMb = idleBreakdown, maxSampledMb = world.Memory.MaxRssMb });
    }
}
