namespace Backstroke.Data;

internal enum OperationKind
{
    Manual,
    Automatic,
    Webhook,
}

internal enum OperationStatus
{
    Queued,
    Running,
    Ok,
    Error,

    /// <summary>Interrupted while another operation of its link was already queued: that one does this one's work
    /// (<see cref="Operation.SupersededBy"/>). Not a failure.</summary>
    Superseded,
}

/// <summary>One run of one link. The row is the durable queue entry: it exists before any work starts.</summary>
internal sealed class Operation
{
    /// <summary>Unguessable: <c>GET /v1/operations/{id}</c> needs no sign-in, the id is the secret.</summary>
    public required string Id { get; set; }

    public required string LinkId { get; set; }
    public Link? Link { get; set; }

    public OperationKind Kind { get; set; }
    public OperationStatus Status { get; set; } = OperationStatus.Queued;

    public int Attempts { get; set; }

    /// <summary>A queued operation is not claimed before this time (retry backoff, rate-limit resets).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset EnqueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>For a running operation: the instance that claimed it (<c>Backstroke:InstanceId</c>). Only that
    /// instance renews the lease, records the result or puts the operation back in the queue.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when the claim holds. The holder pushes it forward while it works; once it has passed (the
    /// instance died), any instance puts the operation back in the queue.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The caller's <c>X-Request-ID</c>, so scripts can match their request to the run.</summary>
    public string? FromRequest { get; set; }

    /// <summary>The result as JSON.</summary>
    public string? Output { get; set; }

    public string? Error { get; set; }

    /// <summary>For a <see cref="OperationStatus.Superseded"/> operation: the queued operation that does its work.</summary>
    public string? SupersededBy { get; set; }
}
