using System.Globalization;
using System.Text.Json;
using Backstroke.FakeGitHub.Apps;
using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Control;

/// <summary>
/// Control API for GitHub Apps and the simulator's clock: register an App (the simulator makes its key pair), install
/// it, change an installation's repositories, suspend, unsuspend and uninstall it (each delivers the matching webhook
/// to the App), and move the clock forward. Every call is described in Control/README.md.
/// </summary>
internal static class ControlApps
{
    public static void MapControlApps(this RouteGroupBuilder fake)
    {
        fake.MapPost("/apps", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var slug = body.Str("slug") ?? throw new FakeGitHubException(400, "slug is required.");
            var (app, pem) = state.Apps.CreateApp(slug, body.Str("webhookUrl"), body.Str("webhookSecret"), Permissions(body), body.Str("owner"));
            return Results.Json(new { id = app.Id, clientId = app.ClientId, slug = app.Slug, privateKeyPem = pem }, statusCode: 201);
        });

        fake.MapPost("/apps/{appId}/installations", async (HttpContext ctx, FakeGitHubState state, string appId) =>
        {
            var app = long.TryParse(appId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? state.Apps.FindApp(id) : null;
            if (app is null)
            {
                throw new FakeGitHubException(404, $"No App {appId}.");
            }

            var body = await RequestBody.JsonAsync(ctx.Request);
            var account = body.Str("account") ?? throw new FakeGitHubException(400, "account is required.");
            var hasRepos = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("repositories", out var r) && r.ValueKind == JsonValueKind.Array;
            var installation = state.Apps.Install(app, account, hasRepos ? body.Strings("repositories") : null, Sender(state, body));
            return Results.Json(new { id = installation.Id, repositorySelection = installation.Selection }, statusCode: 201);
        });

        fake.MapPut("/apps/{appId}/permissions", async (HttpContext ctx, FakeGitHubState state, string appId) =>
        {
            var app = long.TryParse(appId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? state.Apps.FindApp(id) : null;
            state.Apps.ChangePermissions(app ?? throw new FakeGitHubException(404, $"No App {appId}."), Permissions(await RequestBody.JsonAsync(ctx.Request)));
            return Results.NoContent();
        });

        var installation = fake.MapGroup("/installations/{id}");
        installation.MapPost("/accept-permissions", async (HttpContext ctx, FakeGitHubState state, string id) =>
        {
            state.Apps.AcceptPermissions(Find(state, id), Sender(state, await OptionalBody(ctx)));
            return Results.NoContent();
        });

        installation.MapPost("/repositories", async (HttpContext ctx, FakeGitHubState state, string id) =>
        {
            var i = Find(state, id);
            var body = await RequestBody.JsonAsync(ctx.Request);
            state.Apps.ChangeRepositories(i, body.Strings("add"), body.Strings("remove"), Sender(state, body));
            return Results.Json(new { repositorySelection = i.Selection, repositories = state.Apps.RepositoriesOf(i).Select(x => x.FullName) });
        });

        installation.MapPost("/suspend", async (HttpContext ctx, FakeGitHubState state, string id) =>
        {
            state.Apps.Suspend(Find(state, id), suspended: true, Sender(state, await OptionalBody(ctx)));
            return Results.NoContent();
        });

        installation.MapPost("/unsuspend", async (HttpContext ctx, FakeGitHubState state, string id) =>
        {
            state.Apps.Suspend(Find(state, id), suspended: false, Sender(state, await OptionalBody(ctx)));
            return Results.NoContent();
        });

        installation.MapDelete("", async (HttpContext ctx, FakeGitHubState state, string id) =>
        {
            state.Apps.Delete(Find(state, id), Sender(state, await OptionalBody(ctx)));
            return Results.NoContent();
        });

        fake.MapPost("/clock", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var seconds = body.Double("advanceSeconds") ?? throw new FakeGitHubException(400, "advanceSeconds is required.");
            Clock(state).Advance(TimeSpan.FromSeconds(seconds));
            return Results.Json(new { now = state.Now });
        });
        fake.MapGet("/clock", (FakeGitHubState state) => Results.Json(new { now = state.Now }));
    }

    public static SimulatorClock Clock(FakeGitHubState state) =>
        state.Time as SimulatorClock ?? throw new FakeGitHubException(409, "This simulator's clock cannot be moved.");

    private static Installation Find(FakeGitHubState state, string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && state.Apps.FindInstallation(n) is { } i
            ? i
            : throw new FakeGitHubException(404, $"No installation {id}.");

    /// <summary>Who acted ("sender"): an existing account, or by default the installation's account.</summary>
    private static Account? Sender(FakeGitHubState state, JsonElement body) =>
        body.Str("sender") is { } login ? state.FindAccount(login) ?? throw new FakeGitHubException(404, $"No account {login}.") : null;

    private static async Task<JsonElement> OptionalBody(HttpContext ctx) =>
        ctx.Request.ContentLength > 0 ? await RequestBody.JsonAsync(ctx.Request) : default;

    /// <summary>The permissions object: each "read" or "write" ("admin" for the few that have it).</summary>
    private static Dictionary<string, string> Permissions(JsonElement body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("permissions", out var p))
        {
            return result;
        }

        if (p.ValueKind != JsonValueKind.Object)
        {
            throw new FakeGitHubException(400, "permissions must be an object such as {\"contents\": \"write\"}.");
        }

        foreach (var x in p.EnumerateObject())
        {
            result[x.Name] = x.Value.GetString() is "read" or "write" or "admin" ? x.Value.GetString()!
                : throw new FakeGitHubException(400, $"The permission {x.Name} must be read, write or admin.");
        }

        return result;
    }
}
