using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Backstroke.Data;

/// <summary>
/// The model on PostgreSQL. A subclass rather than the same type, because EF keeps migrations per context type: the
/// SQLite migrations (Data/Migrations) and these (Data/Migrations/Postgres) each apply only to their own provider.
/// It also holds the Data Protection key ring, so every instance sharing the database reads every cookie and token.
/// Features never see this type: it is registered as <see cref="BackstrokeDbContext"/>.
/// </summary>
internal sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : BackstrokeDbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}

/// <summary>
/// For <c>dotnet ef migrations add X --context PostgresDbContext --output-dir Data/Migrations/Postgres</c>: the tools
/// need the provider, not a database (see docs/operating.md, "Migrations").
/// </summary>
internal sealed class PostgresDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=backstroke").Options);
}
