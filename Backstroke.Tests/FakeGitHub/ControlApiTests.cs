using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backstroke.FakeGitHub;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>The control API as scripts use it over HTTP; its own calls never reach the request log.</summary>
public sealed class ControlApiTests
{
    [Fact]
    public async Task Scripts_set_up_a_scenario_and_read_the_request_log_over_http()
    {
        await using var server = await FakeGitHubServer.StartAsync();
        using var http = Sim.Http(server);

        (await http.PostAsJsonAsync("_fake/users", new { login = "alice", token = "alice-token", scopes = new[] { "repo" } })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await http.PostAsJsonAsync("_fake/repos", new { owner = "org", name = "lib", defaultBranch = "trunk" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await http.PostAsJsonAsync("_fake/repos", new { owner = "alice", name = "lib", forkOf = "org/lib" })).StatusCode.Should().Be(HttpStatusCode.Created);
        using var commit = await http.PostAsJsonAsync("_fake/repos/org/lib/commits", new { branch = "trunk", message = "Move" });
        var sha = (await commit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sha").GetString();
        (await http.PutAsJsonAsync("_fake/rate-limit", new { token = "alice-token", limit = 100, remaining = 10, resetInSeconds = 60 })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        using var api = Sim.Http(server, "alice-token");
        using var compare = await api.GetAsync("repos/alice/lib/compare/trunk...org:trunk");
        var log = await http.GetFromJsonAsync<JsonElement>("_fake/requests");

        compare.Headers.GetValues("x-ratelimit-remaining").Should().Equal("9");
        JsonDocument.Parse(await compare.Content.ReadAsStringAsync()).RootElement.GetProperty("commits")[0].GetProperty("sha").GetString().Should().Be(sha);
        log.GetArrayLength().Should().Be(1);
        var entry = log[0];
        entry.GetProperty("method").GetString().Should().Be("GET");
        entry.GetProperty("path").GetString().Should().Be("/repos/alice/lib/compare/trunk...org:trunk");
        entry.GetProperty("status").GetInt32().Should().Be(200);
        entry.GetProperty("token").GetString().Should().Be("alice-token");
        entry.GetProperty("counted").GetBoolean().Should().BeTrue();
        (await http.DeleteAsync("_fake/requests")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Control_errors_are_clear_sentences()
    {
        await using var server = await FakeGitHubServer.StartAsync();
        using var http = Sim.Http(server);

        using var missing = await http.PostAsJsonAsync("_fake/repos/nobody/nothing/commits", new { branch = "main" });
        using var badFork = await http.PostAsJsonAsync("_fake/repos", new { owner = "a", name = "b", forkOf = "x/y" });

        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("No repository nobody/nothing.");
        (await badFork.Content.ReadAsStringAsync()).Should().Contain("Repository x/y doesn't exist.");
    }

    [Fact]
    public async Task The_demo_seed_has_a_fork_behind_its_upstream()
    {
        await using var server = await FakeGitHubServer.StartAsync(new FakeGitHubServerOptions { Seed = "demo" });
        var github = Sim.Octokit(server, "demo-token");

        var me = await github.User.Current();
        var behind = await github.Repository.Commit.Compare("octocat", "project", "main", "upstream-org:main");
        var current = await github.Repository.Commit.Compare("hubot", "project", "main", "upstream-org:main");

        me.Login.Should().Be("octocat");
        behind.AheadBy.Should().Be(1);
        current.Status.Should().Be("identical");
    }
}
