using System.Net;
using Backstroke.FakeGitHub;
using Microsoft.Extensions.Time.Testing;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class RateLimitTests
{
    [Fact]
    public async Task The_budget_runs_out_and_refills_at_the_reset()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await Sim.StartWithForkAsync(new FakeGitHubServerOptions { TimeProvider = clock });
        server.SetRateLimit("forker-token", limit: 5000, remaining: 2, resetInSeconds: 600);
        var github = Sim.Octokit(server, "forker-token");

        await github.Repository.Get("maintainer", "project");
        await github.Repository.Get("maintainer", "project");
        var exhausted = () => github.Repository.Get("maintainer", "project");

        var refused = (await exhausted.Should().ThrowAsync<RateLimitExceededException>()).Which;
        refused.Message.Should().Be($"API rate limit exceeded for user ID {server.State.FindAccount("forker")!.Id}.");
        refused.Remaining.Should().Be(0);
        refused.Reset.Should().Be(clock.GetUtcNow().AddSeconds(600));

        clock.Advance(TimeSpan.FromSeconds(601));
        var repo = await github.Repository.Get("maintainer", "project");
        repo.Name.Should().Be("project");
        github.GetLastApiInfo().RateLimit.Remaining.Should().Be(4999);
    }

    [Fact]
    public async Task Every_answer_carries_the_budget_and_the_token_scopes()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "forker-token");

        using var first = await http.GetAsync("repos/maintainer/project");
        using var second = await http.GetAsync("repos/maintainer/missing");

        first.Headers.GetValues("x-ratelimit-limit").Should().Equal("5000");
        first.Headers.GetValues("x-ratelimit-remaining").Should().Equal("4999");
        first.Headers.GetValues("x-oauth-scopes").Should().Equal("repo");
        second.StatusCode.Should().Be(HttpStatusCode.NotFound);
        second.Headers.GetValues("x-ratelimit-remaining").Should().Equal(["4998"], "errors count too");
        second.Headers.GetValues("x-ratelimit-used").Should().Equal("2");
    }

    [Fact]
    public async Task Rate_limit_endpoint_is_free_and_budgets_are_per_account_across_its_tokens()
    {
        // "Rate limits for the REST API": the primary limit is per user, shared by all of that user's tokens.
        await using var server = await Sim.StartWithForkAsync();
        server.State.AddToken("forker", "forker-second-token", ["repo"]);
        var forker = Sim.Octokit(server, "forker-token");
        await forker.Repository.Get("maintainer", "project");

        var limits = await forker.RateLimit.GetRateLimits();
        var sameUser = await Sim.Octokit(server, "forker-second-token").RateLimit.GetRateLimits();
        var other = await Sim.Octokit(server, "maintainer-token").RateLimit.GetRateLimits();

        limits.Resources.Core.Remaining.Should().Be(4999);
        sameUser.Resources.Core.Remaining.Should().Be(4999);
        other.Resources.Core.Remaining.Should().Be(5000);
        server.Requests.Where(r => r.Path == "/rate_limit").Should().OnlyContain(r => !r.Counted);
    }

    [Fact]
    public async Task Anonymous_callers_share_a_budget_per_address()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server);

        using var response = await http.GetAsync("repos/maintainer/project");

        response.Headers.GetValues("x-ratelimit-limit").Should().Equal("60");
        server.Requests.Single().Token.Should().BeNull();
    }
}
