using System.Net;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Data;

/// <summary>PostgreSQL lost while the app runs: not ready meanwhile, and the queue goes on once it is back.</summary>
[Postgres]
public sealed class PostgresOutageTests(ITestOutputHelper output) : IDisposable
{
    // A cluster of its own: this test stops its server, as a crash would, and what was committed must survive that.
    private readonly PostgresCluster cluster = PostgresCluster.Start(durableCommits: true);

    [Fact]
    [Slow(SlowAttribute.Crash)]
    public async Task A_lost_database_makes_the_app_unready_and_the_queued_work_runs_once_it_is_back()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = cluster.ConnectionString(cluster.CreateDatabase()),
        };
        await using var world = await SyncWorld.StartAsync(settings, output);
        var link = await world.AddLinkAsync();
        (await ReadyAsync(world.Client)).Should().Be(HttpStatusCode.OK);

        // GitHub is slow, so the sync is under way when the database goes.
        world.GitHub.SetLatency(1_500);
        var operationId = await Operations.TriggerAsync(world.Client, link.WebhookId);
        await Operations.WaitUntilAsync(
            async () => (await Operations.GetAsync(world.Client, operationId)).Str("status") == "running", TimeSpan.FromSeconds(10), "the sync is running");
        cluster.StopServer();

        (await Eventually.TrueAsync(async () => await ReadyAsync(world.Client) == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20)))
            .Should().BeTrue("/readyz reports the lost database");
        using (var refused = await world.Client.PostAsync(new Uri($"/_{link.WebhookId}", UriKind.Relative), null))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a trigger that cannot be stored is refused, not lost silently");
        }

        world.GitHub.SetLatency(0);
        cluster.StartServer();

        (await Eventually.TrueAsync(async () => await ReadyAsync(world.Client) == HttpStatusCode.OK, TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the app is ready again once the database is back");
        var operation = await Operations.WaitUntilDoneAsync(world.Client, operationId, TimeSpan.FromSeconds(60));
        operation.Str("status").Should().BeOneOf(["ok", "superseded"], operation.GetRawText());
        world.OpenPullRequests().Should().ContainSingle("the interrupted sync opened its pull request once");
        var stuck = await world.App.WithDbAsync(db => db.Operations.CountAsync(o => o.Status == OperationStatus.Running || o.Status == OperationStatus.Queued));
        stuck.Should().Be(0, "nothing stays running or queued");

        // And new work is taken again.
        var after = await world.SyncAsync(link);
        after.Str("status").Should().Be("ok", after.GetRawText());
    }

    public void Dispose() => cluster.Dispose();

    private static async Task<HttpStatusCode> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return response.StatusCode;
    }
}
