using Backstroke.Tests.Support;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// A burst of syncs from one account against the simulator with GitHub's secondary limits on: Backstroke paces
/// itself, so GitHub never has to refuse it. The limit on requests in flight is made small on both sides (as a
/// GitHub Enterprise server might set it) so that a handful of workers would cross it without pacing.
/// </summary>
public sealed class PacedSyncTests
{
    [Fact]
    public async Task A_burst_of_syncs_over_many_forks_from_one_account_gets_no_secondary_limit_refusal()
    {
        await using var world = await SyncWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Sync:Workers"] = "8",
            ["GitHub:SecondaryLimits:MaxInFlight"] = "2",
        });
        world.GitHub.State.Secondary.MaxConcurrent = 2;
        world.GitHub.SetLatency(40);
        var links = new List<Backstroke.Data.Link>();
        for (var i = 0; i < 12; i++)
        {
            world.GitHub.CreateRepo("up", $"lib{i}");
            world.GitHub.CreateRepo("me", $"lib{i}", forkOf: $"up/lib{i}");
            world.GitHub.Commit("up", $"lib{i}", "main", "New upstream work");
            links.Add(await world.AddLinkAsync(TestLinks.Repo("up", $"lib{i}", "main", "me", $"lib{i}", "main")));
        }

        world.GitHub.ClearRequests();
        var operations = new List<string>();
        foreach (var link in links)
        {
            operations.Add(await Operations.TriggerAsync(world.Client, link.WebhookId));
        }

        var results = await Task.WhenAll(operations.Select(id => Operations.WaitUntilDoneAsync(world.Client, id, TimeSpan.FromSeconds(60))));

        results.Should().OnlyContain(r => r.Str("status") == "ok");
        world.GitHub.Requests.Should().NotBeEmpty()
            .And.NotContain(r => r.Status == 403 || r.Status == 429, "Backstroke waited for room instead of sending what GitHub refuses");
        world.OpenPullRequests("me", "lib0").Should().ContainSingle();
    }
}
