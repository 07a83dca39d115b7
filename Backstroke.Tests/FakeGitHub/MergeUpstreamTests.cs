using System.Net;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class MergeUpstreamTests
{
    [Fact]
    public async Task Merge_upstream_answers_none_fast_forward_merge_or_conflict_from_the_graph()
    {
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "forker-token");

        var none = await MergeUpstream(github);
        var upstream = server.Commit("maintainer", "project", "main", "Upstream moves");
        var fastForward = await MergeUpstream(github);
        var afterFastForward = server.BranchSha("forker", "project", "main");
        server.Commit("maintainer", "project", "main", "Upstream again");
        server.Commit("forker", "project", "main", "Fork's own");
        server.SetMergeConflicts("forker", "project", true);
        var conflict = () => MergeUpstream(github);
        var conflicted = (await conflict.Should().ThrowAsync<ApiException>()).Which;
        server.SetMergeConflicts("forker", "project", false);
        var merge = await MergeUpstream(github);

        none.Should().Be(("none", "maintainer:main"));
        fastForward.Should().Be(("fast-forward", "maintainer:main"));
        afterFastForward.Should().Be(upstream);
        conflicted.StatusCode.Should().Be(HttpStatusCode.Conflict);
        merge.Type.Should().Be("merge");
        (await github.Repository.Commit.Compare("forker", "project", "main", "maintainer:main")).Status.Should().Be("behind");
    }

    /// <summary>Octokit has no method for merge-upstream; Backstroke posts through the connection, as here.</summary>
    private static async Task<(string Type, string Base)> MergeUpstream(GitHubClient github)
    {
        var response = await github.Connection.Post<Dictionary<string, string>>(
            new Uri("repos/forker/project/merge-upstream", UriKind.Relative), new { branch = "main" }, "application/vnd.github+json", "application/json");
        return (response.Body["merge_type"], response.Body["base_branch"]);
    }
}
