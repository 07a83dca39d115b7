using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>GET /user, /users/{username}, /user/repos and /rate_limit (free, as on GitHub).</summary>
internal static class Users
{
    public static void MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/user", (HttpContext ctx) =>
        {
            var user = RepoAccess.RequireUser(ctx);
            var state = ctx.State();
            lock (state.Gate)
            {
                var owned = state.ReposOf(user).Where(r => r.Owner == user).ToList();
                return Gh.Json(200, w => UserJson.WriteFull(w, user, ctx.BaseUrl(), owned.Count(r => !r.Private), owned.Count(r => r.Private)));
            }
        });

        app.MapGet("/users/{username}", (HttpContext ctx, string username) =>
        {
            var state = ctx.State();
            lock (state.Gate)
            {
                return state.FindAccount(username) is { } account
                    ? Gh.Json(200, w => UserJson.WriteFull(w, account, ctx.BaseUrl(), state.ReposOf(account).Count(r => r.Owner == account && !r.Private), null))
                    : Gh.NotFound("https://docs.github.com/rest/users/users#get-a-user");
            }
        });

        app.MapGet("/user/repos", (HttpContext ctx) =>
        {
            var user = RepoAccess.RequireUser(ctx);
            var grant = ctx.Caller().Grant;
            var state = ctx.State();
            var visibility = ctx.Request.Query["visibility"].ToString();
            lock (state.Gate)
            {
                var all = state.ReposOf(user)
                    .Where(r => state.PermissionOf(r, grant) is not null)
                    .Where(r => visibility is "" or "all" || (visibility == "private") == r.Private)
                    .OrderByDescending(r => r.PushedAt).ThenByDescending(r => r.Id).ToList();
                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var r in page)
                    {
                        RepoJson.Write(w, r, ctx.BaseUrl(), state.PermissionOf(r, grant));
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapGet("/rate_limit", (HttpContext ctx) =>
        {
            var state = ctx.State();
            var grant = ctx.Caller().Grant;
            var (limit, remaining, reset) = state.RateLimits.Peek(grant is null ? "ip:" + ctx.Connection.RemoteIpAddress : Model.FakeGitHubState.BudgetKey(grant));
            return Gh.Json(200, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("resources");
                foreach (var (name, l, rem) in new[] { ("core", limit, remaining), ("search", 30, 30), ("graphql", limit, limit) })
                {
                    w.WritePropertyName(name);
                    WriteRate(w, l, rem, reset, name);
                }

                w.WriteEndObject();
                w.WritePropertyName("rate");
                WriteRate(w, limit, remaining, reset, "core");
                w.WriteEndObject();
            });
        });
    }

    private static void WriteRate(System.Text.Json.Utf8JsonWriter w, int limit, int remaining, long reset, string resource)
    {
        w.WriteStartObject();
        w.WriteNumber("limit", limit);
        w.WriteNumber("remaining", remaining);
        w.WriteNumber("used", limit - remaining);
        w.WriteNumber("reset", reset);
        w.WriteString("resource", resource);
        w.WriteEndObject();
    }
}
