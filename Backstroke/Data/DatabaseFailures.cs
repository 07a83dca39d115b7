using Microsoft.Data.Sqlite;
using Npgsql;

namespace Backstroke.Data;

/// <summary>
/// Failures of the database itself, as opposed to a mistake in a statement: the disk is full, the file became
/// read-only or unreadable, the write lock could not be had in time, or the PostgreSQL server is out of reach. Trying the same write later can succeed, so
/// callers retry it or answer 503; a constraint violation or a bug is not one of these.
/// </summary>
internal static class DatabaseFailures
{
    // SQLite's primary result codes (the low byte of an extended code): https://www.sqlite.org/rescode.html
    private const int Busy = 5, Locked = 6, NoMemory = 7, ReadOnly = 8, IoError = 10, Full = 13, CantOpen = 14, Protocol = 15;

    /// <summary>The sentence a request hears when what it asked for cannot be stored.</summary>
    public const string Unavailable =
        "The database cannot store anything right now (the disk may be full); nothing was changed. Try again in a minute.";

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) is Busy or Locked or NoMemory or ReadOnly or IoError or Full or CantOpen or Protocol)
            {
                return true;
            }

            // PostgreSQL: the server cannot be reached or dropped the connection, is starting or shutting down, is out
            // of disk or memory, or refuses writes (a read-only server or transaction, SQLSTATE 25006).
            if (e is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "25006" or "53100" or "53200" or "57P01" or "57P02" or "57P03" })
            {
                return true;
            }
        }

        return false;
    }
}
