using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>
/// POST /repos/{o}/{r}/pulls, with GitHub's two refusals Backstroke relies on, decided from the commit graph:
/// an open pull request for the same head and base, and a head the base already contains.
/// </summary>
internal static class PullCreate
{
    private const string Docs = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request";

    public static void MapPullCreate(this IEndpointRouteBuilder app)
    {
        app.MapPost("/repos/{owner}/{repo}/pulls", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "read", write: true);
            var user = RepoAccess.RequireUser(ctx);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var title = body.Str("title");
            var head = body.Str("head");
            var baseRef = body.Str("base");
            foreach (var (field, value) in new[] { ("title", title), ("head", head), ("base", baseRef) })
            {
                if (string.IsNullOrEmpty(value))
                {
                    return Gh.Validation("PullRequest", "missing_field", field, docs: Docs);
                }
            }

            var state = ctx.State();
            lock (state.Gate)
            {
                var colon = head!.IndexOf(':', StringComparison.Ordinal);
                var headOwner = colon > 0 ? head[..colon] : r.Owner.Login;
                var headRef = colon > 0 ? head[(colon + 1)..] : head;
                // "owner:branch" names the owner's repository in the network. When the head's owner also owns the base,
                // that is the base repository itself, so a fork owned by the upstream's owner (org/proj-fork of
                // org/proj) can only be named through head_repo: the OpenAPI text of this operation says head_repo "is
                // required for cross-repository pull requests if both repositories are owned by the same
                // organization".
                var headRepo = body.Str("head_repo") is { } hr && hr.Split('/') is [var ho, var hn]
                    ? state.FindRepo(ho, hn)
                    : state.FindInNetwork(r, headOwner);
                if (headRepo is null || headRepo.Root != r.Root || state.PermissionOf(headRepo, ctx.Caller().Grant) is null
                    || !headRepo.Branches.TryGetValue(headRef, out var headSha))
                {
                    return Gh.Validation("PullRequest", "invalid", "head", docs: Docs);
                }

                if (!r.Branches.TryGetValue(baseRef!, out var baseSha))
                {
                    return Gh.Validation("PullRequest", "invalid", "base", docs: Docs);
                }

                if (state.FindOpenPull(r, baseRef!, headRepo, headRef) is not null)
                {
                    return Gh.Validation("PullRequest", "custom", message: $"A pull request already exists for {headRepo.Owner.Login}:{headRef}.", docs: Docs);
                }

                // Unrelated histories cannot be proposed (mislav/hub issue 2322: "The {branch} branch has no history in
                // common with master").
                if (state.Graph.MergeBase(headSha, baseSha) is null)
                {
                    return Gh.Validation("PullRequest", "custom", message: $"The {head} branch has no history in common with {baseRef}", docs: Docs);
                }

                if (state.Graph.IsAncestor(headSha, baseSha))
                {
                    return Gh.Validation("PullRequest", "custom", message: $"No commits between {baseRef} and {head}", docs: Docs);
                }

                var issue = state.CreatePull(r, baseRef!, headRepo, headRef, user, title!, body.Str("body"),
                    body.Bool("maintainer_can_modify") ?? true, body.Bool("draft") ?? false);
                var bytes = JsonOut.Write(w => PullJson.Write(w, issue, state.Graph, ctx.BaseUrl(), full: true));
                return Gh.Json(201, bytes, location: $"{ctx.BaseUrl()}repos/{r.FullName}/pulls/{issue.Number}");
            }
        });
    }
}
