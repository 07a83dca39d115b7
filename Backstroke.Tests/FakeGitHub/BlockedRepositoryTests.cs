using System.Net;
using System.Net.Http.Json;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>DMCA-blocked (451) and disabled (403) repositories refuse everything yet stay listed among forks.</summary>
public sealed class BlockedRepositoryTests
{
    [Fact]
    public async Task A_dmca_block_answers_451_and_the_fork_stays_listed_as_disabled_until_lifted()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("other", "project", forkOf: "maintainer/project");
        using var control = Sim.Http(server);
        using var http = Sim.Http(server, "maintainer-token");

        (await control.PostAsJsonAsync("_fake/repos/forker/project/block", new { status = 451 })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var blocked = await http.GetAsync("repos/forker/project");
        using var blockedWrite = await Sim.SendAsync(http, "POST", "repos/forker/project/pulls", """{"title":"t","head":"maintainer:main","base":"main"}""");
        var forks = await Sim.JsonAsync(await http.GetAsync("repos/maintainer/project/forks"));
        (await control.DeleteAsync("_fake/repos/forker/project/block")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var lifted = await http.GetAsync("repos/forker/project");

        blocked.StatusCode.Should().Be((HttpStatusCode)451);
        var body = await Sim.JsonAsync(blocked);
        body.GetProperty("message").GetString().Should().Be("Repository access blocked");
        body.GetProperty("block").GetProperty("reason").GetString().Should().Be("dmca");
        blockedWrite.StatusCode.Should().Be((HttpStatusCode)451);
        forks.EnumerateArray().Select(f => (f.GetProperty("full_name").GetString(), f.GetProperty("disabled").GetBoolean()))
            .Should().BeEquivalentTo([("forker/project", true), ("other/project", false)]);
        lifted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Sim.JsonAsync(lifted)).GetProperty("disabled").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_repository_disabled_for_its_terms_answers_403_with_the_same_message()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.BlockRepo("forker", "project", 403);

        using var answer = await Sim.Http(server, "forker-token").GetAsync("repos/forker/project/branches/main");

        answer.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var body = await Sim.JsonAsync(answer);
        body.GetProperty("message").GetString().Should().Be("Repository access blocked");
        body.GetProperty("block").GetProperty("reason").GetString().Should().Be("tos");
    }

    [Fact]
    public async Task Only_451_and_403_are_blocks()
    {
        await using var server = await Sim.StartWithForkAsync();

        using var answer = await Sim.Http(server).PostAsJsonAsync("_fake/repos/forker/project/block", new { status = 500 });

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await answer.Content.ReadAsStringAsync()).Should().Contain("451");
    }
}
