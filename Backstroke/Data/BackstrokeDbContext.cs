using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Backstroke.Data;

/// <summary>The model, shared by both providers. On SQLite this context itself is used (its migrations are in
/// Data/Migrations); on PostgreSQL its subclass <see cref="PostgresDbContext"/>, with migrations of its own.</summary>
internal class BackstrokeDbContext : DbContext
{
    public BackstrokeDbContext(DbContextOptions<BackstrokeDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's subclass, whose options are typed by the subclass.</summary>
    protected BackstrokeDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<User> Users => Set<User>();
    public DbSet<Link> Links => Set<Link>();
    public DbSet<Upstream> Upstreams => Set<Upstream>();
    public DbSet<Operation> Operations => Set<Operation>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ClassicPush> ClassicPushes => Set<ClassicPush>();
    public DbSet<Installation> Installations => Set<Installation>();
    public DbSet<InstallationRepository> InstallationRepositories => Set<InstallationRepository>();
    public DbSet<ForkList> ForkLists => Set<ForkList>();
    public DbSet<ForkState> ForkStates => Set<ForkState>();

    // Every save points its links at the upstream branch they name (Data/UpstreamLinks.cs).
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        UpstreamLinks.Assign(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await UpstreamLinks.AssignAsync(this, cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and cannot compare or order DateTimeOffset text; Unix milliseconds (UTC) sort and
        // compare as plain integers, which the polling and queue queries rely on.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new ForkListConfiguration());
        modelBuilder.ApplyConfiguration(new ForkStateConfiguration());

        modelBuilder.Entity<User>(user =>
        {
            user.HasIndex(u => u.GitHubId).IsUnique();
            user.Property(u => u.Login).HasMaxLength(100);
        });

        modelBuilder.Entity<Link>(link =>
        {
            link.Property(l => l.Id).HasMaxLength(32);
            link.Property(l => l.WebhookId).HasMaxLength(64);
            link.Property(l => l.ForkType).HasConversion<string>().HasMaxLength(16);
            link.Property(l => l.SyncMode).HasConversion<string>().HasMaxLength(16);
            link.HasOne(l => l.Owner).WithMany(u => u.Links).HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.Cascade);
            // An uninstalled App's links stay (disabled), so their history is not lost.
            link.HasOne(l => l.Installation).WithMany().HasForeignKey(l => l.InstallationId).OnDelete(DeleteBehavior.SetNull);

            // The trigger URL finds its link by webhook id.
            link.HasIndex(l => l.WebhookId).IsUnique();
            // Links share the upstream branch they name; polling and push webhooks find its links by it.
            link.HasOne(l => l.Upstream).WithMany().HasForeignKey(l => l.UpstreamId).OnDelete(DeleteBehavior.SetNull);
            // Push webhooks find the links watching one upstream branch.
            link.HasIndex(l => new { l.UpstreamOwner, l.UpstreamRepo, l.UpstreamBranch });
            link.HasIndex(l => new { l.OwnerId, l.CreatedAt });
            link.Ignore(l => l.IsConfigured);
            // The database defaults the migrations gave these columns; stated in the model too, so that a migration
            // that rebuilds the SQLite table (as making OwnerId nullable does) keeps them for inserts that omit them.
            link.Property(l => l.RepositoryDeleted).HasDefaultValue(false);
            link.Property(l => l.SyncFailures).HasDefaultValue(0);
        });

        modelBuilder.Entity<Upstream>(upstream =>
        {
            upstream.Property(u => u.Key).HasMaxLength(500);
            upstream.Property(u => u.Owner).HasMaxLength(100);
            upstream.Property(u => u.Repo).HasMaxLength(100);
            upstream.Property(u => u.Branch).HasMaxLength(255);
            upstream.HasIndex(u => u.Key).IsUnique();
            // Polling takes the branches checked longest ago.
            upstream.HasIndex(u => u.LastCheckedAt);
            upstream.Property(u => u.ConsecutiveFailures).HasDefaultValue(0);
        });

        modelBuilder.Entity<Operation>(operation =>
        {
            operation.Property(o => o.Id).HasMaxLength(32);
            operation.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
            operation.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
            operation.Property(o => o.SupersededBy).HasMaxLength(32);
            operation.Property(o => o.ClaimedBy).HasMaxLength(100);
            operation.HasOne(o => o.Link).WithMany().HasForeignKey(o => o.LinkId).OnDelete(DeleteBehavior.Cascade);

            // A link's recent operations, and its queued one.
            operation.HasIndex(o => new { o.LinkId, o.Status });
            operation.HasIndex(o => new { o.LinkId, o.EnqueuedAt });
            // Workers claim the oldest due queued rows.
            operation.HasIndex(o => new { o.Status, o.NextAttemptAt });
            // At most one queued operation per link, enforced by the database so that concurrent triggers coalesce
            // instead of piling up.
            operation.HasIndex(o => o.LinkId)
                .HasDatabaseName("IX_Operations_LinkId_Queued")
                .IsUnique()
                .HasFilter("\"Status\" = 'Queued'");
            // ...and at most one running: a link never runs twice at once, whichever instances claim. Named, because a
            // second unnamed index on the same column would silently merge with the first.
            operation.HasIndex(o => o.LinkId, "IX_Operations_LinkId_Running")
                .IsUnique()
                .HasFilter("\"Status\" = 'Running'");
            // The claim's order: due retries by due time, then fresh requests (no due time) by age. Only queued rows, so
            // the index stays as small as the queue however long the history.
            operation.HasIndex(o => new { o.NextAttemptAt, o.EnqueuedAt }, "IX_Operations_Claim")
                .HasFilter("\"Status\" = 'Queued'");
        });

        modelBuilder.Entity<Installation>(installation =>
        {
            installation.Property(i => i.Id).ValueGeneratedNever();
            installation.Property(i => i.AccountLogin).HasMaxLength(100);
            installation.Property(i => i.RepositorySelection).HasMaxLength(16);
        });

        modelBuilder.Entity<InstallationRepository>(repo =>
        {
            repo.Property(r => r.Id).ValueGeneratedNever();
            repo.Property(r => r.Owner).HasMaxLength(100);
            repo.Property(r => r.Name).HasMaxLength(100);
            repo.HasOne(r => r.Installation).WithMany(i => i.Repositories).HasForeignKey(r => r.InstallationId).OnDelete(DeleteBehavior.Cascade);
            // Syncs look up the installation that covers a fork by its name.
            repo.HasIndex(r => new { r.Owner, r.Name });
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.Property(d => d.Id).HasMaxLength(64);
            delivery.Property(d => d.Event).HasMaxLength(64);
            // Retention deletes the old ones.
            delivery.HasIndex(d => d.ReceivedAt);
        });

        modelBuilder.Entity<ClassicPush>(push =>
        {
            push.Property(p => p.Id).HasMaxLength(32);
            push.Property(p => p.Owner).HasMaxLength(100);
            push.Property(p => p.Repo).HasMaxLength(100);
            push.Property(p => p.Branch).HasMaxLength(255);
            push.Property(p => p.DefaultBranch).HasMaxLength(255);
            // The worker takes the oldest due push.
            push.HasIndex(p => p.NextAttemptAt);
        });
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.ToUnixTimeMilliseconds(),
        value => DateTimeOffset.FromUnixTimeMilliseconds(value));
}
