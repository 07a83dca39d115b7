using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>Runs one link: its single fork, or every fork that opts in (docs/sync-rules.md). Reads as the owner, writes as the bot when there is one;
/// a link whose fork a GitHub App installation covers reads and writes with that installation's token instead.</summary>
internal sealed class LinkSync(GitHubClients clients, TokenProtector tokens, ForkSync forkSync, IOptions<GitHubOptions> gitHub, InstallationTokens installations)
{
    public const string OptInLabel = "backstroke-sync";

    public async Task<SyncOutcome> RunAsync(Link link, CancellationToken ct)
    {
        if (!link.Enabled)
        {
            return SyncOutcome.Failed(SyncMessages.LinkDisabled);
        }

        if (!link.IsConfigured)
        {
            return SyncOutcome.Failed(SyncMessages.LinkIncomplete);
        }

        // An installation lives on one account: a link edited to a fork elsewhere is never synced with its token.
        if (link.Installation is { } installation && string.Equals(installation.AccountLogin, link.ForkOwner, StringComparison.OrdinalIgnoreCase))
        {
            // A suspended installation's tokens are refused: its links wait without a request until it is unsuspended.
            if (installation.Suspended)
            {
                return SyncOutcome.Failed(SyncMessages.InstallationSuspended);
            }

            try
            {
                return await installations.RunAsync(installation.Id, token => RunAsAsync(link, clients.For(token), clients.For(token), ct), ct);
            }
            catch (GitHubException unavailable) when (unavailable.Kind == GitHubFailure.InstallationUnavailable)
            {
                return SyncOutcome.Failed(SyncMessages.InstallationUnavailable(unavailable.Message, installation.AccountLogin));
            }
        }

        if ((link.Owner is { } owner ? tokens.Unprotect(owner.AccessTokenProtected, owner.GitHubId) : null) is not { } ownerToken)
        {
            return SyncOutcome.Failed(SyncMessages.NoToken);
        }

        var read = clients.For(ownerToken);
        var write = string.IsNullOrWhiteSpace(gitHub.Value.BotToken) ? read : clients.For(gitHub.Value.BotToken);
        return await RunAsAsync(link, read, write, ct);
    }

    private async Task<SyncOutcome> RunAsAsync(Link link, GitHubSession read, GitHubSession write, CancellationToken ct)
    {
        var upstream = new BranchRef(link.UpstreamOwner!, link.UpstreamRepo!, link.UpstreamBranch!);

        if (link.ForkType == ForkType.Repo)
        {
            var fork = new BranchRef(link.ForkOwner!, link.ForkRepo!, link.ForkBranch!);
            var result = await forkSync.RunAsync(read, write, upstream, fork, link.SyncMode, ct);
            var output = new SingleForkOutput(false, 1, result.Message, result.PullRequest, result.MergeType);
            return new SyncOutcome(output, result.Ok ? null : result.Message);
        }

        return await AllForksAsync(read, write, upstream, link.SyncMode, ct);
    }

    private async Task<SyncOutcome> AllForksAsync(GitHubSession read, GitHubSession write, BranchRef upstream, SyncMode mode, CancellationToken ct)
    {
        IReadOnlyList<RepoInfo> forks;
        try
        {
            forks = await read.ListForksAsync(upstream.Owner, upstream.Repo, ct);
        }
        catch (GitHubException ex) when (ex.IsNotFound)
        {
            return SyncOutcome.Failed(SyncMessages.RepoMissing(upstream.FullName));
        }
        catch (GitHubException ex) when (ex.Kind == GitHubFailure.Forbidden)
        {
            return SyncOutcome.Failed(SyncMessages.Blocked("upstream", upstream.FullName, ex));
        }

        var outcomes = new List<ForkOutcome>(forks.Count);
        foreach (var repo in forks)
        {
            ct.ThrowIfCancellationRequested();
            var fork = new BranchRef(repo.Owner, repo.Name, upstream.Branch);
            var result = repo.Disabled
                ? TargetResult.Failed(SyncMessages.Disabled(fork.FullName))
                : await OneForkAsync(read, write, upstream, fork, mode, ct);
            outcomes.Add(new ForkOutcome(fork.FullName, result.Ok ? "ok" : "error", result.Message, result.PullRequest, result.MergeType));
        }

        var errors = outcomes.Where(o => o.Status == "error").Select(o => new ForkError(o.Fork, o.Message)).ToList();
        return new SyncOutcome(new ManyForksOutput(true, new ForkMetrics(outcomes.Count, outcomes.Count - errors.Count), errors, outcomes), null);
    }

    private async Task<TargetResult> OneForkAsync(GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, SyncMode mode, CancellationToken ct)
    {
        try
        {
            return await read.HasLabelAsync(fork.Owner, fork.Repo, OptInLabel, ct)
                ? await forkSync.RunAsync(read, write, upstream, fork, mode, ct)
                : TargetResult.Done(SyncMessages.NotOptedIn);
        }
        catch (GitHubException refused) when (refused is { Kind: GitHubFailure.Validation, Status: null })
        {
            // GitHub listed a fork whose name Backstroke will not put into an address: that fork's error alone.
            return TargetResult.Failed(refused.Message);
        }
        catch (GitHubException refused) when (refused.Kind == GitHubFailure.Forbidden)
        {
            // Blocked (or SAML-protected) without being listed as disabled: that fork's error alone, too.
            return TargetResult.Failed(SyncMessages.Blocked("fork", fork.FullName, refused));
        }
    }
}
