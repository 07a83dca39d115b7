using System.Net;
using Backstroke.GitHub;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Backstroke.Tests.Data;

/// <summary>The app on PostgreSQL: its own migrations, Quartz's tables, and one key ring for every instance.</summary>
[Postgres]
public sealed class PostgresProviderTests(ITestOutputHelper output)
{
    private readonly bool onPostgres = PostgresTests.Use();

    [Fact]
    public async Task An_empty_database_is_migrated_and_the_app_is_ready()
    {
        onPostgres.Should().BeTrue();
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        ready.StatusCode.Should().Be(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var migrations = await QueryAsync(app.PostgresConnectionString!, """SELECT string_agg("MigrationId", ',') FROM "__EFMigrationsHistory" """);
        (migrations as string).Should().Contain("PostgresInitialSchema", "the PostgreSQL context applies its own migrations");
        var quartzTables = await QueryAsync(app.PostgresConnectionString!, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz%'");
        Convert.ToInt32(quartzTables).Should().BeGreaterThan(5, "the app creates the scheduler's tables");
        var schedulers = await QueryAsync(app.PostgresConnectionString!, "SELECT count(*) FROM qrtz_scheduler_state");
        Convert.ToInt32(schedulers).Should().Be(1, "the scheduler checks in to the cluster");
    }

    [Fact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_become_ready()
    {
        var database = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase());
        var settings = new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = database };
        await using var first = new BackstrokeApplication(settings, output);
        await using var second = new BackstrokeApplication(settings, output);

        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        foreach (var app in new[] { first, second })
        {
            using var client = app.CreateClient();
            using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            ready.StatusCode.Should().Be(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }

        var applied = await QueryAsync(database, """SELECT count(*) FROM "__EFMigrationsHistory" """);
        var migrations = await first.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().Count()));
        Convert.ToInt32(applied).Should().Be(migrations, "one instance applied the migrations and the other found nothing left to do");
        var schedulers = await QueryAsync(database, "SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state");
        Convert.ToInt32(schedulers).Should().Be(2, "each instance joins the cluster under an id of its own");

        // One key ring from the start, though both began with none: each reads what the other protects.
        var keys = await QueryAsync(database, """SELECT count(*) FROM "DataProtectionKeys" """);
        Convert.ToInt32(keys).Should().Be(1, "only one instance creates the first key");
        var (one, other) = (first.Services.GetRequiredService<TokenProtector>(), second.Services.GetRequiredService<TokenProtector>());
        other.Unprotect(one.Protect("gho_from_the_first")).Should().Be("gho_from_the_first");
        one.Unprotect(other.Protect("gho_from_the_second")).Should().Be("gho_from_the_second");
    }

    [Fact]
    public async Task A_token_protected_by_one_instance_is_read_by_another()
    {
        var database = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase());
        var settings = new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = database };
        await using var first = new BackstrokeApplication(settings, output);
        _ = first.Server;
        var stored = first.Services.GetRequiredService<TokenProtector>().Protect("gho_shared_key_ring_token");

        // Another instance: another data directory, the same database.
        await using var second = new BackstrokeApplication(settings, output);
        _ = second.Server;

        second.Services.GetRequiredService<TokenProtector>().Unprotect(stored).Should().Be("gho_shared_key_ring_token");
        var keys = await QueryAsync(database, """SELECT count(*) FROM "DataProtectionKeys" """);
        Convert.ToInt32(keys).Should().Be(1, "the key ring lives in the database, not in either data directory");
        Directory.EnumerateFiles(first.DataDirectory, "*.xml", SearchOption.AllDirectories).Should().BeEmpty();
    }

    private static async Task<object?> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
