using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>
/// The steps of docs/sync-rules.md for one fork branch. The happy path is built to cost few rate-limited requests:
/// the opt-out check is a conditional GET (a 304 is free) that also tells a missing fork, and the pull request is
/// simply created, letting GitHub's 422 say "nothing to do" or "already open". Only when something fails do we
/// spend requests on finding out which repository or branch is missing.
/// </summary>
internal sealed class ForkSync(IOptions<GitHubOptions> gitHub, IOptions<BackstrokeOptions> backstroke)
{
    public const string OptOutLabel = "optout";

    public async Task<TargetResult> RunAsync(
        GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, SyncMode mode, CancellationToken ct, ForkMemory? memory = null)
    {
        try
        {
            return await RunCheckedAsync(read, write, upstream, fork, mode, memory, ct);
        }
        catch (GitHubException refused) when (refused is { Kind: GitHubFailure.Validation, Status: null })
        {
            // The gateway would not put one of the names into a GitHub address: nothing was sent for this fork.
            return TargetResult.Failed(refused.Message);
        }
    }

    private async Task<TargetResult> RunCheckedAsync(
        GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, SyncMode mode, ForkMemory? memory, CancellationToken ct)
    {
        bool optedOut;
        try
        {
            // Open or closed: forks have Issues off, so the usual way to opt out is to label Backstroke's own pull
            // request and close it.
            optedOut = memory is null
                ? (await read.IssuesLabelledAsync(fork.Owner, fork.Repo, OptOutLabel, ct)).Count > 0
                : await memory.OptedOutAsync(read, fork, OptOutLabel, ct);
        }
        catch (GitHubException ex) when (ex.IsNotFound)
        {
            return TargetResult.Failed(SyncMessages.RepoMissing(fork.FullName));
        }
        catch (GitHubException ex) when (ex.Kind == GitHubFailure.Forbidden)
        {
            return TargetResult.Failed(SyncMessages.Blocked("fork", fork.FullName, ex));
        }

        if (optedOut)
        {
            // Step 1 comes first: an archived fork is "nothing done", even when it also opted out.
            return await Diagnosis.ForkStateAsync(read, fork, ct) ?? TargetResult.Failed(SyncMessages.OptedOut);
        }

        string? notFastForwarded = null;
        if (mode == SyncMode.FastForward)
        {
            var step = await FastForward.RunAsync(read, write, upstream, fork, ct);
            if (step.Done is { } done)
            {
                return done;
            }

            notFastForwarded = step.WhyNot;
        }
        else if (memory is not null && await UpToDateAsync(read, upstream, fork, ct))
        {
            // One of many forks: a read that finds nothing to do spares a content-creating request, of which GitHub
            // allows only a few hundred an hour.
            return TargetResult.Done(SyncMessages.UpToDate);
        }

        var result = await PullRequestAsync(read, write, upstream, fork, ct);

        // "Archived" or "up to date" is all there is to say; a pull request, or a failure to open one, needs the why.
        return result is { Ok: true, PullRequest: null } ? result : result.Because(notFastForwarded);
    }

    /// <summary>True when the fork already has every upstream commit; false when it lacks some, or when GitHub cannot
    /// compare them (then the pull request's answer says why).</summary>
    private static async Task<bool> UpToDateAsync(GitHubSession read, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        try
        {
            var comparison = await read.CompareAsync(fork.Owner, fork.Repo, fork.Branch, upstream.Owner, upstream.Repo, upstream.Branch, ct);
            return comparison.Status is "identical" or "behind";
        }
        catch (GitHubException ex) when (ex is { IsTransient: false, Status: not null } && ex.Kind != GitHubFailure.BadCredentials)
        {
            return false;
        }
    }

    private async Task<TargetResult> PullRequestAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, CancellationToken ct)
    {
        try
        {
            var pr = await write.CreatePullRequestAsync(fork.Owner, fork.Repo, SyncMessages.PullRequestTitle(upstream),
                upstream.Owner, upstream.Repo, upstream.Branch, fork.Branch, Body(upstream, fork), ct);
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
        catch (GitHubException ex) when (ex.Status == 422 && ex.Mentions("no history in common"))
        {
            // Both branches exist (GitHub compared them): nothing to find out, only to explain.
            return TargetResult.Failed(SyncMessages.UnrelatedHistories(fork, upstream, ex.Describe()));
        }
        catch (GitHubException ex) when (!ex.IsTransient && ex.Status is not null)
        {
            return await Diagnosis.RunAsync(read, upstream, fork, ct) ?? TargetResult.Failed(SyncMessages.PullRequestFailed(fork.FullName, ex.Describe()));
        }
    }

    private string Body(BranchRef upstream, BranchRef fork)
    {
        var compare = gitHub.Value.CompareUrl(fork.Owner, fork.Repo, fork.Branch, upstream.Owner, upstream.Repo, upstream.Branch);
        return $"""
            Hello!

            The upstream repository `{upstream.FullName}@{upstream.Branch}` has new changes that aren't in this fork's `{fork.Branch}` branch yet. Here they are, ready to be merged: [see the changes]({compare}).

            If this pull request merges without conflicts, merging it brings the fork up to date. Otherwise, resolve the conflicts first.

            Don't want these pull requests? Label this pull request `{OptOutLabel}` and close it: Backstroke will then leave this fork alone. (Any issue labelled `{OptOutLabel}`, open or closed, does the same.)

            ---
            Created by [Backstroke]({backstroke.Value.PublicUri}), a bot that keeps forks up to date.
            """;
    }
}

/// <summary>
/// What a fork-all run remembers about one fork's opt-out check between runs: the answer and its ETag, so that an
/// unchanged answer is a free 304 even after a restart.
/// </summary>
internal sealed class ForkMemory(bool optedOut, string? etag)
{
    public bool OptedOut { get; private set; } = optedOut;

    public string? ETag { get; private set; } = etag;

    public async Task<bool> OptedOutAsync(GitHubSession read, BranchRef fork, string label, CancellationToken ct)
    {
        var check = await read.AnyIssueLabelledAsync(fork.Owner, fork.Repo, label, ETag, ct);
        if (check.Present is { } present)
        {
            OptedOut = present;
            ETag = check.ETag;
        }

        return OptedOut;
    }
}
