using System.Net.Http.Json;
using Backstroke.Data;
using Backstroke.FakeGitHub;
using Backstroke.Sync;
using Backstroke.Tests.FakeGitHub;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Sync;

/// <summary>
/// What github.com does to a fast-forward that the simulator used to allow: a ref update refused for workflow files or
/// a protected branch, a compare of unrelated histories or of a range too big to diff. Each falls back to a pull
/// request (or explains why none can be opened), never forces, and says why.
/// </summary>
public sealed class RefusedFastForwardTests : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync() => world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await world.DisposeAsync();

    private Task<Link> AddFastForwardLinkAsync(string forkOwner = "me", string? token = SyncWorld.OwnerToken) =>
        world.AddLinkAsync(TestLinks.Repo("up", "proj", "main", forkOwner, "proj", "main", SyncMode.FastForward), token);

    [Fact]
    public async Task Upstream_workflow_changes_without_the_workflow_scope_become_a_pull_request_that_says_why()
    {
        world.GitHub.Commit("up", "proj", "main", "Change CI", ".github/workflows/ci.yml");
        var before = world.GitHub.BranchSha("me", "proj", "main");
        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        world.GitHub.Requests.Should().Contain(r => r.Method == "PATCH" && r.Status == 404, "GitHub refuses the ref update of a token without the workflow scope");
        world.GitHub.BranchSha("me", "proj", "main").Should().Be(before, "a refused fast-forward leaves the branch where it was");
        var pr = world.OpenPullRequests().Should().ContainSingle().Subject;
        operation.Str("output", "mergeType").Should().Be("pull-request");
        operation.Str("output", "pullRequest", "number").Should().Be(pr.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        operation.Str("output", "message").Should()
            .StartWith(SyncMessages.PullRequestCreated("me/proj") + " Not fast-forwarded: GitHub refused to move me/proj@main (404 Not Found)")
            .And.Contain("the upstream changed workflow files (.github/workflows/)")
            .And.Contain("lacks the `workflow` scope");
    }

    [Fact]
    public async Task The_same_workflow_change_is_fast_forwarded_with_a_token_that_has_the_workflow_scope()
    {
        world.GitHub.CreateUser("wf", "wf-token", "repo", "workflow");
        world.GitHub.CreateRepo("wf", "proj", forkOf: "up/proj");
        world.GitHub.Commit("up", "proj", "main", "Change CI", ".github/workflows/ci.yml");
        var link = await AddFastForwardLinkAsync("wf", "wf-token");

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be($"Fast-forwarded wf/proj@main to up/proj@main at {world.GitHub.BranchSha("up", "proj", "main")![..7]}.");
        world.GitHub.BranchSha("wf", "proj", "main").Should().Be(world.GitHub.BranchSha("up", "proj", "main"));
    }

    [Fact]
    public async Task A_protected_branch_becomes_a_pull_request_with_GitHubs_reason()
    {
        world.GitHub.AddFault(new FaultRule { Method = "PATCH", PathPattern = "/repos/me/proj/git/refs/*", Status = 422, Message = "Protected branch update failed for refs/heads/main." });
        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        world.OpenPullRequests().Should().ContainSingle();
        operation.Str("output", "message").Should().Be(
            SyncMessages.PullRequestCreated("me/proj") + " Not fast-forwarded: GitHub refused to move me/proj@main (422 Protected branch update failed for refs/heads/main.).");
    }

    [Fact]
    public async Task An_archived_fork_is_ok_with_nothing_done_and_nothing_more_said()
    {
        world.GitHub.ArchiveRepo("me", "proj");
        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be(SyncMessages.Archived("me/proj"));
        world.OpenPullRequests().Should().BeEmpty();
    }

    [Fact]
    public async Task Unrelated_histories_fall_back_to_a_pull_request_whose_refusal_is_explained_in_words()
    {
        world.GitHub.Orphan("up", "proj", "main", "A new beginning");
        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().StartWith("Couldn't create pull request on repository me/proj: me/proj@main and up/proj@main have unrelated histories (not one commit in common)")
            .And.Contain("no history in common");
        operation.Str("output", "message").Should().Be(operation.Str("error"));
        world.GitHub.Requests.Should().Contain(r => r.Path.StartsWith("/repos/me/proj/compare/", StringComparison.Ordinal) && r.Status == 404);
        world.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/me/proj/pulls").Should().Be(1, "the fallback is tried once, and not retried");
        world.OpenPullRequests().Should().BeEmpty();
    }

    [Fact]
    public async Task Unrelated_histories_in_pull_request_mode_are_explained_the_same_way()
    {
        world.GitHub.Orphan("up", "proj", "main", "A new beginning");
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Be(
            "Couldn't create pull request on repository me/proj: me/proj@main and up/proj@main have unrelated histories (not one commit in common), "
            + "so neither can be merged into the other (GitHub said: Validation Failed (The up:main branch has no history in common with main)).");
        world.GitHub.Requests.Should().NotContain(r => r.Path == "/repos/me/proj", "GitHub's answer already says what is wrong: nothing to look up");
    }

    [Fact]
    public async Task A_compare_too_big_to_diff_is_not_retried_and_becomes_a_pull_request()
    {
        using (var control = Sim.Http(world.GitHub))
        {
            (await control.PutAsJsonAsync("_fake/repos/me/proj/slow-diff", new { enabled = true })).EnsureSuccessStatusCode();
        }

        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "mergeType").Should().Be("pull-request");
        operation.Str("output", "message").Should().StartWith(
            SyncMessages.PullRequestCreated("me/proj") + " Not fast-forwarded: GitHub could not compare me/proj@main with up/proj@main (GitHub said: Sorry, this diff is taking too long to generate.");
        world.GitHub.Requests.Count(r => r.Path.StartsWith("/repos/me/proj/compare/", StringComparison.Ordinal)).Should().Be(1, "GitHub gives the same answer every time");
        world.OpenPullRequests().Should().ContainSingle();
    }
}
