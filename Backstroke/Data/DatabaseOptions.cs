using Microsoft.Extensions.Options;

namespace Backstroke.Data;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty: a SQLite file <c>backstroke.db</c> under <c>Backstroke:DataDirectory</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start. Operators who migrate by hand turn this off.</summary>
    public bool MigrateOnStart { get; set; } = true;
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.Provider == DatabaseProvider.Postgres
            ? ValidateOptionsResult.Fail("Database:Provider 'Postgres' is not supported by this version yet; use 'Sqlite'.")
            : ValidateOptionsResult.Success;
}
