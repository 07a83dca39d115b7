using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>What a sync costs in rate-limited GitHub requests, counted by the simulator (304s are free).</summary>
public sealed class RequestCountTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_sync_that_opens_a_pull_request_costs_at_most_three_requests()
    {
        await using var world = await SyncWorld.StartAsync(output: output);
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        world.OpenPullRequests().Should().ContainSingle();
        world.CountedRequests().Should().BeLessThanOrEqualTo(3).And.Be(2, "the opt-out check and the pull request");
    }

    [Fact]
    public async Task A_sync_with_nothing_to_do_costs_at_most_two_requests_and_one_when_repeated()
    {
        await using var world = await SyncWorld.StartAsync(output: output);
        world.GitHub.CreateRepo("me", "fresh", forkOf: "up/proj");
        var link = await world.AddLinkAsync(TestLinks.Repo("up", "proj", "main", "me", "fresh", "main"));

        var first = await world.SyncAsync(link);
        var firstCost = world.CountedRequests();
        world.GitHub.ClearRequests();
        var second = await world.SyncAsync(link);

        first.Str("output", "message").Should().Be(second.Str("output", "message")).And.Be("The upstream and fork are already up to date.");
        firstCost.Should().BeLessThanOrEqualTo(2);
        world.CountedRequests().Should().Be(1, "the opt-out check is answered by a free 304 the second time");
        world.GitHub.Requests.Should().Contain(r => r.Status == 304);
    }
}
