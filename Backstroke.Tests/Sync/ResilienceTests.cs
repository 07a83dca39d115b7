using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>Transient failures retried with backoff, permanent limits respected, rate limits waited out.</summary>
public sealed class ResilienceTests(ITestOutputHelper output)
{
    private static bool IsPullCreate(RequestLogEntry r) => r.Method == "POST" && r.Path == "/repos/me/proj/pulls";

    [Fact]
    public async Task A_transient_5xx_is_retried_and_exactly_one_pull_request_is_opened()
    {
        await using var world = await SyncWorld.StartAsync(output: output);
        world.GitHub.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/me/proj/pulls", Status = 502, Count = 2 });
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        world.GitHub.Requests.Where(IsPullCreate).Select(r => r.Status).Should().Equal(502, 502, 201);
        world.OpenPullRequests().Should().ContainSingle();
    }

    [Fact]
    public async Task A_failure_that_lasts_ends_the_operation_after_MaxAttempts()
    {
        await using var world = await SyncWorld.StartAsync(new Dictionary<string, string?> { ["Sync:MaxAttempts"] = "3" }, output: output);
        world.GitHub.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/me/proj/pulls", Status = 503 });
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().StartWith("GitHub failed 3 times in a row").And.Contain("503");
        world.GitHub.Requests.Count(IsPullCreate).Should().Be(3);
    }

    [Fact]
    public async Task A_secondary_rate_limit_is_waited_out_as_retry_after_asks()
    {
        await using var world = await SyncWorld.StartAsync(output: output);
        world.GitHub.AddFault(new FaultRule
        {
            Method = "POST", PathPattern = "/repos/me/proj/pulls", Status = 403, Count = 1, RetryAfterSeconds = 1,
            Message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        });
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        var tries = world.GitHub.Requests.Where(IsPullCreate).ToList();
        tries.Select(r => r.Status).Should().Equal(403, 201);
        (tries[1].At - tries[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9));
        world.OpenPullRequests().Should().ContainSingle();
    }

    [Fact]
    public async Task A_spent_budget_sends_nothing_until_its_reset_then_the_sync_completes()
    {
        await using var world = await SyncWorld.StartAsync(output: output);
        var link = await world.AddLinkAsync();
        var reset = DateTimeOffset.UtcNow.AddSeconds(2);
        // One request left: the opt-out check spends it, and the answer says the budget is empty.
        world.GitHub.SetRateLimit(SyncWorld.OwnerToken, limit: 5000, remaining: 1, resetInSeconds: 2);

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        var requests = world.GitHub.Requests.Where(r => r.Token == SyncWorld.OwnerToken).ToList();
        requests.Should().NotContain(r => r.Status == 403 || r.Status == 429, "no request is sent that GitHub would refuse");
        requests[0].Path.Should().EndWith("/issues", "the opt-out check spent the last request");
        requests.Skip(1).Should().NotBeEmpty().And.OnlyContain(r => r.At >= reset, "nothing was sent before the reset");
        world.OpenPullRequests().Should().ContainSingle();
    }
}
