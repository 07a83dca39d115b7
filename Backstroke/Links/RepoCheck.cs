using Backstroke.Auth;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backstroke.Links;

internal sealed record RepoCheckJson(bool Valid, bool? Private, bool? Fork, RepoParent? Parent, string? DefaultBranch, IReadOnlyList<string>? Branches);

/// <summary><c>GET /v1/repos/github/{owner}/{repo}</c>: the live validation and branch list of the link page.</summary>
internal static class RepoCheck
{
    public static async Task<Results<Ok<RepoCheckJson>, NotFound<RepoCheckJson>, JsonHttpResult<ErrorJson>>> CheckAsync(
        HttpContext context, string owner, string repo, CurrentUser user, TokenProtector tokens, GitHubRepos github)
    {
        var invalid = new RepoCheckJson(false, null, null, null, null, null);
        if (!LinkRules.IsOwner(owner) || !LinkRules.IsRepo(repo))
        {
            // Not a name GitHub could have: no need to ask.
            return TypedResults.NotFound(invalid);
        }

        if ((user.User is { } signedIn ? tokens.Unprotect(signedIn.AccessTokenProtected, signedIn.GitHubId) : null) is not { } token)
        {
            return ApiFilters.Error(401, LinkEditor.SignInAgainMessage);
        }

        var details = await github.GetAsync(token, owner, repo, context.RequestAborted);
        return details is null
            ? TypedResults.NotFound(invalid)
            : TypedResults.Ok(new RepoCheckJson(true, details.Private, details.Fork, details.Parent, details.DefaultBranch, details.Branches));
    }
}
