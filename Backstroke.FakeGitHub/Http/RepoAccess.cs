using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Http;

/// <summary>
/// Finds the repository of a request and checks the caller may do what it asks. A private repository the caller
/// cannot see is a 404, never a 403, so its existence does not leak, as on GitHub.
/// </summary>
internal static class RepoAccess
{
    public static (Repo Repo, string Permission) Require(HttpContext ctx, string owner, string name, string need = "read", bool write = false)
    {
        var state = ctx.State();
        var caller = ctx.Caller();
        var repo = state.FindRepo(owner, name) ?? throw new FakeGitHubException(404, "Not Found");
        var permission = state.PermissionOf(repo, caller.Grant) ?? throw new FakeGitHubException(404, "Not Found");
        if (RepoJson.Rank(permission) < RepoJson.Rank(need) || (write && caller.Grant is null))
        {
            if (caller.Grant is null)
            {
                throw new FakeGitHubException(401, "Requires authentication");
            }

            // GitHub hides what a token may not change behind a 404 as well.
            throw new FakeGitHubException(404, "Not Found");
        }

        if (write && repo.Archived)
        {
            throw new FakeGitHubException(403, "Repository was archived so is read-only.");
        }

        return (repo, permission);
    }

    public static Account RequireUser(HttpContext ctx) =>
        ctx.Caller().Account ?? throw new FakeGitHubException(401, "Requires authentication");
}
