using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>Runs one link: its single fork, or every fork that opts in (docs/sync-rules.md). Reads as the owner, writes as the bot when there is one;
/// a link whose fork a GitHub App installation covers reads and writes with that installation's token instead.</summary>
internal sealed class LinkSync(
    GitHubClients clients, TokenProtector tokens, ForkSync forkSync, ForkAllSync forkAll, IOptions<GitHubOptions> gitHub, InstallationTokens installations)
{
    public const string OptInLabel = "backstroke-sync";

    /// <summary>Runs <paramref name="link"/> as operation <paramref name="operationId"/>, which a fork-all run keeps its progress under.</summary>
    public async Task<SyncOutcome> RunAsync(Link link, string operationId, CancellationToken ct)
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
                return await installations.RunAsync(installation.Id, token => RunAsAsync(link, operationId, clients.For(token), clients.For(token), ct), ct);
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
        return await RunAsAsync(link, operationId, read, write, ct);
    }

    private async Task<SyncOutcome> RunAsAsync(Link link, string operationId, GitHubSession read, GitHubSession write, CancellationToken ct)
    {
        var upstream = new BranchRef(link.UpstreamOwner!, link.UpstreamRepo!, link.UpstreamBranch!);

        if (link.ForkType == ForkType.Repo)
        {
            var fork = new BranchRef(link.ForkOwner!, link.ForkRepo!, link.ForkBranch!);
            var result = await forkSync.RunAsync(read, write, upstream, fork, link.SyncMode, ct);
            var output = new SingleForkOutput(false, 1, result.Message, result.PullRequest, result.MergeType);
            return new SyncOutcome(output, result.Ok ? null : result.Message);
        }

        return await forkAll.RunAsync(read, write, link.Id, operationId, upstream, link.SyncMode, ct);
    }
}
