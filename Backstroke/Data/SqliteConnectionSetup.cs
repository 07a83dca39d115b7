using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace Backstroke.Data;

/// <summary>
/// Per-connection SQLite settings, applied once to each native connection (pooled connections keep them, so a
/// connection reopened from the pool is not set up again).
/// <para>
/// <c>synchronous=NORMAL</c>: in WAL mode a commit is written to the WAL file but not fsynced; the WAL is fsynced at
/// each checkpoint. A committed transaction survives a crash or kill of this process (the write is in the operating
/// system's cache), and the database is never corrupted; only an operating-system crash or a power loss can roll back
/// the last commits before the next checkpoint. The default (FULL) fsyncs every commit, ~2.3 ms on the benchmark
/// machine: with 16 concurrent callers each waiting for its own commit that alone caps the trigger endpoint near
/// 16 / 2.3 ms ≈ 7,000 answers/s, below the third of a no-op endpoint that the trigger target asks for. See BENCHMARKS.md.
/// Operators who would rather lose no commit to a power loss set <c>Database:Synchronous</c> to <c>Full</c>.
/// </para>
/// <para>
/// <c>busy_timeout</c>: when another connection holds the write lock, SQLite retries within milliseconds instead of
/// returning SQLITE_BUSY, on which Microsoft.Data.Sqlite would sleep a fixed 150 ms.
/// </para>
/// </summary>
internal sealed class SqliteConnectionSetup(IOptions<DatabaseOptions> database) : DbConnectionInterceptor
{
    private readonly string pragmas =
        $"PRAGMA synchronous={(database.Value.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=10000;";

    // Keyed by the native handle, which a pooled SqliteConnection hands from one opening to the next.
    private static readonly object Done = new();

    private readonly ConditionalWeakTable<sqlite3, object> configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    private void Configure(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || configured.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
        configured.AddOrUpdate(handle, Done);
    }
}
