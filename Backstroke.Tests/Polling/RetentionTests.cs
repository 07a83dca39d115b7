using Backstroke.Data;
using Backstroke.Polling;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Polling;

/// <summary>Operations are kept 30 days and at most the last 100 per link, then deleted by a scheduled job.</summary>
public class RetentionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Old_operations_and_those_beyond_the_newest_hundred_per_link_are_deleted_but_never_pending_ones()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?>
        {
            ["Polling:IntervalSeconds"] = "3600",
            ["GitHub:ApiUrl"] = "http://127.0.0.1:9/",
        }, output: output);
        using var client = app.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            var user = await LinkSeed.UserAsync(db, "keeper");
            // Disabled: the workers leave these rows alone while the test arranges them.
            var busy = LinkSeed.Link(user, "up/busy@main", "keeper/busy@main", enabled: false);
            var quiet = LinkSeed.Link(user, "up/quiet@main", "keeper/quiet@main", enabled: false);
            db.Links.AddRange(busy, quiet);
            // 130 finished operations in the last 130 hours on one link; 5 on another, two of them older than 30 days.
            for (var i = 0; i < 130; i++)
            {
                db.Operations.Add(Finished(busy.Id, now - TimeSpan.FromHours(i), $"busy-{i:000}"));
            }

            for (var i = 0; i < 5; i++)
            {
                db.Operations.Add(Finished(quiet.Id, now - TimeSpan.FromDays(i < 3 ? i * 10 : i * 10 + 5), $"quiet-{i}"));
            }

            // Work in progress is not history, however old.
            db.Operations.Add(new Operation { Id = "queued-old", LinkId = quiet.Id, Status = OperationStatus.Queued, EnqueuedAt = now - TimeSpan.FromDays(90) });
            db.Operations.Add(new Operation { Id = "running-old", LinkId = busy.Id, Status = OperationStatus.Running, EnqueuedAt = now - TimeSpan.FromDays(90) });
            db.WebhookDeliveries.Add(new WebhookDelivery { Id = "old-delivery", Event = "push", ReceivedAt = now - TimeSpan.FromDays(31) });
            db.WebhookDeliveries.Add(new WebhookDelivery { Id = "new-delivery", Event = "push", ReceivedAt = now - TimeSpan.FromDays(1) });
            await db.SaveChangesAsync();
            return true;
        });

        var deleted = await app.Services.GetRequiredService<OperationRetention>().PruneAsync(CancellationToken.None);

        var left = await app.WithDbAsync(db => db.Operations.AsNoTracking().Select(o => o.Id).ToListAsync());
        left.Where(id => id.StartsWith("busy-", StringComparison.Ordinal)).Should()
            .BeEquivalentTo(Enumerable.Range(0, 100).Select(i => $"busy-{i:000}"), "the newest 100 of the link are kept");
        left.Where(id => id.StartsWith("quiet-", StringComparison.Ordinal)).Should()
            .BeEquivalentTo(["quiet-0", "quiet-1", "quiet-2"], "operations of 30 days or more are deleted");
        left.Should().Contain(["queued-old", "running-old"]);
        deleted.Should().Be(30 + 2);
        (await app.WithDbAsync(db => db.WebhookDeliveries.Select(d => d.Id).ToListAsync())).Should().Equal("new-delivery");
    }

    private static Operation Finished(string linkId, DateTimeOffset at, string id) => new()
    {
        Id = id,
        LinkId = linkId,
        Kind = OperationKind.Automatic,
        Status = OperationStatus.Ok,
        EnqueuedAt = at,
        FinishedAt = at,
    };
}
