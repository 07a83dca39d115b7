using System.Net.Http.Json;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Polling;

/// <summary>
/// A commit pushed on the upstream through the simulator's control API reaches the fork as a pull
/// request, through the push webhook without a poll, and through polling within one interval.
/// </summary>
public sealed class WatchEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_push_webhook_brings_the_upstream_commit_to_the_fork_as_a_pull_request_without_a_poll()
    {
        await using var world = await WatchWorld.StartAsync(kestrel: true, output: output);
        // Known and just checked: only the webhook can make this link sync.
        var link = await world.AddLinkAsync(upstream: world.KnownHead());
        world.GitHub.AddHook("up", "proj", new Uri(world.Address, "/webhooks/github").ToString(), WatchWorld.WebhookSecret, "push");

        var pushed = await CommitThroughControlApiAsync(world, "Upstream work for the fork");

        (await Eventually.TrueAsync(() => Task.FromResult(world.GitHub.PullRequests("me", "proj").Any(p => p.State == "open")), TimeSpan.FromSeconds(20)))
            .Should().BeTrue("the push webhook queues the link at once");
        var operations = await world.OperationsAsync(link.Id);
        operations.Should().ContainSingle().Which.Kind.Should().Be(OperationKind.Webhook);
        world.Probes().Should().BeEmpty("no poll was needed");
        (await world.UpstreamOfAsync(link.Id)).HeadSha.Should().Be(pushed);
    }

    [Fact]
    public async Task Polling_brings_the_upstream_commit_to_the_fork_as_a_pull_request_within_one_interval()
    {
        const int intervalSeconds = 2;
        await using var world = await WatchWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Polling:IntervalSeconds"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Polling:StaleAfter"] = "00:00:01",
        }, output: output);
        var link = await world.AddLinkAsync(upstream: u => u.HeadSha = world.GitHub.BranchSha("up", "proj", "main"));

        await CommitThroughControlApiAsync(world, "Upstream work found by polling");
        var committedAt = TimeProvider.System.GetTimestamp();
        var opened = await Eventually.TrueAsync(
            () => Task.FromResult(world.GitHub.PullRequests("me", "proj").Any(p => p.State == "open")),
            TimeSpan.FromSeconds(intervalSeconds + 15));
        var elapsed = TimeProvider.System.GetElapsedTime(committedAt);

        opened.Should().BeTrue("the polling job notices the new upstream head");
        (await world.OperationsAsync(link.Id)).Should().ContainSingle().Which.Kind.Should().Be(OperationKind.Automatic);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(intervalSeconds + 8), "one interval, plus the sync itself");
    }

    /// <summary>Moves up/proj@main the way a script would: <c>POST /_fake/repos/up/proj/commits</c>.</summary>
    private static async Task<string> CommitThroughControlApiAsync(WatchWorld world, string message)
    {
        using var http = new HttpClient { BaseAddress = world.GitHub.BaseUrl };
        using var response = await http.PostAsJsonAsync(new Uri("_fake/repos/up/proj/commits", UriKind.Relative), new { branch = "main", message });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("sha").GetString()!;
    }
}
