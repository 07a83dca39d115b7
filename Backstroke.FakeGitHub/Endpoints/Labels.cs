using System.Text.RegularExpressions;
using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Repository labels: Backstroke's fork-all opt-in is the label "backstroke-sync" on the fork.</summary>
internal static partial class Labels
{
    private const string Docs = "https://docs.github.com/rest/issues/labels";

    public static void MapLabels(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/labels/{name}", (HttpContext ctx, string owner, string repo, string name) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                return state.FindLabel(r, name) is { } label
                    ? Gh.Json(200, w => IssueJson.WriteLabel(w, label, r, ctx.BaseUrl()))
                    : Gh.NotFound(Docs + "#get-a-label");
            }
        });

        app.MapGet("/repos/{owner}/{repo}/labels", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                var page = Paging.Slice((r.Labels?.Values ?? Enumerable.Empty<Model.Label>()).OrderBy(l => l.Id).ToList(), ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var l in page)
                    {
                        IssueJson.WriteLabel(w, l, r, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapPost("/repos/{owner}/{repo}/labels", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "write", write: true);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var name = body.Str("name");
            var color = (body.Str("color") ?? "ededed").TrimStart('#');
            if (string.IsNullOrWhiteSpace(name))
            {
                return Gh.Validation("Label", "missing_field", "name", docs: Docs + "#create-a-label");
            }

            if (!Color().IsMatch(color))
            {
                return Gh.Validation("Label", "invalid", "color", docs: Docs + "#create-a-label");
            }

            var state = ctx.State();
            lock (state.Gate)
            {
                if (state.FindLabel(r, name) is not null)
                {
                    return Gh.Validation("Label", "already_exists", "name", docs: Docs + "#create-a-label");
                }

                var label = state.CreateLabel(r, name, color.ToLowerInvariant(), body.Str("description") ?? "");
                var bytes = JsonOut.Write(w => IssueJson.WriteLabel(w, label, r, ctx.BaseUrl()));
                return Gh.Json(201, bytes, location: $"{ctx.BaseUrl()}repos/{r.FullName}/labels/{Uri.EscapeDataString(name)}");
            }
        });
    }

    [GeneratedRegex("^[0-9a-fA-F]{6}$")]
    private static partial Regex Color();
}
