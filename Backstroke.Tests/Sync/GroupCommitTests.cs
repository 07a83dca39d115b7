using System.Data.Common;
using Backstroke.Data;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>Requests that are written together in one transaction still get their own
/// answers, coalesce exactly per link, and cannot fail one another.</summary>
public class GroupCommitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Concurrent_triggers_for_different_links_each_get_their_own_committed_operation()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();
        var links = new List<Link>();
        for (var i = 0; i < 40; i++)
        {
            links.Add(await TestLinks.AddAsync(app.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r" + i, "main")));
        }

        var ids = await Task.WhenAll(links.Select((link, i) => Operations.TriggerAsync(client, link.WebhookId, $"req-{i}")));

        ids.Should().OnlyHaveUniqueItems();
        var rows = await app.WithDbAsync(db => db.Operations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync());
        rows.Should().HaveCount(40, "every answer names a row that is already in the database");
        for (var i = 0; i < links.Count; i++)
        {
            var row = rows.Single(o => o.Id == ids[i]);
            row.LinkId.Should().Be(links[i].Id);
            row.FromRequest.Should().Be($"req-{i}");
            row.Kind.Should().Be(OperationKind.Webhook);
        }
    }

    [Fact]
    public async Task Concurrent_triggers_for_one_link_all_get_the_same_operation()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();
        var links = new List<Link>();
        for (var i = 0; i < 8; i++)
        {
            var link = await TestLinks.AddAsync(app.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r" + i, "main"));
            links.Add(link);
            // A run of each link is in progress, so what the triggers queue stays queued while the test looks.
            await app.WithDbAsync(db =>
            {
                db.Operations.Add(new Operation { Id = Ids.NewOperationId(), LinkId = link.Id, Status = OperationStatus.Running, Attempts = 1, EnqueuedAt = DateTimeOffset.UtcNow });
                return db.SaveChangesAsync();
            });
        }

        // Interleaved, so one link's requests land in the same batches as the others'.
        var requests = Enumerable.Range(0, 6).SelectMany(_ => links).Select(link => (link, task: Operations.TriggerAsync(client, link.WebhookId))).ToList();
        await Task.WhenAll(requests.Select(r => r.task));

        var byLink = requests.GroupBy(r => r.link.Id, r => r.task.Result).ToList();
        byLink.Should().AllSatisfy(answers => answers.Distinct().Should().ContainSingle("a link has at most one queued operation"));
        byLink.Select(answers => answers.First()).Should().OnlyHaveUniqueItems();
        var queued = await app.WithDbAsync(db => db.Operations.AsNoTracking().Where(o => o.Status == OperationStatus.Queued).ToListAsync());
        queued.Select(o => o.Id).Should().BeEquivalentTo(byLink.Select(answers => answers.First()));
    }

    [Fact]
    public async Task A_request_for_a_deleted_link_fails_alone()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Sync:Workers"] = "1" }, output: output);
        using var _ = app.CreateClient();
        var links = new List<Link>();
        for (var i = 0; i < 10; i++)
        {
            links.Add(await TestLinks.AddAsync(app.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r" + i, "main")));
        }

        var queue = app.Services.GetRequiredService<SyncQueue>();

        var good = links.Select(l => queue.EnqueueAsync(l.Id, OperationKind.Manual, null, CancellationToken.None)).ToList();
        var gone = queue.EnqueueAsync("no-such-link", OperationKind.Manual, null, CancellationToken.None);
        var more = links.Select(l => queue.EnqueueAsync(l.Id, OperationKind.Automatic, null, CancellationToken.None)).ToList();

        await gone.Invoking(t => t).Should().ThrowAsync<DbException>();
        var created = await Task.WhenAll(good);
        await Task.WhenAll(more);
        created.Should().OnlyContain(r => r.Created);
        var ids = created.Select(r => r.OperationId).ToList();
        var stored = await app.WithDbAsync(db => db.Operations.CountAsync(o => ids.Contains(o.Id)));
        stored.Should().Be(10, "the other requests around the failed one were committed");
    }
}

[Postgres]
public sealed class GroupCommitTestsOnPostgres(ITestOutputHelper output) : GroupCommitTests(PostgresTests.Use(output));
