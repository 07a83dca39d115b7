namespace Backstroke.Benchmarks;

/// <summary>
/// What to run and how big. The full sizes are the ones BENCHMARKS.md reports; <c>--quick</c> shrinks every scenario so the
/// whole run takes well under a minute and still produces every figure (the suite's test runs it that way).
/// </summary>
internal sealed record BenchOptions
{
    public static readonly string[] Scenarios = ["trigger", "sync", "polling", "webhook", "fork-all", "memory", "scale", "cgroup", "startup", "scaleout"];

    public required IReadOnlySet<string> Selected { get; init; }
    public bool Quick { get; init; }
    public string? OutputPath { get; init; }
    public bool KeepData { get; init; }

    /// <summary>Extra environment variables for the app (<c>--app-env KEY=VALUE</c>), to try a setting's effect.</summary>
    public IReadOnlyDictionary<string, string> AppEnvironment { get; init; } = new Dictionary<string, string>();

    // Scenario 1: the trigger URL under load, beside a no-op endpoint.
    public int LoadConcurrency => 16;
    public TimeSpan LoadWarmup => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2);
    public TimeSpan LoadDuration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);

    /// <summary>Enough links that each trigger request in the run finds its link with no queued operation yet, so
    /// every request is a durable insert, not a coalesced answer.</summary>
    public int TriggerLinks => Quick ? 10_000 : 80_000;

    // Scenario 2: end-to-end syncs.
    public int SyncPairs => Quick ? 20 : 200;

    // Scenario 3: polling cycles over unchanged links, the simulator answering in 50 ms. The links are spread evenly
    // over the upstream branches; the small cycle takes the first tenth of them.
    public int PollLarge => Quick ? 2_000 : 100_000;
    public int PollUpstreams => Quick ? 20 : 1_000;
    public int PollSmallUpstreams => PollUpstreams / 10;
    public int SimulatorLatencyMs => 50;
    public TimeSpan PollCycleTimeout => Quick ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(6);

    // Scenario 4: push webhook to pull request.
    public int WebhookSamples => Quick ? 8 : 50;

    // Scenario 5: fork-all over many opted-in forks, most level with the upstream and some behind, under GitHub's
    // limits with every window shortened by one factor (ForkAllScenario).
    public int ForkAllForks => Quick ? 60 : 10_000;
    public int ForkAllBehind => Quick ? 10 : 1_000;
    public double ForkAllTimeScale => 120;
    public TimeSpan ForkAllTimeout => Quick ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(30);

    // Scenario 6: a million links over 10,000 upstream branches, one cycle.
    public int ScaleLinks => Quick ? 10_000 : 1_000_000;
    public int ScaleUpstreams => Quick ? 100 : 10_000;
    public TimeSpan ScaleCycleTimeout => Quick ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(12);

    // Scenario 7: the whole job inside memory cgroups of these sizes, largest first (a quick run tries the first only:
    // each limit costs a start of the app).
    public IReadOnlyList<int> CgroupLimitsMb => Quick ? [128] : [128, 112, 96];
    public TimeSpan CgroupLoad => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(20);

    // Scenario 8, on PostgreSQL with one and two instances, uses the sizes of scenarios 1 and 2.

    // The memory and start-up scenarios.
    public TimeSpan IdleSettle => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);
    public int StartupSamples => Quick ? 1 : 3;

    public bool Runs(string scenario) => Selected.Contains(scenario);

    /// <summary>Polling runs for its own figures and for the memory figure "after polling".</summary>
    public bool RunsPolling => Runs("polling") || Runs("memory");

    /// <summary>The links the polling scenario polls are also the memory cgroup scenario's polling load.</summary>
    public bool SeedsPolling => RunsPolling || Runs("cgroup");

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        var selected = new HashSet<string>(StringComparer.Ordinal);
        bool quick = false, keep = false;
        string? output = null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--keep-data":
                    keep = true;
                    break;
                case "--output" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--app-env" when i + 1 < args.Length && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    var setting = args[++i];
                    environment[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    break;
                case "all":
                    selected.UnionWith(Scenarios);
                    break;
                case var name when Scenarios.Contains(name):
                    selected.Add(name);
                    break;
                default:
                    error.WriteLine($"Unknown argument '{args[i]}'.");
                    error.WriteLine($"Usage: dotnet run -c Release --project Backstroke.Benchmarks -- [all|{string.Join('|', Scenarios)}]... [--quick] [--output FILE] [--keep-data] [--app-env KEY=VALUE]...");
                    return null;
            }
        }

        if (selected.Count == 0)
        {
            selected.UnionWith(Scenarios);
        }

        return new BenchOptions { Selected = selected, Quick = quick, OutputPath = output, KeepData = keep, AppEnvironment = environment };
    }
}
