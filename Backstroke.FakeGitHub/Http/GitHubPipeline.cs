using System.Globalization;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Http;

/// <summary>
/// What every GitHub answer goes through: latency and faults, token check, primary rate limit and its headers,
/// X-OAuth-Scopes, and the request log. The control API (/_fake/) bypasses all of it.
/// </summary>
internal sealed class GitHubPipeline(RequestDelegate next, FakeGitHubState state)
{
    private const string RateDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/_fake", StringComparison.Ordinal))
        {
            await next(ctx);
            return;
        }

        var body = await RequestBody.ReadForLogAsync(ctx.Request);
        var token = ctx.Request.BearerToken();
        var counted = false;
        try
        {
            counted = await AnswerAsync(ctx, path, token);
        }
        catch (FakeGitHubException ex)
        {
            await Gh.Error(ex.Status, ex.Message).ExecuteAsync(ctx);
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
        if (state.LatencyMs > 0)
        {
            await Task.Delay(state.LatencyMs, ctx.RequestAborted);
        }

        var fault = state.Faults.Match(ctx.Request.Method, path);
        if (fault is { DelayMs: > 0 })
        {
            await Task.Delay(fault.DelayMs, ctx.RequestAborted);
        }

        // The OAuth web flow lives on github.com, which has no API rate limit.
        if (path.StartsWith("/login/oauth/", StringComparison.Ordinal))
        {
            await (fault is { Status: > 0 } ? Gh.Error(fault.Status, fault.Message ?? "Server Error").ExecuteAsync(ctx) : next(ctx));
            return false;
        }

        var grant = token is null ? null : state.FindToken(token);
        var key = grant?.Token ?? "ip:" + ctx.Connection.RemoteIpAddress;
        if (token is not null && grant is null)
        {
            await Gh.Error(401, "Bad credentials").ExecuteAsync(ctx);
            return false;
        }

        var account = grant is null ? null : state.FindAccount(grant.Login);
        ctx.SetCaller(new Caller(grant, account));
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
                var who = account is null ? $"{ctx.Connection.RemoteIpAddress}." : $"user ID {account.Id}.";
                await Gh.Error(403, "API rate limit exceeded for " + who, RateDocs).ExecuteAsync(ctx);
                return false;
            }
        }

        await next(ctx);
        return charged;
    }

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
        if (grant is not null)
        {
            h["x-oauth-scopes"] = string.Join(", ", grant.Scopes);
            h["x-accepted-oauth-scopes"] = "repo";
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
