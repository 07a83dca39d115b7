using System.Globalization;
using System.Text.Json;
using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>
/// The REST "Apps" and "Installations" endpoints a GitHub App uses: GET /app, /app/installations,
/// /app/installations/{id} and /repos/{o}/{r}/installation and POST /app/installations/{id}/access_tokens with its
/// JWT; GET /installation/repositories with an installation token. Which credential reaches which is decided in
/// <see cref="AppAccess.Refusal"/> before these run.
/// </summary>
internal static class AppEndpoints
{
    private const string Docs = "https://docs.github.com/rest/apps/apps";

    public static void MapApps(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app", (HttpContext ctx) =>
        {
            var me = ctx.Caller().App!;
            var state = ctx.State();
            lock (state.Gate)
            {
                return Gh.Json(200, w => AppJson.WriteApp(w, me, ctx.BaseUrl(), me.Installations.Count(i => !i.Deleted)));
            }
        });

        app.MapGet("/app/installations", (HttpContext ctx) =>
        {
            var me = ctx.Caller().App!;
            var state = ctx.State();
            lock (state.Gate)
            {
                var page = Paging.Slice(me.Installations.Where(i => !i.Deleted).ToList(), ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var i in page)
                    {
                        AppJson.WriteInstallation(w, i, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapGet("/app/installations/{id}", (HttpContext ctx, string id) =>
        {
            var installation = Own(ctx, id);
            lock (ctx.State().Gate)
            {
                return Gh.Json(200, w => AppJson.WriteInstallation(w, installation, ctx.BaseUrl()));
            }
        });

        app.MapGet("/repos/{owner}/{repo}/installation", (HttpContext ctx, string owner, string repo) =>
        {
            var me = ctx.Caller().App!;
            var state = ctx.State();
            lock (state.Gate)
            {
                var r = state.FindRepo(owner, repo);
                var installation = r is null ? null : me.Installations.FirstOrDefault(i => i.Covers(r));
                return installation is null
                    ? Gh.NotFound(Docs + "#get-a-repository-installation-for-the-authenticated-app")
                    : Gh.Json(200, w => AppJson.WriteInstallation(w, installation, ctx.BaseUrl()));
            }
        });

        app.MapPost("/app/installations/{id}/access_tokens", async (HttpContext ctx, string id) =>
        {
            var installation = Own(ctx, id);
            var body = ctx.Request.ContentLength > 0 ? await RequestBody.JsonAsync(ctx.Request) : default;
            var names = body.Strings("repositories");
            var ids = Longs(body, "repository_ids");
            if (names.Count + ids.Count > 500)
            {
                return Gh.Validation("Installation", "invalid", "repositories", "A token can be scoped to at most 500 repositories.", Docs);
            }

            var permissions = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("permissions", out var p) && p.ValueKind == JsonValueKind.Object
                ? p.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.String).ToDictionary(x => x.Name, x => x.Value.GetString()!, StringComparer.Ordinal)
                : null;
            var state = ctx.State();
            try
            {
                var token = state.Apps.IssueToken(installation, names, ids, permissions);
                lock (state.Gate)
                {
                    var repos = token.Repositories is { } chosen ? chosen.Select(state.FindRepo).OfType<Repo>().ToList() : null;
                    return Gh.Json(201, w => AppJson.WriteToken(w, token, repos, ctx.BaseUrl()));
                }
            }
            catch (FakeGitHubException ex) when (ex.Status == 422)
            {
                return Gh.Error(422, ex.Message, Docs + "#create-an-installation-access-token-for-an-app");
            }
        });

        app.MapGet("/installation/repositories", (HttpContext ctx) =>
        {
            var token = ctx.Caller().Grant!.Installation!;
            var state = ctx.State();
            lock (state.Gate)
            {
                var all = state.Apps.RepositoriesOf(token.Installation).Where(token.Covers).ToList();
                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("total_count", all.Count);
                    w.WriteString("repository_selection", token.Repositories is null ? token.Installation.Selection : "selected");
                    w.WriteStartArray("repositories");
                    foreach (var r in page)
                    {
                        RepoJson.Write(w, r, ctx.BaseUrl(), state.PermissionOf(r, ctx.Caller().Grant));
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }, link);
            }
        });
    }

    /// <summary>One of the calling App's installations; another App's is a 404, as an unknown one is.</summary>
    private static Installation Own(HttpContext ctx, string id)
    {
        var me = ctx.Caller().App!;
        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && ctx.State().Apps.FindInstallation(n) is { } i && i.App == me
            ? i
            : throw new FakeGitHubException(404, "Not Found");
    }

    private static List<long> Longs(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out _)).Select(x => x.GetInt64())]
            : [];
}
