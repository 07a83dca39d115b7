using Backstroke.Sync;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// A fork list is GitHub's word, and still hostile: a fork whose name breaks GitHub's rules is that fork's error,
/// no request goes to it, and the other forks are synced as usual.
/// </summary>
public sealed class HostileForkListTests
{
    [Fact]
    public async Task A_listed_fork_with_a_hostile_name_fails_alone_and_is_never_asked_about()
    {
        await using var world = await SyncWorld.StartAsync(new Dictionary<string, string?> { ["GitHub:BotToken"] = SyncWorld.OwnerToken });
        world.GitHub.CreateLabel("me", "proj", LinkSync.OptInLabel);
        world.GitHub.CreateUser("evil");
        foreach (var name in new[] { "..", "%2e%2e", "a?b" })
        {
            world.GitHub.CreateRepo("evil", name, forkOf: "up/proj");
        }

        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));
        world.GitHub.ClearRequests();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "metrics", "total").Should().Be("4");
        operation.Str("output", "metrics", "successes").Should().Be("1");
        var errors = operation.At("output", "errors").EnumerateArray().Select(e => (e.Str("fork"), e.Str("error"))).ToList();
        errors.Should().BeEquivalentTo(new[]
        {
            ("evil/..", "'..' is not a valid repository name."),
            ("evil/%2e%2e", "'%2e%2e' is not a valid repository name."),
            ("evil/a?b", "'a?b' is not a valid repository name."),
        });
        world.OpenPullRequests("me", "proj").Should().ContainSingle();
        world.GitHub.Requests.Should().NotContain(r => r.RawTarget.Contains("evil", StringComparison.Ordinal) || r.Path.Contains("evil", StringComparison.Ordinal));
    }
}
