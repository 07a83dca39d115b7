using System.Diagnostics;
using System.Text.Json;
using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: one fork-all link over an upstream with many forks, all opted in (labelled <c>backstroke-sync</c>),
/// most level with the upstream and the oldest few behind it, the simulator answering in 50 ms with GitHub's limits
/// on: 5,000 counted requests an hour, 900 points and 80 content-creating requests a minute, 500 of those an hour.
/// At GitHub's pace the first run takes hours, so every window is shortened by one factor on both sides, the
/// simulator's (<c>PUT /_fake/time-scale</c>) and Backstroke's pacer (<c>GitHub:SecondaryLimits:MinuteWindow</c> and
/// <c>HourWindow</c>); the numbers of the limits stay GitHub's. The first run crosses several primary windows and
/// the hourly content limit; a second run, with nothing new, must cost almost nothing.
/// </summary>
internal sealed class ForkAllScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    private const string Token = "gho_bench_forkall";
    private const string Upstream = "fa-up";

    public async Task RunAsync()
    {
        var sim = world.Simulator;
        var forks = options.ForkAllForks;
        var behind = options.ForkAllBehind;
        var scale = options.ForkAllTimeScale;
        log.WriteLine($"  {forks:N0} opted-in forks, the oldest {behind:N0} behind the upstream...");
        await sim.CreateUserAsync("fa-owner", Token);
        await sim.CreateRepoAsync(Upstream, "proj");
        await ForkAsync(0, behind);
        await sim.CommitAsync(Upstream, "proj", "main", "Work the oldest forks do not have");
        await ForkAsync(behind, forks);
        var owner = await world.Seeder.AddUserAsync(5, "fa-owner", Token);
        var link = (await world.Seeder.AddLinksAsync(owner, 1, _ => new LinkSeed(Upstream, "proj", "fa-owner", "proj")))[0];
        await world.Seeder.ExecuteAsync(
            """UPDATE "Links" SET "ForkType" = 'ForkAll', "ForkOwner" = NULL, "ForkRepo" = NULL, "ForkBranch" = NULL, "SyncedSha" = NULL WHERE "Id" = @id""",
            ("@id", link.Id));

        var minute = TimeSpan.FromMinutes(1) / scale;
        var restore = new[] { "GitHub__SecondaryLimits__MaxInFlight", "GitHub__SecondaryLimits__PointsPerMinute", "GitHub__SecondaryLimits__ContentPerMinute",
            "GitHub__SecondaryLimits__ContentPerHour", "GitHub__SecondaryLimits__MinuteWindow", "GitHub__SecondaryLimits__HourWindow", "Sync__ForkConcurrency" }
            .ToDictionary(key => key, world.Setting);
        await sim.SetTimeScaleAsync(scale);
        await sim.SetLatencyAsync(options.SimulatorLatencyMs);
        // GitHub's limits, not the raised ones of the load scenarios; windows shortened as the simulator's are.
        await world.RestartAppAsync(new Dictionary<string, string?>
        {
            ["GitHub__SecondaryLimits__MaxInFlight"] = "100",
            ["GitHub__SecondaryLimits__PointsPerMinute"] = "900",
            ["GitHub__SecondaryLimits__ContentPerMinute"] = "80",
            ["GitHub__SecondaryLimits__ContentPerHour"] = "500",
            ["GitHub__SecondaryLimits__MinuteWindow"] = minute.ToString("c"),
            ["GitHub__SecondaryLimits__HourWindow"] = (TimeSpan.FromHours(1) / scale).ToString("c"),
            ["Sync__ForkConcurrency"] = "16",
        });
        try
        {
            var first = await RunOnceAsync("first run", link, forks);
            var second = await RunOnceAsync("second run, nothing new", link, forks);
            Report(first, second, forks, behind, scale);
        }
        finally
        {
            await sim.SetTimeScaleAsync(1);
            await sim.SetLatencyAsync(0);
            await world.RestartAppAsync(restore);
        }
    }

    private async Task ForkAsync(int from, int to)
    {
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            await world.Simulator.CreateRepoAsync($"fa{i}", "proj", $"{Upstream}/proj");
            await world.Simulator.CreateLabelAsync($"fa{i}", "proj", "backstroke-sync");
        });
    }

    private async Task<ForkAllRun> RunOnceAsync(string what, SeededLink link, int forks)
    {
        log.WriteLine($"  {what}...");
        await world.Simulator.ClearRequestsAsync();
        var started = DateTimeOffset.UtcNow;
        using (var response = await world.Http.PostAsync(new Uri("/_" + link.WebhookId, UriKind.Relative), null))
        {
            response.EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        var from = ("@from", (object)started.ToUnixTimeMilliseconds());
        var id = ("@link", (object)link.Id);
        while (await world.Seeder.ScalarAsync("""SELECT COUNT(*) FROM "Operations" WHERE "LinkId" = @link AND "FinishedAt" >= @from""", id, from) == 0)
        {
            if (clock.Elapsed > options.ForkAllTimeout)
            {
                throw new TimeoutException($"The fork-all {what} did not finish in {options.ForkAllTimeout}.");
            }

            await Task.Delay(200);
        }

        var finished = await world.Seeder.ScalarAsync("""SELECT MAX("FinishedAt") FROM "Operations" WHERE "LinkId" = @link AND "FinishedAt" >= @from""", id, from);
        var ok = await world.Seeder.ScalarAsync("""SELECT COUNT(*) FROM "Operations" WHERE "LinkId" = @link AND "FinishedAt" >= @from AND "Status" = 'Ok'""", id, from);
        var successes = await SuccessesAsync(link.Id, started);
        if (ok == 0 || successes != forks)
        {
            throw new InvalidOperationException($"The fork-all {what} did not end ok for every fork ({successes} of {forks} succeeded).");
        }

        var requests = await world.Simulator.RequestsAsync();
        var posts = requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/pulls", StringComparison.Ordinal)).ToList();
        var run = new ForkAllRun(
            Seconds: (finished - started.ToUnixTimeMilliseconds()) / 1000.0,
            Requests: requests.Count,
            Counted: requests.Count(r => r.Counted),
            NotModified: requests.Count(r => r.Status == 304),
            Refusals: requests.Count(r => r.Status is 403 or 429),
            Points: requests.Sum(r => r.Method is "GET" or "HEAD" or "OPTIONS" ? 1 : 5),
            ContentCreating: posts.Count,
            PullRequests: posts.Count(r => r.Status == 201),
            RepeatedForks: posts.GroupBy(r => r.Path).Count(g => g.Count() > 1));
        log.WriteLine($"  {run.Seconds:0.0} s, {run.Requests:N0} requests, {run.Counted:N0} counted, {run.NotModified:N0} 304s, {run.Refusals} refusals, {run.PullRequests} pull requests");
        return run;
    }

    private async Task<long> SuccessesAsync(string linkId, DateTimeOffset started)
    {
        await using var connection = await world.Seeder.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Output" FROM "Operations" WHERE "LinkId" = @link AND "FinishedAt" >= @from ORDER BY "FinishedAt" DESC LIMIT 1""";
        Seeder.Add(command, "@link", linkId);
        Seeder.Add(command, "@from", started.ToUnixTimeMilliseconds());
        var output = await command.ExecuteScalarAsync() as string;
        using var json = JsonDocument.Parse(output ?? "{}");
        return json.RootElement.TryGetProperty("metrics", out var metrics) ? metrics.GetProperty("successes").GetInt64() : -1;
    }

    /// <summary>
    /// The run's length at GitHub's own pace: at least what its requests take under each of GitHub's limits (counted
    /// requests at 5,000 an hour, points at 900 a minute, content-creating requests at 500 an hour past the first
    /// 500), and at least what it took here, where latency, not the limits, may have been what bound it.
    /// </summary>
    private static double RealScaleSeconds(ForkAllRun run)
    {
        var primary = Math.Max(0, Math.Ceiling(run.Counted / 5000.0) - 1) * 3600;
        var points = run.Points / 900.0 * 60;
        var content = Math.Max(0, Math.Ceiling(run.ContentCreating / 500.0) - 1) * 3600;
        return new[] { primary, points, content, run.Seconds }.Max();
    }

    private void Report(ForkAllRun first, ForkAllRun second, int forks, int behind, double scale)
    {
        var scaled = $"windows shortened {scale:0}x";
        figures.Add("forkAll.forks", $"Fork-all: opted-in forks ({behind:N0} behind)", forks, "forks");
        figures.Add("forkAll.first.refusals", "Fork-all first run: secondary-limit refusals", first.Refusals, "answers", "0", v => v == 0);
        figures.Add("forkAll.first.countedRequests", "Fork-all first run: counted requests", first.Counted, "req");
        figures.Add("forkAll.first.repeatedForks", "Fork-all first run: forks given a second pull request", first.RepeatedForks, "forks", "0", v => v == 0);
        figures.Add("forkAll.first.seconds", $"Fork-all first run: duration measured ({scaled})", first.Seconds, "s");
        figures.Add("forkAll.first.realScaleHours", "Fork-all first run: duration at GitHub's limits (estimate)", RealScaleSeconds(first) / 3600, "h");
        figures.Add("forkAll.second.countedRequests", "Fork-all second run, nothing new: counted requests", second.Counted, "req", "<= 100", v => v <= 100);
        figures.Add("forkAll.second.seconds", $"Fork-all second run: duration measured ({scaled})", second.Seconds, "s");
        figures.Add("forkAll.second.realScaleMinutes", "Fork-all second run: duration at GitHub's limits (estimate)", RealScaleSeconds(second) / 60, "min");
        figures.Detail("forkAll", new { forks, behind, timeScale = scale, simulatorLatencyMs = options.SimulatorLatencyMs, forkConcurrency = 16, first, second });
    }
}

internal sealed record ForkAllRun(
    double Seconds, int Requests, int Counted, int NotModified, int Refusals, int Points, int ContentCreating, int PullRequests, int RepeatedForks);
