using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>compare BASE...HEAD, where either side may be "owner:branch" (or "owner:repo:branch") of the fork network.</summary>
internal static class Compare
{
    private const string Docs = "https://docs.github.com/rest/commits/commits#compare-two-commits";

    public static void MapCompare(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/compare/{**basehead}", (HttpContext ctx, string owner, string repo, string basehead) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            var dots = basehead.IndexOf("...", StringComparison.Ordinal);
            if (dots <= 0)
            {
                return Gh.NotFound(Docs);
            }

            lock (state.Gate)
            {
                var baseSide = basehead[..dots];
                var headSide = basehead[(dots + 3)..];
                var baseSha = ResolveSide(ctx, state, r, baseSide);
                var headSha = ResolveSide(ctx, state, r, headSide);
                if (baseSha is null || headSha is null)
                {
                    return Gh.NotFound(Docs);
                }

                // Unrelated histories: 404 with this message (fork-cleaner issue 31: "No common ancestor between
                // master and bep:master."; wei/pull's hasDiff matches it).
                if (state.Graph.MergeBase(baseSha.Value, headSha.Value) is null)
                {
                    return Gh.Error(404, $"No common ancestor between {baseSide} and {headSide}.", Docs);
                }

                // A range too big to diff in time (github-changelog-generator issue 920); the repository's SlowDiff
                // switch stands for "too big", since GitHub documents no threshold.
                if (r.SlowDiff)
                {
                    return Gh.Json(500, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("message", "Sorry, this diff is taking too long to generate.");
                        w.WriteStartArray("errors");
                        w.WriteStartObject();
                        w.WriteString("resource", "Comparison");
                        w.WriteString("field", "diff");
                        w.WriteString("code", "not_available");
                        w.WriteEndObject();
                        w.WriteEndArray();
                        w.WriteString("documentation_url", Docs);
                        w.WriteString("status", "500");
                        w.WriteEndObject();
                    });
                }

                return Gh.Json(200, w => CommitJson.WriteComparison(w, state.Graph, r, ctx.BaseUrl(), basehead, baseSha.Value, headSha.Value));
            }
        });
    }

    /// <summary>Resolves "ref", "owner:ref" or "owner:repo:ref" to a commit, staying inside the fork network.</summary>
    public static int? ResolveSide(HttpContext ctx, FakeGitHubState state, Repo repo, string side)
    {
        var parts = side.Split(':', 3);
        Repo? target = parts.Length switch
        {
            1 => repo,
            2 => state.FindInNetwork(repo, parts[0]),
            _ => state.FindRepo(parts[0], parts[1]) is { } other && other.Root == repo.Root ? other : null,
        };
        if (target is null || state.PermissionOf(target, ctx.Caller().Grant) is null)
        {
            return null;
        }

        return state.ResolveRef(target, parts[^1]);
    }
}
