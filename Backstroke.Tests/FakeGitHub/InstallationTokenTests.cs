using System.Net;
using Backstroke.FakeGitHub;
using Microsoft.Extensions.Time.Testing;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>Installation tokens: issued for an hour, limited to their installation's repositories and permissions.</summary>
public sealed class InstallationTokenTests
{
    [Fact]
    public async Task A_token_lasts_an_hour_on_the_simulator_s_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var world = await AppWorld.StartAsync(new FakeGitHubServerOptions { TimeProvider = clock });
        using var jwt = world.Bearer(world.Jwt());

        using var issued = await jwt.PostAsync($"app/installations/{world.Installation.Id}/access_tokens", null);
        var body = await Sim.JsonAsync(issued);
        var token = body.GetProperty("token").GetString()!;
        using var http = world.Bearer(token);
        using var fresh = await http.GetAsync("repos/forker/project");
        world.Server.AdvanceClock(TimeSpan.FromMinutes(59));
        using var nearlyOld = await http.GetAsync("repos/forker/project");
        world.Server.AdvanceClock(TimeSpan.FromMinutes(1));
        using var expired = await http.GetAsync("repos/forker/project");

        issued.StatusCode.Should().Be(HttpStatusCode.Created);
        token.Should().StartWith("ghs_").And.Match(t => t.Length > 40, "GitHub's tokens are growing past 40 characters");
        body.GetProperty("expires_at").GetString().Should().Be("2026-01-01T01:00:00Z");
        body.GetProperty("repository_selection").GetString().Should().Be("selected");
        body.GetProperty("permissions").GetProperty("contents").GetString().Should().Be("write");
        fresh.StatusCode.Should().Be(HttpStatusCode.OK);
        nearlyOld.StatusCode.Should().Be(HttpStatusCode.OK);
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Sim.JsonAsync(expired)).GetProperty("message").GetString().Should().Be("Bad credentials");
    }

    [Fact]
    public async Task The_clock_moves_through_the_control_api_too()
    {
        await using var world = await AppWorld.StartAsync();
        var token = await world.TokenAsync();
        using var control = Sim.Http(world.Server);

        using var moved = await Sim.SendAsync(control, "POST", "_fake/clock", """{"advanceSeconds": 3601}""");
        using var http = world.Bearer(token);
        using var expired = await http.GetAsync("repos/forker/project");

        moved.StatusCode.Should().Be(HttpStatusCode.OK);
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_sees_only_its_installation_s_private_repositories_and_writes_only_to_them()
    {
        await using var world = await AppWorld.StartAsync();
        using var http = world.Bearer(await world.TokenAsync());

        using var installed = await http.GetAsync("repos/forker/project");
        using var privateOutside = await http.GetAsync("repos/forker/secret");
        using var publicOutside = await http.GetAsync("repos/maintainer/project");
        using var writeOutside = await Sim.SendAsync(http, "POST", "repos/forker/other/merge-upstream", """{"branch":"main"}""");
        using var listed = await http.GetAsync("installation/repositories");

        installed.StatusCode.Should().Be(HttpStatusCode.OK);
        privateOutside.StatusCode.Should().Be(HttpStatusCode.NotFound, "a private repository outside the installation does not exist for its token");
        publicOutside.StatusCode.Should().Be(HttpStatusCode.OK, "public data stays readable, as the upstream of a fork must be");
        writeOutside.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Sim.JsonAsync(writeOutside)).GetProperty("message").GetString().Should().Be("Resource not accessible by integration");
        var repositories = await Sim.JsonAsync(listed);
        repositories.GetProperty("total_count").GetInt32().Should().Be(1);
        repositories.GetProperty("repositories")[0].GetProperty("full_name").GetString().Should().Be("forker/project");
    }

    [Fact]
    public async Task A_token_for_a_repository_outside_the_installation_is_refused_and_one_can_be_narrowed()
    {
        await using var world = await AppWorld.StartAsync();
        world.Server.ChangeInstallationRepositories(world.Installation, ["forker/other"], []);
        using var jwt = world.Bearer(world.Jwt());
        var url = $"app/installations/{world.Installation.Id}/access_tokens";

        using var outside = await Sim.SendAsync(jwt, "POST", url, """{"repositories":["secret"]}""");
        using var tooMuch = await Sim.SendAsync(jwt, "POST", url, """{"permissions":{"administration":"write"}}""");
        using var narrowed = await Sim.SendAsync(jwt, "POST", url, """{"repositories":["other"],"permissions":{"contents":"read"}}""");
        var body = await Sim.JsonAsync(narrowed);
        using var http = world.Bearer(body.GetProperty("token").GetString()!);
        using var narrowedAway = await http.GetAsync("installation/repositories");
        using var readOnly = await Sim.SendAsync(http, "POST", "repos/forker/other/merge-upstream", """{"branch":"main"}""");

        outside.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Sim.JsonAsync(outside)).GetProperty("message").GetString()
            .Should().Be("There is at least one repository that does not exist or is not accessible to the parent installation.");
        tooMuch.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("repository_selection").GetString().Should().Be("selected");
        body.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("full_name").GetString()).Should().Equal("forker/other");
        body.GetProperty("permissions").EnumerateObject().Select(p => p.Name + "=" + p.Value.GetString()).Should().BeEquivalentTo(["contents=read", "metadata=read"]);
        (await Sim.JsonAsync(narrowedAway)).GetProperty("total_count").GetInt32().Should().Be(1);
        readOnly.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        readOnly.Headers.GetValues("x-accepted-github-permissions").Should().Equal("contents=write");
    }

    [Fact]
    public async Task Permissions_decide_what_a_token_may_do_and_its_bot_is_the_author()
    {
        await using var world = await AppWorld.StartAsync();
        world.Server.SetIssuesEnabled("forker", "project", true);
        world.Server.Commit("maintainer", "project", "main", "Upstream moves");
        using var http = world.Bearer(await world.TokenAsync());

        using var readIssues = await http.GetAsync("repos/forker/project/issues");
        using var createIssue = await Sim.SendAsync(http, "POST", "repos/forker/project/issues", """{"title":"Hello"}""");
        using var hooks = await http.GetAsync("repos/forker/project/hooks");
        using var pull = await Sim.SendAsync(http, "POST", "repos/forker/project/pulls", """{"title":"Update","head":"maintainer:main","base":"main"}""");
        using var merged = await Sim.SendAsync(http, "POST", "repos/forker/project/merge-upstream", """{"branch":"main"}""");

        readIssues.StatusCode.Should().Be(HttpStatusCode.OK, "issues: read lets it read");
        createIssue.StatusCode.Should().Be(HttpStatusCode.Forbidden, "issues: read does not let it write");
        (await Sim.JsonAsync(createIssue)).GetProperty("message").GetString().Should().Be("Resource not accessible by integration");
        hooks.StatusCode.Should().Be(HttpStatusCode.Forbidden, "it did not ask for repository_hooks");
        pull.StatusCode.Should().Be(HttpStatusCode.Created);
        (await Sim.JsonAsync(pull)).GetProperty("user").GetProperty("login").GetString().Should().Be("backstroke[bot]");
        (await Sim.JsonAsync(pull)).GetProperty("user").GetProperty("type").GetString().Should().Be("Bot");
        merged.StatusCode.Should().Be(HttpStatusCode.OK);
        merged.Headers.Contains("x-oauth-scopes").Should().BeFalse("installation tokens have permissions, not scopes");
    }

    [Fact]
    public async Task A_read_permission_lets_a_token_read_and_not_write()
    {
        await using var world = await AppWorld.StartAsync(permissions: new() { ["repository_hooks"] = "read" });
        world.Server.AddHook("forker", "project", "http://127.0.0.1:9/hook", null);
        using var http = world.Bearer(await world.TokenAsync());

        using var list = await http.GetAsync("repos/forker/project/hooks");
        using var create = await Sim.SendAsync(http, "POST", "repos/forker/project/hooks", """{"name":"web","config":{"url":"http://127.0.0.1:9/other"}}""");

        list.StatusCode.Should().Be(HttpStatusCode.OK);
        list.Headers.GetValues("x-accepted-github-permissions").Should().Equal("repository_hooks=read");
        create.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        create.Headers.GetValues("x-accepted-github-permissions").Should().Equal("repository_hooks=write");
    }

    [Fact]
    public async Task New_permissions_count_once_the_installation_accepts_them()
    {
        await using var receiver = await WebhookTests.Receiver.StartAsync();
        await using var world = await AppWorld.StartAsync(webhookUrl: receiver.Url);
        world.Server.SetIssuesEnabled("forker", "project", true);
        await receiver.NextAsync("installation");
        world.Server.ChangeAppPermissions(world.App, new Dictionary<string, string>(AppWorld.Permissions) { ["issues"] = "write" });

        using var before = world.Bearer(await world.TokenAsync());
        using var refused = await Sim.SendAsync(before, "POST", "repos/forker/project/issues", """{"title":"Hello"}""");
        using var control = Sim.Http(world.Server);
        using var accepted = await Sim.SendAsync(control, "POST", $"_fake/installations/{world.Installation.Id}/accept-permissions");
        var delivery = await receiver.NextAsync("installation");
        using var after = world.Bearer(await world.TokenAsync());
        using var created = await Sim.SendAsync(after, "POST", "repos/forker/project/issues", """{"title":"Hello"}""");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the installation has not accepted issues: write yet");
        accepted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var payload = (await Sim.JsonAsync(new HttpResponseMessage { Content = new ByteArrayContent(delivery.Body) }));
        payload.GetProperty("action").GetString().Should().Be("new_permissions_accepted");
        payload.GetProperty("installation").GetProperty("permissions").GetProperty("issues").GetString().Should().Be("write");
        created.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Workflow_changes_need_the_workflows_permission()
    {
        var without = new Dictionary<string, string>(AppWorld.Permissions);
        without.Remove("workflows");
        await using var world = await AppWorld.StartAsync(permissions: without);
        world.Server.Commit("maintainer", "project", "main", "CI", ".github/workflows/ci.yml");
        using var http = world.Bearer(await world.TokenAsync());

        using var refused = await Sim.SendAsync(http, "POST", "repos/forker/project/merge-upstream", """{"branch":"main"}""");

        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Sim.JsonAsync(refused)).GetProperty("message").GetString()
            .Should().Be("refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission");

        await using var allowed = await AppWorld.StartAsync();
        allowed.Server.Commit("maintainer", "project", "main", "CI", ".github/workflows/ci.yml");
        using var withPermission = allowed.Bearer(await allowed.TokenAsync());
        using var merged = await Sim.SendAsync(withPermission, "POST", "repos/forker/project/merge-upstream", """{"branch":"main"}""");
        merged.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_suspended_installation_s_tokens_are_refused_and_an_uninstalled_one_s_are_gone()
    {
        await using var world = await AppWorld.StartAsync();
        var token = await world.TokenAsync();
        using var http = world.Bearer(token);
        using var jwt = world.Bearer(world.Jwt());

        world.Server.SuspendInstallation(world.Installation);
        using var suspended = await http.GetAsync("repos/forker/project");
        using var noNewToken = await jwt.PostAsync($"app/installations/{world.Installation.Id}/access_tokens", null);
        world.Server.SuspendInstallation(world.Installation, suspended: false);
        using var back = await http.GetAsync("repos/forker/project");
        world.Server.DeleteInstallation(world.Installation);
        using var gone = await http.GetAsync("repos/forker/project");

        suspended.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Sim.JsonAsync(suspended)).GetProperty("message").GetString().Should().Be("This installation has been suspended");
        noNewToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        back.StatusCode.Should().Be(HttpStatusCode.OK);
        gone.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
