using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Backstroke.Data;

/// <summary>
/// Points every saved link at the <see cref="Upstream"/> row of the branch it names, creating the row on first use, so
/// that whatever saves a link (the API, the dashboard, the GitHub App) leaves it watched. Runs before each save of the
/// context; a link whose upstream names did not change costs nothing.
/// </summary>
internal static class UpstreamLinks
{
    // Two saves naming a new branch at once both insert; the unique key keeps one row and the other insert does nothing.
    private const string InsertIfMissing = """
        INSERT INTO "Upstreams" ("Key", "Owner", "Repo", "Branch", "ConsecutiveFailures")
        VALUES ({0}, {1}, {2}, {3}, 0)
        ON CONFLICT ("Key") DO NOTHING
        """;

    /// <summary>A <see cref="Upstream.NextCheckAt"/> in the past of any clock: the next tick checks the branch.</summary>
    public static readonly DateTimeOffset DueAtOnce = DateTimeOffset.UnixEpoch;

    public static async Task AssignAsync(BackstrokeDbContext db, CancellationToken ct)
    {
        var found = new Dictionary<string, Upstream>(StringComparer.Ordinal);
        foreach (var entry in Changed(db))
        {
            var link = entry.Entity;
            if (!Names(link, out var owner, out var repo, out var branch))
            {
                link.Upstream = null;
                link.UpstreamId = null;
                continue;
            }

            var key = Upstream.KeyOf(owner, repo, branch);
            if (!found.TryGetValue(key, out var upstream))
            {
                upstream = db.Upstreams.Local.FirstOrDefault(u => u.Key == key) ?? await db.Upstreams.FirstOrDefaultAsync(u => u.Key == key, ct);
                if (upstream is null)
                {
                    await db.Database.ExecuteSqlRawAsync(InsertIfMissing, [key, owner, repo, branch], ct);
                    upstream = await db.Upstreams.SingleAsync(u => u.Key == key, ct);
                }

                found[key] = upstream;
            }

            Attach(link, upstream);
        }
    }

    public static void Assign(BackstrokeDbContext db) =>
        AssignAsync(db, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The links added, or whose upstream names changed, or that were never attached.</summary>
    private static List<EntityEntry<Link>> Changed(BackstrokeDbContext db) =>
        [.. db.ChangeTracker.Entries<Link>().Where(e => e.State == EntityState.Added
            || (e.State == EntityState.Modified && (e.Entity.UpstreamId is null
                || e.Property(l => l.UpstreamOwner).IsModified || e.Property(l => l.UpstreamRepo).IsModified
                || e.Property(l => l.UpstreamBranch).IsModified)))];

    private static void Attach(Link link, Upstream upstream)
    {
        if (link.UpstreamId == upstream.Id && upstream.Id != 0)
        {
            return;
        }

        link.Upstream = upstream;
        link.UpstreamId = upstream.Id;
        // A link that starts watching a branch others watch has no sync of it yet: the next tick looks at the branch
        // (a free 304 when it has not moved) and queues the link, as it would for a branch nobody watched before. A
        // branch whose checks are failing keeps its backoff.
        if (upstream.ConsecutiveFailures == 0 && upstream.LastCheckedAt is not null)
        {
            upstream.NextCheckAt = DueAtOnce;
        }
    }

    private static bool Names(Link link, out string owner, out string repo, out string branch)
    {
        (owner, repo, branch) = (link.UpstreamOwner ?? "", link.UpstreamRepo ?? "", link.UpstreamBranch ?? "");
        return owner.Length > 0 && repo.Length > 0 && branch.Length > 0;
    }
}
