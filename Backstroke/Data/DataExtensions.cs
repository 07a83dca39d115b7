using Backstroke.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
        services.AddDbContextPool<BackstrokeDbContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var backstroke = provider.GetRequiredService<IOptions<BackstrokeOptions>>().Value;
            options.UseSqlite(SqliteConnectionString(database, backstroke))
                .AddInterceptors(provider.GetRequiredService<SqliteConnectionSetup>());
        });

        // Registered before every other hosted service (Data Protection's, which writes the first key, included), so
        // the data directory is checked and private, and the schema exists, before any worker or job starts.
        services.AddHostedService<DatabaseInitializer>();

        // Keys under the data directory: a restart, or a new container on the same volume, can still read
        // sessions and the tokens protected with them.
        services.AddDataProtection().SetApplicationName("Backstroke");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<BackstrokeOptions>, ILoggerFactory>((keys, backstroke, loggers) =>
                keys.XmlRepository = new OwnerOnlyFiles.KeyRepository(
                    new DirectoryInfo(Path.Combine(backstroke.Value.DataDirectoryFullPath, OwnerOnlyFiles.KeysFolder)), loggers));

        // Whatever a request asked to store, a database that refuses writes makes it a 503 with a sentence; in
        // Development the developer exception page sees the failure first and answers the same.
        services.AddSingleton<IDeveloperPageExceptionFilter, DatabaseUnavailable.DeveloperPageFilter>();
        services.AddReadinessCheck<DatabaseReadyCheck>("database", timeout: TimeSpan.FromSeconds(5));
        services.AddReadinessCheck<DatabaseWriteCheck>("database-writes", timeout: TimeSpan.FromSeconds(5));
        return services;
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
