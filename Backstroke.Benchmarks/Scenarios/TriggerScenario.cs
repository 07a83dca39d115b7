using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1: <c>POST /_{webhookId}</c> under concurrent load, each request for a link
/// with no queued operation (links taken in turn from a large set), beside <c>GET /healthz</c> of the same process
/// measured the same way in the same run. The links' owner has no token, so the operations the workers run fail at
/// once without calling GitHub and the load is the trigger path alone (plus the workers' share of the database).
/// </summary>
internal sealed class TriggerScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public const string NoOpPath = "/healthz";

    public async Task RunAsync(IReadOnlyList<SeededLink> links)
    {
        HttpRequestMessage NoOp() => new(HttpMethod.Get, new Uri(NoOpPath, UriKind.Relative));

        log.WriteLine($"  warming up ({options.LoadWarmup.TotalSeconds:0.#} s each)...");
        await LoadGenerator.RunAsync(world.Http, NoOp, options.LoadConcurrency, options.LoadWarmup, 200);

        log.WriteLine($"  {NoOpPath}: {options.LoadConcurrency} loops for {options.LoadDuration.TotalSeconds:0.#} s...");
        var noOp = await LoadGenerator.RunAsync(world.Http, NoOp, options.LoadConcurrency, options.LoadDuration, 200);
        var (trigger, inserted) = await MeasureAsync(world, options, log, world.Seeder, [world.AppUrl], links);

        var enqueuesPerSecond = inserted / trigger.Seconds;
        var ratio = trigger.RequestsPerSecond / noOp.RequestsPerSecond;
        figures.Add("trigger.noop.requestsPerSecond", $"No-op endpoint (GET {NoOpPath}) throughput", noOp.RequestsPerSecond, "req/s");
        figures.Add("trigger.noop.p99Ms", $"No-op endpoint (GET {NoOpPath}) p99", noOp.P99Ms, "ms");
        figures.Add("trigger.requestsPerSecond", "Trigger endpoint throughput (201 answers)", trigger.RequestsPerSecond, "req/s");
        figures.Add("trigger.durableEnqueuesPerSecond", "Trigger endpoint durable enqueues", enqueuesPerSecond, "/s", ">= 5000/s", v => v >= 5000);
        figures.Add("trigger.p50Ms", "Trigger endpoint p50", trigger.P50Ms, "ms");
        figures.Add("trigger.p99Ms", "Trigger endpoint p99", trigger.P99Ms, "ms", "< 50 ms", v => v < 50);
        figures.Add("trigger.ratioToNoop", "Trigger / no-op throughput", ratio, "x", ">= 0.33", v => v >= 1.0 / 3);
        figures.Detail("trigger", new { options.LoadConcurrency, noOpPath = NoOpPath, links = links.Count, noOp, trigger, insertedOperations = inserted });
    }

    /// <summary>
    /// The trigger load (after a warm-up) against <paramref name="apps"/>, requests spread over them in turn, and the
    /// durable enqueues it made: the rows that appeared, counted in the database, since an answer that coalesced into an
    /// already queued operation is not one. The queued rows are removed afterwards: their owner has no token, and the
    /// workers would spend the next minutes failing them while the next scenario queued behind.
    /// </summary>
    public static async Task<(LoadResult Load, long Inserted)> MeasureAsync(
        World world, BenchOptions options, TextWriter log, Seeder seeder, IReadOnlyList<Uri> apps, IReadOnlyList<SeededLink> links)
    {
        var next = 0;
        HttpRequestMessage Trigger()
        {
            var n = Interlocked.Increment(ref next);
            return new(HttpMethod.Post, new Uri(apps[n % apps.Count], "/_" + links[n % links.Count].WebhookId));
        }

        await LoadGenerator.RunAsync(world.Http, Trigger, options.LoadConcurrency, options.LoadWarmup, 201);
        log.WriteLine($"  POST /_{{webhookId}} on {apps.Count} instance(s): {options.LoadConcurrency} loops for {options.LoadDuration.TotalSeconds:0.#} s...");
        var trigger = await LoadGenerator.RunAsync(world.Http, Trigger, options.LoadConcurrency, options.LoadDuration, 201);
        var inserted = await seeder.ScalarAsync(
            """SELECT COUNT(*) FROM "Operations" WHERE "Kind" = 'Webhook' AND "EnqueuedAt" >= @from AND "EnqueuedAt" <= @to""",
            ("@from", trigger.StartedAtUnixMs), ("@to", trigger.EndedAtUnixMs));
        await seeder.ExecuteAsync("""DELETE FROM "Operations" WHERE "Status" = 'Queued' AND "LinkId" IN (SELECT "Id" FROM "Links" WHERE "UpstreamOwner" = 'trigger-up')""");
        return (trigger, inserted);
    }
}
