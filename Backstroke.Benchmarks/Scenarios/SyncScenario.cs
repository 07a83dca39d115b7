using System.Diagnostics;
using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: end-to-end syncs through the trigger URL, the queue, the workers and the
/// simulator, first of forks one commit behind (each opens a pull request), then of forks already up to date (nothing
/// to do), then the same up-to-date forks again (the opt-out check's ETag is cached by then). Syncs per second are
/// from the first trigger to the last operation's end; requests per sync are those the simulator counted against a
/// rate limit (304s are free).
/// </summary>
internal sealed class SyncScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public const string Owner = "forker";
    public const string Upstream = "upstream";

    public async Task RunAsync(IReadOnlyList<SeededLink> behind, IReadOnlyList<SeededLink> upToDate)
    {
        await world.Simulator.SetLatencyAsync(0);
        var opening = await PhaseAsync("forks behind: each sync opens a pull request", behind);
        var nothing = await PhaseAsync("forks up to date: nothing to do", upToDate);
        var repeat = await PhaseAsync("the same forks again: nothing to do, opt-out check cached", upToDate);

        figures.Add("sync.syncsPerSecond", "End-to-end syncs that open a pull request", opening.PerSecond, "syncs/s");
        figures.Add("sync.requestsPerPullRequestSync", "Counted GitHub requests, sync that opens a pull request", opening.CountedPerSync, "req",
            "<= 3 (aim 2)", v => v <= 3);
        figures.Add("sync.requestsPerNoopSync", "Counted GitHub requests, sync with nothing to do (first)", nothing.CountedPerSync, "req",
            "<= 2 (aim 1)", v => v <= 2);
        figures.Add("sync.requestsPerRepeatNoopSync", "Counted GitHub requests, sync with nothing to do (repeat)", repeat.CountedPerSync, "req",
            "<= 2 (aim 1)", v => v <= 2);
        figures.Detail("sync", new { simulatorLatencyMs = 0, opening, nothing, repeat });
    }

    /// <summary>Triggers every link (through <paramref name="apps"/> in turn, the run's app by default) and waits until
    /// all their operations have ended.</summary>
    public async Task<SyncPhase> PhaseAsync(string what, IReadOnlyList<SeededLink> links, Seeder? seeder = null, IReadOnlyList<Uri>? apps = null)
    {
        seeder ??= world.Seeder;
        apps ??= [world.AppUrl];
        log.WriteLine($"  {links.Count} syncs, {what}...");
        await world.Simulator.ClearRequestsAsync();
        var started = DateTimeOffset.UtcNow;
        var ids = new string[links.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < links.Count; i = Interlocked.Increment(ref next))
            {
                using var response = await world.Http.PostAsync(new Uri(apps[i % apps.Count], "/_" + links[i].WebhookId), null);
                response.EnsureSuccessStatusCode();
                ids[i] = links[i].Id;
            }
        })));

        var linkIds = string.Join(',', ids.Select(id => "'" + id + "'"));
        var deadline = Stopwatch.StartNew();
        long finished;
        while ((finished = await seeder.ScalarAsync(
            $"""SELECT COUNT(*) FROM "Operations" WHERE "LinkId" IN ({linkIds}) AND "FinishedAt" >= @from""", ("@from", started.ToUnixTimeMilliseconds()))) < links.Count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(options.Quick ? 30 : 120))
            {
                throw new TimeoutException($"Only {finished} of {links.Count} syncs finished in time.");
            }

            await Task.Delay(50);
        }

        var lastEnd = await seeder.ScalarAsync(
            $"""SELECT MAX("FinishedAt") FROM "Operations" WHERE "LinkId" IN ({linkIds}) AND "FinishedAt" >= @from""", ("@from", started.ToUnixTimeMilliseconds()));
        var failed = await seeder.ScalarAsync(
            $"""SELECT COUNT(*) FROM "Operations" WHERE "LinkId" IN ({linkIds}) AND "FinishedAt" >= @from AND "Status" <> 'Ok'""", ("@from", started.ToUnixTimeMilliseconds()));
        var requests = await world.Simulator.RequestsAsync();
        var seconds = Math.Max(0.001, (lastEnd - started.ToUnixTimeMilliseconds()) / 1000.0);
        if (failed > 0)
        {
            log.WriteLine($"  warning: {failed} of {links.Count} syncs did not end ok");
        }

        return new SyncPhase(links.Count, failed, seconds, links.Count / seconds, requests.Count, requests.Count(r => r.Counted),
            requests.Count(r => r.Status == 304), (double)requests.Count(r => r.Counted) / links.Count);
    }
}

internal sealed record SyncPhase(int Syncs, long NotOk, double Seconds, double PerSecond, int Requests, int Counted, int NotModified, double CountedPerSync);
