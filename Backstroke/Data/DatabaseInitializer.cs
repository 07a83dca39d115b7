using Backstroke.Hosting;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Backstroke.Data;

/// <summary>Prepares the database before anything else runs: data directory, migrations, and on SQLite the file's
/// permissions and WAL.</summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<BackstrokeOptions> backstroke,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = backstroke.Value.DataDirectoryFullPath;
        PrepareDataDirectory(directory);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        if (database.Value.Provider == DatabaseProvider.Postgres)
        {
            await PreparePostgresAsync(db, cancellationToken);
            await EnsureOneFirstKeyAsync(db, scope.ServiceProvider.GetRequiredService<IKeyManager>(), time.GetUtcNow(), cancellationToken);
            return;
        }

        try
        {
            if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.IsPathFullyQualified(file))
            {
                foreach (var path in OwnerOnlyFiles.RestrictDatabase(file))
                {
                    LogCannotRestrict(path);
                }
            }

            await MigrateAsync(db, cancellationToken);

            // WAL lets the dashboard read while a worker writes; the setting is stored in the file, so once is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or UnauthorizedAccessException or IOException)
        {
            throw new StartupFailureException($"the database in {directory} cannot be opened for writing ({e.Message.TrimEnd('.')}). Check that the file and its directory belong to the user Backstroke runs as and that the volume is not read-only.");
        }
    }

    /// <summary>
    /// Several instances may start at once against one database: EF takes a lock in the database for the duration of
    /// the migration, so one applies what is pending and the others, once it is released, find nothing left to do.
    /// </summary>
    private async Task PreparePostgresAsync(BackstrokeDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            if (database.Value.MigrateOnStart)
            {
                // EF's own lock on PostgreSQL lasts one migration's transaction: with several pending, an instance that
                // waited for it would apply the next one again. A session lock held across all of them, on the
                // connection the migrations use, makes the instances take turns.
                await db.Database.OpenConnectionAsync(cancellationToken);
                try
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7286137)", cancellationToken);
                    await MigrateAsync(db, cancellationToken);
                    // Released now, not whenever the pool next resets this connection.
                    await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7286137)", cancellationToken);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            }
        }
        catch (Exception e) when (PostgresReason(e) is { } reason)
        {
            throw new StartupFailureException(
                $"the PostgreSQL database of Database:ConnectionString ({Describe(database.Value.ConnectionString)}) cannot be used: {reason}. Check that the server runs and can be reached from here, and the host, port, database, user and password in Database:ConnectionString.");
        }
    }

    /// <summary>
    /// Instances that start together on an empty key ring would each create a first key and, until their key rings
    /// refresh, protect with a key the others do not know yet. Whichever takes this lock first creates the one key;
    /// the others wait, then find it. Later keys are created days before they are used, so every instance has read
    /// them by then.
    /// </summary>
    private static async Task EnsureOneFirstKeyAsync(BackstrokeDbContext db, IKeyManager keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const long FirstKeyLock = 0x4261636B_4B657973; // "BackKeys"
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({FirstKeyLock})", cancellationToken);
            try
            {
                if (keys.GetAllKeys().Count == 0)
                {
                    keys.CreateNewKey(activationDate: now, expirationDate: now.AddDays(90));
                }
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({FirstKeyLock})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task MigrateAsync(BackstrokeDbContext db, CancellationToken cancellationToken)
    {
        if (!database.Value.MigrateOnStart)
        {
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogMigrating(pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>Why PostgreSQL could not be used, from the driver's own words (which never carry the password); null
    /// for anything that is not about reaching or using the server.</summary>
    private static string? PostgresReason(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException server:
                    return $"the server answered {server.SqlState}: {server.MessageText.TrimEnd('.')}";
                case NpgsqlException or System.Net.Sockets.SocketException or TimeoutException:
                    return e.InnerException is { } inner and not PostgresException ? $"{e.Message.TrimEnd('.')} ({inner.Message.TrimEnd('.')})" : e.Message.TrimEnd('.');
            }
        }

        return null;
    }

    /// <summary>Where the connection string points, without its password or any other secret.</summary>
    internal static string Describe(string? connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"Host={builder.Host}; Port={builder.Port}; Database={builder.Database ?? builder.Username}; Username={builder.Username}";
    }

    /// <summary>Creates the data directory readable by its owner only (or tightens it), and makes sure it can be written:
    /// a read-only volume is a mistake of the set-up, told as one, rather than a failure at the first write.</summary>
    private void PrepareDataDirectory(string directory)
    {
        try
        {
            var keys = Path.Combine(directory, OwnerOnlyFiles.KeysFolder);
            foreach (var path in OwnerOnlyFiles.Restrict(directory, everything: false).Concat(OwnerOnlyFiles.Restrict(keys, everything: true)))
            {
                LogCannotRestrict(path);
            }

            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.Create(probe, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new StartupFailureException($"Backstroke:DataDirectory '{directory}' cannot be written ({e.Message.TrimEnd('.')}). The database and the keys that protect sessions and tokens live there: give the user Backstroke runs as write access to it, on a volume that is not read-only.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make {Path} readable by its owner only: it belongs to another user")]
    private partial void LogCannotRestrict(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogMigrating(int count, string migrations);
}
