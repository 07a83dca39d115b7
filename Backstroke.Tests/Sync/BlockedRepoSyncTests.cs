using Backstroke.FakeGitHub;
using Backstroke.Sync;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Sync;

/// <summary>
/// Repositories GitHub blocks: a DMCA takedown answers 451, one disabled for its terms of service 403, and both stay
/// in forks lists marked <c>disabled</c>. Such a fork gets its own error, naming it and GitHub's reason.
/// </summary>
public sealed class BlockedRepoSyncTests : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync()
    {
        world = await SyncWorld.StartAsync();
        world.GitHub.CreateUser("ann");
        world.GitHub.CreateRepo("ann", "proj", forkOf: "up/proj");
        world.GitHub.CreateUser("bob");
        world.GitHub.CreateRepo("bob", "proj", forkOf: "up/proj");
        world.GitHub.Commit("up", "proj", "main", "Work after the forks");
        foreach (var owner in new[] { "me", "ann", "bob" })
        {
            world.GitHub.CreateLabel(owner, "proj", LinkSync.OptInLabel);
        }
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task In_a_fork_all_run_a_fork_taken_down_gets_its_own_error_and_the_others_are_synced()
    {
        world.GitHub.BlockRepo("ann", "proj", 451);
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "metrics", "total").Should().Be("3");
        operation.Str("output", "metrics", "successes").Should().Be("2");
        var error = operation.At("output", "errors").EnumerateArray().Should().ContainSingle().Subject;
        error.Str("fork").Should().Be("ann/proj");
        error.Str("error").Should().Be(SyncMessages.Disabled("ann/proj")).And.Contain("GitHub has disabled the fork ann/proj");
        world.OpenPullRequests("me", "proj").Should().ContainSingle();
        world.OpenPullRequests("bob", "proj").Should().ContainSingle();
        world.GitHub.Requests.Should().NotContain(r => r.Path.StartsWith("/repos/ann/proj", StringComparison.Ordinal),
            "GitHub's list already says the fork is disabled: asking it would only be refused");
    }

    [Fact]
    public async Task In_a_fork_all_run_a_fork_refused_without_being_listed_disabled_also_gets_its_own_error()
    {
        // An organization's SAML enforcement refuses a token that was not granted access, with a 403 of its own.
        const string saml = "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.";
        world.GitHub.AddFault(new FaultRule { PathPattern = "/repos/ann/proj/*", Status = 403, Message = saml });
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        var error = operation.At("output", "errors").EnumerateArray().Should().ContainSingle().Subject;
        error.Str("fork").Should().Be("ann/proj");
        error.Str("error").Should().Be($"GitHub refuses access to the fork ann/proj (403 {saml}).");
        world.OpenPullRequests("me", "proj").Should().ContainSingle();
        world.OpenPullRequests("bob", "proj").Should().ContainSingle();
    }

    [Theory]
    [InlineData(451, "GitHub blocks access to the fork me/proj for legal reasons, such as a DMCA takedown (451 Repository access blocked).")]
    [InlineData(403, "GitHub refuses access to the fork me/proj (403 Repository access blocked).")]
    public async Task A_single_fork_link_to_a_blocked_fork_says_why(int status, string expected)
    {
        world.GitHub.BlockRepo("me", "proj", status);
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Be(expected);
        operation.Str("output", "message").Should().Be(expected);
        operation.Str("output", "forkCount").Should().Be("1");
        world.GitHub.Requests.Count(r => r.Path.StartsWith("/repos/me/proj", StringComparison.Ordinal)).Should().Be(1, "a block is permanent: not retried");
    }

    [Fact]
    public async Task A_fork_all_link_whose_upstream_is_blocked_says_so()
    {
        world.GitHub.BlockRepo("up", "proj", 451);
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Be("GitHub blocks access to the upstream up/proj for legal reasons, such as a DMCA takedown (451 Repository access blocked).");
    }
}
