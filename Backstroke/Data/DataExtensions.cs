using Backstroke.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Backstroke.Data;

internal static class DataExtensions
{
    /// <summary>The one place that chooses the database provider; features only ever see <see cref="BackstrokeDbContext"/>.</summary>
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddSingleton<SqliteConnectionSetup>();
        services.AddSingleton<SqliteWriteGate>();
        // Both providers are registered and the setting picks one when a context is first asked for: settings are read
        // once the host is built, not here. Each provider's context has its own model and migrations.
        services.AddPooledDbContextFactory<BackstrokeDbContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var backstroke = provider.GetRequiredService<IOptions<BackstrokeOptions>>().Value;
            options.UseSqlite(SqliteConnectionString(database, backstroke))
                .AddInterceptors(provider.GetRequiredService<SqliteConnectionSetup>());
        });
        services.AddPooledDbContextFactory<PostgresDbContext>((provider, options) =>
            options.UseNpgsql(PostgresConnectionString(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
        services.AddScoped(provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
            ? provider.GetRequiredService<IDbContextFactory<PostgresDbContext>>().CreateDbContext()
            : provider.GetRequiredService<IDbContextFactory<BackstrokeDbContext>>().CreateDbContext());
        // The key ring's own scope asks for this type; features only ever see BackstrokeDbContext.
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<PostgresDbContext>>().CreateDbContext());

        // Registered before every other hosted service (Data Protection's, which writes the first key, included), so
        // the data directory is checked and private, and the schema exists, before any worker or job starts.
        services.AddHostedService<DatabaseInitializer>();

        // On SQLite the keys are files under the data directory: a restart, or a new container on the same volume, can
        // still read sessions and the tokens protected with them. On PostgreSQL they are rows of the shared database,
        // so that a cookie or token protected by one instance is read by every other.
        services.AddDataProtection().SetApplicationName("Backstroke");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider, IOptions<DatabaseOptions>, IOptions<BackstrokeOptions>, ILoggerFactory>((keys, provider, database, backstroke, loggers) =>
                keys.XmlRepository = database.Value.Provider == DatabaseProvider.Postgres
                    ? new EntityFrameworkCoreXmlRepository<PostgresDbContext>(provider, loggers)
                    : new OwnerOnlyFiles.KeyRepository(
                        new DirectoryInfo(Path.Combine(backstroke.Value.DataDirectoryFullPath, OwnerOnlyFiles.KeysFolder)), loggers));

        // Whatever a request asked to store, a database that refuses writes makes it a 503 with a sentence; in
        // Development the developer exception page sees the failure first and answers the same.
        services.AddSingleton<IDeveloperPageExceptionFilter, DatabaseUnavailable.DeveloperPageFilter>();
        services.AddReadinessCheck<DatabaseReadyCheck>("database", timeout: TimeSpan.FromSeconds(5));
        services.AddReadinessCheck<DatabaseWriteCheck>("database-writes", timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>The operator's connection string, named for the logs of the server (a validated setting).</summary>
    internal static string PostgresConnectionString(DatabaseOptions database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "Backstroke";
        }

        return builder.ConnectionString;
    }

    internal static string SqliteConnectionString(DatabaseOptions database, BackstrokeOptions backstroke)
    {
        var builder = new SqliteConnectionStringBuilder(database.ConnectionString)
        {
            // Microsoft.Data.Sqlite retries SQLITE_BUSY (every 150 ms) until the command timeout; SQLite's own busy
            // timeout (SqliteConnectionSetup) has already waited in finer steps by then.
            DefaultTimeout = 30,
            Pooling = true,
        };
        if (string.IsNullOrEmpty(builder.DataSource))
        {
            builder.DataSource = Path.Combine(backstroke.DataDirectoryFullPath, "backstroke.db");
        }

        return builder.ToString();
    }
}
