using System.Text.Json;
using Backstroke.Data;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Webhooks;

/// <summary>
/// A <c>push</c> to a branch that links watch queues those links at once, instead of waiting for the next poll:
/// latency in seconds instead of minutes.
/// </summary>
internal sealed partial class PushHandler(BackstrokeDbContext db, SyncQueue queue, TimeProvider time, ILogger<PushHandler> logger)
{
    private const string BranchPrefix = "refs/heads/";

    public async Task<WebhookOutcome> HandleAsync(JsonElement payload, string? deliveryId, CancellationToken ct)
    {
        var repo = WebhookPayloads.Repository(payload);
        var reference = WebhookPayloads.String(payload, "ref") ?? throw new PayloadException("A push payload needs a 'ref'.");
        if (!reference.StartsWith(BranchPrefix, StringComparison.Ordinal))
        {
            return WebhookOutcome.Handled($"{reference} is not a branch; nothing to do.");
        }

        var branch = reference[BranchPrefix.Length..];
        if (WebhookPayloads.Bool(payload, "deleted"))
        {
            // Nothing to propose from a branch that is gone; the next sync or poll reports it on the links.
            return WebhookOutcome.Handled($"The branch {branch} of {repo} was deleted; nothing to do.");
        }

        var after = WebhookPayloads.String(payload, "after");
        var links = await WatchingAsync(repo, branch, ct);
        if (links.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var link in links)
            {
                link.UpstreamSha = after ?? link.UpstreamSha;
                // The push is as good as a check: polling leaves the link alone for another StaleAfter.
                link.LastSyncedAt = now;
                if (link.RepositoryDeleted)
                {
                    // A push proves the upstream exists again.
                    link.RepositoryDeleted = false;
                    link.LastError = null;
                }
            }

            await db.SaveChangesAsync(ct);
        }

        foreach (var link in links)
        {
            // Queued after the head is recorded, so the run knows which head it syncs: were the process to stop in
            // between, the link is behind that head, and the next poll queues it.
            await queue.EnqueueAsync(link.Id, OperationKind.Webhook, deliveryId, ct);
        }

        LogPush(repo.ToString(), branch, links.Count);
        return WebhookOutcome.Handled($"Queued {links.Count} link(s) watching {repo}@{branch}.", links.Count);
    }

    /// <summary>The enabled, configured links whose upstream is this repository and branch.</summary>
    private async Task<List<Link>> WatchingAsync(RepoName repo, string branch, CancellationToken ct)
    {
        var owner = repo.Owner.ToLowerInvariant();
        var name = repo.Name.ToLowerInvariant();
        var candidates = await db.Links
            .Where(l => l.Enabled && l.UpstreamBranch == branch
                && l.UpstreamOwner!.ToLower() == owner && l.UpstreamRepo!.ToLower() == name)
            .ToListAsync(ct);
        return candidates.Where(l => l.IsConfigured).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push to {Repository}@{Branch} queued {Count} link(s)")]
    private partial void LogPush(string repository, string branch, int count);
}
