using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>A fork-all link proposes the upstream to every direct fork labelled backstroke-sync.</summary>
public sealed class ForkAllSyncTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync()
    {
        world = await SyncWorld.StartAsync(output: output);
        world.GitHub.CreateUser("ann");
        world.GitHub.CreateRepo("ann", "proj", forkOf: "up/proj");
        world.GitHub.Commit("up", "proj", "main", "Work after ann forked");
        foreach (var owner in new[] { "me", "ann" })
        {
            world.GitHub.CreateLabel(owner, "proj", LinkSync.OptInLabel);
        }
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task Two_opted_in_forks_each_get_a_pull_request()
    {
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "many").Should().Be("true");
        operation.Str("output", "metrics", "total").Should().Be("2");
        operation.Str("output", "metrics", "successes").Should().Be("2");
        operation.At("output", "errors").GetArrayLength().Should().Be(0);
        operation.At("output", "forks").GetArrayLength().Should().Be(2);
        world.OpenPullRequests("me", "proj").Should().ContainSingle().Which.Head.Should().Be("up:main");
        world.OpenPullRequests("ann", "proj").Should().ContainSingle().Which.Base.Should().Be("main");
    }

    [Fact]
    public async Task One_failing_fork_is_reported_while_the_operation_stays_ok()
    {
        world.GitHub.CreateLabel("ann", "proj", "optout");
        world.GitHub.SetIssuesEnabled("ann", "proj", true);
        world.GitHub.CreateIssue("ann", "proj", "No thanks", "optout");
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "metrics", "total").Should().Be("2");
        operation.Str("output", "metrics", "successes").Should().Be("1");
        var error = operation.At("output", "errors").EnumerateArray().Should().ContainSingle().Subject;
        error.Str("fork").Should().Be("ann/proj");
        error.Str("error").Should().Be(SyncMessages.OptedOut);
        world.OpenPullRequests("me", "proj").Should().ContainSingle();
        world.OpenPullRequests("ann", "proj").Should().BeEmpty();
    }

    [Fact]
    public async Task A_fork_without_the_label_is_ok_and_left_alone()
    {
        world.GitHub.CreateUser("bob");
        world.GitHub.CreateRepo("bob", "proj", forkOf: "up/proj");
        world.GitHub.Commit("up", "proj", "main", "Work after bob forked");
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "metrics", "total").Should().Be("3");
        operation.Str("output", "metrics", "successes").Should().Be("3");
        var bob = operation.At("output", "forks").EnumerateArray().Single(f => f.Str("fork") == "bob/proj");
        bob.Str("message").Should().Be("Fork didn't opt into pull requests");
        world.OpenPullRequests("bob", "proj").Should().BeEmpty();
        world.OpenPullRequests("ann", "proj").Should().ContainSingle();
    }
}
