using System.Diagnostics;
using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>
/// SIGTERM stops taking work, lets running operations finish within
/// <c>Sync:ShutdownGrace</c>, puts the rest back in the queue and exits 0; SIGKILL loses nothing either. After a
/// restart every operation ends ok and no fork gets a second pull request.
/// </summary>
[Slow(SlowAttribute.RealProcess)]
[Collection(RealProcessCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SIGTERM_finishes_what_fits_in_the_grace_period_requeues_the_rest_and_exits_0()
    {
        await using var world = await ProcessWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Sync:Workers"] = "2",
            ["Sync:ShutdownGrace"] = "00:00:04",
        }, output: output);
        foreach (var fork in new[] { "quick", "stuck", "waiting" })
        {
            world.AddFork(fork);
        }

        var links = await world.AddLinksAsync("quick", "stuck", "waiting");
        // GitHub answers the "quick" fork's requests in a moment and the "stuck" fork's after much longer than the grace.
        world.GitHub.AddFault(new FaultRule { PathPattern = "/repos/me/quick*", DelayMs = 1_000 });
        world.GitHub.AddFault(new FaultRule { PathPattern = "/repos/me/stuck*", DelayMs = 60_000 });

        string quick, stuck, waiting;
        await using (var app = await world.StartAppAsync())
        {
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            quick = await Operations.TriggerAsync(client, links[0].WebhookId);
            stuck = await Operations.TriggerAsync(client, links[1].WebhookId);
            await WaitForStatusAsync(client, "running", quick, stuck);
            // Both workers are busy: this one waits in the queue.
            waiting = await Operations.TriggerAsync(client, links[2].WebhookId);

            var stopping = Stopwatch.StartNew();
            await ProcessWorld.TerminateAsync(app.Id);
            var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));

            exitCode.Should().Be(0, app.Output);
            stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the stuck sync is abandoned when the grace period ends");
            app.Output.Should().Contain("interrupted by the shutdown");
        }

        var afterStop = await world.OperationStatusesAsync();
        afterStop[quick].Should().Be("Ok", "a sync that fits in the grace period finishes");
        afterStop[stuck].Should().Be("Queued", "a sync cut by the end of the grace period goes back to the queue");
        afterStop[waiting].Should().Be("Queued", "no new work starts once the stop has begun");
        world.GitHub.ClearFaults();

        await using (var restarted = await world.StartAppAsync())
        {
            using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
            foreach (var id in new[] { quick, stuck, waiting })
            {
                var operation = await Operations.WaitUntilDoneAsync(client, id);
                operation.Str("status").Should().Be("ok", operation.GetRawText());
            }

            restarted.Output.Should().NotContain("left running by the previous process", "a graceful stop leaves nothing running");
        }

        foreach (var fork in new[] { "quick", "stuck", "waiting" })
        {
            world.GitHub.PullRequests("me", fork).Should().ContainSingle($"{fork} gets exactly one pull request");
        }
    }

    [Fact]
    public async Task SIGKILL_in_the_middle_of_syncs_loses_nothing_and_opens_no_second_pull_request()
    {
        await using var world = await ProcessWorld.StartAsync(new Dictionary<string, string?> { ["Sync:Workers"] = "2" }, output: output);
        var forks = new[] { "k1", "k2", "k3", "k4" };
        foreach (var fork in forks)
        {
            world.AddFork(fork);
        }

        var links = await world.AddLinksAsync(forks);
        var ids = new List<string>();
        world.GitHub.SetLatency(700);
        await using (var app = await world.StartAppAsync())
        {
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            foreach (var link in links)
            {
                ids.Add(await Operations.TriggerAsync(client, link.WebhookId));
            }

            // Killed once a pull request exists and other syncs are still under way: the restart must not open it again.
            await Operations.WaitUntilAsync(
                async () => forks.Any(f => world.GitHub.PullRequests("me", f).Count > 0)
                    && (await StatusesAsync(client, ids)).Contains("running"),
                TimeSpan.FromSeconds(30), "a pull request is open and a sync is running");
        }

        (await world.OperationStatusesAsync()).Values.Should().Contain("Running", "the kill came in the middle of a sync");
        world.GitHub.SetLatency(0);

        await using (var restarted = await world.StartAppAsync())
        {
            using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
            foreach (var id in ids)
            {
                var operation = await Operations.WaitUntilDoneAsync(client, id);
                operation.Str("status").Should().Be("ok", operation.GetRawText());
            }
        }

        foreach (var fork in forks)
        {
            world.GitHub.PullRequests("me", fork).Should().ContainSingle($"{fork} gets exactly one pull request");
        }
    }

    private static async Task<List<string>> StatusesAsync(HttpClient client, IEnumerable<string> ids)
    {
        var statuses = new List<string>();
        foreach (var id in ids)
        {
            statuses.Add((await Operations.GetAsync(client, id)).Str("status")!);
        }

        return statuses;
    }

    private static Task WaitForStatusAsync(HttpClient client, string status, params string[] ids) =>
        Operations.WaitUntilAsync(
            async () => (await StatusesAsync(client, ids)).All(s => s == status), TimeSpan.FromSeconds(20), $"all are {status}");
}
