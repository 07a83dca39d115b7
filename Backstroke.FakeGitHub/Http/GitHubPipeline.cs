using System.Globalization;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Http;

/// <summary>
/// What every GitHub answer goes through: latency and faults, token check, primary rate limit and its headers,
/// X-OAuth-Scopes, and the request log. The control API (/_fake/) bypasses all of it.
/// </summary>
internal sealed partial class GitHubPipeline(RequestDelegate next, FakeGitHubState state)
{
    private const string RateDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
    private const string SecondaryMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ";

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/_fake", StringComparison.Ordinal))
        {
            await next(ctx);
            return;
        }

        state.Requests.Begin();
        var counted = false;
        string? body = null;
        string? token = null;
        try
        {
            body = await RequestBody.ReadForLogAsync(ctx.Request);
            token = ctx.Request.BearerToken();
            counted = await AnswerAsync(ctx, path, token);
        }
        catch (FakeGitHubException ex)
        {
            await (ex.Answer ?? Gh.Error(ex.Status, ex.Message)).ExecuteAsync(ctx);
        }
        finally
        {
            var finalCounted = counted && ctx.Response.StatusCode != 304;
            state.Requests.Add(new RequestLogEntry(ctx.Request.Method, path, ctx.Request.QueryString.Value ?? "",
                ctx.Response.StatusCode, token, finalCounted, body, state.Now,
                ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? ""));
        }
    }

    /// <returns>Whether the request was charged to a budget.</returns>
    private async Task<bool> AnswerAsync(HttpContext ctx, string path, string? token)
    {
        var fault = state.Faults.Match(ctx.Request.Method, path);

        // The OAuth web flow lives on github.com, which has no API rate limit.
        if (path.StartsWith("/login/oauth/", StringComparison.Ordinal))
        {
            await DelayAsync(ctx, fault);
            await (fault is { Status: > 0 } ? Gh.Error(fault.Status, fault.Message ?? "Server Error").ExecuteAsync(ctx) : next(ctx));
            return false;
        }

        var grant = token is null ? null : state.FindToken(token) ?? state.Apps.FindToken(token);
        Apps.AppRegistration? app = null;
        string? jwtRefusal = "Bad credentials";
        if (token is not null && grant is null && Apps.AppJwt.LooksLike(token))
        {
            app = Apps.AppJwt.Verify(state.Apps, token, state.Now, out jwtRefusal);
        }

        var key = app is not null ? "app:" + app.Id : grant is null ? "ip:" + ctx.Connection.RemoteIpAddress : FakeGitHubState.BudgetKey(grant);
        if (token is not null && grant is null && app is null)
        {
            await DelayAsync(ctx, fault);
            await Gh.Error(401, jwtRefusal!).ExecuteAsync(ctx);
            return false;
        }

        var account = grant is null ? null : state.FindAccount(grant.Login);
        var caller = new Caller(grant, account, app);
        ctx.SetCaller(caller);
        var charged = path != "/rate_limit";
        ctx.Response.OnStarting(() =>
        {
            // The refund happens here, before the headers are written, so a 304 shows the budget it left alone.
            if (charged && ctx.Response.StatusCode == 304)
            {
                state.RateLimits.Refund(key);
                charged = false;
            }

            WriteHeaders(ctx, key, grant);
            return Task.CompletedTask;
        });

        // Secondary limits are decided on arrival; a request stays "in flight" for all of its latency.
        var limited = path != "/rate_limit";
        var method = ctx.Request.Method;
        if (limited && state.Secondary.Enter(key, !IsRead(method), IsContentCreating(method, path)) is { } refusal)
        {
            charged = false;
            if (refusal.RetryAfterSeconds is { } wait)
            {
                ctx.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            }

            await Gh.Error(refusal.Status, SecondaryMessage + ctx.TraceIdentifier + ".", RateDocs + "#about-secondary-rate-limits").ExecuteAsync(ctx);
            return false;
        }

        try
        {
            await DelayAsync(ctx, fault);

            // A fault answers before the handler, so a scripted 5xx never changes state and costs no budget.
            if (fault is { Status: > 0 })
            {
                if (fault.RetryAfterSeconds is { } retry)
                {
                    ctx.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                }

                charged = false;
                await Gh.Error(fault.Status, fault.Message ?? DefaultMessage(fault.Status)).ExecuteAsync(ctx);
                return false;
            }

            if (charged)
            {
                state.RateLimits.Charge(key, 1, out var allowed);
                if (!allowed)
                {
                    charged = false;
                    var who = grant?.Installation is { } installationToken ? $"installation ID {installationToken.Installation.Id}."
                        : account is null ? $"{ctx.Connection.RemoteIpAddress}." : $"user ID {account.Id}.";
                    await Gh.Error(403, "API rate limit exceeded for " + who, RateDocs).ExecuteAsync(ctx);
                    return false;
                }
            }

            // Suspended installations and credentials an endpoint does not take are refused before it runs.
            var refused = grant?.Installation is { Installation.SuspendedAt: not null }
                ? new FakeGitHubException(403, Apps.AppRegistry.Suspended)
                : Apps.AppAccess.Refusal(path, caller);
            if (refused is not null)
            {
                await Gh.Error(refused.Status, refused.Message).ExecuteAsync(ctx);
                return charged;
            }

            await next(ctx);
            return charged;
        }
        finally
        {
            if (limited)
            {
                state.Secondary.Leave(key);
            }
        }
    }

    private async Task DelayAsync(HttpContext ctx, FaultRule? fault)
    {
        if (state.LatencyMs > 0)
        {
            await Task.Delay(state.LatencyMs, ctx.RequestAborted);
        }

        if (fault is { DelayMs: > 0 })
        {
            await Task.Delay(fault.DelayMs, ctx.RequestAborted);
        }
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>
    /// What counts against the content-creation limit: requests that create something other people see (pull
    /// requests, issues, comments, forks). GitHub does not list them; these are the ones its docs and community
    /// answers name ("creating issues, comments, pull requests").
    /// </summary>
    private static bool IsContentCreating(string method, string path) => HttpMethods.IsPost(method) && ContentPath().IsMatch(path);

    [System.Text.RegularExpressions.GeneratedRegex(@"^/(repos/[^/]+/[^/]+|repositories/\d+)/(pulls|issues|issues/\d+/comments|forks)$")]
    private static partial System.Text.RegularExpressions.Regex ContentPath();

    private void WriteHeaders(HttpContext ctx, string key, TokenGrant? grant)
    {
        var (limit, remaining, reset) = state.RateLimits.Peek(key);

        var h = ctx.Response.Headers;
        h["x-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        h["x-ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        h["x-ratelimit-used"] = (limit - remaining).ToString(CultureInfo.InvariantCulture);
        h["x-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
        h["x-ratelimit-resource"] = "core";
        h["x-github-media-type"] = "github.v3; format=json";
        h["x-github-request-id"] = ctx.TraceIdentifier;
        // Installation tokens have permissions, not OAuth scopes, and GitHub sends them no X-OAuth-Scopes.
        if (grant is { Installation: null })
        {
            h["x-oauth-scopes"] = string.Join(", ", grant.Scopes);
            if (!h.ContainsKey("x-accepted-oauth-scopes"))
            {
                h["x-accepted-oauth-scopes"] = "repo";
            }
        }
    }

    private static string DefaultMessage(int status) => status switch
    {
        403 => "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Validation Failed",
        429 => "Too Many Requests",
        >= 500 => "Server Error",
        _ => "Error",
    };
}
