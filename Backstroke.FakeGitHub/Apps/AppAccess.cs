using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>
/// Which credential each kind of endpoint takes, and what an installation token may do in a repository.
/// docs "Authenticating as a GitHub App": a JWT only reaches the App's own endpoints (the App, its installations,
/// installation tokens); an installation token acts in its installation's repositories within its permissions.
/// </summary>
internal static class AppAccess
{
    /// <summary>REST docs: writes an installation may not make, and GitHub's answer to an installation token on /user.</summary>
    public const string NotAccessible = "Resource not accessible by integration";

    /// <summary>GitHub's 403 for any other credential on GET /installation/repositories.</summary>
    public const string InstallationOnly = "You must authenticate with an installation access token in order to list repositories for an installation.";

    /// <summary>The refusal of a request for the credential it carries, or null when the endpoint takes it.</summary>
    public static FakeGitHubException? Refusal(string path, Caller caller)
    {
        var jwtOnly = path == "/app" || path.StartsWith("/app/", StringComparison.Ordinal) || IsRepoInstallation(path);
        if (caller.App is not null)
        {
            // Plausible, not quoted: the docs list what a JWT may call, and GitHub answers this for any other call.
            return jwtOnly || path is "/" or "/rate_limit" ? null : new FakeGitHubException(403, NotAccessible);
        }

        if (jwtOnly)
        {
            // The REST docs only say "You must use a JWT to access this endpoint"; users who send a token instead
            // report GitHub decoding it as a JWT and failing with this 401.
            return new FakeGitHubException(401, AppJwt.Undecodable);
        }

        if (path == "/installation/repositories")
        {
            return caller.Grant?.Installation is null ? new FakeGitHubException(403, InstallationOnly) : null;
        }

        // An installation token on /user answers 403 (mislav/hub issue 2149; actions/create-github-app-token issue 258).
        if (caller.Grant?.Installation is not null && (path == "/user" || path.StartsWith("/user/", StringComparison.Ordinal)))
        {
            return new FakeGitHubException(403, NotAccessible);
        }

        return null;
    }

    private static bool IsRepoInstallation(string path) =>
        path.StartsWith("/repos/", StringComparison.Ordinal) && path.EndsWith("/installation", StringComparison.Ordinal) && path.Count(c => c == '/') == 4;

    /// <summary>
    /// An installation token's check in a repository it can see. Outside its installation it may only read (public
    /// repositories); inside, the endpoint's permission decides (docs: "Permissions required for GitHub Apps"). A
    /// refusal is GitHub's 403 "Resource not accessible by integration", with X-Accepted-GitHub-Permissions naming
    /// what the endpoint takes, as GitHub's answers do.
    /// </summary>
    public static void Require(HttpContext ctx, InstallationToken token, Repo repo, bool write)
    {
        var (permission, needsWrite) = PermissionFor(ctx.Request.Method, ctx.Request.Path.Value ?? "");
        needsWrite |= write;
        var alternatives = permission == "issues" && IsIssueOrLabel(ctx.Request.Path.Value ?? "") ? new[] { "issues", "pull_requests" } : [permission];
        ctx.Response.Headers["x-accepted-github-permissions"] = string.Join("; ", alternatives.Select(p => p + "=" + (needsWrite ? "write" : "read")));
        if (!token.Covers(repo))
        {
            if (needsWrite)
            {
                throw new FakeGitHubException(403, NotAccessible);
            }

            return;
        }

        if (!alternatives.Any(p => token.Allows(p, needsWrite)))
        {
            throw new FakeGitHubException(403, NotAccessible);
        }
    }

    /// <summary>The permission an endpoint of /repos/{o}/{r} takes, and whether it writes.</summary>
    private static (string Permission, bool Write) PermissionFor(string method, string path)
    {
        var parts = path.Split('/', 5, StringSplitOptions.RemoveEmptyEntries);
        var area = parts.Length > 3 ? parts[3] : "";
        var writes = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
        return area switch
        {
            "pulls" => ("pull_requests", writes),
            "issues" or "labels" => ("issues", writes),
            "git" or "commits" or "compare" or "branches" or "merge-upstream" or "contents" or "merges" => ("contents", writes),
            "hooks" => ("repository_hooks", writes),

            // "Create a fork" takes administration: write.
            "forks" => writes ? ("administration", true) : ("metadata", false),
            "collaborators" => ("metadata", false),
            "" => writes ? ("administration", true) : ("metadata", false),
            _ => ("metadata", writes),
        };
    }

    /// <summary>Labels and the labels and comments of an issue take either permission, since pull requests are issues.</summary>
    private static bool IsIssueOrLabel(string path) =>
        path.Contains("/labels", StringComparison.Ordinal) || path.EndsWith("/comments", StringComparison.Ordinal);
}
