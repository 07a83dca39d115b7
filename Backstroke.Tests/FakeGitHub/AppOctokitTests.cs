using Octokit;
using Octokit.Internal;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>Octokit's own App calls, as the app makes them, read the simulator's answers.</summary>
public sealed class AppOctokitTests
{
    [Fact]
    public async Task Octokit_finds_the_installation_gets_a_token_and_works_with_it()
    {
        await using var world = await AppWorld.StartAsync();
        var asApp = Client(world, new Credentials(world.Jwt(), AuthenticationType.Bearer));

        var app = await asApp.GitHubApps.GetCurrent();
        var installation = await asApp.GitHubApps.GetRepositoryInstallationForCurrent("forker", "project");
        var token = await asApp.GitHubApps.CreateInstallationToken(installation.Id);
        var asInstallation = Client(world, new Credentials(token.Token));
        var repositories = await asInstallation.GitHubApps.Installation.GetAllRepositoriesForCurrent();
        var repo = await asInstallation.Repository.Get("forker", "project");

        app.Slug.Should().Be("backstroke");
        installation.Id.Should().Be(world.Installation.Id);
        installation.Account.Login.Should().Be("forker");
        token.ExpiresAt.Should().BeCloseTo(world.Server.State.Now.AddHours(1), TimeSpan.FromSeconds(5));
        repositories.Repositories.Select(r => r.FullName).Should().Equal("forker/project");
        repo.Fork.Should().BeTrue();
    }

    private static GitHubClient Client(AppWorld world, Credentials credentials) =>
        new(new Connection(new ProductHeaderValue("backstroke-tests"), world.Server.BaseUrl, new InMemoryCredentialStore(credentials)));
}
