using Backstroke.Data;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>A claim is a lease: another live instance's work is never taken, an expired lease goes back to the queue,
/// and only the holder records a result.</summary>
public class LeaseTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task An_instance_leaves_live_leases_of_others_alone_and_takes_over_expired_ones()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Backstroke:DataDirectory"] = data.Path,
            ["Sync:PollInterval"] = "00:00:00.100",
            ["Sync:LeaseRenewInterval"] = "00:00:00.200",
        };
        string live = Ids.NewOperationId(), dead = Ids.NewOperationId();
        Link busy, orphan;
        await using (var setup = new BackstrokeApplication(new Dictionary<string, string?>(settings) { ["Backstroke:InstanceId"] = "setup" }, output))
        {
            using var _ = setup.CreateClient();
            busy = await TestLinks.AddAsync(setup.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "main"));
            orphan = await TestLinks.AddAsync(setup.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "dev"));
            await setup.StopWorkersAsync();
            // Two other instances' runs: one still renewing its lease, one whose instance died a minute ago.
            await setup.WithDbAsync(db =>
            {
                db.Operations.Add(Running(live, busy.Id, "elsewhere", Now.AddMinutes(10)));
                db.Operations.Add(Running(dead, orphan.Id, "gone", Now.AddMinutes(-1)));
                return db.SaveChangesAsync();
            });
        }

        await using var app = new BackstrokeApplication(new Dictionary<string, string?>(settings) { ["Backstroke:InstanceId"] = "here" }, output);
        using var client = app.CreateClient();

        // The sweep that takes the expired run over also sees the live one, and leaves it.
        var takenOver = await Operations.WaitUntilDoneAsync(client, dead, TimeSpan.FromSeconds(10));
        var waiting = await Operations.TriggerAsync(client, busy.WebhookId);
        var stillLive = await app.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == live));
        var queuedMeanwhile = (await Operations.GetAsync(client, waiting)).Str("status");

        takenOver.Str("error").Should().Be(SyncMessages.NoToken, "the expired run ran again here");
        (await app.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == dead))).ClaimedBy.Should().Be("here");
        stillLive.Status.Should().Be(OperationStatus.Running, "its instance still renews the lease");
        stillLive.ClaimedBy.Should().Be("elsewhere");
        queuedMeanwhile.Should().Be("queued", "the link is running elsewhere, and a link never runs twice at once");

        // The other instance dies: once its lease has run out, the queued run that does the same work takes over.
        await app.WithDbAsync(db => db.Operations.Where(o => o.Id == live).ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseUntil, Now.AddSeconds(-1))));
        var successor = await Operations.WaitUntilDoneAsync(client, waiting, TimeSpan.FromSeconds(10));
        var superseded = await Operations.GetAsync(client, live);

        successor.Str("error").Should().Be(SyncMessages.NoToken);
        superseded.Str("status").Should().Be("superseded");
        superseded.Str("supersededBy").Should().Be(waiting);
    }

    [Fact]
    public async Task Only_the_holder_renews_records_or_requeues()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Sync:Workers"] = "1" }, output);
        using var _ = app.CreateClient();
        var link = await TestLinks.AddAsync(app.Services, token: null, l => l.Enabled = false);
        var id = Ids.NewOperationId();
        await app.WithDbAsync(db =>
        {
            db.Operations.Add(Running(id, link.Id, "holder", Now.AddMinutes(1)));
            return db.SaveChangesAsync();
        });

        bool renewedByOther = false, renewedByHolder = false;
        await app.WithDbAsync(async db =>
        {
            var other = new OperationStore(db, "other");
            renewedByOther = await other.RenewAsync(id, Now.AddHours(1), CancellationToken.None);
            await other.FinishAsync(id, OperationStatus.Error, null, "not mine", null, Now, CancellationToken.None);
            await other.RequeueAsync(id, Now, countAttempt: false, null, Now, CancellationToken.None);
            return 0;
        });
        var untouched = await app.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == id));
        var linkUntouched = await app.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == link.Id));
        await app.WithDbAsync(async db =>
        {
            var holder = new OperationStore(db, "holder");
            renewedByHolder = await holder.RenewAsync(id, Now.AddHours(1), CancellationToken.None);
            await holder.FinishAsync(id, OperationStatus.Ok, null, null, null, Now, CancellationToken.None);
            return 0;
        });
        var finished = await app.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == id));

        renewedByOther.Should().BeFalse();
        untouched.Status.Should().Be(OperationStatus.Running);
        untouched.LeaseUntil.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(Now.AddMinutes(1).ToUnixTimeMilliseconds()));
        untouched.Error.Should().BeNull();
        linkUntouched.LastOperationId.Should().BeNull("a result that is not the holder's touches the link neither");
        renewedByHolder.Should().BeTrue();
        finished.Status.Should().Be(OperationStatus.Ok);
        finished.LeaseUntil.Should().BeNull();
    }

    private static Operation Running(string id, string linkId, string holder, DateTimeOffset leaseUntil) => new()
    {
        Id = id,
        LinkId = linkId,
        Status = OperationStatus.Running,
        Attempts = 1,
        EnqueuedAt = Now.AddMinutes(-2),
        StartedAt = Now.AddMinutes(-2),
        ClaimedBy = holder,
        LeaseUntil = leaseUntil,
    };
}

[Postgres]
public sealed class LeaseTestsOnPostgres(ITestOutputHelper output) : LeaseTests(PostgresTests.Use(output));
