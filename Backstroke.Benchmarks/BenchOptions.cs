namespace Backstroke.Benchmarks;

/// <summary>
/// What to run and how big. The full sizes are the ones BENCHMARKS.md reports; <c>--quick</c> shrinks every scenario so the
/// whole run takes well under a minute and still produces every figure (the suite's test runs it that way).
/// </summary>
internal sealed record BenchOptions
{
    public static readonly string[] Scenarios = ["trigger", "sync", "polling", "webhook", "memory", "startup", "scaleout"];

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

    // Scenario 3: polling cycles over unchanged links, the simulator answering in 50 ms.
    public int PollSmall => Quick ? 500 : 10_000;
    public int PollLarge => Quick ? 2_000 : 100_000;
    public int SimulatorLatencyMs => 50;
    public TimeSpan PollCycleTimeout => Quick ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(6);

    // Scenario 4: push webhook to pull request.
    public int WebhookSamples => Quick ? 8 : 50;

    // Scenario 7, on PostgreSQL with one and two instances, uses the sizes of scenarios 1 and 2.

    // Scenario 5 and 6.
    public TimeSpan IdleSettle => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);
    public int StartupSamples => Quick ? 1 : 3;

    public bool Runs(string scenario) => Selected.Contains(scenario);

    /// <summary>Polling runs for its own figures and for the memory figure "after polling".</summary>
    public bool RunsPolling => Runs("polling") || Runs("memory");

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
