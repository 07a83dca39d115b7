using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Forks list (paginated; Backstroke's fork-all links walk every page) and fork creation.</summary>
internal static class Forks
{
    public static void MapForks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/forks", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            var grant = ctx.Caller().Grant;
            lock (state.Gate)
            {
                var all = (r.Forks ?? []).Where(f => state.PermissionOf(f, grant) is not null).ToList();
                // `sort`: newest (the default), oldest, stargazers or watchers (OpenAPI, "List forks"). Forks are kept
                // in the order they were made; nobody stars a simulated fork, so the star and watcher orders are the
                // default one.
                all = ctx.Request.Query["sort"].ToString() == "oldest" ? all : [.. Enumerable.Reverse(all)];
                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var f in page)
                    {
                        RepoJson.Write(w, f, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapPost("/repos/{owner}/{repo}/forks", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var user = RepoAccess.RequireUser(ctx);
            var body = ctx.Request.ContentLength > 0 ? await RequestBody.JsonAsync(ctx.Request) : default;
            var forkOwner = body.Str("organization") ?? user.Login;
            var state = ctx.State();
            lock (state.Gate)
            {
                // Forking twice answers the existing fork, as GitHub does.
                var fork = state.FindInNetwork(r, forkOwner) is { } existing && existing != r
                    ? existing
                    : state.CreateRepo(forkOwner, body.Str("name") ?? r.Name, forkOf: r.FullName);
                return Gh.Json(202, w => RepoJson.Write(w, fork, ctx.BaseUrl(), "admin", full: true));
            }
        });
    }
}
