using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Commits list and get, including the bare-sha media type that makes a cheap conditional probe.</summary>
internal static class Commits
{
    public static void MapCommits(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/commits", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                var start = ctx.Request.Query["sha"].ToString() is { Length: > 0 } s ? state.ResolveRef(r, s) : state.ResolveRef(r, r.DefaultBranch);
                if (start is null)
                {
                    return r.Branches.Count == 0
                        ? Gh.Error(409, "Git Repository is empty.")
                        : Gh.NotFound("https://docs.github.com/rest/commits/commits#list-commits");
                }

                // Newest first, as git log shows them.
                var all = state.Graph.Only(start.Value, null);
                all.Reverse();
                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var c in page)
                    {
                        CommitJson.Write(w, state.Graph, c, r, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapGet("/repos/{owner}/{repo}/commits/{**reference}", (HttpContext ctx, string owner, string repo, string reference) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                if (state.ResolveRef(r, reference) is not { } sha)
                {
                    return Gh.Error(422, $"No commit found for SHA: {reference}", "https://docs.github.com/rest/commits/commits#get-a-commit");
                }

                // Octokit asks for application/vnd.github.v3.sha, curl users for application/vnd.github.sha.
                var accept = ctx.Request.Headers.Accept.ToString();
                if (accept.Contains("vnd.github", StringComparison.OrdinalIgnoreCase) && accept.Contains(".sha", StringComparison.OrdinalIgnoreCase))
                {
                    return Gh.Text(state.Graph[sha].Sha, "application/vnd.github.sha; charset=utf-8");
                }

                return Gh.Json(200, w => CommitJson.Write(w, state.Graph, sha, r, ctx.BaseUrl()));
            }
        });
    }
}
