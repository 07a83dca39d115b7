using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>
/// Serves a recorded real GitHub session (recorded-sessions/*.json) on 127.0.0.1: each request gets the first
/// unused recorded answer with the same method, path and page. github.com addresses are rewritten to this
/// server so a client follows redirects and Link headers here, as it did against GitHub.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private static readonly string[] KeptHeaders = ["content-type", "link", "location", "etag", "x-oauth-scopes", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-resource"];
    private readonly WebApplication _app;
    private readonly List<JsonObject> _entries;
    private readonly HashSet<int> _used = [];

    private ReplayServer(WebApplication app, List<JsonObject> entries)
    {
        _app = app;
        _entries = entries;
    }

    public Uri BaseUrl => new(_app.Urls.First() + "/");

    public int Answered => _used.Count;

    public static async Task<ReplayServer> StartAsync(string sessionFile)
    {
        var entries = JsonNode.Parse(await File.ReadAllTextAsync(sessionFile))!.AsArray().Select(n => n!.AsObject()).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new ReplayServer(builder.Build(), entries);
        server._app.Run(server.AnswerAsync);
        await server._app.StartAsync();
        return server;
    }

    private async Task AnswerAsync(HttpContext ctx)
    {
        var page = ctx.Request.Query["page"].ToString() is { Length: > 0 } p ? p : "1";
        var path = ctx.Request.Path.Value!.TrimEnd('/');
        int index;
        lock (_used)
        {
            index = _entries.FindIndex(e => !_used.Contains(_entries.IndexOf(e))
                && string.Equals(e["method"]!.GetValue<string>(), ctx.Request.Method, StringComparison.OrdinalIgnoreCase)
                && Split(e["path"]!.GetValue<string>()) is var (recordedPath, recordedPage)
                && recordedPath.TrimEnd('/') == path && recordedPage == page);
            if (index >= 0)
            {
                _used.Add(index);
            }
        }

        if (index < 0)
        {
            ctx.Response.StatusCode = 501;
            await ctx.Response.WriteAsync($"Nothing recorded for {ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
            return;
        }

        var entry = _entries[index];
        var self = _app.Urls.First();
        ctx.Response.StatusCode = entry["status"]!.GetValue<int>();
        foreach (var (name, value) in entry["headers"]!.AsObject())
        {
            if (KeptHeaders.Contains(name) && value is not null)
            {
                ctx.Response.Headers[name] = value.ToString().Replace("https://api.github.com", self, StringComparison.Ordinal);
            }
        }

        // The recording normalised the reset to milliseconds; clients expect epoch seconds.
        ctx.Response.Headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (entry["response"] is JsonNode body && !(body is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0))
        {
            await ctx.Response.WriteAsync(body.ToJsonString().Replace("https://api.github.com", self, StringComparison.Ordinal));
        }
    }

    private static (string Path, string Page) Split(string recorded)
    {
        var q = recorded.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return (recorded, "1");
        }

        var page = recorded[(q + 1)..].Split('&').Select(kv => kv.Split('=')).FirstOrDefault(kv => kv[0] == "page")?[1] ?? "1";
        return (recorded[..q], page);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
