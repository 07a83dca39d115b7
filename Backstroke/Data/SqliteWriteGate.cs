using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace Backstroke.Data;

/// <summary>
/// One SQLite writer at a time inside the process. SQLite allows a single writer per database, and when a second
/// connection finds the lock taken Microsoft.Data.Sqlite sleeps 150 ms on a thread-pool thread before trying again;
/// the queue's hot writes (enqueue batches, claims, results) wait here instead, asynchronously and in turn, and so
/// never meet each other's lock. Writes elsewhere (polling, link edits) still work without it: they wait in SQLite's
/// own busy handler (see <see cref="SqliteConnectionSetup"/>), which retries within milliseconds.
/// On PostgreSQL, which takes many writers (and several instances share the database anyway), it lets everyone through.
/// </summary>
internal sealed class SqliteWriteGate(IOptions<DatabaseOptions> database) : IDisposable
{
    private readonly SemaphoreSlim? gate = database.Value.Provider == DatabaseProvider.Sqlite ? new(1, 1) : null;

    public async ValueTask<Releaser> EnterAsync(CancellationToken ct)
    {
        if (gate is not null)
        {
            await gate.WaitAsync(ct);
        }

        return new Releaser(gate);
    }

    public void Dispose() => gate?.Dispose();

    /// <summary>The gate of the application that configured this context (its options carry the application's services).</summary>
    public static SqliteWriteGate Of(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<SqliteWriteGate>()
        ?? throw new InvalidOperationException("The database context was not configured by AddData().");

    internal readonly struct Releaser(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
