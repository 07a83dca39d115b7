using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>
/// Two instances on one PostgreSQL, one killed in the middle of the work: nothing runs twice, nothing is lost, and the
/// survivor takes over the dead one's leases and its polling.
/// </summary>
[Postgres]
[Slow(SlowAttribute.Crash)]
[Collection(RealProcessCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const string Token = "gho_scale_out_owner_token_never_logged";
    private const int Forks = 200;

    [Fact]
    public async Task Two_instances_one_killed_mid_run_every_operation_ends_ok_once_and_the_survivor_takes_over()
    {
        await using var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", Token);
        gitHub.CreateUser("up");
        gitHub.CreateRepo("up", "proj");
        for (var i = 0; i < Forks; i++)
        {
            gitHub.CreateRepo("me", $"f{i}", forkOf: "up/proj");
        }

        gitHub.Commit("up", "proj", "main", "Upstream work every fork lacks");
        // 200 pull requests from one account in seconds: far beyond GitHub's secondary limits on purpose, so both sides'
        // are off; what is tested here is the queue across instances, not the pacing.
        gitHub.SetSecondaryRateLimits(false);
        var database = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase());
        using var dataA = new TempDirectory();
        using var dataB = new TempDirectory();
        var settings = TestSettings.For(gitHub.BaseUrl, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database,
            ["Sync:Workers"] = "4",
            // Short leases, so that the dead instance's work moves within seconds.
            ["Sync:LeaseDuration"] = "00:00:03",
            ["Sync:LeaseRenewInterval"] = "00:00:00.500",
            ["Polling:IntervalSeconds"] = "1",
            ["Polling:StaleAfter"] = "00:00:02",
            ["GitHub:SecondaryLimits:MaxInFlight"] = "1000",
            ["GitHub:SecondaryLimits:PointsPerMinute"] = "100000",
            ["GitHub:SecondaryLimits:ContentPerMinute"] = "10000",
            ["GitHub:SecondaryLimits:ContentPerHour"] = "100000",
        });
        // GitHub answers slowly enough that the kill finds work running on both instances.
        gitHub.SetLatency(60);
        var links = new List<Backstroke.Data.Link>();
        AppProcess a, b;
        await using (var setup = new BackstrokeApplication(new Dictionary<string, string?>(settings) { ["Backstroke:InstanceId"] = "setup" }, output))
        {
            using var _ = setup.CreateClient();
            await setup.StopWorkersAsync();
            // The schema exists: the instances start while the links are written.
            b = AppProcess.Start(AppProcess.BuiltAppDirectory, Environment(settings, "b", dataB.Path), output);
            a = AppProcess.Start(AppProcess.BuiltAppDirectory, Environment(settings, "a", dataA.Path), output);
            try
            {
                for (var i = 0; i < Forks; i++)
                {
                    links.Add(await TestLinks.AddAsync(setup.Services, Token, TestLinks.Repo("up", "proj", "main", "me", $"f{i}", "main")));
                }
            }
            catch
            {
                await a.DisposeAsync();
                await b.DisposeAsync();
                throw;
            }
        }

        await using var survivor = b;
        DateTimeOffset killedAt;
        List<string> heldByA;
        try
        {
            (await a.WaitUntilAnswersAsync("/readyz", TimeSpan.FromSeconds(60))).Should().BeTrue(a.Output);
            (await b.WaitUntilAnswersAsync("/readyz", TimeSpan.FromSeconds(60))).Should().BeTrue(b.Output);
            using var clientA = new HttpClient { BaseAddress = a.BaseAddress };
            using var clientB = new HttpClient { BaseAddress = b.BaseAddress };
            await Task.WhenAll(links.Select((link, i) => Operations.TriggerAsync(i % 2 == 0 ? clientA : clientB, link.WebhookId)));
            await Operations.WaitUntilAsync(
                async () => await CountAsync(database, """SELECT count(*) FROM "Operations" WHERE "Status" = 'Ok'""") >= 30
                    && await CountAsync(database, """SELECT count(*) FROM "Operations" WHERE "Status" = 'Running' AND "ClaimedBy" = 'a'""") > 0,
                TimeSpan.FromSeconds(30), "syncs have ended and instance a is running some");
        }
        finally
        {
            // kill -9.
            await a.DisposeAsync();
            killedAt = DateTimeOffset.UtcNow;
        }

        heldByA = await IdsAsync(database, """SELECT "Id" FROM "Operations" WHERE "Status" = 'Running' AND "ClaimedBy" = 'a'""");
        await Operations.WaitUntilAsync(
            async () => await CountAsync(database, """SELECT count(*) FROM "Operations" WHERE "Status" NOT IN ('Ok', 'Error', 'Superseded')""") == 0,
            TimeSpan.FromSeconds(40), "every operation has ended");
        var probedAfterKill = await Eventually.TrueAsync(
            () => Task.FromResult(gitHub.Requests.Any(r => r.Method == "GET" && r.Path == "/repos/up/proj/commits/main" && r.At > killedAt.AddSeconds(1))),
            TimeSpan.FromSeconds(30));

        // An interrupted run whose link got a queued run meanwhile (a poll tick that found the link behind) ends
        // superseded by it instead of running twice: then the successor must have ended ok.
        var statuses = await IdsAsync(database, """
            SELECT o."Status" || ':' || COALESCE(s."Status", '') FROM "Operations" o LEFT JOIN "Operations" s ON s."Id" = o."SupersededBy"
            """);
        statuses.Should().HaveCountGreaterThanOrEqualTo(Forks)
            .And.OnlyContain(s => s == "Ok:" || s == "Superseded:Ok", "every operation ends ok, or leads to one that did");
        heldByA.Should().NotBeEmpty();
        var takenOver = await IdsAsync(database, $"""
            SELECT "Status" || ':' || "ClaimedBy" FROM "Operations" WHERE "Id" IN ({string.Join(',', heldByA.Select(id => $"'{id}'"))})
            """);
        takenOver.Should().OnlyContain(row => row == "Ok:b" || row == "Superseded:a",
            "the survivor took the dead instance's leases over, and ran each again or let the queued successor do it");
        b.Output.Split('\n').Should().Contain(line => line.Contains("outlived the lease of instance", StringComparison.Ordinal)
            && line.Contains("\"Instance\":\"a\"", StringComparison.Ordinal), "the survivor says whose work it took back");
        for (var i = 0; i < Forks; i++)
        {
            gitHub.PullRequests("me", $"f{i}").Should().ContainSingle($"fork f{i} gets exactly one pull request");
        }

        probedAfterKill.Should().BeTrue("polling goes on on the surviving instance");
        b.Output.Should().NotContain(Token);
    }

    private static Dictionary<string, string?> Environment(Dictionary<string, string?> settings, string instance, string dataDirectory)
    {
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["Backstroke__InstanceId"] = instance;
        environment["Backstroke__DataDirectory"] = dataDirectory;
        return environment;
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> IdsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
