namespace Backstroke.Data;

internal enum ForkType
{
    /// <summary>One fork repository and branch.</summary>
    Repo,

    /// <summary>Every direct fork of the upstream that carries the <c>backstroke-sync</c> label.</summary>
    ForkAll,
}

internal enum SyncMode
{
    PullRequest,
    FastForward,
}

/// <summary>An upstream branch kept in sync with a fork branch, or with every fork that opts in.</summary>
internal sealed class Link
{
    /// <summary>Short, URL-safe and unguessable: it appears in dashboard URLs.</summary>
    public required string Id { get; set; }

    public string Name { get; set; } = "";
    public bool Enabled { get; set; }

    /// <summary>The user who made the link; null for a link the GitHub App made for an installation.</summary>
    public long? OwnerId { get; set; }
    public User? Owner { get; set; }

    /// <summary>The App installation whose token syncs the link: set for the links it made, and for any link whose
    /// fork it covers. Links it made (no <see cref="OwnerId"/>) belong to it.</summary>
    public long? InstallationId { get; set; }
    public Installation? Installation { get; set; }

    public string? UpstreamOwner { get; set; }
    public string? UpstreamRepo { get; set; }
    public string? UpstreamBranch { get; set; }

    public ForkType ForkType { get; set; } = ForkType.Repo;
    public string? ForkOwner { get; set; }
    public string? ForkRepo { get; set; }
    public string? ForkBranch { get; set; }

    public SyncMode SyncMode { get; set; } = SyncMode.PullRequest;

    /// <summary>The secret part of the trigger URL <c>/_{WebhookId}</c>: at least 128 random bits.</summary>
    public required string WebhookId { get; set; }

    /// <summary>The watched branch named by <see cref="UpstreamOwner"/>, <see cref="UpstreamRepo"/> and
    /// <see cref="UpstreamBranch"/>, shared with every other link that names it; null while the link names none. Kept in
    /// step with those names whenever the link is saved (<see cref="UpstreamLinks"/>).</summary>
    public long? UpstreamId { get; set; }
    public Upstream? Upstream { get; set; }

    /// <summary>The upstream head the last successful sync ran against; null while unknown. A link whose upstream's
    /// <see cref="Upstream.HeadSha"/> differs, or whose last sync failed, is queued again by the next check, however long
    /// GitHub was down: an upstream change is never forgotten.</summary>
    public string? SyncedSha { get; set; }

    /// <summary>Syncs that failed in a row since the last successful one.</summary>
    public int SyncFailures { get; set; }

    /// <summary>A link that is behind after failed syncs is not queued again by a check before this time (doubling
    /// per failure, at most six hours), so a broken link does not spend its owner's budget.</summary>
    public DateTimeOffset? SyncRetryAt { get; set; }

    /// <summary>GitHub reported a repository of this link deleted. Polling skips the link until a push shows the
    /// upstream is back or the link's repositories are edited; <see cref="LastError"/> says which one went.</summary>
    public bool RepositoryDeleted { get; set; }

    public string? LastOperationId { get; set; }
    public string? LastError { get; set; }
    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A link can run only when both ends are known.</summary>
    public bool IsConfigured =>
        !string.IsNullOrEmpty(UpstreamOwner) && !string.IsNullOrEmpty(UpstreamRepo) && !string.IsNullOrEmpty(UpstreamBranch)
        && (ForkType == ForkType.ForkAll
            || (!string.IsNullOrEmpty(ForkOwner) && !string.IsNullOrEmpty(ForkRepo) && !string.IsNullOrEmpty(ForkBranch)));
}
