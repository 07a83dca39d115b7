using System.Text.Json;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Webhooks;

/// <summary>
/// A <c>repository</c> event renamed, transferred or deleted: links follow a repository to its new name, and stop
/// watching one that is gone.
/// </summary>
internal sealed partial class RepositoryHandler(BackstrokeDbContext db, TimeProvider time, ILogger<RepositoryHandler> logger)
{
    public async Task<WebhookOutcome> HandleAsync(JsonElement payload, CancellationToken ct)
    {
        var action = WebhookPayloads.String(payload, "action");
        var current = WebhookPayloads.Repository(payload);
        switch (action)
        {
            case "renamed":
                var oldName = WebhookPayloads.String(payload, "changes", "repository", "name", "from")
                    ?? throw new PayloadException("A 'renamed' payload needs 'changes.repository.name.from'.");
                return await MoveAsync(new RepoName(current.Owner, oldName), current, ct);
            case "transferred":
                var oldOwner = WebhookPayloads.String(payload, "changes", "owner", "from", "user", "login")
                    ?? WebhookPayloads.String(payload, "changes", "owner", "from", "organization", "login")
                    ?? throw new PayloadException("A 'transferred' payload needs 'changes.owner.from.user.login' or 'changes.owner.from.organization.login'.");
                return await MoveAsync(new RepoName(oldOwner, current.Name), current, ct);
            case "deleted":
                return await FlagDeletedAsync(current, ct);
            default:
                return WebhookOutcome.Ignored($"The repository action '{action}' needs nothing from Backstroke.");
        }
    }

    private async Task<WebhookOutcome> MoveAsync(RepoName from, RepoName to, CancellationToken ct)
    {
        var (owner, name) = (from.Owner.ToLowerInvariant(), from.Name.ToLowerInvariant());
        var now = time.GetUtcNow();

        await MoveUpstreamsAsync(owner, name, to, ct);
        var upstreams = await db.Links
            .Where(l => l.UpstreamOwner!.ToLower() == owner && l.UpstreamRepo!.ToLower() == name)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.UpstreamOwner, to.Owner)
                .SetProperty(l => l.UpstreamRepo, to.Name)
                .SetProperty(l => l.UpdatedAt, now), ct);
        var forks = await db.Links
            .Where(l => l.ForkOwner!.ToLower() == owner && l.ForkRepo!.ToLower() == name)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ForkOwner, to.Owner)
                .SetProperty(l => l.ForkRepo, to.Name)
                .SetProperty(l => l.UpdatedAt, now), ct);

        LogMoved(from.ToString(), to.ToString(), upstreams + forks);
        return WebhookOutcome.Handled($"{from} is now {to}: updated {upstreams + forks} link(s).");
    }

    private async Task<WebhookOutcome> FlagDeletedAsync(RepoName repo, CancellationToken ct)
    {
        var (owner, name) = (repo.Owner.ToLowerInvariant(), repo.Name.ToLowerInvariant());
        var now = time.GetUtcNow();
        var prefix = Upstream.KeyOf(repo.Owner, repo.Name, "");
        await db.Upstreams.Where(u => u.Key.StartsWith(prefix)).ExecuteUpdateAsync(s => s.SetProperty(u => u.ETag, (string?)null), ct);
        var upstreams = await db.Links
            .Where(l => l.UpstreamOwner!.ToLower() == owner && l.UpstreamRepo!.ToLower() == name)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.RepositoryDeleted, true)
                .SetProperty(l => l.LastError, $"The upstream repository {repo} was deleted on GitHub.")
                .SetProperty(l => l.UpdatedAt, now), ct);
        var forks = await db.Links
            .Where(l => l.ForkOwner!.ToLower() == owner && l.ForkRepo!.ToLower() == name)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.RepositoryDeleted, true)
                .SetProperty(l => l.LastError, $"The fork {repo} was deleted on GitHub.")
                .SetProperty(l => l.UpdatedAt, now), ct);

        LogDeleted(repo.ToString(), upstreams + forks);
        return WebhookOutcome.Handled($"{repo} was deleted: flagged {upstreams + forks} link(s).");
    }

    /// <summary>The watched branches of the old address take the new one, and their links follow. The stored ETag belongs
    /// to the old address; dropping it makes the next poll a fresh, certain answer. A branch some links already watched
    /// under the new name takes the moved links, and the old row goes.</summary>
    private async Task MoveUpstreamsAsync(string owner, string name, RepoName to, CancellationToken ct)
    {
        var prefix = Upstream.KeyOf(owner, name, "");
        var moved = await db.Upstreams.Where(u => u.Key.StartsWith(prefix)).ToListAsync(ct);
        foreach (var upstream in moved)
        {
            var key = Upstream.KeyOf(to.Owner, to.Name, upstream.Branch);
            if (await db.Upstreams.SingleOrDefaultAsync(u => u.Key == key && u.Id != upstream.Id, ct) is { } existing)
            {
                await db.Links.Where(l => l.UpstreamId == upstream.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.UpstreamId, existing.Id), ct);
                db.Upstreams.Remove(upstream);
                continue;
            }

            (upstream.Key, upstream.Owner, upstream.Repo, upstream.ETag) = (key, to.Owner, to.Name, null);
        }

        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Repository {From} moved to {To}; {Count} link(s) updated")]
    private partial void LogMoved(string from, string to, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repository {Repository} was deleted; {Count} link(s) flagged")]
    private partial void LogDeleted(string repository, int count);
}
