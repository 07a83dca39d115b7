using System.Data.Common;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Backstroke.Benchmarks.Harness;

/// <summary>A link to insert: upstream and fork branch, and what the poller last saw of the upstream.</summary>
internal sealed record LinkSeed(string UpOwner, string UpRepo, string ForkOwner, string ForkRepo, string? Sha = null, string? ETag = null);

/// <summary>A seeded link: its id and the secret of its trigger URL.</summary>
internal sealed record SeededLink(string Id, string WebhookId);

/// <summary>
/// Writes users and links straight into the app's database, before the app starts: the schema comes from the app's
/// own migrations and tokens are protected with its Data Protection keys (same directory, or on PostgreSQL the same
/// database, and the same application name), so the app reads them as if the users had signed in. 100,000 links take
/// a second or two in one transaction. The SQL is the same on both providers (<c>@name</c> parameters).
/// </summary>
internal sealed class Seeder : IDisposable
{
    private readonly ServiceProvider protection;
    private readonly TokenProtector tokens;

    /// <param name="postgres">A PostgreSQL connection string; null for the SQLite file under <paramref name="dataDirectory"/>.</param>
    public Seeder(string dataDirectory, string? postgres = null)
    {
        Directory.CreateDirectory(dataDirectory);
        Postgres = postgres;
        ConnectionString = postgres ?? new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "backstroke.db"),
            DefaultTimeout = 30,
        }.ToString();
        var services = new ServiceCollection();
        services.AddLogging();
        var dataProtection = services.AddDataProtection().SetApplicationName("Backstroke");
        if (postgres is null)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        }
        else
        {
            services.AddDbContext<PostgresDbContext>(o => o.UseNpgsql(postgres));
            dataProtection.PersistKeysToDbContext<PostgresDbContext>();
        }

        protection = services.BuildServiceProvider();
        tokens = new TokenProtector(protection.GetRequiredService<IDataProtectionProvider>());
    }

    public string ConnectionString { get; }

    /// <summary>The PostgreSQL connection string, or null on SQLite.</summary>
    public string? Postgres { get; }

    public async Task MigrateAsync()
    {
        if (Postgres is not null)
        {
            await using var pg = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(Postgres).Options);
            await pg.Database.MigrateAsync();
            return;
        }

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
            INSERT INTO "Users" ("GitHubId", "Login", "AccessTokenProtected", "Scopes", "SecurityStamp", "CreatedAt")
            VALUES (@gitHubId, @login, @token, 'repo', @stamp, @now)
            RETURNING "Id"
            """;
        Add(insert, "@gitHubId", gitHubId);
        Add(insert, "@login", login);
        Add(insert, "@token", token is null ? null : tokens.Protect(token));
        Add(insert, "@stamp", User.NewSecurityStamp());
        Add(insert, "@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return Convert.ToInt64(await insert.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
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
            VALUES (@id, @name, TRUE, @owner, @upOwner, @upRepo, 'main', 'Repo', @forkOwner, @forkRepo, 'main', 'PullRequest', @webhookId,
                @now, @sha, @sha, @etag, 0, @now, @now)
            """;
        var parameters = new[] { "id", "name", "owner", "upOwner", "upRepo", "forkOwner", "forkRepo", "webhookId", "now", "sha", "etag" }
            .ToDictionary(name => name, name => Add(insert, "@" + name, null, name is "owner" or "now" ? System.Data.DbType.Int64 : System.Data.DbType.String));
        for (var i = 0; i < count; i++)
        {
            var link = describe(i);
            var id = Ids.NewLinkId();
            var webhookId = Ids.NewWebhookId();
            parameters["id"].Value = id;
            parameters["name"].Value = $"{link.UpOwner}/{link.UpRepo} to {link.ForkOwner}/{link.ForkRepo}";
            parameters["owner"].Value = ownerId;
            parameters["upOwner"].Value = link.UpOwner;
            parameters["upRepo"].Value = link.UpRepo;
            parameters["forkOwner"].Value = link.ForkOwner;
            parameters["forkRepo"].Value = link.ForkRepo;
            parameters["webhookId"].Value = webhookId;
            parameters["now"].Value = now;
            parameters["sha"].Value = (object?)link.Sha ?? DBNull.Value;
            parameters["etag"].Value = (object?)link.ETag ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            seeded.Add(new SeededLink(id, webhookId));
        }

        await transaction.CommitAsync();
        return seeded;
    }

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Postgres is null ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(Postgres);
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
            Add(command, name, value);
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
            Add(command, name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        protection.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }

    private static DbParameter Add(DbCommand command, string name, object? value, System.Data.DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (type is { } known)
        {
            parameter.DbType = known;
        }
        else if (value is null)
        {
            parameter.DbType = System.Data.DbType.String;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }
}
