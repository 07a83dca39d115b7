using Backstroke.Data;
using Backstroke.Sync;

namespace Backstroke.Links;

/// <summary>"Sync now": a manual operation for the link through the durable queue, or the one already queued for it.</summary>
internal sealed class SyncNow(SyncQueue queue)
{
    /// <summary>Why the link cannot run now, or null. Workers refuse disabled links, so asking is pointless.</summary>
    public static string? RefusalFor(Link link) =>
        !link.IsConfigured ? "Please update the link with a valid upstream and fork before syncing."
        : !link.Enabled ? "Enable the link before syncing it."
        : null;

    public async Task<string> EnqueueManualAsync(Link link, string? fromRequest, CancellationToken ct) =>
        (await queue.EnqueueAsync(link.Id, OperationKind.Manual, fromRequest, ct)).OperationId;
}
