using System.Diagnostics;
using System.Net;

namespace Backstroke.Benchmarks.Harness;

/// <summary>
/// The simulator and the app as two processes on loopback, over one temporary data directory. The app is started
/// (and restarted) here, which is where its start-up time is measured.
/// </summary>
internal sealed class World : IAsyncDisposable
{
    public const string WebhookSecret = "benchmark-webhook-secret";

    private readonly BuildOutputs outputs;
    private readonly Dictionary<string, string> appEnvironment;
    private ChildProcess? simulatorProcess;

    private World(BuildOutputs outputs, string dataDirectory, Uri simulatorUrl, Uri appUrl, IReadOnlyDictionary<string, string> extra)
    {
        this.outputs = outputs;
        DataDirectory = dataDirectory;
        AppUrl = appUrl;
        Simulator = new SimulatorClient(simulatorUrl);
        Seeder = new Seeder(Path.Combine(dataDirectory, "app"));
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = appUrl, Timeout = TimeSpan.FromSeconds(30) };
        Memory = new MemorySampler(() => App);
        appEnvironment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = appUrl.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Backstroke__DataDirectory"] = Path.Combine(dataDirectory, "app"),
            ["Backstroke__PublicUrl"] = appUrl.ToString().TrimEnd('/'),
            ["GitHub__ApiUrl"] = simulatorUrl.ToString(),
            ["GitHub__WebUrl"] = simulatorUrl.ToString(),
            ["GitHub__WebhookSecret"] = WebhookSecret,
            // A tick every second, taking at most a batch of the links not checked in the last hour: links seeded as
            // "checked now" stay quiet, and a polling scenario makes links due by ageing their last check.
            ["Polling__IntervalSeconds"] = "1",
            ["Polling__StaleAfter"] = "01:00:00",
            ["Polling__BatchSize"] = "10000",
            // The load scenarios send one account far more than GitHub's secondary limits allow, with the simulator's
            // limits off (Program.ExceedsSecondaryLimits); Backstroke's own pacing at GitHub's numbers would hold them
            // to GitHub's pace (80 pull requests or 900 probes a minute), so its limits are raised to the validator's
            // maxima for the run. The webhook scenario, one push at a time, stays under GitHub's real limits, which
            // the simulator enforces during it.
            ["GitHub__SecondaryLimits__MaxInFlight"] = "1000",
            ["GitHub__SecondaryLimits__PointsPerMinute"] = "100000",
            ["GitHub__SecondaryLimits__ContentPerMinute"] = "10000",
            ["GitHub__SecondaryLimits__ContentPerHour"] = "100000",
            // The image's environment (Dockerfile ENV), so the memory figures are those of the shipped configuration;
            // the app's other memory settings are in its runtimeconfig.json. --app-env overrides it.
            ["MALLOC_ARENA_MAX"] = "2",
        };
        foreach (var (key, value) in extra)
        {
            appEnvironment[key] = value;
        }
    }

    public string DataDirectory { get; }
    public Uri AppUrl { get; }
    public SimulatorClient Simulator { get; }
    public Seeder Seeder { get; }
    public HttpClient Http { get; }
    public MemorySampler Memory { get; }
    public ChildProcess? App { get; private set; }

    /// <summary>The endpoint start-up waits for: /readyz, or /healthz in a build that has no /readyz.</summary>
    public string ReadinessPath { get; private set; } = "/readyz";

    public IReadOnlyDictionary<string, string> AppSettings => appEnvironment;

    public static async Task<World> StartSimulatorAsync(BuildOutputs outputs, IReadOnlyDictionary<string, string> appEnvironment)
    {
        var data = Path.Combine(Path.GetTempPath(), "backstroke-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var simulatorUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        var world = new World(outputs, data, simulatorUrl, new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/"), appEnvironment);
        // GitHub's secondary limits are on, as on GitHub; the scenarios that exceed them on purpose turn them off
        // for their own duration (Program.ExceedsSecondaryLimits).
        world.simulatorProcess = ChildProcess.Start(outputs.SimulatorDirectory, BuildOutputs.SimulatorDll,
            ["--urls", simulatorUrl.ToString().TrimEnd('/')], new Dictionary<string, string>(), Path.Combine(data, "simulator.log"));
        var deadline = Stopwatch.StartNew();
        while (!await world.Simulator.AnswersAsync())
        {
            if (world.simulatorProcess.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("The simulator did not start:\n" + world.simulatorProcess.LogTail());
            }

            await Task.Delay(50);
        }

        return world;
    }

    /// <summary>Starts the app (inside a memory cgroup when given its <c>cgroup.procs</c>); returns the time from
    /// process start to the first 200 from the readiness endpoint.</summary>
    public async Task<TimeSpan> StartAppAsync(string? cgroupProcs = null)
    {
        var clock = Stopwatch.StartNew();
        App = ChildProcess.Start(outputs.AppDirectory, BuildOutputs.AppDll, [], appEnvironment, Path.Combine(DataDirectory, "app.log"), cgroupProcs);
        await WaitUntilReadyAsync(App, AppUrl, clock);
        return clock.Elapsed;
    }

    /// <summary>
    /// One more app process, with the run's settings and <paramref name="overrides"/> (another database, data directory
    /// and instance name), on a port of its own; returns once it is ready. The caller disposes it.
    /// </summary>
    public async Task<(ChildProcess Process, Uri Url)> StartExtraAppAsync(string name, IReadOnlyDictionary<string, string> overrides)
    {
        var url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        var environment = new Dictionary<string, string>(appEnvironment)
        {
            ["ASPNETCORE_URLS"] = url.ToString(),
            ["Backstroke__PublicUrl"] = url.ToString().TrimEnd('/'),
            ["Backstroke__DataDirectory"] = Path.Combine(DataDirectory, name),
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start(outputs.AppDirectory, BuildOutputs.AppDll, [], environment, Path.Combine(DataDirectory, name + ".log"));
        await WaitUntilReadyAsync(process, url, Stopwatch.StartNew());
        return (process, url);
    }

    private async Task WaitUntilReadyAsync(ChildProcess app, Uri url, Stopwatch clock)
    {
        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (app.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException("Backstroke did not become ready:\n" + app.LogTail());
            }

            try
            {
                using var ready = await probe.GetAsync(new Uri(ReadinessPath, UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                if (ready.StatusCode == HttpStatusCode.NotFound && ReadinessPath == "/readyz")
                {
                    // This build has no readiness endpoint yet: liveness is the closest thing it has.
                    ReadinessPath = "/healthz";
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Restarts the app with <paramref name="settings"/> (environment variables) set, or removed where null.</summary>
    public async Task RestartAppAsync(IReadOnlyDictionary<string, string?> settings)
    {
        await StopAppAsync();
        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                appEnvironment.Remove(key);
            }
            else
            {
                appEnvironment[key] = value;
            }
        }

        await StartAppAsync();
    }

    /// <summary>The app's settings as they are now (environment variables), to restore after <see cref="RestartAppAsync"/>.</summary>
    public string? Setting(string key) => appEnvironment.GetValueOrDefault(key);

    public async Task StopAppAsync()
    {
        if (App is { } app)
        {
            await app.StopAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
            App = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Memory.DisposeAsync();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (simulatorProcess is not null)
        {
            await simulatorProcess.DisposeAsync();
        }

        Http.Dispose();
        Simulator.Dispose();
        Seeder.Dispose();
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that has just exited may hold a file for a moment; the temporary folder is cleaned eventually.
        }
    }
}
