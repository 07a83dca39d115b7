using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backstroke.Benchmarks.Harness;

/// <summary>A link to insert: upstream and fork branch, and what the poller last saw of the upstream.</summary>
internal sealed record LinkSeed(string UpOwner, string UpRepo, string ForkOwner, string ForkRepo, string? Sha = null, string? ETag = null);

/// <summary>A seeded link: its id and the secret of its trigger URL.</summary>
internal sealed record SeededLink(string Id, string WebhookId);

/// <summary>
/// Writes users and links straight into the app's SQLite database, before the app starts: the schema comes from the
/// app's own migrations and tokens are protected with its Data Protection keys (same directory, same application
/// name), so the app reads them as if the users had signed in. 100,000 links take a second or two in one transaction.
/// </summary>
internal sealed class Seeder : IDisposable
{
    private readonly ServiceProvider protection;
    private readonly TokenProtector tokens;

    public Seeder(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "backstroke.db"),
            DefaultTimeout = 30,
        }.ToString();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("Backstroke").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        protection = services.BuildServiceProvider();
        tokens = new TokenProtector(protection.GetRequiredService<IDataProtectionProvider>());
    }

    public string ConnectionString { get; }

    public async Task MigrateAsync()
    {
        var options = new DbContextOptionsBuilder<BackstrokeDbContext>().UseSqlite(ConnectionString).Options;
        await using var db = new BackstrokeDbContext(options);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    /// <summary>Adds a user; <paramref name="token"/> null makes one whose links fail at once, without calling GitHub.</summary>
    public async Task<long> AddUserAsync(long gitHubId, string login, string? token)
    {
        await using var connection = await OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "Users" ("GitHubId", "Login", "AccessTokenProtected", "Scopes", "CreatedAt")
            VALUES ($gitHubId, $login, $token, 'repo', $now);
            SELECT last_insert_rowid();
            """;
        insert.Parameters.AddWithValue("$gitHubId", gitHubId);
        insert.Parameters.AddWithValue("$login", login);
        insert.Parameters.AddWithValue("$token", token is null ? DBNull.Value : tokens.Protect(token));
        insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (long)(await insert.ExecuteScalarAsync())!;
    }

    /// <summary>Enabled single-fork links on <c>main</c>, checked just now (and level with the head they know), so polling
    /// leaves them alone until a scenario makes them due.</summary>
    public async Task<IReadOnlyList<SeededLink>> AddLinksAsync(long ownerId, int count, Func<int, LinkSeed> describe)
    {
        var seeded = new List<SeededLink>(count);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "Links" ("Id", "Name", "Enabled", "OwnerId", "UpstreamOwner", "UpstreamRepo", "UpstreamBranch", "ForkType",
                "ForkOwner", "ForkRepo", "ForkBranch", "SyncMode", "WebhookId", "LastSyncedAt", "UpstreamSha", "SyncedSha", "UpstreamETag",
                "ConsecutiveFailures", "CreatedAt", "UpdatedAt")
            VALUES ($id, $name, 1, $owner, $upOwner, $upRepo, 'main', 'Repo', $forkOwner, $forkRepo, 'main', 'PullRequest', $webhookId,
                $now, $sha, $sha, $etag, 0, $now, $now)
            """;
        var parameters = new[] { "$id", "$name", "$owner", "$upOwner", "$upRepo", "$forkOwner", "$forkRepo", "$webhookId", "$now", "$sha", "$etag" }
            .ToDictionary(name => name, name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }));
        await insert.PrepareAsync();
        for (var i = 0; i < count; i++)
        {
            var link = describe(i);
            var id = Ids.NewLinkId();
            var webhookId = Ids.NewWebhookId();
            parameters["$id"].Value = id;
            parameters["$name"].Value = $"{link.UpOwner}/{link.UpRepo} to {link.ForkOwner}/{link.ForkRepo}";
            parameters["$owner"].Value = ownerId;
            parameters["$upOwner"].Value = link.UpOwner;
            parameters["$upRepo"].Value = link.UpRepo;
            parameters["$forkOwner"].Value = link.ForkOwner;
            parameters["$forkRepo"].Value = link.ForkRepo;
            parameters["$webhookId"].Value = webhookId;
            parameters["$now"].Value = now;
            parameters["$sha"].Value = (object?)link.Sha ?? DBNull.Value;
            parameters["$etag"].Value = (object?)link.ETag ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            seeded.Add(new SeededLink(id, webhookId));
        }

        await transaction.CommitAsync();
        return seeded;
    }

    public async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync() is { } result and not DBNull ? Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        protection.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
