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
        IReadOnlyList<int> optOuts;
        try
        {
            optOuts = await read.OpenIssuesLabelledAsync(fork.Owner, fork.Repo, "optout", ct);
        }
        catch (GitHubApiException ex) when (ex.IsNotFound)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(fork.FullName));
        }

        if (optOuts.Count > 0)
        {
            // Step 1 comes first: an archived fork is "nothing done", even when it also opted out.
            return await read.GetRepositoryAsync(fork.Owner, fork.Repo) is { Archived: true }
                ? TargetResult.Done(SyncMessages.Archived(fork.FullName))
                : TargetResult.Failed(SyncMessages.OptedOut);
        }

        if (mode == SyncMode.FastForward && await FastForwardAsync(read, write, upstream, fork) is { } done)
        {
            return done;
        }

        return await PullRequestAsync(read, write, upstream, fork);
    }

    /// <summary>Null when the fork has commits of its own: then a pull request it is.</summary>
    private static async Task<TargetResult?> FastForwardAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork)
    {
        Comparison comparison;
        try
        {
            comparison = await read.CompareAsync(fork.Owner, fork.Repo, fork.Branch, $"{upstream.Owner}:{upstream.Branch}");
        }
        catch (GitHubApiException ex) when (!ex.IsTransient)
        {
            return await DiagnoseAsync(read, upstream, fork)
                ?? TargetResult.Failed($"Couldn't compare {fork.FullName}@{fork.Branch} with {upstream.FullName}@{upstream.Branch}: {ex.Describe()}");
        }

        switch (comparison.Status)
        {
            case "identical" or "behind":
                return TargetResult.Done(SyncMessages.UpToDate);
            case "ahead":
                var sha = comparison.HeadSha ?? await read.GetBranchShaAsync(upstream.Owner, upstream.Repo, upstream.Branch);
                try
                {
                    await write.UpdateBranchAsync(fork.Owner, fork.Repo, fork.Branch, sha);
                    return TargetResult.Done(SyncMessages.FastForwarded(fork, upstream), mergeType: "fast-forward");
                }
                catch (GitHubApiException ex) when (ex.Status == 422)
                {
                    // The fork moved since the compare and is no longer behind: never force, propose instead.
                    return null;
                }

            default:
                return null;
        }
    }

    private async Task<TargetResult> PullRequestAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork)
    {
        var head = $"{upstream.Owner}:{upstream.Branch}";
        try
        {
            var pr = await write.CreatePullRequestAsync(fork.Owner, fork.Repo, SyncMessages.PullRequestTitle(upstream), head, fork.Branch, Body(upstream, fork));
            return TargetResult.Done(SyncMessages.PullRequestCreated(fork.FullName), pr, "pull-request");
        }
        catch (GitHubApiException ex) when (ex.Status == 422 && ex.Mentions("No commits between"))
        {
            return TargetResult.Done(SyncMessages.UpToDate);
        }
        catch (GitHubApiException ex) when (ex.Status == 422 && ex.Mentions("pull request already exists"))
        {
            var open = await read.FindOpenPullRequestAsync(fork.Owner, fork.Repo, head, fork.Branch);
            return TargetResult.Done(SyncMessages.PullRequestAlreadyOpen, open);
        }
        catch (GitHubApiException ex) when (!ex.IsTransient)
        {
            return await DiagnoseAsync(read, upstream, fork) ?? TargetResult.Failed(SyncMessages.PullRequestFailed(fork.FullName, ex.Describe()));
        }
    }

    /// <summary>Names what is missing (or archived) after GitHub refused; null when everything is there.</summary>
    private static async Task<TargetResult?> DiagnoseAsync(GitHubSession read, BranchRef upstream, BranchRef fork)
    {
        var repo = await read.GetRepositoryAsync(fork.Owner, fork.Repo);
        if (repo is null)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(fork.FullName));
        }

        if (repo.Archived)
        {
            return TargetResult.Done(SyncMessages.Archived(fork.FullName));
        }

        if (!await read.BranchExistsAsync(fork.Owner, fork.Repo, fork.Branch))
        {
            return TargetResult.Failed(SyncMessages.BranchMissing(fork));
        }

        if (await read.GetRepositoryAsync(upstream.Owner, upstream.Repo) is null)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(upstream.FullName));
        }

        return await read.BranchExistsAsync(upstream.Owner, upstream.Repo, upstream.Branch)
            ? null
            : TargetResult.Failed(SyncMessages.BranchMissing(upstream));
    }

    private string Body(BranchRef upstream, BranchRef fork)
    {
        var compare = $"{gitHub.Value.WebUri}{fork.Owner}/{fork.Repo}/compare/{fork.Branch}...{upstream.Owner}:{upstream.Branch}";
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
