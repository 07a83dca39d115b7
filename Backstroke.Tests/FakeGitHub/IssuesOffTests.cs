using System.Net;
using System.Net.Http.Json;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>Forks start with Issues off: no new issues, but pull requests are still issues and can carry labels.</summary>
public sealed class IssuesOffTests
{
    [Fact]
    public async Task A_fork_starts_with_issues_off_and_refuses_new_issues_with_410()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "forker-token");

        var fork = await Sim.JsonAsync(await http.GetAsync("repos/forker/project"));
        var upstream = await Sim.JsonAsync(await http.GetAsync("repos/maintainer/project"));
        using var refused = await Sim.SendAsync(http, "POST", "repos/forker/project/issues", """{"title":"Hello"}""");
        using var viaControl = await Sim.Http(server).PostAsJsonAsync("_fake/repos/forker/project/issues", new { title = "Hello" });

        fork.GetProperty("has_issues").GetBoolean().Should().BeFalse();
        upstream.GetProperty("has_issues").GetBoolean().Should().BeTrue();
        refused.StatusCode.Should().Be(HttpStatusCode.Gone);
        (await Sim.JsonAsync(refused)).GetProperty("message").GetString().Should().Be("Issues are disabled for this repo");
        viaControl.StatusCode.Should().Be(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task A_fork_made_through_the_api_also_starts_with_issues_off()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateUser("third", "third-token");

        using var created = await Sim.SendAsync(Sim.Http(server, "third-token"), "POST", "repos/maintainer/project/forks", "{}");

        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Sim.JsonAsync(created)).GetProperty("has_issues").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task With_issues_off_the_issue_list_still_holds_labelled_pull_requests()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "Upstream moves");
        using var http = Sim.Http(server, "forker-token");
        var pull = await Sim.JsonAsync(await Sim.SendAsync(http, "POST", "repos/forker/project/pulls", """{"title":"Update","head":"maintainer:main","base":"main"}"""));
        var number = pull.GetProperty("number").GetInt32();

        using var labelled = await Sim.SendAsync(http, "POST", $"repos/forker/project/issues/{number}/labels", """{"labels":["optout"]}""");
        await Sim.SendAsync(http, "PATCH", $"repos/forker/project/pulls/{number}", """{"state":"closed"}""");
        var listed = await Sim.JsonAsync(await http.GetAsync("repos/forker/project/issues?state=all&labels=optout"));

        labelled.StatusCode.Should().Be(HttpStatusCode.OK);
        listed.GetArrayLength().Should().Be(1);
        listed[0].GetProperty("number").GetInt32().Should().Be(number);
        listed[0].TryGetProperty("pull_request", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Issues_turned_off_are_hidden_and_come_back_when_turned_on()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var control = Sim.Http(server);
        using var http = Sim.Http(server, "forker-token");

        (await control.PutAsJsonAsync("_fake/repos/forker/project/issues-enabled", new { enabled = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var created = await Sim.SendAsync(http, "POST", "repos/forker/project/issues", """{"title":"Opt out","labels":["optout"]}""");
        await control.PutAsJsonAsync("_fake/repos/forker/project/issues-enabled", new { enabled = false });
        var hidden = await Sim.JsonAsync(await http.GetAsync("repos/forker/project/issues?state=all"));
        await control.PutAsJsonAsync("_fake/repos/forker/project/issues-enabled", new { enabled = true });
        var back = await Sim.JsonAsync(await http.GetAsync("repos/forker/project/issues?state=all"));

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        hidden.GetArrayLength().Should().Be(0);
        back.GetArrayLength().Should().Be(1);
    }
}
