using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Git references (branches only): get, list, create, update (fast-forward unless forced), delete.</summary>
internal static class GitRefs
{
    private const string Docs = "https://docs.github.com/rest/git/refs";

    public static void MapGitRefs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/git/ref/{**reference}", (HttpContext ctx, string owner, string repo, string reference) =>
            List(ctx, owner, repo, reference, exactOnly: true));

        app.MapGet("/repos/{owner}/{repo}/git/refs/{**reference}", (HttpContext ctx, string owner, string repo, string? reference) =>
            List(ctx, owner, repo, reference ?? "", exactOnly: false));

        app.MapPost("/repos/{owner}/{repo}/git/refs", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "write", write: true);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var name = body.Str("ref");
            var state = ctx.State();
            lock (state.Gate)
            {
                if (name is null || !name.StartsWith("refs/heads/", StringComparison.Ordinal) || name.Length <= 11)
                {
                    return Gh.Error(422, "Reference name is invalid", Docs + "#create-a-reference");
                }

                var branch = name[11..];
                if (r.Branches.ContainsKey(branch))
                {
                    return Gh.Error(422, "Reference already exists", Docs + "#create-a-reference");
                }

                if (body.Str("sha") is not { } sha || !state.Graph.TryFind(sha, out var commit))
                {
                    return Gh.Error(422, "Object does not exist", Docs + "#create-a-reference");
                }

                state.MoveBranch(r, branch, commit, ctx.Caller().Account!, forced: false);
                var bytes = JsonOut.Write(w => BranchJson.WriteRef(w, branch, state.Graph[commit].Sha, r, ctx.BaseUrl()));
                return Gh.Json(201, bytes, location: $"{ctx.BaseUrl()}repos/{r.FullName}/git/refs/heads/{branch}");
            }
        });

        app.MapPatch("/repos/{owner}/{repo}/git/refs/{**reference}", async (HttpContext ctx, string owner, string repo, string reference) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "write", write: true);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var state = ctx.State();
            var branch = BranchOf(reference);
            lock (state.Gate)
            {
                if (branch is null || !r.Branches.TryGetValue(branch, out var current))
                {
                    return Gh.Error(422, "Reference does not exist", Docs + "#update-a-reference");
                }

                if (body.Str("sha") is not { } sha || !state.Graph.TryFind(sha, out var target))
                {
                    return Gh.Error(422, "Object does not exist", Docs + "#update-a-reference");
                }

                var force = body.Bool("force") ?? false;
                if (!force && !state.Graph.IsAncestor(current, target))
                {
                    return Gh.Error(422, "Update is not a fast forward", Docs + "#update-a-reference");
                }

                // A token without the workflow scope may not bring in commits that touch .github/workflows/: the ref
                // update answers an opaque 404 (cli/cli issues 7574 and 7612). The contract lists no 404 for this
                // operation; GitHub sends one all the same.
                if (!ctx.Caller().Grant!.Scopes.Contains("workflow") && state.Graph.WorkflowChange(target, current) is not null)
                {
                    return Gh.NotFound(Docs + "#update-a-reference");
                }

                state.MoveBranch(r, branch, target, ctx.Caller().Account!, forced: force && !state.Graph.IsAncestor(current, target));
                return Gh.Json(200, w => BranchJson.WriteRef(w, branch, state.Graph[target].Sha, r, ctx.BaseUrl()));
            }
        });

        app.MapDelete("/repos/{owner}/{repo}/git/refs/{**reference}", (HttpContext ctx, string owner, string repo, string reference) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "write", write: true);
            var state = ctx.State();
            var branch = BranchOf(reference);
            lock (state.Gate)
            {
                if (branch is null || !r.Branches.ContainsKey(branch))
                {
                    return Gh.Error(422, "Reference does not exist", Docs + "#delete-a-reference");
                }

                state.MoveBranch(r, branch, null, ctx.Caller().Account!, forced: false);
                return Results.NoContent();
            }
        });
    }

    private static string? BranchOf(string reference)
    {
        var name = reference.StartsWith("refs/", StringComparison.Ordinal) ? reference[5..] : reference;
        return name.StartsWith("heads/", StringComparison.Ordinal) && name.Length > 6 ? name[6..] : null;
    }

    /// <summary>An exact ref answers one object; a prefix answers the matching refs as an array, as GitHub does.</summary>
    private static IResult List(HttpContext ctx, string owner, string repo, string reference, bool exactOnly)
    {
        var (r, _) = RepoAccess.Require(ctx, owner, repo);
        var state = ctx.State();
        var prefix = reference.TrimEnd('/');
        lock (state.Gate)
        {
            if (BranchOf(prefix) is { } exact && r.Branches.TryGetValue(exact, out var sha))
            {
                return Gh.Json(200, w => BranchJson.WriteRef(w, exact, state.Graph[sha].Sha, r, ctx.BaseUrl()));
            }

            var matches = r.Branches.Where(kv => ("heads/" + kv.Key).StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            if (exactOnly || matches.Count == 0)
            {
                return Gh.NotFound(Docs + "#get-a-reference");
            }

            return Gh.Json(200, w =>
            {
                w.WriteStartArray();
                foreach (var (name, s) in matches)
                {
                    BranchJson.WriteRef(w, name, state.Graph[s].Sha, r, ctx.BaseUrl());
                }

                w.WriteEndArray();
            });
        }
    }
}
