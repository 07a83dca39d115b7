using System.Text.Json;
using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Repository webhooks: list, create (answered with a ping delivery) and delete. Admin only.</summary>
internal static class Hooks
{
    private const string Docs = "https://docs.github.com/rest/repos/webhooks";

    public static void MapHooks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/hooks", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "admin", scope: ScopeNeed.Hooks);
            var state = ctx.State();
            lock (state.Gate)
            {
                var page = Paging.Slice(r.Hooks ?? [], ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var h in page)
                    {
                        HookJson.Write(w, h, r, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapPost("/repos/{owner}/{repo}/hooks", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "admin", write: true, scope: ScopeNeed.Hooks);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var config = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("config", out var c) ? c : default;
            if (config.Str("url") is not { Length: > 0 } url || !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                return Gh.Validation("Hook", "custom", message: "Config must contain url for webhook hook", docs: Docs + "#create-a-repository-webhook");
            }

            var state = ctx.State();
            lock (state.Gate)
            {
                if (r.Hooks?.Any(h => h.Url == url) == true)
                {
                    return Gh.Validation("Hook", "custom", message: "Hook already exists on this repository", docs: Docs + "#create-a-repository-webhook");
                }

                var events = body.Strings("events");
                var hook = state.AddHook(r, url, config.Str("secret"), events.Count == 0 ? ["push"] : [.. events], body.Bool("active") ?? true);
                // The REST default is form (docs: "Create a repository webhook", config.content_type "Default: form"):
                // a client that wants JSON must say so.
                hook.ContentType = config.Str("content_type") ?? "form";
                hook.InsecureSsl = config.Str("insecure_ssl") ?? "0";
                if (hook.Active)
                {
                    state.PushListener?.HookCreated(r, hook, ctx.Caller().Account!);
                }

                var bytes = JsonOut.Write(w => HookJson.Write(w, hook, r, ctx.BaseUrl()));
                return Gh.Json(201, bytes, location: $"{ctx.BaseUrl()}repos/{r.FullName}/hooks/{hook.Id}");
            }
        });

        app.MapDelete("/repos/{owner}/{repo}/hooks/{id:long}", (HttpContext ctx, string owner, string repo, long id) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "admin", write: true, scope: ScopeNeed.Hooks);
            lock (ctx.State().Gate)
            {
                return r.Hooks?.RemoveAll(h => h.Id == id) > 0 ? Results.NoContent() : Gh.NotFound(Docs + "#delete-a-repository-webhook");
            }
        });
    }
}
