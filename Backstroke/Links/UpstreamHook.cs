using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Links;

/// <summary>
/// Installs Backstroke's push webhook on a link's upstream, so that a push reaches Backstroke in seconds
/// instead of at the next poll. GitHub lets only the upstream's admins manage its hooks; for everyone else it
/// answers 404, which becomes a sentence rather than an error page.
/// </summary>
internal sealed class UpstreamHook(GitHubClients clients, TokenProtector tokens, IOptions<GitHubOptions> gitHub, IOptions<BackstrokeOptions> backstroke)
{
    /// <summary>Without a webhook secret Backstroke refuses every delivery, so offering the hook would be a trap.</summary>
    public bool Available => !string.IsNullOrEmpty(gitHub.Value.WebhookSecret);

    public string HookUrl => backstroke.Value.Url("/webhooks/github");

    /// <summary>
    /// The upstream's webhook as GitHub sees it, asked when the link page is drawn: installed (and how its last
    /// delivery was answered), not installed (the user may install it), or not the user's to install.
    /// </summary>
    public async Task<HookState> StateAsync(User user, Link link, CancellationToken ct)
    {
        if (!Available || string.IsNullOrEmpty(link.UpstreamOwner) || string.IsNullOrEmpty(link.UpstreamRepo))
        {
            return new HookState(HookStatus.Unavailable, "");
        }

        var repo = $"{link.UpstreamOwner}/{link.UpstreamRepo}";
        if (tokens.Unprotect(user.AccessTokenProtected, user.GitHubId) is not { } token)
        {
            return new HookState(HookStatus.Unknown, repo);
        }

        try
        {
            var hook = Ours(await clients.For(token).ListHooksAsync(link.UpstreamOwner, link.UpstreamRepo, ct));
            return new HookState(hook is null ? HookStatus.NotInstalled : HookStatus.Installed, repo, hook);
        }
        catch (GitHubException failure) when (failure.Kind is GitHubFailure.NotFound or GitHubFailure.Forbidden)
        {
            return new HookState(HookStatus.CannotInstall, repo);
        }
        catch (GitHubException) when (!ct.IsCancellationRequested)
        {
            return new HookState(HookStatus.Unknown, repo);
        }
    }

    private HookInfo? Ours(IReadOnlyList<HookInfo> hooks) =>
        hooks.FirstOrDefault(h => string.Equals(h.Url, HookUrl, StringComparison.OrdinalIgnoreCase));

    /// <summary>Installs the hook unless it is there already; answers with a sentence for the user either way.</summary>
    public async Task<string> InstallAsync(User user, Link link, CancellationToken ct)
    {
        if (!Available)
        {
            return "Webhooks are not set up on this Backstroke: its operator has to set GitHub:WebhookSecret first.";
        }

        if (string.IsNullOrEmpty(link.UpstreamOwner) || string.IsNullOrEmpty(link.UpstreamRepo))
        {
            return "Choose the upstream repository first.";
        }

        if (tokens.Unprotect(user.AccessTokenProtected, user.GitHubId) is not { } token)
        {
            return "Your GitHub token can't be read any more; sign in again.";
        }

        var repo = $"{link.UpstreamOwner}/{link.UpstreamRepo}";
        var github = clients.For(token);
        try
        {
            IReadOnlyList<HookInfo>? hooks = null;
            try
            {
                hooks = await github.ListHooksAsync(link.UpstreamOwner, link.UpstreamRepo, ct);
            }
            catch (GitHubException failure) when (failure.Kind is GitHubFailure.NotFound or GitHubFailure.Forbidden)
            {
                return $"Only an admin of {repo} can install its webhook; ask one to add {HookUrl} for push events.";
            }
            catch (GitHubException failure) when (!failure.IsTransient && failure.Status is not null)
            {
                // The list said nothing useful; GitHub answers the creation itself if it would be refused.
            }

            if (hooks is not null && Ours(hooks) is not null)
            {
                return $"The webhook is already installed on {repo}.";
            }

            await github.CreateHookAsync(link.UpstreamOwner, link.UpstreamRepo, new NewHook(HookUrl, ["push", "repository"], gitHub.Value.WebhookSecret!), ct);
            return $"Installed the webhook on {repo}: pushes now reach Backstroke within seconds.";
        }
        catch (GitHubException failure) when (failure.Status is null && failure.Kind == GitHubFailure.Validation)
        {
            return $"Backstroke can't install a webhook on {repo}: {failure.Message}";
        }
        catch (GitHubException failure) when (!failure.IsTransient && failure.Status is not null)
        {
            return $"GitHub refused to install the webhook on {repo} ({failure.Status}).";
        }
        catch (GitHubException) when (!ct.IsCancellationRequested)
        {
            return $"GitHub could not be reached to install the webhook on {repo}; try again in a moment.";
        }
    }
}

internal enum HookStatus
{
    /// <summary>Webhooks are not set up here, or the link has no upstream yet: nothing to say.</summary>
    Unavailable,
    Installed,
    NotInstalled,
    CannotInstall,
    Unknown,
}

/// <summary>The upstream webhook's state: the repository it is about, and the hook when it is installed.</summary>
internal sealed record HookState(HookStatus Status, string Repo, HookInfo? Hook = null)
{
    /// <summary>The install button is offered only where it can help.</summary>
    public bool Offer => Status is HookStatus.NotInstalled or HookStatus.Unknown;
}
