using Backstroke.Data;
using Backstroke.Polling;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Backstroke.Tests.Polling;

/// <summary>Polling, one tick at a time on a clock the test moves, against the simulator.</summary>
public class PollerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan JustPast = StaleAfter + TimeSpan.FromSeconds(1);

    private Task<WatchWorld> StartAsync(int batchSize = 5_000, FakeTimeProvider? clock = null) =>
        WatchWorld.StartAsync(
            new Dictionary<string, string?> { ["Polling:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            // Whole milliseconds: the database keeps times to the millisecond.
            clock ?? new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds())), output: output);

    [Fact]
    public async Task An_unchanged_upstream_costs_no_counted_request_after_the_first_check()
    {
        await using var world = await StartAsync();
        var link = await world.AddLinkAsync();

        var first = await world.Poller.PollOnceAsync(CancellationToken.None);
        var later = new List<PollTick>();
        for (var i = 0; i < 3; i++)
        {
            world.Clock!.Advance(JustPast);
            later.Add(await world.Poller.PollOnceAsync(CancellationToken.None));
        }

        first.Should().Be(new PollTick(Checked: 1, Unchanged: 0, Queued: 1, Failed: 0, Deferred: 0), "a first check queues a sync");
        later.Should().AllBeEquivalentTo(new PollTick(Checked: 1, Unchanged: 1, Queued: 0, Failed: 0, Deferred: 0));
        var probes = world.Probes();
        probes.Should().HaveCount(4);
        probes[0].Counted.Should().BeTrue();
        probes.Skip(1).Should().AllSatisfy(p =>
        {
            p.Status.Should().Be(304);
            p.Counted.Should().BeFalse("a conditional request answered 304 costs no rate limit");
        });
        (await world.OperationsAsync(link.Id)).Should().ContainSingle().Which.Kind.Should().Be(OperationKind.Automatic);
        (await world.LinkAsync(link.Id)).LastSyncedAt.Should().Be(world.Clock!.GetUtcNow(), "the link shows when it was last checked");
    }

    [Fact]
    public async Task A_moved_upstream_queues_one_automatic_operation()
    {
        await using var world = await StartAsync();
        var link = await world.AddLinkAsync();
        await world.Poller.PollOnceAsync(CancellationToken.None);
        // The first check's sync must be out of the queue, or a second request would only coalesce with it.
        (await Eventually.TrueAsync(async () => (await world.OperationsAsync(link.Id)).All(o => o.Status is OperationStatus.Ok or OperationStatus.Error), TimeSpan.FromSeconds(20)))
            .Should().BeTrue();

        var moved = world.GitHub.Commit("up", "proj", "main", "Upstream moves on");
        world.Clock!.Advance(JustPast);
        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);
        world.Clock.Advance(JustPast);
        var quiet = await world.Poller.PollOnceAsync(CancellationToken.None);

        tick.Queued.Should().Be(1);
        quiet.Should().Be(new PollTick(Checked: 1, Unchanged: 1, Queued: 0, Failed: 0, Deferred: 0));
        var operations = await world.OperationsAsync(link.Id);
        operations.Should().HaveCount(2).And.AllSatisfy(o => o.Kind.Should().Be(OperationKind.Automatic));
        (await world.LinkAsync(link.Id)).UpstreamSha.Should().Be(moved);
    }

    [Fact]
    public async Task A_deleted_upstream_backs_off_longer_after_each_failure_and_shows_its_error()
    {
        await using var world = await StartAsync();
        world.GitHub.DeleteRepo("up", "proj");
        var link = await world.AddLinkAsync();
        var start = world.Clock!.GetUtcNow();

        var first = await world.Poller.PollOnceAsync(CancellationToken.None);
        var afterFirst = await world.LinkAsync(link.Id);
        world.Clock.Advance(JustPast);
        var second = await world.Poller.PollOnceAsync(CancellationToken.None);
        var afterSecond = await world.LinkAsync(link.Id);
        world.Clock.Advance(JustPast);
        var backingOff = await world.Poller.PollOnceAsync(CancellationToken.None);
        world.Clock.Advance(StaleAfter);
        var third = await world.Poller.PollOnceAsync(CancellationToken.None);

        first.Failed.Should().Be(1);
        afterFirst.LastError.Should().Be("Couldn't check the upstream up/proj@main: the repository up/proj doesn't exist, or the link owner's token cannot see it.");
        afterFirst.ConsecutiveFailures.Should().Be(1);
        afterFirst.PollNotBefore.Should().Be(start + StaleAfter);
        second.Failed.Should().Be(1);
        afterSecond.ConsecutiveFailures.Should().Be(2);
        afterSecond.PollNotBefore.Should().Be(start + JustPast + 2 * StaleAfter, "the wait doubles after each failure");
        backingOff.Checked.Should().Be(0, "the link waits out its backoff");
        third.Failed.Should().Be(1);
        world.Probes().Should().HaveCount(3);
        (await world.OperationsAsync(link.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_backoff_never_exceeds_six_hours()
    {
        await using var world = await StartAsync();
        world.GitHub.DeleteRepo("up", "proj");
        var link = await world.AddLinkAsync(l => l.ConsecutiveFailures = 40);

        await world.Poller.PollOnceAsync(CancellationToken.None);

        (await world.LinkAsync(link.Id)).PollNotBefore.Should().Be(world.Clock!.GetUtcNow() + TimeSpan.FromHours(6));
    }

    [Fact]
    public async Task A_thousand_due_links_are_spread_over_ticks_by_the_batch_size_oldest_first()
    {
        await using var world = await StartAsync(batchSize: 250);

        // 1,250 probes within seconds of real time are past GitHub's 900 points a minute; this test is about batches.
        world.GitHub.SetSecondaryRateLimits(false);
        var head = world.GitHub.BranchSha("up", "proj", "main");
        var seed = await world.AddLinkAsync(l => l.Enabled = false);
        await world.DbAsync(async db =>
        {
            var owner = await db.Users.SingleAsync(u => u.Id == seed.OwnerId);
            for (var i = 0; i < 1_000; i++)
            {
                var link = LinkSeed.Link(owner, "up/proj@main", "me/proj@main");
                (link.UpstreamSha, link.SyncedSha) = (head, head);
                db.Links.Add(link);
            }

            return await db.SaveChangesAsync();
        });

        var ticks = new List<PollTick>();
        var batches = new List<HashSet<string>>();
        for (var i = 0; i < 5; i++)
        {
            var before = await CheckedTimesAsync(world);
            ticks.Add(await world.Poller.PollOnceAsync(CancellationToken.None));
            batches.Add([.. (await CheckedTimesAsync(world)).Where(kv => kv.Value != before[kv.Key]).Select(kv => kv.Key)]);
            world.Clock!.Advance(TimeSpan.FromSeconds(30));
        }

        // Ten minutes after the first tick, only its batch is due again.
        world.Clock!.Advance(StaleAfter - TimeSpan.FromSeconds(150) + TimeSpan.FromSeconds(1));
        var before6 = await CheckedTimesAsync(world);
        var sixth = await world.Poller.PollOnceAsync(CancellationToken.None);
        var batch6 = (await CheckedTimesAsync(world)).Where(kv => kv.Value != before6[kv.Key]).Select(kv => kv.Key).ToHashSet();

        ticks.Select(t => t.Checked).Should().Equal(250, 250, 250, 250, 0);
        batches.Take(4).SelectMany(b => b).Should().OnlyHaveUniqueItems().And.HaveCount(1_000);
        ticks.Sum(t => t.Queued).Should().Be(0, "the links had already synced the upstream head");
        sixth.Checked.Should().Be(250);
        batch6.Should().BeEquivalentTo(batches[0], "the links checked longest ago go first");
        world.Probes().Should().HaveCount(1_250);
    }

    [Fact]
    public async Task A_token_close_to_its_reserve_is_not_spent_on_polling_until_its_reset()
    {
        await using var world = await StartAsync();
        var link = await world.AddLinkAsync();
        world.GitHub.SetRateLimit(WatchWorld.Token, 5_000, 60, 3_600);

        var first = await world.Poller.PollOnceAsync(CancellationToken.None);
        world.Clock!.Advance(JustPast);
        var second = await world.Poller.PollOnceAsync(CancellationToken.None);

        first.Checked.Should().Be(1);
        second.Deferred.Should().Be(1, "GitHub said only a few requests are left, which syncs need more");
        world.Probes().Should().HaveCount(1);
        var deferred = await world.LinkAsync(link.Id);
        deferred.LastError.Should().BeNull("waiting for a rate-limit reset is not an error of the link");
        deferred.PollNotBefore.Should().BeAfter(world.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_link_whose_owner_has_no_token_fails_its_check_without_asking_GitHub()
    {
        await using var world = await StartAsync();
        var link = await TestLinks.AddAsync(world.Services, token: null, TestLinks.Repo("up", "proj", "main", "me", "proj", "main"));

        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);

        tick.Failed.Should().Be(1);
        (await world.LinkAsync(link.Id)).LastError.Should().Contain("no usable GitHub token");
        world.Probes().Should().BeEmpty();
    }

    [Fact]
    public async Task A_link_whose_repository_was_deleted_or_that_is_disabled_is_not_polled()
    {
        await using var world = await StartAsync();
        await world.AddLinkAsync(l => l.RepositoryDeleted = true);
        await world.AddLinkAsync(l => l.Enabled = false);
        await world.AddLinkAsync(l => l.ForkRepo = null);

        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);

        tick.Checked.Should().Be(0);
        world.Probes().Should().BeEmpty();
    }

    private static Task<Dictionary<string, DateTimeOffset?>> CheckedTimesAsync(WatchWorld world) =>
        world.DbAsync(db => db.Links.AsNoTracking().Where(l => l.Enabled).ToDictionaryAsync(l => l.Id, l => l.LastSyncedAt));
}
