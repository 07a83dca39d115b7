using Backstroke.Tests.Support;

namespace Backstroke.Tests.Webhooks;

/// <summary>
/// The simulator delivering GitHub's own <c>repository</c> events, over HTTP, to a hook made as GitHub's UI makes
/// them (form-encoded): Backstroke follows a renamed upstream without waiting for a poll.
/// </summary>
public sealed class RepositoryDeliveryTests
{
    [Fact]
    public async Task A_renamed_upstream_delivered_by_GitHub_as_a_form_updates_the_link()
    {
        await using var world = await WatchWorld.StartAsync(kestrel: true);
        var link = await world.AddLinkAsync();
        var hook = world.GitHub.AddHook("up", "proj", new Uri(world.Address, "/webhooks/github").ToString(), WatchWorld.WebhookSecret, "repository");
        lock (world.GitHub.State.Gate)
        {
            hook.ContentType = "form";
        }

        world.GitHub.RenameRepo("up", "proj", "proj-renamed");

        (await Eventually.TrueAsync(async () => (await world.LinkAsync(link.Id)).UpstreamRepo == "proj-renamed", TimeSpan.FromSeconds(20)))
            .Should().BeTrue("the renamed event names the new name");
        (await Eventually.TrueAsync(() => Task.FromResult(world.GitHub.Deliveries.Count == 1), TimeSpan.FromSeconds(10))).Should().BeTrue();
        world.GitHub.Deliveries.Should().ContainSingle().Which.Status.Should().Be(200, "the form-encoded delivery was accepted");
    }
}
