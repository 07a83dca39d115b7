namespace Backstroke.Data;

/// <summary>
/// A classic webhook's push waiting to be proposed to its fork(s). Classic pushes have no link, so they cannot be
/// operations; this is their durable queue: the row is written before the delivery is answered, a worker claims it
/// with a lease (a crashed instance's claim runs out and another takes it), and the row is deleted once its work is done.
/// </summary>
internal sealed class ClassicPush
{
    public required string Id { get; set; }

    public required string Owner { get; set; }
    public required string Repo { get; set; }

    /// <summary>The pushed branch (<c>refs/heads/…</c> without the prefix), or null for a tag or another ref.</summary>
    public string? Branch { get; set; }
    public string? DefaultBranch { get; set; }
    public bool IsFork { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Not claimed before this time (a retry after GitHub was down or rate-limited).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While in the future, an instance is working on the push.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public int Attempts { get; set; }
}
