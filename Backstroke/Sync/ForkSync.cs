using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>
/// SPEC §3 steps 1-4 for one fork branch. The happy path is built to cost few rate-limited requests (SPEC §9): the
/// opt-out check is a conditional GET (a 304 is free) that also tells a missing fork, and the pull request is simply
/// created, letting GitHub's 422 say "nothing to do" or "already open". Only when something fails do we spend
/// requests on finding out which repository or branch is missing.
/// </summary>
internal sealed class ForkSync(IOptions<GitHubOptions> gitHub, IOptions<BackstrokeOptions> backstroke)
{
    public async Task<TargetResult> RunAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, SyncMode mode, CancellationToken ct)
    {
        try
        {
            return await RunCheckedAsync(read, write, upstream, fork, mode, ct);
        }
        catch (GitHubException refused) when (refused is { Kind: GitHubFailure.Validation, Status: null })
        {
            // The gateway would not put one of the names into a GitHub address: nothing was sent for this fork.
            return TargetResult.Failed(refused.Message);
        }
    }

    private async Task<TargetResult> RunCheckedAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, SyncMode mode, CancellationToken ct)
    {
        IReadOnlyList<int> optOuts;
        try
        {
            optOuts = await read.OpenIssuesLabelledAsync(fork.Owner, fork.Repo, "optout", ct);
        }
        catch (GitHubException ex) when (ex.IsNotFound)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(fork.FullName));
        }

        if (optOuts.Count > 0)
        {
            // Step 1 comes first: an archived fork is "nothing done", even when it also opted out.
            return await read.GetRepositoryAsync(fork.Owner, fork.Repo, ct) is { Archived: true }
                ? TargetResult.Done(SyncMessages.Archived(fork.FullName))
                : TargetResult.Failed(SyncMessages.OptedOut);
        }

        if (mode == SyncMode.FastForward && await FastForwardAsync(read, write, upstream, fork, ct) is { } done)
        {
            return done;
        }

        return await PullRequestAsync(read, write, upstream, fork, ct);
    }

    /// <summary>Null when the fork has commits of its own: then a pull request it is.</summary>
    private static async Task<TargetResult?> FastForwardAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        Comparison comparison;
        try
        {
            comparison = await read.CompareAsync(fork.Owner, fork.Repo, fork.Branch, upstream.Owner, upstream.Branch, ct);
        }
        catch (GitHubException ex) when (!ex.IsTransient && ex.Status is not null)
        {
            return await DiagnoseAsync(read, upstream, fork, ct)
                ?? TargetResult.Failed($"Couldn't compare {fork.FullName}@{fork.Branch} with {upstream.FullName}@{upstream.Branch}: {ex.Describe()}");
        }

        switch (comparison.Status)
        {
            case "identical" or "behind":
                return TargetResult.Done(SyncMessages.UpToDate);
            case "ahead":
                var sha = comparison.HeadSha ?? await read.GetBranchShaAsync(upstream.Owner, upstream.Repo, upstream.Branch, ct);
                try
                {
                    await write.UpdateBranchAsync(fork.Owner, fork.Repo, fork.Branch, sha, ct);
                    return TargetResult.Done(SyncMessages.FastForwarded(fork, upstream), mergeType: "fast-forward");
                }
                catch (GitHubException ex) when (ex.Status == 422)
                {
                    // The fork moved since the compare and is no longer behind: never force, propose instead.
                    return null;
                }

            default:
                return null;
        }
    }

    private async Task<TargetResult> PullRequestAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        try
        {
            var pr = await write.CreatePullRequestAsync(
                fork.Owner, fork.Repo, SyncMessages.PullRequestTitle(upstream), upstream.Owner, upstream.Branch, fork.Branch, Body(upstream, fork), ct);
            return TargetResult.Done(SyncMessages.PullRequestCreated(fork.FullName), pr, "pull-request");
        }
        catch (GitHubException ex) when (ex.Status == 422 && ex.Mentions("No commits between"))
        {
            return TargetResult.Done(SyncMessages.UpToDate);
        }
        catch (GitHubException ex) when (ex.Status == 422 && ex.Mentions("pull request already exists"))
        {
            var open = await read.FindOpenPullRequestAsync(fork.Owner, fork.Repo, upstream.Owner, upstream.Branch, fork.Branch, ct);
            return TargetResult.Done(SyncMessages.PullRequestAlreadyOpen, open);
        }
        catch (GitHubException ex) when (!ex.IsTransient && ex.Status is not null)
        {
            return await DiagnoseAsync(read, upstream, fork, ct) ?? TargetResult.Failed(SyncMessages.PullRequestFailed(fork.FullName, ex.Describe()));
        }
    }

    /// <summary>Names what is missing (or archived) after GitHub refused; null when everything is there.</summary>
    private static async Task<TargetResult?> DiagnoseAsync(GitHubSession read, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        var repo = await read.GetRepositoryAsync(fork.Owner, fork.Repo, ct);
        if (repo is null)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(fork.FullName));
        }

        if (repo.Archived)
        {
            return TargetResult.Done(SyncMessages.Archived(fork.FullName));
        }

        if (!await read.BranchExistsAsync(fork.Owner, fork.Repo, fork.Branch, ct))
        {
            return TargetResult.Failed(SyncMessages.BranchMissing(fork));
        }

        if (await read.GetRepositoryAsync(upstream.Owner, upstream.Repo, ct) is null)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(upstream.FullName));
        }

        return await read.BranchExistsAsync(upstream.Owner, upstream.Repo, upstream.Branch, ct)
            ? null
            : TargetResult.Failed(SyncMessages.BranchMissing(upstream));
    }

    private string Body(BranchRef upstream, BranchRef fork)
    {
        var compare = gitHub.Value.CompareUrl(fork.Owner, fork.Repo, fork.Branch, upstream.Owner, upstream.Branch);
        return $"""
            Hello!

            The upstream repository `{upstream.FullName}@{upstream.Branch}` has new changes that aren't in this fork's `{fork.Branch}` branch yet. Here they are, ready to be merged: [see the changes]({compare}).

            If this pull request merges without conflicts, merging it brings the fork up to date. Otherwise, resolve the conflicts first.

            Don't want these pull requests? Open an issue on this repository with the label `optout` and leave it open: Backstroke will then leave this fork alone.

            ---
            Created by [Backstroke]({backstroke.Value.PublicUri}), a bot that keeps forks up to date.
            """;
    }
}
