using System.Net;
using Backstroke.Sync;
using Backstroke.Tests.FakeGitHub;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Sync;

/// <summary>
/// Forks have Issues off, so opting out is done on Backstroke's own pull request: GitHub's issue list holds pull
/// requests too, and a labelled one counts whether it is still open or closed.
/// </summary>
public sealed class OptOutTests : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync() => world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task The_pull_request_says_how_to_opt_out_by_labelling_it()
    {
        var link = await world.AddLinkAsync();

        await world.SyncAsync(link);

        world.OpenPullRequests().Should().ContainSingle().Which.Body.Should().Contain("Label this pull request `optout` and close it");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Labelling_Backstrokes_pull_request_optout_stops_it_whether_open_or_closed(bool close)
    {
        var link = await world.AddLinkAsync();
        var first = await world.SyncAsync(link);
        var number = first.Str("output", "pullRequest", "number");
        using var forkOwner = Sim.Http(world.GitHub, SyncWorld.OwnerToken);
        (await Sim.SendAsync(forkOwner, "POST", $"repos/me/proj/issues/{number}/labels", """{"labels":["optout"]}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        if (close)
        {
            (await Sim.SendAsync(forkOwner, "PATCH", $"repos/me/proj/pulls/{number}", """{"state":"closed"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        world.GitHub.Commit("up", "proj", "main", "More upstream work");
        world.GitHub.ClearRequests();

        var second = await world.SyncAsync(link);

        second.Str("status").Should().Be("error");
        second.Str("error").Should().Be(SyncMessages.OptedOut);
        world.GitHub.Requests.Should().NotContain(r => r.Method == "POST", "an opted-out fork gets nothing");
        world.GitHub.PullRequests("me", "proj").Should().ContainSingle();
    }

    [Fact]
    public async Task A_closed_pull_request_without_the_label_does_not_opt_out()
    {
        var link = await world.AddLinkAsync();
        var first = await world.SyncAsync(link);
        using var forkOwner = Sim.Http(world.GitHub, SyncWorld.OwnerToken);
        await Sim.SendAsync(forkOwner, "PATCH", $"repos/me/proj/pulls/{first.Str("output", "pullRequest", "number")}", """{"state":"closed"}""");

        var second = await world.SyncAsync(link);

        second.Str("status").Should().Be("ok");
        second.Str("output", "message").Should().Be(SyncMessages.PullRequestCreated("me/proj"));
        world.OpenPullRequests().Should().ContainSingle();
    }
}
