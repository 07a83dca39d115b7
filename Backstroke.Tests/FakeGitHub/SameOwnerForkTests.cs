using System.Net;
using System.Net.Http.Json;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>A fork owned by its upstream's owner (org/proj-fork of org/proj) can only be named as a head through head_repo.</summary>
public sealed class SameOwnerForkTests
{
    [Fact]
    public async Task Head_alone_names_the_base_repository_itself_and_head_repo_names_the_upstream()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var control = Sim.Http(server);
        (await control.PostAsJsonAsync("_fake/repos", new { owner = "maintainer", name = "project-fork", forkOf = "maintainer/project" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var upstream = server.Commit("maintainer", "project", "main", "Upstream moves");
        using var http = Sim.Http(server, "maintainer-token");

        using var ambiguous = await Sim.SendAsync(http, "POST", "repos/maintainer/project-fork/pulls", """{"title":"Update","head":"maintainer:main","base":"main"}""");
        using var named = await Sim.SendAsync(http, "POST", "repos/maintainer/project-fork/pulls",
            """{"title":"Update","head":"maintainer:main","head_repo":"maintainer/project","base":"main"}""");
        var forks = await Sim.JsonAsync(await http.GetAsync("repos/maintainer/project/forks"));

        ambiguous.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "maintainer:main is read as the fork's own main");
        (await Sim.JsonAsync(ambiguous)).GetProperty("errors")[0].GetProperty("message").GetString().Should().StartWith("No commits between");
        named.StatusCode.Should().Be(HttpStatusCode.Created);
        var pull = await Sim.JsonAsync(named);
        pull.GetProperty("head").GetProperty("repo").GetProperty("full_name").GetString().Should().Be("maintainer/project");
        pull.GetProperty("head").GetProperty("sha").GetString().Should().Be(upstream);
        forks.EnumerateArray().Select(f => f.GetProperty("full_name").GetString()).Should().Contain("maintainer/project-fork");
    }
}
