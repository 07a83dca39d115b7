using Backstroke.Data;
using Backstroke.FakeGitHub;
using Backstroke.Polling;
using Backstroke.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Backstroke.Tests.Polling;

/// <summary>An upstream change is never forgotten: a link whose sync did not succeed is synced again by a later check, however
/// long GitHub was down, and one whose syncs keep failing is retried less and less often.</summary>
public class NeverForgottenTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan JustPast = StaleAfter + TimeSpan.FromSeconds(1);

    private static readonly FaultRule PullRequestsDown = new() { Method = "POST", PathPattern = "/repos/me/proj/pulls", Status = 502 };

    // One attempt per operation: the clock only moves when the test moves it, so an operation's own retries would wait forever.
    private static Task<WatchWorld> StartAsync() =>
        WatchWorld.StartAsync(
            new Dictionary<string, string?> { ["Sync:MaxAttempts"] = "1" },
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds())));

    [Fact]
    public async Task An_outage_longer_than_the_retries_is_synced_by_the_next_check_even_when_the_head_answers_304()
    {
        await using var world = await StartAsync();
        var link = await world.AddLinkAsync();
        await world.Poller.PollOnceAsync(CancellationToken.None);
        await AllDoneAsync(world, link.Id, 1);

        var moved = world.GitHub.Commit("up", "proj", "main", "Upstream moves on during an outage");
        world.GitHub.AddFault(PullRequestsDown);
        world.Clock!.Advance(JustPast);
        (await world.Poller.PollOnceAsync(CancellationToken.None)).Queued.Should().Be(1);
        await AllDoneAsync(world, link.Id, 2);
        var failed = await world.LinkAsync(link.Id);

        world.GitHub.ClearFaults();
        world.Clock.Advance(JustPast);
        var recovery = await world.Poller.PollOnceAsync(CancellationToken.None);
        await AllDoneAsync(world, link.Id, 3);
        world.Clock.Advance(JustPast);
        var quiet = await world.Poller.PollOnceAsync(CancellationToken.None);

        (await world.OperationsAsync(link.Id))[1].Status.Should().Be(OperationStatus.Error, "GitHub refused every attempt");
        failed.UpstreamSha.Should().Be(moved);
        failed.SyncedSha.Should().NotBe(moved);
        failed.SyncFailures.Should().Be(1);
        world.Probes().Last().Status.Should().Be(304, "the upstream did not move again: only the link's own state says it is behind");
        recovery.Queued.Should().Be(1, "the link is behind the head it knows");
        var operations = await world.OperationsAsync(link.Id);
        operations[2].Kind.Should().Be(OperationKind.Automatic);
        operations[2].Status.Should().Be(OperationStatus.Ok);
        world.GitHub.PullRequests("me", "proj").Should().ContainSingle(p => p.State == "open", "the change reached the fork");
        var synced = await world.LinkAsync(link.Id);
        synced.SyncedSha.Should().Be(moved);
        synced.SyncFailures.Should().Be(0);
        synced.SyncRetryAt.Should().BeNull();
        quiet.Queued.Should().Be(0, "a link level with its upstream is left alone");
    }

    [Fact]
    public async Task A_link_whose_syncs_keep_failing_is_retried_less_and_less_often()
    {
        await using var world = await StartAsync();
        world.GitHub.Commit("up", "proj", "main", "Work the fork lacks");
        world.GitHub.AddFault(PullRequestsDown);
        var link = await world.AddLinkAsync();

        var queued = new List<int>();
        var retryAt = new List<DateTimeOffset?>();
        var times = new List<DateTimeOffset>();
        for (var i = 0; i < 6; i++)
        {
            times.Add(world.Clock!.GetUtcNow());
            queued.Add((await world.Poller.PollOnceAsync(CancellationToken.None)).Queued);
            await AllDoneAsync(world, link.Id, queued.Sum());
            retryAt.Add((await world.LinkAsync(link.Id)).SyncRetryAt);
            world.Clock.Advance(JustPast);
        }

        // Checks every StaleAfter; retries after waits of 10, 20, then 40 minutes: 1 new head, then retries at 1, 2, 4.
        queued.Should().Equal(1, 1, 1, 0, 1, 0);
        retryAt[1].Should().Be(times[1] + StaleAfter);
        retryAt[2].Should().Be(times[2] + (2 * StaleAfter));
        retryAt[4].Should().Be(times[4] + (4 * StaleAfter));
        (await world.LinkAsync(link.Id)).SyncFailures.Should().Be(4);
        world.Probes().Skip(1).Should().OnlyContain(p => p.Status == 304, "checks in between cost no rate limit");
    }

    [Fact]
    public async Task A_head_found_while_a_run_is_in_progress_queues_one_more_run_which_syncs_that_head()
    {
        await using var world = await StartAsync();
        var link = await world.AddLinkAsync();
        world.GitHub.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/me/proj/pulls", DelayMs = 3_000, Count = 1 });
        await world.Poller.PollOnceAsync(CancellationToken.None);
        (await Eventually.TrueAsync(async () => (await world.OperationsAsync(link.Id)).Single().Status == OperationStatus.Running, TimeSpan.FromSeconds(10)))
            .Should().BeTrue();

        var moved = world.GitHub.Commit("up", "proj", "main", "Upstream moves during the run");
        world.Clock!.Advance(JustPast);
        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);
        await AllDoneAsync(world, link.Id, 2);

        tick.Queued.Should().Be(1, "the run in progress may have started before the new head");
        (await world.LinkAsync(link.Id)).SyncedSha.Should().Be(moved);
    }

    [Fact]
    public async Task The_retry_backoff_never_exceeds_six_hours()
    {
        await using var world = await StartAsync();
        world.GitHub.AddFault(PullRequestsDown);
        var link = await world.AddLinkAsync(l =>
        {
            l.UpstreamSha = world.GitHub.BranchSha("up", "proj", "main");
            l.SyncFailures = 40;
        });

        (await world.Poller.PollOnceAsync(CancellationToken.None)).Queued.Should().Be(1);

        (await world.LinkAsync(link.Id)).SyncRetryAt.Should().Be(world.Clock!.GetUtcNow() + TimeSpan.FromHours(6));
    }

    private static async Task AllDoneAsync(WatchWorld world, string linkId, int count) =>
        (await Eventually.TrueAsync(
            async () => await world.OperationsAsync(linkId) is var ops && ops.Count == count && ops.All(o => o.Status is OperationStatus.Ok or OperationStatus.Error),
            TimeSpan.FromSeconds(20)))
        .Should().BeTrue($"the link's {count} operation(s) should end");
}
