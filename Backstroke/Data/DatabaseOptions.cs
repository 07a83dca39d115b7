using Microsoft.Extensions.Options;

namespace Backstroke.Data;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>When SQLite makes a commit durable (its <c>synchronous</c> pragma in WAL mode).</summary>
internal enum SqliteSynchronous
{
    /// <summary>Commits survive a crash or kill of the process; a power loss can undo the last ones. Fast.</summary>
    Normal,

    /// <summary>Every commit is flushed to disk before it is answered: survives a power loss, costs an fsync each.</summary>
    Full,
}

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty: a SQLite file <c>backstroke.db</c> under <c>Backstroke:DataDirectory</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start. Operators who migrate by hand turn this off.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>SQLite only: see <see cref="SqliteSynchronous"/> and <c>SqliteConnectionSetup</c>.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Normal;
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.Provider == DatabaseProvider.Postgres
            ? ValidateOptionsResult.Fail("Database:Provider 'Postgres' is not supported by this version yet; use 'Sqlite'.")
            : ValidateOptionsResult.Success;
}
