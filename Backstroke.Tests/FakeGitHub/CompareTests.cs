using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class CompareTests
{
    [Fact]
    public async Task Compare_across_the_fork_network_is_computed_from_the_commit_graph()
    {
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "forker-token");

        var identical = await github.Repository.Commit.Compare("forker", "project", "main", "maintainer:main");
        server.Commit("maintainer", "project", "main", "Upstream one");
        server.Commit("maintainer", "project", "main", "Upstream two");
        var behind = await github.Repository.Commit.Compare("forker", "project", "main", "maintainer:main");
        var ahead = await github.Repository.Commit.Compare("forker", "project", "maintainer:main", "main");
        server.Commit("forker", "project", "main", "Fork's own");
        var diverged = await github.Repository.Commit.Compare("forker", "project", "main", "maintainer:main");

        identical.Status.Should().Be("identical");
        behind.Should().Match<CompareResult>(c => c.Status == "ahead" && c.AheadBy == 2 && c.BehindBy == 0 && c.TotalCommits == 2);
        behind.Commits.Select(c => c.Commit.Message).Should().Equal("Upstream one", "Upstream two");
        ahead.Should().Match<CompareResult>(c => c.Status == "behind" && c.AheadBy == 0 && c.BehindBy == 2);
        diverged.Should().Match<CompareResult>(c => c.Status == "diverged" && c.AheadBy == 2 && c.BehindBy == 1);
        diverged.MergeBaseCommit.Sha.Should().Be(identical.BaseCommit.Sha);
    }

    [Fact]
    public async Task Compare_with_an_unknown_branch_or_a_repository_outside_the_network_is_not_found()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("maintainer", "unrelated");
        var github = Sim.Octokit(server, "forker-token");

        var missingBranch = () => github.Repository.Commit.Compare("forker", "project", "main", "maintainer:nope");
        var outsider = () => github.Repository.Commit.Compare("forker", "project", "main", "maintainer:unrelated:main");

        await missingBranch.Should().ThrowAsync<NotFoundException>();
        await outsider.Should().ThrowAsync<NotFoundException>();
    }
}
