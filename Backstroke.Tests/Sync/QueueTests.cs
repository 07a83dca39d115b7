using Backstroke.Data;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>The durable queue, without GitHub (links whose owner has no token end at once with an error).</summary>
public class QueueTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> Fast = new() { ["Sync:PollInterval"] = "00:00:00.100" };

    [Fact]
    public async Task Ten_triggers_while_one_operation_is_queued_make_one_operation()
    {
        await using var app = new BackstrokeApplication(Fast, output: output);
        using var client = app.CreateClient();
        var link = await TestLinks.AddAsync(app.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "main"));
        // A run of this link is in progress, so the next one has to wait in the queue.
        var running = Ids.NewOperationId();
        await app.WithDbAsync(db =>
        {
            db.Operations.Add(new Operation { Id = running, LinkId = link.Id, Status = OperationStatus.Running, Attempts = 1, EnqueuedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });

        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Operations.TriggerAsync(client, link.WebhookId, $"req-{i}")));

        ids.Distinct().Should().ContainSingle("a link has at most one queued operation");
        var queued = await app.WithDbAsync(db => db.Operations.CountAsync(o => o.LinkId == link.Id && o.Status == OperationStatus.Queued));
        queued.Should().Be(1);
        (await Operations.GetAsync(client, ids[0])).GetProperty("status").GetString().Should().Be("queued", "a link never runs twice at once");

        // Once the running one ends, the queued one runs.
        await app.WithDbAsync(db => db.Operations.Where(o => o.Id == running).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OperationStatus.Ok)));
        var done = await Operations.WaitUntilDoneAsync(client, ids[0]);
        done.GetProperty("error").GetString().Should().Be(SyncMessages.NoToken);
        var total = await app.WithDbAsync(db => db.Operations.CountAsync(o => o.LinkId == link.Id));
        total.Should().Be(2);
    }

    [Fact]
    public async Task Enqueue_reports_whether_it_created_the_operation()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Sync:Workers"] = "1" }, output: output);
        using var client = app.CreateClient();
        var link = await TestLinks.AddAsync(app.Services, token: null, l => l.Enabled = false);
        await app.WithDbAsync(db =>
        {
            db.Operations.Add(new Operation { Id = Ids.NewOperationId(), LinkId = link.Id, Status = OperationStatus.Running, EnqueuedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        var queue = app.Services.GetRequiredService<SyncQueue>();

        var first = await queue.EnqueueAsync(link.Id, OperationKind.Manual, "a", CancellationToken.None);
        var second = await queue.EnqueueAsync(link.Id, OperationKind.Automatic, "b", CancellationToken.None);

        first.Created.Should().BeTrue();
        second.Should().Be(new EnqueueResult(first.OperationId, Created: false));
        var operation = await Operations.GetAsync(client, first.OperationId);
        operation.GetProperty("kind").GetString().Should().Be("manual");
        operation.GetProperty("fromRequest").GetString().Should().Be("a");
    }

    [Fact]
    public async Task A_disabled_link_queued_by_other_means_ends_in_an_error()
    {
        await using var app = new BackstrokeApplication(Fast, output: output);
        using var client = app.CreateClient();
        var link = await TestLinks.AddAsync(app.Services, token: "ghp_x", l => l.Enabled = false);

        var queued = await app.Services.GetRequiredService<SyncQueue>().EnqueueAsync(link.Id, OperationKind.Automatic, null, CancellationToken.None);
        var operation = await Operations.WaitUntilDoneAsync(client, queued.OperationId);

        operation.GetProperty("status").GetString().Should().Be("error");
        operation.GetProperty("error").GetString().Should().Be(SyncMessages.LinkDisabled);
        var stored = await app.WithDbAsync(db => db.Links.SingleAsync(l => l.Id == link.Id));
        stored.LastOperationId.Should().Be(queued.OperationId);
        stored.LastError.Should().Be(SyncMessages.LinkDisabled);
        stored.ConsecutiveFailures.Should().Be(1);
    }

    [Fact]
    public async Task Operations_left_running_or_queued_by_a_stopped_process_run_after_a_restart()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>(Fast) { ["Backstroke:DataDirectory"] = data.Path };
        if (PostgresTests.Active)
        {
            // On PostgreSQL an instance is the same one across a restart only when its operator names it.
            settings["Backstroke:InstanceId"] = "restarted";
        }

        string running = Ids.NewOperationId(), queued = Ids.NewOperationId();
        await using (var first = new BackstrokeApplication(settings, output: output))
        {
            using var _ = first.CreateClient();
            var a = await TestLinks.AddAsync(first.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "main"));
            var b = await TestLinks.AddAsync(first.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "dev"));
            // What a killed process leaves behind: a row it was running, under a lease that has not run out yet, and one
            // it never got to (written without a wake-up).
            var self = first.Services.GetRequiredService<SyncInstance>().Id;
            await first.WithDbAsync(db =>
            {
                db.Operations.Add(new Operation
                {
                    Id = running, LinkId = a.Id, Status = OperationStatus.Running, Attempts = 1, EnqueuedAt = DateTimeOffset.UtcNow,
                    StartedAt = DateTimeOffset.UtcNow, ClaimedBy = self, LeaseUntil = DateTimeOffset.UtcNow.AddHours(1),
                });
                return db.SaveChangesAsync();
            });
            await first.StopWorkersAsync();
            await first.WithDbAsync(db =>
            {
                db.Operations.Add(new Operation { Id = queued, LinkId = b.Id, EnqueuedAt = DateTimeOffset.UtcNow });
                return db.SaveChangesAsync();
            });
        }

        await using var second = new BackstrokeApplication(settings, output: output);
        using var client = second.CreateClient();

        // The same data directory, the same instance: its own lease is not waited out.
        foreach (var id in new[] { running, queued })
        {
            var operation = await Operations.WaitUntilDoneAsync(client, id, TimeSpan.FromSeconds(10));
            operation.GetProperty("error").GetString().Should().Be(SyncMessages.NoToken, "the run happened after the restart");
        }
    }
}
