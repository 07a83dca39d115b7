using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Backstroke.Data;

/// <summary>
/// For <c>dotnet ef migrations add X --context BackstrokeDbContext --output-dir Data/Migrations</c>: without a factory
/// of its own the tools would take the PostgreSQL subclass's and write PostgreSQL columns into the SQLite migrations.
/// The tools need the provider, not a database (see docs/operating.md, "Migrations").
/// </summary>
internal sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<BackstrokeDbContext>
{
    public BackstrokeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BackstrokeDbContext>().UseSqlite("Data Source=backstroke.db").Options);
}
