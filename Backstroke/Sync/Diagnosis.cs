using Backstroke.GitHub;

namespace Backstroke.Sync;

/// <summary>After GitHub refused something: which repository or branch is missing, archived or blocked.</summary>
internal static class Diagnosis
{
    /// <summary>The result that explains the refusal, or null when everything is there.</summary>
    public static async Task<TargetResult?> RunAsync(GitHubSession read, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        if (await ForkStateAsync(read, fork, ct) is { } state)
        {
            return state;
        }

        if (!await read.BranchExistsAsync(fork.Owner, fork.Repo, fork.Branch, ct))
        {
            return TargetResult.Failed(SyncMessages.BranchMissing(fork));
        }

        try
        {
            if (await read.GetRepositoryAsync(upstream.Owner, upstream.Repo, ct) is null)
            {
                return TargetResult.Failed(SyncMessages.RepoMissing(upstream.FullName));
            }
        }
        catch (GitHubException ex) when (ex.Kind == GitHubFailure.Forbidden)
        {
            return TargetResult.Failed(SyncMessages.Blocked("upstream", upstream.FullName, ex));
        }

        return await read.BranchExistsAsync(upstream.Owner, upstream.Repo, upstream.Branch, ct)
            ? null
            : TargetResult.Failed(SyncMessages.BranchMissing(upstream));
    }

    /// <summary>Missing, archived (nothing to do) or blocked; null for a fork that is simply there.</summary>
    public static async Task<TargetResult?> ForkStateAsync(GitHubSession read, BranchRef fork, CancellationToken ct)
    {
        RepoInfo? repo;
        try
        {
            repo = await read.GetRepositoryAsync(fork.Owner, fork.Repo, ct);
        }
        catch (GitHubException ex) when (ex.Kind == GitHubFailure.Forbidden)
        {
            return TargetResult.Failed(SyncMessages.Blocked("fork", fork.FullName, ex));
        }

        return repo switch
        {
            null => TargetResult.Failed(SyncMessages.RepoMissing(fork.FullName)),
            { Disabled: true } => TargetResult.Failed(SyncMessages.Disabled(fork.FullName)),
            { Archived: true } => TargetResult.Done(SyncMessages.Archived(fork.FullName)),
            _ => null,
        };
    }
}
