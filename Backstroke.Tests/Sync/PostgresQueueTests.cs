using System.Collections.Concurrent;
using System.Diagnostics;
using Backstroke.Data;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>The queue across instances on PostgreSQL: claimers pass each other without taking a row twice, and an
/// enqueue on one instance wakes the workers of another at once.</summary>
[Postgres]
public sealed class PostgresQueueTests(ITestOutputHelper output)
{
    private readonly bool onPostgres = PostgresTests.Use();

    [Fact]
    public async Task Concurrent_claimers_on_several_instances_claim_every_row_exactly_once()
    {
        onPostgres.Should().BeTrue();
        await using var app = new BackstrokeApplication(output: output);
        using var _ = app.CreateClient();
        await app.StopWorkersAsync();
        const int rows = 600;
        var queued = await app.WithDbAsync(async db =>
        {
            var owner = await TestLinks.UserAsync(db, "claims");
            var links = Enumerable.Range(0, rows).Select(i => TestLinks.Link(owner, "up/r@main", $"me/r{i}@main")).ToList();
            db.Links.AddRange(links);
            db.Operations.AddRange(links.Select(l => new Operation { Id = Ids.NewOperationId(), LinkId = l.Id, EnqueuedAt = DateTimeOffset.UtcNow }));
            await db.SaveChangesAsync();
            return await db.Operations.Where(o => o.Status == OperationStatus.Queued).Select(o => o.Id).ToListAsync();
        });

        // Eight claimers, as eight workers of four instances would be, each on its own connection.
        var claims = new ConcurrentBag<(string Claimer, string Id)>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            while (await app.WithDbAsync(db => new OperationStore(db, $"instance-{n % 4}").ClaimNextAsync(now, now.AddMinutes(1), CancellationToken.None)) is { } id)
            {
                claims.Add(($"instance-{n % 4}", id));
            }
        })));

        claims.Select(c => c.Id).Should().OnlyHaveUniqueItems("no row is claimed twice").And.BeEquivalentTo(queued, "every row is claimed");
        claims.Select(c => c.Claimer).Distinct().Should().HaveCountGreaterThan(1, "the claimers passed each other rather than one taking everything");
        var held = await app.WithDbAsync(db => db.Operations.AsNoTracking().Where(o => o.Status == OperationStatus.Running)
            .Select(o => new { o.Id, o.ClaimedBy }).ToDictionaryAsync(o => o.Id, o => o.ClaimedBy));
        held.Should().HaveCount(rows);
        claims.Should().OnlyContain(c => held[c.Id] == c.Claimer, "each row is leased to the instance that claimed it");
    }

    [Fact]
    public async Task An_enqueue_on_one_instance_wakes_another_sooner_than_its_table_poll()
    {
        var database = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase());
        // Workers that would only find the row by polling after 20 s.
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database,
            ["Sync:PollInterval"] = "00:00:20",
        };
        await using var first = new BackstrokeApplication(new Dictionary<string, string?>(settings) { ["Backstroke:InstanceId"] = "first" }, output);
        await using var second = new BackstrokeApplication(new Dictionary<string, string?>(settings) { ["Backstroke:InstanceId"] = "second" }, output);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        await first.StopWorkersAsync();
        var link = await TestLinks.AddAsync(first.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "main"));
        // The second instance's workers have looked at the empty table and sleep until a wake-up or the poll.
        (await Eventually.TrueAsync(async () => (await secondClient.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(10)))
            .Should().BeTrue();

        var clock = Stopwatch.StartNew();
        var id = await Operations.TriggerAsync(firstClient, link.WebhookId);
        var done = await Operations.WaitUntilDoneAsync(firstClient, id, TimeSpan.FromSeconds(15));
        clock.Stop();

        done.Str("error").Should().Be(SyncMessages.NoToken);
        (await first.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == id))).ClaimedBy.Should().Be("second",
            "the first instance's workers are stopped");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the notification woke the second instance; its poll was 20 s away");
    }
}
