using Backstroke.Data;
using Backstroke.Polling;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Backstroke.Tests.Apps;

/// <summary>Install the App on a fork and nothing else to do: links, syncs and their end follow the installation.</summary>
public sealed class AppModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Installing_the_App_on_a_fork_opens_a_pull_request_with_the_installation_token_and_no_user()
    {
        await using var world = await AppModeWorld.StartAsync(output);

        world.GitHub.Install(world.App, "forker", "forker/proj");

        var link = await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue("the new link is synced at once");
        link.Should().BeEquivalentTo(new
        {
            Name = "forker/proj", Enabled = true, OwnerId = (long?)null, SyncMode = SyncMode.PullRequest,
            UpstreamOwner = "up", UpstreamRepo = "proj", UpstreamBranch = "main", ForkOwner = "forker", ForkRepo = "proj", ForkBranch = "main",
        });
        (await world.Backstroke.WithDbAsync(db => db.Users.CountAsync())).Should().Be(0, "nobody signed in");
        world.GitHub.Requests.Should().Contain(r => r.Method == "POST" && r.Path == "/repos/forker/proj/pulls" && r.Token!.StartsWith("ghs_"),
            "the pull request is opened with the installation's token");
        world.GitHub.Requests.Where(r => !r.Path.StartsWith("/_fake", StringComparison.Ordinal))
            .Should().OnlyContain(r => r.Token != null && (r.Token.StartsWith("ghs_") || r.Token.StartsWith("eyJ")), "no other credential exists");
    }

    [Fact]
    public async Task Polling_checks_the_upstream_of_an_App_link_with_the_installation_token()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        world.GitHub.Install(world.App, "forker", "forker/proj");
        await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue();
        world.GitHub.ClearRequests();

        var tick = await world.Backstroke.Services.GetRequiredService<Poller>().PollOnceAsync(CancellationToken.None);

        tick.Checked.Should().Be(1);
        tick.Failed.Should().Be(0, "no user is needed to check an App link's upstream");
        world.GitHub.Requests.Should().Contain(r => r.Path.StartsWith("/repos/up/proj/", StringComparison.Ordinal) && r.Token!.StartsWith("ghs_"));
    }

    [Fact]
    public async Task The_App_link_of_a_fork_shows_in_its_owner_dashboard_editable_and_nobody_else_sees_it()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        world.GitHub.Install(world.App, "forker", "forker/proj");
        var link = await world.WaitForLinkAsync("forker/proj");
        world.GitHub.CreateUser("stranger");
        using var forker = await world.SignInAsync("forker");
        using var stranger = await world.SignInAsync("stranger");

        var list = await forker.GetJsonAsync("/v1/links");
        list.ToString().Should().Contain(link.Id).And.Contain("forker/proj");
        using var edited = await forker.PostJsonAsync($"/v1/links/{link.Id}",
            JsonRequests.LinkBody("Kept current", "up/proj", "forker/proj", syncMode: "fast-forward", enabled: true));
        edited.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
        (await world.LinksAsync()).Single().Should().BeEquivalentTo(new { Name = "Kept current", SyncMode = SyncMode.FastForward, OwnerId = (long?)null },
            "the link stays the installation's after its edit");

        using var hidden = await stranger.GetAsync(new Uri($"/v1/links/{link.Id}", UriKind.Relative));
        hidden.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        (await stranger.GetJsonAsync("/v1/links")).ToString().Should().NotContain(link.Id);

        // The run the installation started is the fork owner's to read, and nobody else's.
        var run = (await forker.GetJsonAsync($"/v1/links/{link.Id}/operations")).GetProperty("data")[0].GetProperty("id").GetString();
        using var runPage = await forker.GetAsync(new Uri($"/operations/{run}", UriKind.Relative));
        runPage.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        using var strangerRunPage = await stranger.GetAsync(new Uri($"/operations/{run}", UriKind.Relative));
        strangerRunPage.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_App_link_of_an_organization_fork_shows_to_the_fork_admins_and_not_to_its_writers()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        world.GitHub.CreateOrg("acme");
        world.GitHub.CreateRepo("acme", "proj", forkOf: "up/proj");
        world.GitHub.CreateUser("alice");
        world.GitHub.CreateUser("bob");
        world.GitHub.AddCollaborator("acme", "proj", "alice", "admin");
        world.GitHub.AddCollaborator("acme", "proj", "bob", "write");
        world.GitHub.Install(world.App, "acme", "acme/proj");
        var link = await world.WaitForLinkAsync("acme/proj");
        using var alice = await world.SignInAsync("alice");
        using var bob = await world.SignInAsync("bob");

        (await alice.GetJsonAsync("/v1/links")).ToString().Should().Contain(link.Id, "alice administers the fork");
        using var aliceEdit = await alice.PostJsonAsync($"/v1/links/{link.Id}",
            JsonRequests.LinkBody("Acme's fork", "up/proj", "acme/proj", enabled: true));
        aliceEdit.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await aliceEdit.Content.ReadAsStringAsync());
        (await bob.GetJsonAsync("/v1/links")).ToString().Should().NotContain(link.Id, "bob may push to the fork but not administer it");
        using var bobLink = await bob.GetAsync(new Uri($"/v1/links/{link.Id}", UriKind.Relative));
        bobLink.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_link_of_a_fork_the_installation_covers_syncs_with_the_installation_token_not_the_user_token()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        world.GitHub.CreateUser("someone", "user-token", "repo");
        var link = await TestLinks.AddAsync(world.Backstroke.Services, "user-token", TestLinks.Repo("up", "other", "main", "forker", "other", "main"));

        world.GitHub.Install(world.App, "forker", "forker/other");
        (await world.WaitAsync(async () => (await world.LinksAsync()).Single().InstallationId is not null)).Should().BeTrue();
        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId));

        operation.GetProperty("status").GetString().Should().Be("ok", operation.ToString());
        world.HasOpenPullRequest("forker", "other").Should().BeTrue();
        (await world.LinksAsync()).Should().ContainSingle("the fork has a link already: the App makes no second one");
        world.GitHub.Requests.Should().NotContain(r => r.Token == "user-token", "the installation's token does the work");
        world.GitHub.Requests.Should().Contain(r => r.Method == "POST" && r.Path == "/repos/forker/other/pulls" && r.Token!.StartsWith("ghs_"));
    }

    [Fact]
    public async Task A_user_link_saved_after_the_installation_syncs_with_the_installation_token_from_its_first_run()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        world.GitHub.Install(world.App, "forker", "forker/proj");
        var appLink = await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue();
        using var forker = await world.SignInAsync("forker");
        // The fork's owner replaces the App's link with one of their own.
        using var deleted = await forker.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/links/{appLink.Id}") { Content = JsonRequests.Json("{}") });
        deleted.IsSuccessStatusCode.Should().BeTrue(await deleted.Content.ReadAsStringAsync());

        var id = await forker.CreateLinkAsync();
        using var saved = await forker.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Mine", "up/proj", "forker/proj", enabled: true));
        saved.IsSuccessStatusCode.Should().BeTrue(await saved.Content.ReadAsStringAsync());
        var link = (await world.LinksAsync()).Single();
        link.InstallationId.Should().NotBeNull("the installation covers the fork, known as soon as the link is saved");
        world.GitHub.ClearRequests();
        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId));

        operation.GetProperty("status").GetString().Should().Be("ok", operation.ToString());
        operation.GetProperty("output").GetProperty("message").GetString().Should().Be(Backstroke.Sync.SyncMessages.PullRequestAlreadyOpen);
        var run = world.GitHub.Requests.Where(r => r.Path.StartsWith("/repos/", StringComparison.Ordinal)).ToList();
        run.Should().Contain(r => r.Path == "/repos/forker/proj/pulls");
        run.Should().OnlyContain(r => r.Token!.StartsWith("ghs_"), "the installation's token does the work without waiting for its daily refresh");
    }

    [Fact]
    public async Task Removing_the_repository_from_the_installation_disables_its_link()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        var installation = world.GitHub.Install(world.App, "forker", "forker/proj", "forker/other");
        await world.WaitForLinkAsync("forker/proj");
        await world.WaitForLinkAsync("forker/other");

        world.GitHub.ChangeInstallationRepositories(installation, [], ["forker/proj"]);

        (await world.WaitAsync(async () => (await world.LinksAsync()).Single(l => l.ForkRepo == "proj") is { Enabled: false })).Should().BeTrue();
        (await world.LinksAsync()).Single(l => l.ForkRepo == "other").Enabled.Should().BeTrue("only the removed repository's link stops");
    }

    [Fact]
    public async Task Deleting_the_installation_disables_its_links()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        var installation = world.GitHub.Install(world.App, "forker");
        await world.WaitForLinkAsync("forker/proj");
        await world.WaitForLinkAsync("forker/other");

        world.GitHub.DeleteInstallation(installation);

        (await world.WaitAsync(async () => (await world.LinksAsync()).All(l => !l.Enabled))).Should().BeTrue();
        (await world.Backstroke.WithDbAsync(db => db.Installations.CountAsync())).Should().Be(0);
    }

    [Fact]
    public async Task A_sync_after_the_installation_was_removed_without_its_webhook_arriving_says_so_in_words()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        var installation = world.GitHub.Install(world.App, "forker", "forker/proj");
        var link = await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue();
        // The "deleted" delivery is lost on its way (GitHub could not reach Backstroke): only GitHub knows.
        world.App.Hook!.Url = "http://127.0.0.1:1/webhooks/github";
        world.GitHub.DeleteInstallation(installation);

        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId));

        operation.GetProperty("status").GetString().Should().Be("error");
        operation.GetProperty("error").GetString().Should()
            .Be($"The GitHub App's installation {installation.Id} was removed on GitHub. The link waits until the GitHub App is installed on forker again.");
    }

    [Fact]
    public async Task A_suspended_installation_sends_no_requests_until_it_is_unsuspended()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        var installation = world.GitHub.Install(world.App, "forker", "forker/proj");
        var link = await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue();

        world.GitHub.SuspendInstallation(installation);
        (await world.WaitAsync(() => world.Backstroke.WithDbAsync(db => db.Installations.AnyAsync(i => i.Suspended)))).Should().BeTrue();
        world.GitHub.ClearRequests();

        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId));

        operation.GetProperty("status").GetString().Should().Be("error");
        operation.ToString().Should().Contain("suspended");
        world.GitHub.Requests.Where(r => !r.Path.StartsWith("/_fake", StringComparison.Ordinal)).Should().BeEmpty("a paused link sends nothing");

        world.GitHub.SuspendInstallation(installation, suspended: false);
        (await world.WaitAsync(() => world.Backstroke.WithDbAsync(db => db.Installations.AnyAsync(i => !i.Suspended)))).Should().BeTrue();
        var resumed = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId));
        resumed.GetProperty("status").GetString().Should().Be("ok", resumed.ToString());
    }

    [Theory]
    // Both clocks pass the token's hour: Backstroke renews it before use.
    [InlineData(61, 61, false)]
    // GitHub's clock is ahead of Backstroke's: the token still looks fresh here, and only GitHub's refusal tells.
    [InlineData(54, 61, true)]
    public async Task An_expired_installation_token_is_replaced_without_a_failed_sync(int backstrokeMinutes, int gitHubMinutes, bool refusedFirst)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()));
        await using var world = await AppModeWorld.StartAsync(output, clock);
        world.GitHub.Install(world.App, "forker", "forker/proj");
        var link = await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue();
        var first = world.InstallationTokenRequests().Select(r => r.Token).Distinct().ToList();

        clock.Advance(TimeSpan.FromMinutes(backstrokeMinutes));
        world.GitHub.AdvanceClock(TimeSpan.FromMinutes(gitHubMinutes));
        world.GitHub.ClearRequests();
        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId));

        operation.GetProperty("status").GetString().Should().Be("ok", operation.ToString());
        world.GitHub.Requests.Should().Contain(r => r.Method == "POST" && r.Path.EndsWith("/access_tokens") && r.Status == 201, "a fresh token was issued");
        world.InstallationTokenRequests().Where(r => r.Status < 400).Select(r => r.Token).Should().NotBeEmpty().And.NotIntersectWith(first, "the new token does the work");
        world.GitHub.Requests.Any(r => first.Contains(r.Token) && r.Status == 401).Should().Be(refusedFirst, "an old token is sent only when Backstroke cannot know it ended");
    }

    [Fact]
    public async Task A_repository_outside_the_installation_is_never_touched_with_its_token()
    {
        await using var world = await AppModeWorld.StartAsync(output);
        world.GitHub.Install(world.App, "forker", "forker/proj");
        await world.WaitForLinkAsync("forker/proj");
        (await world.WaitAsync(() => Task.FromResult(world.HasOpenPullRequest("forker", "proj")))).Should().BeTrue();

        (await world.LinksAsync()).Should().ContainSingle("forker/other is not in the installation");
        world.InstallationTokenRequests().Should().NotContain(r => r.Path.StartsWith("/repos/forker/other", StringComparison.Ordinal));
        world.HasOpenPullRequest("forker", "other").Should().BeFalse();
    }
}
