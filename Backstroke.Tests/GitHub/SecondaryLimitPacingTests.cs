using Backstroke.FakeGitHub;
using Backstroke.GitHub;
using Microsoft.Extensions.Time.Testing;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// GitHub's secondary limits and per-account budgets, as the gateway keeps to them against the simulator with its
/// secondary limits on. One clock drives both sides, so a minute window passes at once.
/// </summary>
public sealed class SecondaryLimitPacingTests
{
    private const string SecondaryMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

    private static FakeTimeProvider Clock() => new(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));

    [Fact]
    public async Task Content_beyond_the_minute_limit_waits_for_the_window_instead_of_being_refused()
    {
        var time = Clock();
        await using var world = await GatewayWorld.StartAsync(time: time, limits: new SecondaryLimitOptions { ContentPerMinute = 2 });
        world.Server.State.Secondary.ContentPerMinute = 2;
        var started = time.GetUtcNow();

        var hooks = Enumerable.Range(1, 3)
            .Select(i => world.Session.CreateHookAsync("me", "proj", new NewHook($"https://ci{i}.example/hook", ["push"], "s3cret"), default))
            .ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Task.WhenAll(hooks).IsCompleted && DateTime.UtcNow < deadline)
        {
            // The first two go at once; the third waits for the window, whose minute passes here in steps.
            await Task.Delay(20);
            if (hooks.Count(h => h.IsCompleted) >= 2)
            {
                time.Advance(TimeSpan.FromSeconds(5));
            }
        }

        await Task.WhenAll(hooks);
        world.Server.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Status == 201, "no request was sent that GitHub would refuse");
        var third = world.Server.Requests.Max(r => r.At);
        (third - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1), "the third creation waited for the minute to pass");
    }

    [Fact]
    public async Task Points_beyond_the_minute_limit_wait_and_writes_count_five()
    {
        var time = Clock();
        await using var world = await GatewayWorld.StartAsync(time: time, limits: new SecondaryLimitOptions { PointsPerMinute = 10 });
        world.Server.State.Secondary.PointsPerMinute = 10;

        // A write (5 points) and five reads fill the minute; the sixth read must wait.
        await world.Session.CreateHookAsync("me", "proj", new NewHook("https://ci.example/hook", ["push"], "s3cret"), default);
        for (var i = 0; i < 5; i++)
        {
            await world.Session.GetRepositoryAsync("me", "proj", default);
        }

        var waiting = world.Session.GetRepositoryAsync("me", "proj", default);
        await Task.Delay(200);
        waiting.IsCompleted.Should().BeFalse("the minute holds 10 points already");
        world.Server.Requests.Should().HaveCount(6);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!waiting.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        (await waiting).Should().NotBeNull();
        world.Server.Requests.Should().HaveCount(7).And.OnlyContain(r => r.Status < 400);
    }

    [Fact]
    public async Task A_secondary_refusal_without_retry_after_backs_off_exponentially_and_a_success_resets_it()
    {
        var time = Clock();
        await using var world = await GatewayWorld.StartAsync(time: time);
        world.Server.AddFault(new FaultRule { PathPattern = "/repos/me/proj", Status = 403, Count = 3, Message = SecondaryMessage });

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var refused = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));
            refused.Kind.Should().Be(GitHubFailure.RateLimited);
            refused.Secondary.Should().BeTrue();
            var wait = refused.Until!.Value - time.GetUtcNow();
            waits.Add(wait);

            var held = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));
            held.Until.Should().Be(refused.Until, "nothing is sent while the account backs off");
            time.Advance(wait);
        }

        (await world.Session.GetRepositoryAsync("me", "proj", default)).Should().NotBeNull();
        world.Server.AddFault(new FaultRule { PathPattern = "/repos/me/proj", Status = 429, Count = 1, Message = SecondaryMessage });
        var afterSuccess = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));

        waits.Should().Equal(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240));
        (afterSuccess.Until!.Value - time.GetUtcNow()).Should().Be(TimeSpan.FromSeconds(60), "a success ends the backoff");
        world.Server.Requests.Should().HaveCount(5, "three refusals, one success, one refusal: the held calls were never sent");
    }

    [Fact]
    public async Task A_secondary_refusal_with_retry_after_waits_as_long_as_GitHub_asks()
    {
        var time = Clock();
        await using var world = await GatewayWorld.StartAsync(time: time);
        world.Server.AddFault(new FaultRule { PathPattern = "/repos/me/proj", Status = 429, Count = 2, RetryAfterSeconds = 7, Message = SecondaryMessage });

        var first = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));
        var firstWait = first.Until!.Value - time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(7));
        var second = await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));

        firstWait.Should().Be(TimeSpan.FromSeconds(7));
        (second.Until!.Value - time.GetUtcNow()).Should().Be(TimeSpan.FromSeconds(7), "retry-after is honoured, not doubled");
    }

    [Fact]
    public async Task Two_tokens_of_one_user_share_one_budget_named_by_the_users_id()
    {
        await using var world = await GatewayWorld.StartAsync();
        const string second = "gho_second_token_of_me";
        world.Server.State.AddToken("me", second, ["repo"]);
        var me = await world.Session.GetUserAsync(default);
        await world.Clients.For(second).GetUserAsync(default);

        world.Server.SetRateLimit(GatewayWorld.Token, 5000, 0, 600);
        await Assert.ThrowsAsync<GitHubException>(() => world.Session.GetRepositoryAsync("me", "proj", default));
        var sent = world.Server.Requests.Count;
        var other = await Assert.ThrowsAsync<GitHubException>(() => world.Clients.For(second).GetRepositoryAsync("me", "proj", default));

        other.Kind.Should().Be(GitHubFailure.RateLimited, "the other token of the same user spends the same, spent, budget");
        world.Server.Requests.Count.Should().Be(sent, "it was not sent");
        world.Budgets.Snapshot().Should().ContainSingle().Which.Account.Should().Be($"user:{me.Id}");
        world.Budgets.AccountOf(second).Should().Be(world.Budgets.AccountOf(GatewayWorld.Token));
    }

    [Fact]
    public async Task A_token_whose_user_is_not_known_is_its_own_account_named_by_a_hash()
    {
        await using var world = await GatewayWorld.StartAsync();

        await world.Session.GetRepositoryAsync("me", "proj", default);

        var account = world.Budgets.Snapshot().Should().ContainSingle().Subject.Account;
        account.Should().MatchRegex("^tok_[0-9a-f]{12}$").And.NotContain(GatewayWorld.Token);
    }
}
