namespace Backstroke.Data;

/// <summary>
/// A watched upstream branch, shared by every link that names it: polling probes it once for all of them, and a push
/// webhook updates it once. GitHub treats owner and repository names without regard to case, so one row stands for
/// every spelling of them (<see cref="Key"/>); branch names are git refs, which are case-sensitive.
/// </summary>
internal sealed class Upstream
{
    public long Id { get; set; }

    /// <summary>"owner/repo:branch" with owner and repository in lower case: unique, how links find their row.</summary>
    public required string Key { get; set; }

    /// <summary>The spelling of the first link that named it (GitHub answers any spelling).</summary>
    public required string Owner { get; set; }
    public required string Repo { get; set; }
    public required string Branch { get; set; }

    /// <summary>The branch head as last seen by a check or a push, and the ETag of the answer that gave it.</summary>
    public string? HeadSha { get; set; }
    public string? ETag { get; set; }

    /// <summary>When the head was last checked, or a push told it (the links' <c>lastSyncedAt</c>).</summary>
    public DateTimeOffset? LastCheckedAt { get; set; }

    /// <summary>Checks that failed in a row.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>When set, the next check is due then, whenever it was last checked: after failures (doubling, at most
    /// six hours), after a rate-limit deferral (the reset), or at once when a link starts watching it.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>When a verified push webhook last arrived for this branch: polling is then only a safety net.</summary>
    public DateTimeOffset? LastPushAt { get; set; }

    public static string KeyOf(string owner, string repo, string branch) =>
        $"{owner.ToLowerInvariant()}/{repo.ToLowerInvariant()}:{branch}";
}
