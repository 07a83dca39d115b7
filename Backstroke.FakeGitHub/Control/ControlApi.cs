using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Control;

/// <summary>
/// The control API for tests, benchmarks and scripts: set up users and sessions, budgets, faults, latency, and
/// read the request log. Not logged and not rate-limited, so it never disturbs what a test counts. Every call is
/// described in Control/README.md.
/// </summary>
internal static class ControlApi
{
    public static void MapControlApi(this IEndpointRouteBuilder app)
    {
        var fake = app.MapGroup("/_fake").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (FakeGitHubException ex)
            {
                return Results.Json(new { error = ex.Message }, statusCode: ex.Status);
            }
        });

        fake.MapPost("/users", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var login = body.Str("login") ?? throw new FakeGitHubException(400, "login is required.");
            var scopes = body.Strings("scopes");
            var user = state.CreateUser(login, body.Str("token"), scopes.Count == 0 ? ["repo"] : scopes);
            return Results.Json(new { id = user.Id, login = user.Login }, statusCode: 201);
        });

        fake.MapPost("/orgs", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var org = state.EnsureAccount(body.Str("login") ?? throw new FakeGitHubException(400, "login is required."), organization: true);
            return Results.Json(new { id = org.Id, login = org.Login }, statusCode: 201);
        });

        fake.MapPut("/session", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var login = body.Str("login");
            state.SessionLogin = login is null ? null : state.FindAccount(login)?.Login ?? throw new FakeGitHubException(404, $"No user {login}.");
            return Results.NoContent();
        });

        fake.MapPost("/oauth-apps", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            state.OAuth.AddApp(body.Str("clientId") ?? throw new FakeGitHubException(400, "clientId is required."),
                body.Str("clientSecret") ?? throw new FakeGitHubException(400, "clientSecret is required."));
            return Results.NoContent();
        });

        fake.MapPut("/rate-limit", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var token = body.Str("token") ?? throw new FakeGitHubException(400, "token is required.");
            state.RateLimits.Set(state.BudgetKey(token), body.Int("limit"), body.Int("remaining"), body.Int("resetInSeconds"));
            return Results.NoContent();
        });

        fake.MapPut("/faults", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            state.Faults.Add(new FaultRule
            {
                Method = body.Str("method"),
                PathPattern = body.Str("pathPattern") ?? "*",
                Status = body.Int("status") ?? 0,
                Probability = body.Double("probability") ?? 1.0,
                DelayMs = body.Int("delayMs") ?? 0,
                Count = body.Int("count"),
                Message = body.Str("message"),
                RetryAfterSeconds = body.Int("retryAfterSeconds"),
            });
            return Results.NoContent();
        });
        fake.MapGet("/faults", (FakeGitHubState state) => Results.Json(state.Faults.Rules));
        fake.MapDelete("/faults", (FakeGitHubState state) =>
        {
            state.Faults.Clear();
            return Results.NoContent();
        });

        fake.MapPut("/latency", async (HttpContext ctx, FakeGitHubState state) =>
        {
            state.LatencyMs = Math.Max(0, (await RequestBody.JsonAsync(ctx.Request)).Int("delayMs") ?? 0);
            return Results.NoContent();
        });

        fake.MapPut("/secondary-limits", async (HttpContext ctx, FakeGitHubState state) =>
        {
            state.Secondary.Enabled = (await RequestBody.JsonAsync(ctx.Request)).Bool("enabled") ?? true;
            return Results.NoContent();
        });

        fake.MapPut("/time-scale", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var factor = (await RequestBody.JsonAsync(ctx.Request)).Double("factor") ?? 1;
            if (factor is < 1 or > 3600)
            {
                throw new FakeGitHubException(400, "factor must be between 1 and 3600.");
            }

            state.Secondary.Minute = TimeSpan.FromMinutes(1) / factor;
            state.Secondary.Hour = TimeSpan.FromHours(1) / factor;
            state.RateLimits.Window = TimeSpan.FromHours(1) / factor;
            return Results.NoContent();
        });

        fake.MapGet("/requests", (FakeGitHubState state) => Results.Json(state.Requests.Snapshot()));
        fake.MapDelete("/requests", (FakeGitHubState state) =>
        {
            state.Requests.Clear();
            return Results.NoContent();
        });
        fake.MapGet("/deliveries", (FakeGitHubState state) => Results.Json(state.Deliveries?.Snapshot() ?? []));

        fake.MapControlRepos();
        fake.MapControlApps();
    }
}
