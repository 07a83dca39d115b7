using System.Data.Common;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Backstroke.Benchmarks.Harness;

/// <summary>A link to insert: upstream and fork branch, and what the poller last saw of the upstream (kept on the
/// upstream's row, which the first link of a branch creates).</summary>
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

    /// <summary>Enabled single-fork links on <c>main</c>, each pointed at the row of its upstream branch (made on first
    /// use, holding the head and ETag the seed gives, checked just now), and level with that head, so polling leaves
    /// them alone until a scenario makes their upstreams due. <paramref name="keep"/> false returns nothing, for sets
    /// too large to hold.</summary>
    public async Task<IReadOnlyList<SeededLink>> AddLinksAsync(long ownerId, int count, Func<int, LinkSeed> describe, bool keep = true)
    {
        var seeded = new List<SeededLink>(keep ? count : 0);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        // One statement on both providers: a branch seeded before (by an earlier scenario) answers its existing id.
        upsert.CommandText = """
            INSERT INTO "Upstreams" ("Key", "Owner", "Repo", "Branch", "HeadSha", "ETag", "LastCheckedAt", "ConsecutiveFailures")
            VALUES (@key, @owner, @repo, 'main', @sha, @etag, @now, 0)
            ON CONFLICT ("Key") DO UPDATE SET "Key" = excluded."Key"
            RETURNING "Id"
            """;
        var upstreamParameters = new[] { "key", "owner", "repo", "sha", "etag", "now" }
            .ToDictionary(name => name, name => Add(upsert, "@" + name, null, name is "now" ? System.Data.DbType.Int64 : System.Data.DbType.String));
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "Links" ("Id", "Name", "Enabled", "OwnerId", "UpstreamOwner", "UpstreamRepo", "UpstreamBranch", "ForkType",
                "ForkOwner", "ForkRepo", "ForkBranch", "SyncMode", "WebhookId", "UpstreamId", "SyncedSha",
                "ConsecutiveFailures", "CreatedAt", "UpdatedAt")
            VALUES (@id, @name, TRUE, @owner, @upOwner, @upRepo, 'main', 'Repo', @forkOwner, @forkRepo, 'main', 'PullRequest', @webhookId,
                @upstream, @sha, 0, @now, @now)
            """;
        var parameters = new[] { "id", "name", "owner", "upOwner", "upRepo", "forkOwner", "forkRepo", "webhookId", "upstream", "now", "sha" }
            .ToDictionary(name => name, name => Add(insert, "@" + name, null, name is "owner" or "now" or "upstream" ? System.Data.DbType.Int64 : System.Data.DbType.String));
        var upstreams = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var link = describe(i);
            var key = Upstream.KeyOf(link.UpOwner, link.UpRepo, "main");
            if (!upstreams.TryGetValue(key, out var upstreamId))
            {
                upstreamParameters["key"].Value = key;
                upstreamParameters["owner"].Value = link.UpOwner;
                upstreamParameters["repo"].Value = link.UpRepo;
                upstreamParameters["sha"].Value = (object?)link.Sha ?? DBNull.Value;
                upstreamParameters["etag"].Value = (object?)link.ETag ?? DBNull.Value;
                upstreamParameters["now"].Value = now;
                upstreamId = Convert.ToInt64(await upsert.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                upstreams[key] = upstreamId;
            }

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
            parameters["upstream"].Value = upstreamId;
            parameters["now"].Value = now;
            parameters["sha"].Value = (object?)link.Sha ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            if (keep)
            {
                seeded.Add(new SeededLink(id, webhookId));
            }
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

    internal static DbParameter Add(DbCommand command, string name, object? value, System.Data.DbType? type = null)
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
