using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Collaborator check (204/404) and permission level; Backstroke uses them before accepting a link.</summary>
internal static class Collaborators
{
    public static void MapCollaborators(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/collaborators/{username}", (HttpContext ctx, string owner, string repo, string username) =>
        {
            // The OpenAPI text of this operation: "The authenticated user must have push access to the repository to
            // use this endpoint", and classic tokens "need the read:org and repo scopes"; GitHub's refusal is 403
            // "Must have push access to view repository collaborators." (quoted by many clients that handle it).
            var (r, permission) = RepoAccess.Require(ctx, owner, repo);
            RepoAccess.RequireUser(ctx);
            RepoAccess.RequireScope(ctx, ctx.Caller().Grant!, ["repo"]);
            if (RepoJson.Rank(permission) < RepoJson.Rank("write"))
            {
                return Gh.Error(403, "Must have push access to view repository collaborators.", "https://docs.github.com/rest/collaborators/collaborators#check-if-a-user-is-a-repository-collaborator");
            }

            return RoleOf(ctx, r, username) is not null
                ? Results.NoContent()
                : Gh.NotFound("https://docs.github.com/rest/collaborators/collaborators#check-if-a-user-is-a-repository-collaborator");
        });

        app.MapGet("/repos/{owner}/{repo}/collaborators/{username}/permission", (HttpContext ctx, string owner, string repo, string username) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            RepoAccess.RequireUser(ctx);
            var state = ctx.State();
            if (state.FindAccount(username) is not { } account)
            {
                return Gh.Error(404, $"{username} is not a user", "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user");
            }

            var role = RoleOf(ctx, r, username) ?? (r.Private ? "none" : "read");

            // GitHub folds maintain into write and triage into read in "permission"; role_name keeps the detail.
            var permission = role switch { "maintain" => "write", "triage" => "read", _ => role };
            return Gh.Json(200, w =>
            {
                w.WriteStartObject();
                w.WriteString("permission", permission);
                w.WriteString("role_name", role);
                w.WriteStartObject("user");
                UserJson.WriteSimpleFields(w, account, ctx.BaseUrl());
                w.WriteString("role_name", role);
                w.WriteStartObject("permissions");
                w.WriteBoolean("admin", role == "admin");
                w.WriteBoolean("maintain", RepoJson.Rank(role) >= 4);
                w.WriteBoolean("push", RepoJson.Rank(role) >= 3);
                w.WriteBoolean("triage", RepoJson.Rank(role) >= 2);
                w.WriteBoolean("pull", RepoJson.Rank(role) >= 1);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            });
        });
    }

    private static string? RoleOf(HttpContext ctx, Model.Repo r, string username)
    {
        lock (ctx.State().Gate)
        {
            if (string.Equals(r.Owner.Login, username, StringComparison.OrdinalIgnoreCase))
            {
                return "admin";
            }

            return r.Collaborators?.GetValueOrDefault(username);
        }
    }
}
