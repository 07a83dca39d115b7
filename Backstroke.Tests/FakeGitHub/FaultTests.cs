using System.Net;
using Backstroke.FakeGitHub;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class FaultTests
{
    [Fact]
    public async Task A_5xx_fault_fires_its_count_of_times_before_the_handler_and_changes_nothing()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "Upstream moves");
        server.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/*/pulls", Status = 502, Count = 2 });
        var github = Sim.Octokit(server, "forker-token");
        var create = () => github.PullRequest.Create("forker", "project", new NewPullRequest("Update", "maintainer:main", "main"));

        (await create.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        await create.Should().ThrowAsync<ApiException>();
        server.PullRequests("forker", "project").Should().BeEmpty();
        var pr = await create();

        pr.Number.Should().Be(1);
        server.Requests.Select(r => r.Status).Should().Equal(502, 502, 201);
    }

    [Fact]
    public async Task A_secondary_rate_limit_fault_carries_retry_after_and_a_delay_only_fault_slows_answers()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.AddFault(new FaultRule { PathPattern = "/user", Status = 403, RetryAfterSeconds = 60, Count = 1 });
        server.AddFault(new FaultRule { PathPattern = "/rate_limit", DelayMs = 200 });
        using var http = Sim.Http(server, "forker-token");

        using var limited = await http.GetAsync("user");
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var slow = await http.GetAsync("rate_limit");

        limited.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(60));
        (await limited.Content.ReadAsStringAsync()).Should().Contain("secondary rate limit");
        slow.StatusCode.Should().Be(HttpStatusCode.OK);
        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190));
    }
}
