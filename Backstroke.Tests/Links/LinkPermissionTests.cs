using System.Net;
using Backstroke.Tests.Support;

// Not Backstroke.Tests.Links: inside the test project that name would hide the app's Backstroke.Links namespace.
namespace Backstroke.Tests.LinksApi;

/// <summary>
/// Saving a link checks, in one request, that the user may push where the link writes: the repository's own
/// <c>permissions.push</c>. A sign-in whose token lacks the scope GitHub checks for is told so.
/// </summary>
public sealed class LinkPermissionTests(AppWithGitHub env) : IClassFixture<AppWithGitHub>
{
    [Fact]
    public async Task A_read_only_collaborator_is_refused()
    {
        var login = AppWithGitHub.NewLogin("ro");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(AppWithGitHub.NewLogin("boss"), AppWithGitHub.NewLogin("up"));
        env.GitHub.AddCollaborator(fork.Split('/')[0], fork.Split('/')[1], login, "read");
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Read only", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be($"You need to be a collaborator of {fork} to sync changes to that fork.");
    }

    [Fact]
    public async Task A_collaborator_who_can_push_is_accepted_after_one_request_for_the_repository()
    {
        var login = AppWithGitHub.NewLogin("push");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(AppWithGitHub.NewLogin("boss"), AppWithGitHub.NewLogin("up"));
        env.GitHub.AddCollaborator(fork.Split('/')[0], fork.Split('/')[1], login, "maintain");
        var id = await client.CreateLinkAsync();
        var before = env.GitHub.Requests.Count;

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Team fork", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        env.GitHub.Requests.Skip(before).Select(r => r.Method + " " + r.Path).Should().Equal($"GET /repos/{fork}");
    }

    [Fact]
    public async Task A_fork_all_link_reads_the_push_permission_of_the_upstream()
    {
        var login = AppWithGitHub.NewLogin("fa");
        using var client = await env.SignInAsync(login);
        var (upstream, _) = env.CreateForkPair(AppWithGitHub.NewLogin("fk"), AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        object Body() => new
        {
            name = "Everyone",
            upstream = new { type = "repo", owner = upstream.Split('/')[0], repo = upstream.Split('/')[1], branch = "main" },
            fork = new { type = "fork-all" },
        };
        env.GitHub.AddCollaborator(upstream.Split('/')[0], upstream.Split('/')[1], login, "triage");
        using var refused = await client.PostJsonAsync($"/v1/links/{id}", Body());
        env.GitHub.AddCollaborator(upstream.Split('/')[0], upstream.Split('/')[1], login, "write");

        using var accepted = await client.PostJsonAsync($"/v1/links/{id}", Body());

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ErrorOf()).Should().StartWith($"To sync changes from the upstream {upstream} to all its forks, you need to be a collaborator on {upstream}.");
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sign_in_without_the_repo_scope_is_told_which_scope_is_missing()
    {
        var login = AppWithGitHub.NewLogin("pub");
        using var client = await env.SignInAsync(login, "/setup/login/public");
        var upstream = AppWithGitHub.NewLogin("up");
        env.GitHub.CreateUser(upstream);
        env.GitHub.CreateRepo(upstream, "lib");
        env.GitHub.CreateRepo(login, "secret", isPrivate: true);
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Private", $"{upstream}/lib", $"{login}/secret"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be(
            $"Backstroke's sign-in lacks the `repo` scope GitHub asks for to see {login}/secret (a private repository, or one that doesn't exist); sign in again with /setup/login.");
    }

    [Fact]
    public async Task A_repository_GitHub_refuses_to_the_sign_in_is_a_403_with_GitHubs_reason()
    {
        const string saml = "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.";
        var login = AppWithGitHub.NewLogin("saml");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        env.GitHub.AddFault(new Backstroke.FakeGitHub.FaultRule { PathPattern = $"/repos/{fork}", Status = 403, Message = saml, Count = 1 });
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("SAML", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.ErrorOf()).Should().Be($"GitHub refused Backstroke's sign-in (403 {saml}).");
    }

    [Fact]
    public async Task The_public_sign_in_may_still_link_a_public_fork_it_owns()
    {
        var login = AppWithGitHub.NewLogin("pub");
        using var client = await env.SignInAsync(login, "/setup/login/public");
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Public", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
