using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Apps;

/// <summary>
/// What an installation's repositories mean for links: a fork it covers gets a link of its own (the parent's default
/// branch into the fork's, by pull request, enabled), a repository it no longer covers has its link disabled, and a
/// user's link whose fork it covers is synced with its token.
/// </summary>
internal sealed class AppLinks(BackstrokeDbContext db, TimeProvider time)
{
    public const string Removed = "The repository was removed from the GitHub App's installation; the link is disabled.";
    public const string Uninstalled = "The GitHub App was uninstalled from this account; the link is disabled.";

    /// <summary>Creates the missing links of the installation's forks; returns the ids of the links made or started again.</summary>
    public async Task<List<string>> CreateMissingAsync(long installationId, CancellationToken ct)
    {
        var forks = await db.InstallationRepositories.AsNoTracking()
            .Where(r => r.InstallationId == installationId && r.Fork && r.ParentOwner != null && r.ParentName != null
                && r.ParentDefaultBranch != null && r.DefaultBranch != null)
            .ToListAsync(ct);
        var made = new List<string>();
        var now = time.GetUtcNow();
        foreach (var fork in forks)
        {
            var (owner, name) = (fork.Owner.ToLower(), fork.Name.ToLower());
            var existing = await db.Links
                .Where(l => l.ForkType == ForkType.Repo && l.ForkOwner!.ToLower() == owner && l.ForkRepo!.ToLower() == name)
                .ToListAsync(ct);
            // A user's own link of this fork is synced with the installation's token from now on.
            foreach (var link in existing.Where(l => l.InstallationId != installationId))
            {
                link.InstallationId = installationId;
            }

            // A fork that has a link already (its own, or a user's) gets no second one.
            if (existing.Count > 0)
            {
                // Back in the installation (or installed again): what this class stopped starts again; what a user
                // disabled stays disabled.
                foreach (var link in existing.Where(l => l.OwnerId is null && !l.Enabled && l.LastError is Removed or Uninstalled))
                {
                    link.Enabled = true;
                    link.LastError = null;
                    link.UpdatedAt = now;
                    made.Add(link.Id);
                }

                continue;
            }

            var created = new Link
            {
                Id = Ids.NewLinkId(),
                WebhookId = Ids.NewWebhookId(),
                InstallationId = installationId,
                Name = $"{fork.Owner}/{fork.Name}",
                Enabled = true,
                UpstreamOwner = fork.ParentOwner,
                UpstreamRepo = fork.ParentName,
                UpstreamBranch = fork.ParentDefaultBranch,
                ForkType = ForkType.Repo,
                ForkOwner = fork.Owner,
                ForkRepo = fork.Name,
                ForkBranch = fork.DefaultBranch,
                SyncMode = SyncMode.PullRequest,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Links.Add(created);
            made.Add(created.Id);
        }

        await db.SaveChangesAsync(ct);
        return made;
    }

    /// <summary>The installation no longer covers these repositories: its links of them stop, users' links go back to
    /// their owners' tokens.</summary>
    public async Task<int> ReleaseAsync(long installationId, IReadOnlyCollection<long> repositoryIds, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var gone = await db.InstallationRepositories.Where(r => r.InstallationId == installationId && repositoryIds.Contains(r.Id)).ToListAsync(ct);
        var disabled = 0;
        foreach (var repo in gone)
        {
            disabled += await ReleaseForkAsync(installationId, repo.Owner, repo.Name, Removed, ct);
        }

        db.InstallationRepositories.RemoveRange(gone);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return disabled;
    }

    /// <summary>The installation is gone: its links stop and users' links go back to their owners' tokens.</summary>
    public async Task<int> UninstallAsync(long installationId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // All or nothing: a reader never sees the links stopped while the installation still stands.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var disabled = await db.Links.Where(l => l.InstallationId == installationId && l.OwnerId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Enabled, false).SetProperty(l => l.LastError, Uninstalled).SetProperty(l => l.UpdatedAt, now), ct);
        await db.Links.Where(l => l.InstallationId == installationId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.InstallationId, (long?)null).SetProperty(l => l.UpdatedAt, now), ct);
        await db.Installations.Where(i => i.Id == installationId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return disabled;
    }

    private async Task<int> ReleaseForkAsync(long installationId, string owner, string name, string reason, CancellationToken ct)
    {
        var (o, n) = (owner.ToLower(), name.ToLower());
        var now = time.GetUtcNow();
        var links = db.Links.Where(l => l.InstallationId == installationId && l.ForkOwner!.ToLower() == o && l.ForkRepo!.ToLower() == n);
        var disabled = await links.Where(l => l.OwnerId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Enabled, false).SetProperty(l => l.LastError, reason).SetProperty(l => l.UpdatedAt, now), ct);
        await links.Where(l => l.OwnerId != null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.InstallationId, (long?)null).SetProperty(l => l.UpdatedAt, now), ct);
        return disabled;
    }
}
