using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Branches list and get. Branch names may hold slashes, hence the catch-all.</summary>
internal static class Branches
{
    public static void MapBranches(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/branches", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                var all = r.Branches.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var (name, sha) in page)
                    {
                        BranchJson.WriteShort(w, name, state.Graph[sha].Sha, r, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapGet("/repos/{owner}/{repo}/branches/{**branch}", (HttpContext ctx, string owner, string repo, string branch) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                return r.Branches.TryGetValue(branch, out var sha)
                    ? Gh.Json(200, w => BranchJson.WriteFull(w, branch, sha, state.Graph, r, ctx.BaseUrl()))
                    : Gh.Error(404, "Branch not found", "https://docs.github.com/rest/branches/branches#get-a-branch");
            }
        });
    }
}
