using System.Text.Json;
using Backstroke.Data;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Webhooks;

/// <summary>
/// A <c>push</c> to a watched upstream branch updates that branch once (its head, and when a push last arrived, which
/// makes polling of it a safety net) and queues its links at once, instead of waiting for the next poll: latency in
/// seconds instead of minutes.
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
        var key = Upstream.KeyOf(repo.Owner, repo.Name, branch);
        var upstream = await db.Upstreams.SingleOrDefaultAsync(u => u.Key == key, ct);
        var links = upstream is null ? [] : await WatchingAsync(upstream.Id, ct);
        if (upstream is not null)
        {
            var now = time.GetUtcNow();
            upstream.HeadSha = after ?? upstream.HeadSha;
            // The push is as good as a check, and says this branch delivers pushes: polling leaves it to them and
            // checks it only once per Polling:WebhookSafetyInterval.
            upstream.LastCheckedAt = now;
            upstream.LastPushAt = now;
            upstream.NextCheckAt = null;
            upstream.ConsecutiveFailures = 0;
            upstream.LastError = null;
            foreach (var link in links.Where(l => l.RepositoryDeleted))
            {
                // A push proves the upstream exists again.
                link.RepositoryDeleted = false;
                link.LastError = null;
            }

            await db.SaveChangesAsync(ct);
        }

        // Queued after the head is recorded, so each run knows which head it syncs: were the process to stop in
        // between, the links are behind that head, and the next poll queues them. All at once, so that the queue writes
        // them in a few transactions, however many links watch the branch.
        await Task.WhenAll(links.Select(link => queue.EnqueueAsync(link.Id, OperationKind.Webhook, deliveryId, ct)));

        LogPush(repo.ToString(), branch, links.Count);
        return WebhookOutcome.Handled($"Queued {links.Count} link(s) watching {repo}@{branch}.", links.Count);
    }

    /// <summary>The enabled, configured links of this upstream branch.</summary>
    private async Task<List<Link>> WatchingAsync(long upstreamId, CancellationToken ct)
    {
        var candidates = await db.Links.Where(l => l.Enabled && l.UpstreamId == upstreamId).ToListAsync(ct);
        return candidates.Where(l => l.IsConfigured).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push to {Repository}@{Branch} queued {Count} link(s)")]
    private partial void LogPush(string repository, string branch, int count);
}
