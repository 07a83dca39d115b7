using Backstroke.GitHub;

namespace Backstroke.Sync;

/// <summary>
/// The fast-forward step (see docs/sync-rules.md): move the fork branch to the upstream's head when the fork has no
/// commits of its own, never by force. Whenever GitHub can't or won't do that for a reason that trying again would
/// not change, a pull request is proposed instead and the reason goes into the sentence the user reads.
/// </summary>
internal static class FastForward
{
    /// <summary><see cref="Done"/> when this step decided; otherwise a pull request follows, and <see cref="WhyNot"/>
    /// (null for a fork with commits of its own, the ordinary case) says why it is not a fast-forward.</summary>
    public sealed record Step(TargetResult? Done, string? WhyNot);

    public static async Task<Step> RunAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        Comparison comparison;
        try
        {
            comparison = await read.CompareAsync(fork.Owner, fork.Repo, fork.Branch, upstream.Owner, upstream.Repo, upstream.Branch, ct);
        }
        catch (GitHubException ex) when (ex.Status == 404 && ex.Mentions("No common ancestor"))
        {
            // Unrelated histories: GitHub refuses the pull request too, and that refusal is explained in words.
            return new Step(null, null);
        }
        catch (GitHubException ex) when (ex.Status >= 500 && ex.Mentions("taking too long"))
        {
            // A range too big to diff: the same answer every time, so not worth a retry. A pull request still opens.
            return new Step(null, SyncMessages.NotFastForwarded(SyncMessages.CompareRefused(fork, upstream, ex)));
        }
        catch (GitHubException ex) when (!ex.IsTransient && ex.Status is not null)
        {
            return new Step(await Diagnosis.RunAsync(read, upstream, fork, ct)
                ?? TargetResult.Failed($"Couldn't compare {fork.FullName}@{fork.Branch} with {upstream.FullName}@{upstream.Branch}: {ex.Describe()}"), null);
        }

        switch (comparison.Status)
        {
            case "identical" or "behind":
                return new Step(TargetResult.Done(SyncMessages.UpToDate), null);
            case "ahead":
                var sha = comparison.HeadSha ?? await read.GetBranchShaAsync(upstream.Owner, upstream.Repo, upstream.Branch, ct);
                try
                {
                    await write.UpdateBranchAsync(fork.Owner, fork.Repo, fork.Branch, sha, ct);
                    return new Step(TargetResult.Done(SyncMessages.FastForwarded(fork, upstream, sha), mergeType: "fast-forward"), null);
                }
                catch (GitHubException ex) when (RefRefused(ex))
                {
                    // Not a fast-forward any more (the fork moved since the compare), a protected branch, or workflow
                    // files the token may not bring in: never force, propose instead.
                    return new Step(null, SyncMessages.NotFastForwarded(SyncMessages.RefRefused(fork, upstream, ex)));
                }

            default:
                return new Step(null, null);
        }
    }

    /// <summary>A refusal trying again would not change; a revoked token and rate limits still end or pause the run.</summary>
    private static bool RefRefused(GitHubException ex) =>
        ex is { IsTransient: false, Status: not null } && ex.Kind != GitHubFailure.BadCredentials;
}
