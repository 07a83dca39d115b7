using Backstroke.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Data;

/// <summary>Prepares the database before anything else runs: data directory, migrations, WAL.</summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<BackstrokeOptions> backstroke,
    IOptions<DatabaseOptions> database,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(backstroke.Value.DataDirectoryFullPath);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();

        if (database.Value.MigrateOnStart)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogMigrating(pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        // WAL lets the dashboard read while a worker writes; the setting is stored in the file, so once is enough.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogMigrating(int count, string migrations);
}
