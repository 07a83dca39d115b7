using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Backstroke.Data;

/// <summary>
/// Readiness: the database takes a write. A full disk or a read-only file lets every read through, so a read alone
/// would call ready an instance that can store nothing. The probe commits one small change, the header's
/// <c>user_version</c> (which SQLite keeps for the application and this application uses for nothing else): one page,
/// in turn with the queue's writes. On PostgreSQL it rewrites the newest row of EF's migration history with its own
/// values: a real write (a new row version, logged), to a table the application never reads at run time.
/// </summary>
internal sealed class DatabaseWriteCheck(IServiceScopeFactory scopes, SqliteWriteGate gate, IOptions<DatabaseOptions> database) : IHealthCheck
{
    private const string PostgresProbe = """
        UPDATE "__EFMigrationsHistory" SET "ProductVersion" = "ProductVersion"
        WHERE "MigrationId" = (SELECT MAX("MigrationId") FROM "__EFMigrationsHistory")
        """;

    private static int probes;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            // A different value each time, so the page really changes and is really written.
            var probe = database.Value.Provider == DatabaseProvider.Postgres ? PostgresProbe
                : (Interlocked.Increment(ref probes) & 1) == 0 ? "PRAGMA user_version = 1;" : "PRAGMA user_version = 2;";
            using (await gate.EnterAsync(cancellationToken))
            {
                await db.Database.ExecuteSqlRawAsync(probe, cancellationToken);
            }

            return HealthCheckResult.Healthy("The database accepts writes.");
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            return HealthCheckResult.Unhealthy("The database refuses writes: the disk may be full or the file read-only (see the log for why).", ex);
        }
    }
}
