using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class UserAndCollaboratorTests
{
    [Fact]
    public async Task The_token_owner_their_repositories_and_other_users_are_readable()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("forker", "private-notes", isPrivate: true);
        var github = Sim.Octokit(server, "forker-token");

        var me = await github.User.Current();
        var other = await github.User.Get("maintainer");
        var repos = await github.Repository.GetAllForCurrent();
        var missing = () => github.User.Get("nobody");

        me.Login.Should().Be("forker");
        other.Login.Should().Be("maintainer");
        repos.Select(r => r.FullName).Should().BeEquivalentTo(["forker/project", "forker/private-notes"]);
        await missing.Should().ThrowAsync<NotFoundException>();
        var anonymous = () => Sim.Octokit(server).User.Current();
        await anonymous.Should().ThrowAsync<AuthorizationException>();
    }

    [Fact]
    public async Task Collaborators_are_checked_and_their_permission_read()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateUser("helper");
        server.AddCollaborator("maintainer", "project", "helper", "maintain");
        var github = Sim.Octokit(server, "maintainer-token");

        (await github.Repository.Collaborator.IsCollaborator("maintainer", "project", "helper")).Should().BeTrue();
        (await github.Repository.Collaborator.IsCollaborator("maintainer", "project", "forker")).Should().BeFalse();
        var helper = await github.Repository.Collaborator.ReviewPermission("maintainer", "project", "helper");
        var owner = await github.Repository.Collaborator.ReviewPermission("maintainer", "project", "maintainer");

        helper.Permission.Should().Be("write");
        helper.RoleName.Should().Be("maintain");
        owner.Permission.Should().Be("admin");
    }

    [Fact]
    public async Task A_wrong_token_is_bad_credentials()
    {
        await using var server = await Sim.StartWithForkAsync();
        var act = () => Sim.Octokit(server, "no-such-token").User.Current();

        (await act.Should().ThrowAsync<AuthorizationException>()).Which.Message.Should().Be("Bad credentials");
    }
}
