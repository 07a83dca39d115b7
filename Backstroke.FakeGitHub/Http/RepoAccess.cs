using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Http;

/// <summary>Which OAuth scopes an operation checks for.</summary>
internal enum ScopeNeed
{
    /// <summary>Code, pull requests, issues, labels: <c>repo</c>, or <c>public_repo</c> on a public repository.</summary>
    Contents,

    /// <summary>Repository webhooks: a hook scope, or <c>repo</c> / <c>public_repo</c>, which include hooks.</summary>
    Hooks,
}

/// <summary>
/// Finds the repository of a request and checks the caller may do what it asks. A private repository the caller
/// cannot see is a 404, never a 403, so its existence does not leak, as on GitHub.
/// </summary>
internal static class RepoAccess
{
    public static (Repo Repo, string Permission) Require(HttpContext ctx, string owner, string name, string need = "read", bool write = false,
        ScopeNeed scope = ScopeNeed.Contents)
    {
        var state = ctx.State();
        var caller = ctx.Caller();
        var repo = state.FindRepo(owner, name) ?? throw new FakeGitHubException(404, "Not Found");
        var permission = state.PermissionOf(repo, caller.Grant) ?? throw new FakeGitHubException(404, "Not Found");
        if (repo.BlockStatus is { } blocked)
        {
            throw new FakeGitHubException(blocked, Blocked, Gh.Blocked(blocked, state.Now));
        }

        // An installation token has permissions instead of scopes and a collaborator's rank.
        if (caller.Grant?.Installation is { } installation)
        {
            Apps.AppAccess.Require(ctx, installation, repo, write);
            return write && repo.Archived ? throw new FakeGitHubException(403, "Repository was archived so is read-only.") : (repo, permission);
        }

        if (RepoJson.Rank(permission) < RepoJson.Rank(need) || (write && caller.Grant is null))
        {
            if (caller.Grant is null)
            {
                throw new FakeGitHubException(401, "Requires authentication");
            }

            // GitHub hides what a token may not change behind a 404 as well.
            throw new FakeGitHubException(404, "Not Found");
        }

        if ((write || scope == ScopeNeed.Hooks) && caller.Grant is { } grant)
        {
            RequireScope(ctx, grant, Accepted(repo, write, scope));
        }

        if (write && repo.Archived)
        {
            throw new FakeGitHubException(403, "Repository was archived so is read-only.");
        }

        return (repo, permission);
    }

    public static Account RequireUser(HttpContext ctx) =>
        ctx.Caller().Account ?? throw new FakeGitHubException(401, "Requires authentication");

    /// <summary>
    /// A token without any accepted scope gets GitHub's opaque 404 (first-timers/app issue 11: a 404 on creating an
    /// issue "means that passed token does not have the public_repo access scope"; GitHub told
    /// IonicaBizau/github-labeller issue 11 the 404 is by design). X-Accepted-OAuth-Scopes names what the action
    /// checks for (docs: "Scopes for OAuth apps").
    /// </summary>
    public static void RequireScope(HttpContext ctx, TokenGrant grant, string[] accepted)
    {
        ctx.Response.Headers["x-accepted-oauth-scopes"] = string.Join(", ", accepted.Order(StringComparer.Ordinal));
        if (!accepted.Any(grant.Scopes.Contains))
        {
            throw new FakeGitHubException(404, "Not Found");
        }
    }

    /// <summary>
    /// docs "Scopes for OAuth apps": repo grants full access to all repositories, public_repo to public ones, and
    /// "the repo and public_repo scopes grant full access to repositories, including repository hooks";
    /// admin:repo_hook, write:repo_hook and read:repo_hook limit a token to hooks.
    /// </summary>
    private static string[] Accepted(Repo repo, bool write, ScopeNeed scope)
    {
        var general = repo.Private ? new[] { "repo" } : ["repo", "public_repo"];
        return scope == ScopeNeed.Hooks
            ? [.. general, "admin:repo_hook", "write:repo_hook", .. write ? Array.Empty<string>() : ["read:repo_hook"]]
            : general;
    }

    /// <summary>DMCA takedowns (451) and repositories disabled for their terms of service (403) say the same.</summary>
    public const string Blocked = "Repository access blocked";
}
