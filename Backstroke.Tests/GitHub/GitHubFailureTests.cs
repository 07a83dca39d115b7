using System.Net;
using System.Net.Sockets;
using Backstroke.FakeGitHub;
using Backstroke.GitHub;

namespace Backstroke.Tests.GitHub;

/// <summary>Whatever goes wrong with a GitHub call comes out as one GitHubException, with GitHub's words and a kind.</summary>
public sealed class GitHubFailureTests
{
    [Theory]
    [InlineData(500, "Server Error", "Transient")]
    [InlineData(502, "Bad Gateway", "Transient")]
    [InlineData(404, "Not Found", "NotFound")]
    [InlineData(403, "Repository access blocked", "Forbidden")]
    [InlineData(451, "Repository access blocked", "Forbidden")]
    [InlineData(401, "Bad credentials", "BadCredentials")]
    [InlineData(422, "Update is not a fast forward", "Validation")]
    [InlineData(422, "refusing to allow an OAuth App to create or update workflow `.github/workflows/ci.yml` without `workflow` scope", "NeedsScope")]
    [InlineData(409, "Git Repository is empty.", "Refused")]
    public async Task An_answer_becomes_its_kind_with_GitHub_s_status_and_message(int status, string message, string kindName)
    {
        var kind = Enum.Parse<GitHubFailure>(kindName);
        await using var world = await GatewayWorld.StartAsync();
        world.Server.AddFault(new FaultRule { PathPattern = "/repos/me/proj/compare/*", Status = status, Message = message });

        var failure = await Assert.ThrowsAsync<GitHubException>(() => world.Session.CompareAsync("me", "proj", "main", "up", "proj", "main", default));

        (failure.Kind, failure.Status, failure.Message).Should().Be((kind, status, message));
        failure.IsTransient.Should().Be(kind == GitHubFailure.Transient);
    }

    [Fact]
    public async Task A_422_keeps_GitHub_s_details()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.Commit("up", "proj", "main", "New");
        await world.Session.CreatePullRequestAsync("me", "proj", "t", "up", "proj", "main", "main", "b", default);

        var failure = await Assert.ThrowsAsync<GitHubException>(() => world.Session.CreatePullRequestAsync("me", "proj", "t", "up", "proj", "main", "main", "b", default));

        failure.Kind.Should().Be(GitHubFailure.Validation);
        failure.Status.Should().Be(422);
        failure.Details.Should().ContainSingle().Which.Should().StartWith("A pull request already exists for up:main");
        failure.Mentions("pull request already exists").Should().BeTrue();
    }

    [Fact]
    public async Task A_spent_budget_is_rate_limited_until_the_reset_and_the_next_call_is_not_sent()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.SetRateLimit(GatewayWorld.Token, 5000, 0, 600);

        var first = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));
        var sent = world.Server.Requests.Count;
        var second = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));

        first.Kind.Should().Be(GitHubFailure.RateLimited);
        first.Secondary.Should().BeFalse();
        first.Until.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(5));
        second.Kind.Should().Be(GitHubFailure.RateLimited);
        world.Server.Requests.Count.Should().Be(sent, "a token that must wait sends nothing");
    }

    [Fact]
    public async Task A_secondary_limit_is_rate_limited_for_as_long_as_GitHub_asks()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.AddFault(new FaultRule { PathPattern = "/repos/me/proj", Status = 403, RetryAfterSeconds = 120,
            Message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." });

        var failure = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));

        failure.Kind.Should().Be(GitHubFailure.RateLimited);
        failure.Secondary.Should().BeTrue();
        failure.Until.Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(120), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_GitHub_that_is_too_slow_or_unreachable_is_transient_with_no_status()
    {
        await using var slow = await GatewayWorld.StartAsync(requestTimeout: TimeSpan.FromMilliseconds(200));
        slow.Server.SetLatency(2_000);
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/");
        await using var unreachable = await GatewayWorld.StartAsync(apiUrl: closed);

        var timedOut = await Assert.ThrowsAsync<GitHubException>(() => slow.Session.GetRepositoryAsync("me", "proj", default));
        var refused = await Assert.ThrowsAsync<GitHubException>(() => unreachable.Session.GetRepositoryAsync("me", "proj", default));

        (timedOut.Kind, timedOut.Status, timedOut.Message).Should().Be((GitHubFailure.Transient, (int?)null, "GitHub did not answer in time."));
        (refused.Kind, refused.Status).Should().Be((GitHubFailure.Transient, (int?)null));
        refused.Message.Should().StartWith("GitHub could not be reached");
    }

    [Fact]
    public async Task A_caller_s_own_cancellation_stays_a_cancellation()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.SetLatency(2_000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var act = () => world.Session.GetRepositoryAsync("me", "proj", cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
