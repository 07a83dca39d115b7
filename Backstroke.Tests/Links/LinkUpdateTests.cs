using System.Net;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

// Not Backstroke.Tests.Links: inside the test project that name would hide the app's Backstroke.Links namespace.
namespace Backstroke.Tests.LinksApi;

/// <summary>Updating and enabling a link: one test per rule and message.</summary>
public sealed class LinkUpdateTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    [Fact]
    public async Task Update_renames_and_configures_the_link_and_accepts_the_originals_branches_arrays()
    {
        var login = AppWithGitHub.NewLogin("upd");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Keep lib fresh", upstream, fork, syncMode: "fast-forward"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var link = await response.ReadJsonAsync();
        link.GetProperty("name").GetString().Should().Be("Keep lib fresh");
        link.GetProperty("syncMode").GetString().Should().Be("fast-forward");
        var stored = await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id));
        $"{stored.UpstreamOwner}/{stored.UpstreamRepo}@{stored.UpstreamBranch}".Should().Be($"{upstream}@main");
        $"{stored.ForkOwner}/{stored.ForkRepo}@{stored.ForkBranch}".Should().Be($"{fork}@main");
        stored.SyncMode.Should().Be(Backstroke.Data.SyncMode.FastForward);
    }

    [Fact]
    public async Task Pointing_a_link_at_other_repositories_clears_the_deleted_flag_and_the_old_error_so_polling_resumes()
    {
        var login = AppWithGitHub.NewLogin("del");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        await env.App.WithDbAsync(async db =>
        {
            var link = await db.Links.SingleAsync(l => l.Id == id);
            (link.UpstreamOwner, link.UpstreamRepo, link.UpstreamBranch) = ("gone", "away", "main");
            (link.RepositoryDeleted, link.LastError, link.ConsecutiveFailures) = (true, "The repository gone/away was deleted.", 3);
            return await db.SaveChangesAsync();
        });

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Moved", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id));
        stored.RepositoryDeleted.Should().BeFalse();
        stored.LastError.Should().BeNull();
        stored.ConsecutiveFailures.Should().Be(0);
    }

    [Fact]
    public async Task Update_of_another_users_link_is_the_same_404_as_an_unknown_id_and_changes_nothing()
    {
        var login = AppWithGitHub.NewLogin("own");
        using var owner = await env.SignInAsync(login);
        var strangerLogin = AppWithGitHub.NewLogin("str");
        using var stranger = await env.SignInAsync(strangerLogin);
        var (upstream, fork) = env.CreateForkPair(strangerLogin, AppWithGitHub.NewLogin("up"));
        var id = await owner.CreateLinkAsync();

        using var foreign = await stranger.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Taken", upstream, fork));
        using var unknown = await stranger.PostJsonAsync("/v1/links/nosuchlink", JsonRequests.LinkBody("Taken", upstream, fork));

        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await foreign.ErrorOf()).Should().Be(await unknown.ErrorOf()).And.Be("No such link found that is owned by this account.");
        (await env.App.WithDbAsync(db => db.Links.SingleAsync(l => l.Id == id))).Name.Should().BeEmpty();
    }

    [Theory]
    [InlineData("[]", "Invalid json body.")]
    [InlineData("\"a string\"", "Invalid json body.")]
    [InlineData("{not json", "Invalid json body.")]
    [InlineData("{\"name\":\"x\",\"fork\":{\"type\":\"repo\"}}", "Link doesn't have an 'upstream' key.")]
    [InlineData("{\"name\":\"x\",\"upstream\":{\"type\":\"repo\",\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"}}", "Link doesn't have a 'fork' key.")]
    [InlineData("{\"upstream\":{\"type\":\"fork-all\"},\"fork\":{\"type\":\"repo\"}}", "The 'upstream' repo must be a repo, not a bunch of forks.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"every\"}}", "The fork's type must be 'repo' (one fork) or 'fork-all' (every fork that opts in).")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"},\"syncMode\":\"merge\"}", "The syncMode must be 'pull-request' or 'fast-forward'.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"},\"enabled\":\"yes\"}", "The 'enabled' key must be true or false.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"},\"name\":5}", "The link's name must be a string.")]
    [InlineData("{\"upstream\":{\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"}}", "The upstream needs an owner (a user or organization).")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"}}", "The upstream needs a repository.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\"},\"fork\":{\"type\":\"fork-all\"}}", "The upstream needs a branch.")]
    [InlineData("{\"upstream\":{\"owner\":\"a b\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"}}", "The upstream owner 'a b' is not a valid GitHub user or organization name.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b/c\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"}}", "The upstream repository 'b/c' is not a valid repository name.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"ma..in\"},\"fork\":{\"type\":\"fork-all\"}}", "The upstream branch 'ma..in' is not a valid branch name: it contains '..'.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"repo\",\"repo\":\"b\",\"branch\":\"main\"}}", "The fork needs an owner (a user or organization).")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"repo\",\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"}}", "The fork can't be the upstream itself: pick another repository or branch.")]
    [InlineData("{\"upstream\":{\"owner\":\"a\",\"repo\":\"b\",\"branch\":\"main\"},\"fork\":{\"type\":\"fork-all\"},\"enabled\":true,\"name\":\"\"}", "Give the link a name before enabling it.")]
    public async Task Update_with_an_invalid_body_is_a_400_naming_the_problem(string body, string error)
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("bad"));
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be(error);
    }

    [Fact]
    public async Task Update_to_a_fork_the_user_cannot_write_to_is_refused()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("nope"));
        var someoneElse = AppWithGitHub.NewLogin("else");
        env.GitHub.CreateUser(someoneElse);
        var (upstream, fork) = env.CreateForkPair(someoneElse, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Not mine", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be($"You need to be a collaborator of {fork} to sync changes to that fork.");
    }

    [Fact]
    public async Task Update_to_a_fork_the_user_collaborates_on_is_accepted()
    {
        var login = AppWithGitHub.NewLogin("collab");
        using var client = await env.SignInAsync(login);
        var owner = AppWithGitHub.NewLogin("boss");
        env.GitHub.CreateUser(owner);
        var (upstream, fork) = env.CreateForkPair(owner, AppWithGitHub.NewLogin("up"));
        env.GitHub.AddCollaborator(fork.Split('/')[0], fork.Split('/')[1], login);
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Team fork", upstream, fork));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_fork_all_link_needs_the_user_to_collaborate_on_the_upstream()
    {
        var login = AppWithGitHub.NewLogin("all");
        using var client = await env.SignInAsync(login);
        var (upstream, _) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var (mine, _) = env.CreateForkPair(AppWithGitHub.NewLogin("fk"), login);
        var id = await client.CreateLinkAsync();
        object Body(string repo) => new
        {
            name = "Everyone",
            upstream = new { type = "repo", owner = repo.Split('/')[0], repo = repo.Split('/')[1], branch = "main" },
            fork = new { type = "fork-all" },
        };

        using var refused = await client.PostJsonAsync($"/v1/links/{id}", Body(upstream));
        using var accepted = await client.PostJsonAsync($"/v1/links/{id}", Body(mine));

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.ErrorOf()).Should().Be(
            $"To sync changes from the upstream {upstream} to all its forks, you need to be a collaborator on {upstream}. Sync to a single fork that you own instead.");
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await accepted.ReadJsonAsync()).GetProperty("fork").GetRawText().Should().Be("{\"type\":\"fork-all\"}");
    }

    [Fact]
    public async Task Enable_toggles_a_configured_link()
    {
        var login = AppWithGitHub.NewLogin("on");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Toggle me", upstream, fork));

        using var on = await client.PostJsonAsync($"/v1/links/{id}/enable", new { enabled = true });
        var afterOn = (await client.GetJsonAsync($"/v1/links/{id}")).GetProperty("enabled").GetBoolean();
        using var off = await client.PostJsonAsync($"/v1/links/{id}/enable", new { enabled = false });
        var afterOff = (await client.GetJsonAsync($"/v1/links/{id}")).GetProperty("enabled").GetBoolean();

        on.StatusCode.Should().Be(HttpStatusCode.OK);
        (await on.ReadJsonAsync()).GetProperty("status").GetString().Should().Be("ok");
        off.StatusCode.Should().Be(HttpStatusCode.OK);
        afterOn.Should().BeTrue();
        afterOff.Should().BeFalse();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"enabled\":\"true\"}")]
    [InlineData("[true]")]
    [InlineData("nonsense")]
    public async Task Enable_with_a_malformed_body_is_a_400(string body)
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("mal"));
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}/enable", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be("Enabled property not specified in the body.");
    }

    [Fact]
    public async Task Enable_of_a_link_that_is_not_configured_yet_is_refused()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("raw"));
        var id = await client.CreateLinkAsync();

        using var response = await client.PostJsonAsync($"/v1/links/{id}/enable", new { enabled = true });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be("Please update the link with a valid upstream and fork before enabling.");
        (await client.GetJsonAsync($"/v1/links/{id}")).GetProperty("enabled").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Enable_of_an_unknown_or_foreign_link_is_the_same_404()
    {
        using var owner = await env.SignInAsync(AppWithGitHub.NewLogin("own"));
        using var stranger = await env.SignInAsync(AppWithGitHub.NewLogin("str"));
        var id = await owner.CreateLinkAsync();

        using var foreign = await stranger.PostJsonAsync($"/v1/links/{id}/enable", new { enabled = false });
        using var unknown = await stranger.PostJsonAsync("/v1/links/none/enable", new { enabled = false });

        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await foreign.ErrorOf()).Should().Be(await unknown.ErrorOf()).And.Be("No such link.");
    }
}
