using System.Net;
using System.Net.Http.Json;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>Compares and pull requests between histories that share no commit, and diffs too big to generate.</summary>
public sealed class UnrelatedHistoryTests
{
    [Fact]
    public async Task An_orphaned_branch_shares_no_ancestor_so_compare_is_a_404_naming_both_sides()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var control = Sim.Http(server);
        using var orphan = await control.PostAsJsonAsync("_fake/repos/maintainer/project/orphan", new { branch = "main", message = "Start over" });
        var root = (await Sim.JsonAsync(orphan)).GetProperty("sha").GetString();

        using var compare = await Sim.Http(server, "forker-token").GetAsync("repos/forker/project/compare/main...maintainer:main");
        var commit = await Sim.JsonAsync(await Sim.Http(server, "forker-token").GetAsync($"repos/maintainer/project/commits/{root}"));

        compare.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Sim.JsonAsync(compare)).GetProperty("message").GetString().Should().Be("No common ancestor between main and maintainer:main.");
        commit.GetProperty("parents").GetArrayLength().Should().Be(0, "the orphan is a new root commit");
    }

    [Fact]
    public async Task A_pull_request_between_unrelated_histories_is_a_422_naming_them()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Orphan("maintainer", "project", "main", "Start over");

        using var answer = await Sim.SendAsync(Sim.Http(server, "forker-token"), "POST", "repos/forker/project/pulls",
            """{"title":"Update","head":"maintainer:main","base":"main"}""");

        answer.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Sim.JsonAsync(answer)).GetProperty("errors")[0].GetProperty("message").GetString().Should()
            .Be("The maintainer:main branch has no history in common with main");
        server.PullRequests("forker", "project").Should().BeEmpty();
    }

    [Fact]
    public async Task A_diff_too_big_to_generate_is_a_500_until_switched_off()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "Upstream moves");
        using var control = Sim.Http(server);
        using var http = Sim.Http(server, "forker-token");

        (await control.PutAsJsonAsync("_fake/repos/forker/project/slow-diff", new { enabled = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var slow = await http.GetAsync("repos/forker/project/compare/main...maintainer:main");
        await control.PutAsJsonAsync("_fake/repos/forker/project/slow-diff", new { enabled = false });
        using var fine = await http.GetAsync("repos/forker/project/compare/main...maintainer:main");

        slow.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await Sim.JsonAsync(slow)).GetProperty("message").GetString().Should().Be("Sorry, this diff is taking too long to generate.");
        fine.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Sim.JsonAsync(fine)).GetProperty("status").GetString().Should().Be("ahead");
    }
}
