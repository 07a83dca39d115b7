using System.Threading.Channels;
using Backstroke.Data;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>The operation that answers a sync request, and whether this request created it.</summary>
internal readonly record struct EnqueueResult(string OperationId, bool Created);

internal enum TriggerStatus
{
    Queued,
    NoSuchLink,
    LinkDisabled,
}

/// <summary>What a trigger by webhook id came to: the operation that answers it, or why there is none, and the link
/// it found (for the request's log properties).</summary>
internal readonly record struct TriggerResult(TriggerStatus Status, EnqueueResult Enqueued, string? LinkId = null);

/// <summary>
/// The front door of the durable queue. Every sync request, whatever asked for it, becomes a queued
/// <see cref="Operation"/> row first, so a crash loses nothing; only then is a worker woken up. The database's
/// "one queued operation per link" index makes concurrent requests for one link coalesce into one operation.
/// <para>
/// Group commit: requests wait on a channel, and one writer loop takes everything waiting (up to
/// <see cref="MaxBatch"/>) and writes it in one transaction (<see cref="EnqueueBatch"/>), so a burst costs one commit
/// instead of one each, and the writers never fight over SQLite's single write lock. Each caller's task completes
/// only after the commit: an answer still means the row is in the database.
/// </para>
/// <para>
/// Several instances on PostgreSQL each have their own writer: a batch that loses a race with another instance's
/// (a deadlock, a row just committed by the other) was rolled back whole and is written again. Each batch that queued
/// something notifies the other instances (<see cref="QueueNotifications"/>) as it commits.
/// </para>
/// </summary>
internal sealed class SyncQueue : IAsyncDisposable
{
    private const int MaxFromRequestLength = 200;
    private const int MaxBatch = 512;

    // Wake-ups are hints, "look at the table": one pending is as good as many, since a woken worker that claims
    // something wakes the next (and workers also poll the table). More would leave idle workers a trail of empty claims.
    private readonly Channel<bool> wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly Channel<PendingEnqueue> pending = Channel.CreateUnbounded<PendingEnqueue>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly IServiceScopeFactory scopes;
    private readonly SqliteWriteGate gate;
    private readonly TimeProvider time;
    private readonly SyncInstance instance;
    private readonly Task writer;

    public SyncQueue(IServiceScopeFactory scopes, SqliteWriteGate gate, TimeProvider time, SyncInstance instance)
    {
        this.scopes = scopes;
        this.gate = gate;
        this.time = time;
        this.instance = instance;
        writer = Task.Run(WriteLoopAsync);
    }

    public ChannelReader<bool> WakeUps => wakeUps.Reader;

    public void Wake() => wakeUps.Writer.TryWrite(true);

    /// <summary>Queues a run of the link, or answers the one already queued.</summary>
    public async Task<EnqueueResult> EnqueueAsync(string linkId, OperationKind kind, string? fromRequest, CancellationToken ct) =>
        (await SubmitAsync(new PendingEnqueue(linkId, webhookId: null, kind, Truncate(fromRequest)), ct)).Enqueued;

    /// <summary>The trigger URL's enqueue: the link is found by its webhook id in the same transaction.</summary>
    public Task<TriggerResult> TriggerAsync(string webhookId, string? fromRequest, CancellationToken ct) =>
        SubmitAsync(new PendingEnqueue(linkId: null, webhookId, OperationKind.Webhook, Truncate(fromRequest)), ct);

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await writer;
    }

    private static string? Truncate(string? fromRequest) =>
        fromRequest is { Length: > MaxFromRequestLength } ? fromRequest[..MaxFromRequestLength] : fromRequest;

    private Task<TriggerResult> SubmitAsync(PendingEnqueue request, CancellationToken ct) =>
        pending.Writer.TryWrite(request)
            ? request.Task.WaitAsync(ct)
            : Task.FromException<TriggerResult>(new ObjectDisposedException(nameof(SyncQueue), "The application is stopping."));

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingEnqueue>(MaxBatch);
        while (await pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && pending.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                await WriteAsync(batch);
                Wake();
                foreach (var request in batch)
                {
                    request.Complete();
                }
            }
            catch (Exception ex)
            {
                // Nothing of the batch was committed; every caller hears why (a 500 for a trigger, logged by the host).
                foreach (var request in batch)
                {
                    request.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private async Task WriteAsync(List<PendingEnqueue> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        if (db.Database.IsSqlite())
        {
            using (await gate.EnterAsync(CancellationToken.None))
            {
                EnqueueBatch.Write(db, batch, time.GetUtcNow(), notify: null);
            }

            return;
        }

        // In one order on every instance (stable, so one link's requests keep theirs), so that two batches touching
        // the same links wait for each other instead of deadlocking.
        var ordered = batch.OrderBy(r => r.WebhookId ?? r.LinkId, StringComparer.Ordinal).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                EnqueueBatch.Write(db, ordered, time.GetUtcNow(), (connection, transaction) => QueueNotifications.Notify(connection, transaction, instance.Id));
                return;
            }
            catch (Exception ex) when (attempt < 3 && QueueSqlErrors.IsRace(ex))
            {
                // Nothing of it was committed: write it again.
            }
        }
    }
}

/// <summary>One waiting request and, once its batch is committed, its answer (the task completes only then).</summary>
internal sealed class PendingEnqueue(string? linkId, string? webhookId, OperationKind kind, string? fromRequest)
    : TaskCompletionSource<TriggerResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string? LinkId { get; } = linkId;
    public string? WebhookId { get; } = webhookId;
    public OperationKind Kind { get; } = kind;
    public string? FromRequest { get; } = fromRequest;

    /// <summary>Set inside the transaction, given to the caller after the commit.</summary>
    public TriggerResult Result { get; set; }

    public Exception? Failure { get; set; }

    public void Complete()
    {
        if (Failure is not null)
        {
            TrySetException(Failure);
        }
        else
        {
            TrySetResult(Result);
        }
    }
}
