using Microsoft.Extensions.Options;
using Npgsql;

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
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Database:ConnectionString is required when Database:Provider is 'Postgres', e.g. 'Host=db;Database=backstroke;Username=backstroke;Password=...'.");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The builder's message can quote the value it could not read, which may be the password: not repeated.
            return ValidateOptionsResult.Fail(
                "Database:ConnectionString is not a PostgreSQL connection string: it takes 'Key=value' pairs separated by ';' (Host, Port, Database, Username, Password).");
        }

        return ValidateOptionsResult.Success;
    }
}
