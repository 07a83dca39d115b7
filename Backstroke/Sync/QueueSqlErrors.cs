using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Backstroke.Sync;

/// <summary>
/// The database answers the queue's statements may meet when instances (or a claim and an enqueue) race for the same
/// rows, told apart the same way on both providers: PostgreSQL's SQLSTATE codes, SQLite's result codes.
/// </summary>
internal static class QueueSqlErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>A unique index refused the row: here, "one queued" or "one running" operation per link.</summary>
    public static bool IsUniqueViolation(Exception exception) => Find(exception) switch
    {
        SqliteException sqlite => sqlite is { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique },
        { SqlState: "23505" } => true,
        _ => false,
    };

    /// <summary>A transaction lost a race and was rolled back whole (deadlock, serialization failure, a unique or foreign
    /// key check against a row another transaction just committed): trying it again is right, and usually succeeds.</summary>
    public static bool IsRace(Exception exception) =>
        Find(exception) is { SqlState: "40001" or "40P01" or "23505" or "23503" };

    private static DbException? Find(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException db)
            {
                return db;
            }
        }

        return null;
    }
}
