using System.Net;
using Backstroke.FakeGitHub.Apps;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>"Rate limits for the REST API": each installation has its own budget, apart from every user's.</summary>
public sealed class InstallationRateLimitTests
{
    [Fact]
    public async Task An_installation_s_budget_is_its_own_and_runs_out_in_its_name()
    {
        await using var world = await AppWorld.StartAsync();
        var token = await world.TokenAsync();
        using var http = world.Bearer(token);
        using var user = Sim.Http(world.Server, "forker-token");

        using var first = await http.GetAsync("repos/forker/project");
        using var byUser = await user.GetAsync("repos/forker/project");
        world.Server.SetRateLimit(token, limit: 5000, remaining: 0, resetInSeconds: 600);
        using var exhausted = await http.GetAsync("repos/forker/project");
        using var userStillServed = await user.GetAsync("repos/forker/project");

        first.Headers.GetValues("x-ratelimit-limit").Should().Equal("5000");
        first.Headers.GetValues("x-ratelimit-remaining").Should().Equal("4999");
        byUser.Headers.GetValues("x-ratelimit-remaining").Should().Equal(["4999"], "the user's budget is another one");
        exhausted.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Sim.JsonAsync(exhausted)).GetProperty("message").GetString().Should().Be($"API rate limit exceeded for installation ID {world.Installation.Id}.");
        userStillServed.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_installation_on_many_repositories_gets_fifty_more_an_hour_for_each_over_twenty()
    {
        await using var world = await AppWorld.StartAsync();
        var names = Enumerable.Range(0, 30).Select(i => $"forker/repo-{i}").ToArray();
        foreach (var name in names)
        {
            world.Server.CreateRepo("forker", name.Split('/')[1]);
        }

        world.Server.ChangeInstallationRepositories(world.Installation, names, []);
        using var http = world.Bearer(await world.TokenAsync());

        using var answer = await http.GetAsync("repos/forker/project");

        // 31 repositories: 5,000 + 11 × 50.
        answer.Headers.GetValues("x-ratelimit-limit").Should().Equal("5550");
        AppRegistry.LimitFor(1000).Should().Be(12_500, "the limit stops at 12,500");
    }
}
