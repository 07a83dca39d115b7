using System.Text;
using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Polling;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Backstroke.Tests.Polling;

/// <summary>Links share the upstream branch they watch: it is probed once per cycle for all of them, a push updates it
/// once, and its errors show on every link of it.</summary>
public sealed class UpstreamPollingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan JustPast = StaleAfter + TimeSpan.FromSeconds(1);

    // Half an hour: the scheduler's own tick (hourly here, on the same clock) must not run in the middle of a test.
    private static readonly TimeSpan SafetyInterval = TimeSpan.FromMinutes(30);

    private Task<WatchWorld> StartAsync() =>
        WatchWorld.StartAsync(
            new Dictionary<string, string?> { ["Sync:MaxAttempts"] = "1", ["Polling:WebhookSafetyInterval"] = SafetyInterval.ToString() },
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds())), output: output);

    [Fact]
    public async Task Three_hundred_links_on_three_upstreams_cost_three_probes_a_cycle()
    {
        await using var world = await StartAsync();
        var owners = new List<User>();
        for (var i = 0; i < 3; i++)
        {
            world.GitHub.CreateUser($"owner{i}", $"gho_owner_{i}");
        }

        await world.DbAsync(async db =>
        {
            var protector = world.Services.GetRequiredService<TokenProtector>();
            for (var i = 0; i < 3; i++)
            {
                owners.Add(await LinkSeed.UserAsync(db, $"owner{i}", protector.Protect($"gho_owner_{i}")));
            }

            foreach (var name in new[] { "a", "b", "c" })
            {
                world.GitHub.CreateRepo("up", name);
                var head = world.GitHub.BranchSha("up", name, "main");
                for (var j = 0; j < 100; j++)
                {
                    // Spelled as users type them: GitHub names ignore case, so these are one branch.
                    var link = LinkSeed.Link(owners[j % 3], j % 2 == 0 ? $"up/{name}@main" : $"Up/{name.ToUpperInvariant()}@main", $"owner{j % 3}/fork{j}@main");
                    link.SyncedSha = head;
                    db.Links.Add(link);
                }
            }

            return await db.SaveChangesAsync();
        });

        var first = await world.Poller.PollOnceAsync(CancellationToken.None);
        var afterFirst = ProbesOfABC(world);
        world.Clock!.Advance(JustPast);
        var second = await world.Poller.PollOnceAsync(CancellationToken.None);
        var all = ProbesOfABC(world);

        (await world.DbAsync(db => db.Upstreams.CountAsync(u => u.Owner.ToLower() == "up" && u.Repo.Length == 1))).Should().Be(3, "one row per branch, however it is spelled");
        first.Should().Be(new PollTick(Checked: 3, Unchanged: 0, Queued: 0, Failed: 0, Deferred: 0), "the links are level with the heads");
        second.Should().Be(new PollTick(Checked: 3, Unchanged: 3, Queued: 0, Failed: 0, Deferred: 0));
        afterFirst.Should().HaveCount(3, "one probe per upstream branch, not per link");
        all.Skip(3).Should().HaveCount(3).And.OnlyContain(p => p.Status == 304 && !p.Counted, "the second cycle's probes are conditional and free");
    }

    [Fact]
    public async Task A_new_head_queues_every_link_behind_it_and_none_that_is_level()
    {
        await using var world = await StartAsync();
        world.GitHub.CreateRepo("up", "other");
        var old = world.GitHub.BranchSha("up", "proj", "main");
        var behind1 = await world.AddLinkAsync(l => l.SyncedSha = old, world.KnownHead());
        var behind2 = await world.AddLinkAsync(l => l.SyncedSha = old);
        var level = await world.AddLinkAsync();
        var elsewhere = await world.AddLinkAsync(l => (l.UpstreamRepo, l.SyncedSha) = ("other", world.GitHub.BranchSha("up", "other", "main")));
        await world.SetUpstreamAsync(elsewhere.UpstreamId!.Value, world.KnownHead(repo: "other"));
        await world.SetUpstreamAsync(behind1.UpstreamId!.Value, world.KnownHead());
        var moved = world.GitHub.Commit("up", "proj", "main", "Upstream moves on");
        await world.DbAsync(db => db.Links.Where(l => l.Id == level.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.SyncedSha, moved)));

        world.Clock!.Advance(JustPast);
        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);

        tick.Checked.Should().Be(2);
        tick.Queued.Should().Be(2);
        (await world.OperationsAsync(behind1.Id)).Should().ContainSingle().Which.Kind.Should().Be(OperationKind.Automatic);
        (await world.OperationsAsync(behind2.Id)).Should().ContainSingle().Which.Kind.Should().Be(OperationKind.Automatic);
        (await world.OperationsAsync(level.Id)).Should().BeEmpty("it already synced the new head");
        (await world.OperationsAsync(elsewhere.Id)).Should().BeEmpty("its upstream did not move");
        world.Probes().Should().ContainSingle("the three links of up/proj share one probe");
    }

    [Fact]
    public async Task A_push_updates_the_upstream_once_queues_its_links_and_leaves_polling_of_it_to_the_safety_interval()
    {
        await using var world = await StartAsync();
        var links = new List<Link>();
        for (var i = 0; i < 3; i++)
        {
            links.Add(await world.AddLinkAsync(upstream: world.KnownHead()));
        }

        var pushed = world.GitHub.Commit("up", "proj", "main", "Upstream work, pushed");
        var sender = new WebhookSender(world.App.CreateClient(), WatchWorld.WebhookSecret);
        using var response = await sender.SendAsync("push", Push("up/proj", "main", pushed));
        response.EnsureSuccessStatusCode();

        var upstreams = await world.DbAsync(db => db.Upstreams.AsNoTracking().ToListAsync());
        upstreams.Should().ContainSingle().Which.Should().Match<Upstream>(u => u.HeadSha == pushed && u.LastPushAt == world.Clock!.GetUtcNow());
        foreach (var link in links)
        {
            (await world.OperationsAsync(link.Id)).Should().ContainSingle().Which.Kind.Should().Be(OperationKind.Webhook);
        }

        var quiet = new List<PollTick>();
        for (var i = 0; i < 2; i++)
        {
            world.Clock!.Advance(JustPast);
            quiet.Add(await world.Poller.PollOnceAsync(CancellationToken.None));
        }

        world.Clock!.Advance(SafetyInterval - (2 * JustPast) + TimeSpan.FromSeconds(1));
        var safetyNet = await world.Poller.PollOnceAsync(CancellationToken.None);

        quiet.Should().OnlyContain(t => t.Checked == 0, "an upstream that delivers pushes is not polled every StaleAfter");
        safetyNet.Checked.Should().Be(1, "it is still checked once per Polling:WebhookSafetyInterval, in case a delivery was lost");
        world.Probes().Should().ContainSingle();
    }

    [Fact]
    public async Task A_failing_upstream_backs_off_once_for_all_its_links_shows_its_error_on_each_and_clears_it_when_it_answers()
    {
        await using var world = await StartAsync();
        world.GitHub.CreateRepo("up", "gone");
        var links = new List<Link>();
        for (var i = 0; i < 3; i++)
        {
            links.Add(await world.AddLinkAsync(l => l.UpstreamRepo = "gone"));
        }

        world.GitHub.DeleteRepo("up", "gone");
        var start = world.Clock!.GetUtcNow();

        var first = await world.Poller.PollOnceAsync(CancellationToken.None);
        world.Clock.Advance(JustPast);
        var second = await world.Poller.PollOnceAsync(CancellationToken.None);
        var upstream = await world.UpstreamOfAsync(links[0].Id);
        var failing = await world.DbAsync(db => db.Links.AsNoTracking().Where(l => l.UpstreamRepo == "gone").ToListAsync());
        world.Clock.Advance(JustPast);
        var backingOff = await world.Poller.PollOnceAsync(CancellationToken.None);

        world.GitHub.CreateRepo("up", "gone");
        world.Clock.Advance(StaleAfter);
        var recovered = await world.Poller.PollOnceAsync(CancellationToken.None);
        var healthy = await world.DbAsync(db => db.Links.AsNoTracking().Where(l => l.UpstreamRepo == "gone").ToListAsync());

        (first.Failed, second.Failed, backingOff.Checked, recovered.Failed).Should().Be((1, 1, 0, 0));
        upstream.ConsecutiveFailures.Should().Be(2);
        upstream.NextCheckAt.Should().Be(start + JustPast + (2 * StaleAfter), "the wait doubles after each failure, once for the branch");
        failing.Should().HaveCount(3).And.OnlyContain(l => l.LastError == "Couldn't check the upstream up/gone@main: the repository up/gone doesn't exist, or the link owner's token cannot see it.");
        world.Probes("up", "gone").Should().HaveCount(3, "two failed checks and the recovery, one each for all three links");
        healthy.Should().OnlyContain(l => l.LastError == null && l.ConsecutiveFailures == 0, "a good check clears the branch's error from its links");
    }

    [Fact]
    public async Task A_link_owner_who_cannot_read_the_upstream_does_not_stop_another_owners_link_on_it()
    {
        await using var world = await StartAsync();
        world.GitHub.CreateRepo("up", "secret", isPrivate: true);
        world.GitHub.CreateUser("friend", "gho_friend_token");
        world.GitHub.AddCollaborator("up", "secret", "friend", "read");
        // "me" cannot see the private upstream; its link was made first, so its token is tried first.
        var blind = await world.AddLinkAsync(l => l.UpstreamRepo = "secret");
        var friend = await TestLinks.AddAsync(world.Services, "gho_friend_token", TestLinks.Repo("up", "secret", "main", "friend", "secret", "main"));

        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);

        tick.Should().Be(new PollTick(Checked: 1, Unchanged: 0, Queued: 2, Failed: 0, Deferred: 0), "the friend's token reads the head, which both links are behind");
        world.Probes("up", "secret").Select(p => p.Status).Should().Equal(404, 200);
        (await world.UpstreamOfAsync(friend.Id)).HeadSha.Should().Be(world.GitHub.BranchSha("up", "secret", "main"));
        (await world.LinkAsync(blind.Id)).LastError.Should().BeNull();
        (await world.OperationsAsync(friend.Id)).Should().ContainSingle();
    }

    private static List<Backstroke.FakeGitHub.RequestLogEntry> ProbesOfABC(WatchWorld world) =>
        [.. world.GitHub.Requests.Where(r => r.Path is "/repos/up/a/commits/main" or "/repos/up/b/commits/main" or "/repos/up/c/commits/main"
            || r.Path.StartsWith("/repos/Up/", StringComparison.Ordinal)).OrderBy(r => r.At)];

    private static byte[] Push(string fullName, string branch, string after) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        @ref = "refs/heads/" + branch,
        before = new string('a', 40),
        after,
        created = false,
        deleted = false,
        repository = new { full_name = fullName, name = fullName.Split('/')[1], owner = new { login = fullName.Split('/')[0] } },
    }));
}
