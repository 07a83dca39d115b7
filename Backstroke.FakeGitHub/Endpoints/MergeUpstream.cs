using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>
/// POST /repos/{o}/{r}/merge-upstream: pairs the fork's branch with the parent's branch of the same name and
/// answers none, fast-forward or merge from the graph; 409 when the repository is set to conflict.
/// </summary>
internal static class MergeUpstream
{
    private const string Docs = "https://docs.github.com/rest/branches/branches#sync-a-fork-branch-with-the-upstream-repository";

    public static void MapMergeUpstream(this IEndpointRouteBuilder app)
    {
        app.MapPost("/repos/{owner}/{repo}/merge-upstream", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "write", write: true);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var branch = body.Str("branch");
            if (string.IsNullOrEmpty(branch))
            {
                return Gh.Validation("Repository", "missing_field", "branch", docs: Docs);
            }

            var state = ctx.State();
            lock (state.Gate)
            {
                if (r.Parent is not { } parent || !parent.Branches.TryGetValue(branch, out var upstream) || !r.Branches.TryGetValue(branch, out var mine))
                {
                    return Gh.Error(422, "Branch not found or repository is not a fork.", Docs);
                }

                var baseBranch = parent.Owner.Login + ":" + branch;
                if (state.Graph.IsAncestor(upstream, mine))
                {
                    return Answer($"This branch is not behind the upstream {baseBranch}.", "none", baseBranch);
                }

                // The same refusal as a ref update, in words (cli/cli issues 7574 and 7612); an App's names its
                // workflows permission instead, as git pushes with installation tokens are told.
                if (!ctx.Caller().Grant!.Scopes.Contains("workflow") && state.Graph.WorkflowChange(upstream, mine) is { } workflow)
                {
                    return Gh.Error(422, ctx.Caller().Grant!.Installation is null
                        ? $"refusing to allow an OAuth App to create or update workflow `{workflow}` without `workflow` scope"
                        : $"refusing to allow a GitHub App to create or update workflow `{workflow}` without `workflows` permission", Docs);
                }

                if (state.Graph.IsAncestor(mine, upstream))
                {
                    state.MoveBranch(r, branch, upstream, ctx.Caller().Account!, forced: false);
                    return Answer($"Successfully fetched and fast-forwarded from upstream {baseBranch}.", "fast-forward", baseBranch);
                }

                if (r.MergeConflicts)
                {
                    return Gh.Error(409, "There are merge conflicts", Docs);
                }

                var merge = state.Graph.Add([mine, upstream], $"Merge branch '{branch}' of {parent.FullName}", state.Now, ctx.Caller().Account!.Login);
                state.MoveBranch(r, branch, merge, ctx.Caller().Account!, forced: false);
                return Answer($"Successfully fetched and merged from upstream {baseBranch}.", "merge", baseBranch);
            }
        });
    }

    private static IResult Answer(string message, string type, string baseBranch) => Gh.Json(200, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteString("merge_type", type);
        w.WriteString("base_branch", baseBranch);
        w.WriteEndObject();
    });
}
