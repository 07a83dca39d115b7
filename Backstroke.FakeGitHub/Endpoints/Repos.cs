using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>GET and PATCH /repos/{owner}/{repo}.</summary>
internal static class Repos
{
    private const string Docs = "https://docs.github.com/rest/repos/repos#get-a-repository";

    public static void MapRepos(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, permission) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                return Gh.Json(200, w => RepoJson.Write(w, r, ctx.BaseUrl(), ctx.Caller().Grant is null ? null : permission, full: true));
            }
        });

        app.MapPatch("/repos/{owner}/{repo}", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, permission) = RepoAccess.Require(ctx, owner, repo, "admin", write: false);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var state = ctx.State();
            lock (state.Gate)
            {
                if (body.Str("name") is { } name && name != r.Name)
                {
                    state.RenameRepo(r, name, ctx.Caller().Account);
                }

                if (body.Str("description") is { } description)
                {
                    r.Description = description;
                }

                if (body.Str("default_branch") is { } branch)
                {
                    if (!r.Branches.ContainsKey(branch))
                    {
                        return Gh.Validation("Repository", "invalid", "default_branch", docs: Docs);
                    }

                    r.DefaultBranch = branch;
                }

                r.Archived = body.Bool("archived") ?? r.Archived;
                r.HasIssues = body.Bool("has_issues") ?? r.HasIssues;
                r.Private = body.Bool("private") ?? r.Private;
                r.UpdatedAt = state.Now;
                return Gh.Json(200, w => RepoJson.Write(w, r, ctx.BaseUrl(), permission, full: true));
            }
        });
    }
}
