using System.Net;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class RepositoryTests
{
    [Fact]
    public async Task A_fork_knows_its_parent_and_source()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateUser("third", "third-token");
        server.CreateRepo("third", "project", forkOf: "forker/project");

        var repo = await Sim.Octokit(server, "third-token").Repository.Get("third", "project");

        repo.Fork.Should().BeTrue();
        repo.Parent.FullName.Should().Be("forker/project");
        repo.Source.FullName.Should().Be("maintainer/project");
        repo.Permissions.Admin.Should().BeTrue();
    }

    [Fact]
    public async Task A_renamed_repository_answers_301_and_Octokit_follows_it()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.RenameRepo("maintainer", "project", "renamed");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };

        using var raw = await http.GetAsync("repos/maintainer/project/branches/main");
        var repo = await Sim.Octokit(server, "forker-token").Repository.Get("maintainer", "project");

        raw.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        raw.Headers.Location!.ToString().Should().Be($"{server.BaseUrl}repositories/{repo.Id}/branches/main");
        repo.FullName.Should().Be("maintainer/renamed");
    }

    [Fact]
    public async Task A_private_repository_is_not_found_for_those_who_may_not_see_it()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("maintainer", "secret", isPrivate: true);
        server.CreateUser("reader", "public-only-token", "public_repo");

        var stranger = () => Sim.Octokit(server, "forker-token").Repository.Get("maintainer", "secret");
        var anonymous = () => Sim.Octokit(server).Repository.Get("maintainer", "secret");
        await stranger.Should().ThrowAsync<NotFoundException>();
        await anonymous.Should().ThrowAsync<NotFoundException>();

        var owner = await Sim.Octokit(server, "maintainer-token").Repository.Get("maintainer", "secret");
        server.AddCollaborator("maintainer", "secret", "forker", "read");
        var collaborator = await Sim.Octokit(server, "forker-token").Repository.Get("maintainer", "secret");
        owner.Private.Should().BeTrue();
        collaborator.Permissions.Push.Should().BeFalse();
    }

    [Fact]
    public async Task A_deleted_repository_or_branch_is_not_found()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("forker", "project", "feature", "Work");
        server.DeleteBranch("forker", "project", "feature");
        server.DeleteRepo("maintainer", "project");
        var github = Sim.Octokit(server, "forker-token");

        var branch = () => github.Repository.Branch.Get("forker", "project", "feature");
        var repo = () => github.Repository.Get("maintainer", "project");

        await branch.Should().ThrowAsync<NotFoundException>();
        await repo.Should().ThrowAsync<NotFoundException>();
        (await github.Repository.Get("forker", "project")).Parent.Should().BeNull("a fork whose parent is gone stands alone");
    }

    [Fact]
    public async Task An_archived_repository_refuses_writes()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.ArchiveRepo("forker", "project");
        var github = Sim.Octokit(server, "forker-token");

        var act = () => github.Issue.Labels.Create("forker", "project", new NewLabel("backstroke-sync", "00ff00"));

        (await act.Should().ThrowAsync<ForbiddenException>()).Which.Message.Should().Be("Repository was archived so is read-only.");
        (await github.Repository.Get("forker", "project")).Archived.Should().BeTrue();
    }
}
