using Backstroke.FakeGitHub;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class GitRefTests
{
    [Fact]
    public async Task A_non_fast_forward_ref_update_is_refused_unless_forced()
    {
        await using var server = await Sim.StartWithForkAsync();
        var forkOwn = server.Commit("forker", "project", "main", "Fork's own work");
        var upstream = server.Commit("maintainer", "project", "main", "Upstream moves on");
        var github = Sim.Octokit(server, "forker-token");

        var refused = () => github.Git.Reference.Update("forker", "project", "heads/main", new ReferenceUpdate(upstream));
        (await refused.Should().ThrowAsync<ApiValidationException>()).Which.Message.Should().Be("Update is not a fast forward");
        server.BranchSha("forker", "project", "main").Should().Be(forkOwn, "a refused update leaves the branch alone");

        var forced = await github.Git.Reference.Update("forker", "project", "heads/main", new ReferenceUpdate(upstream, force: true));
        forced.Object.Sha.Should().Be(upstream);
    }

    [Fact]
    public async Task A_fast_forward_ref_update_moves_the_branch()
    {
        await using var server = await Sim.StartWithForkAsync();
        var upstream = server.Commit("maintainer", "project", "main", "Upstream moves on");
        var github = Sim.Octokit(server, "forker-token");

        var updated = await github.Git.Reference.Update("forker", "project", "heads/main", new ReferenceUpdate(upstream));

        updated.Ref.Should().Be("refs/heads/main");
        (await github.Git.Reference.Get("forker", "project", "heads/main")).Object.Sha.Should().Be(upstream);
    }

    [Fact]
    public async Task Another_users_token_cannot_move_a_branch()
    {
        await using var server = await Sim.StartWithForkAsync();
        var upstream = server.Commit("maintainer", "project", "main", "Upstream moves on");
        var github = Sim.Octokit(server, "maintainer-token");

        var act = () => github.Git.Reference.Update("forker", "project", "heads/main", new ReferenceUpdate(upstream));

        await act.Should().ThrowAsync<NotFoundException>();
    }
}
