using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Control;

/// <summary>
/// Control API for repositories: create (or fork), commit, orphan, delete, rename, transfer, archive, block, issues
/// on or off, slow diffs, collaborators, labels, issues. Every call is described in Control/README.md.
/// </summary>
internal static class ControlRepos
{
    public static void MapControlRepos(this RouteGroupBuilder fake)
    {
        fake.MapPost("/repos", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var repo = state.CreateRepo(
                body.Str("owner") ?? throw new FakeGitHubException(400, "owner is required."),
                body.Str("name") ?? throw new FakeGitHubException(400, "name is required."),
                body.Bool("private") ?? false, body.Str("defaultBranch"), body.Str("forkOf"));
            return Results.Json(new { id = repo.Id, fullName = repo.FullName, defaultBranch = repo.DefaultBranch }, statusCode: 201);
        });

        var repo = fake.MapGroup("/repos/{owner}/{repo}");
        repo.MapPost("/commits", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var r = Find(state, owner, repo);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var sha = state.Commit(r, body.Str("branch") ?? r.DefaultBranch, body.Str("message") ?? "Change", body.Str("author"), body.Strings("paths"));
            return Results.Json(new { sha }, statusCode: 201);
        });

        repo.MapPost("/orphan", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var r = Find(state, owner, repo);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var sha = state.Orphan(r, body.Str("branch") ?? r.DefaultBranch, body.Str("message") ?? "Unrelated history");
            return Results.Json(new { sha }, statusCode: 201);
        });

        repo.MapPost("/block", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var status = (await RequestBody.JsonAsync(ctx.Request)).Int("status") ?? 451;
            if (status is not (451 or 403))
            {
                throw new FakeGitHubException(400, "status must be 451 (DMCA takedown) or 403 (disabled).");
            }

            SetUnderLock(state, owner, repo, r => r.BlockStatus = status);
            return Results.NoContent();
        });

        repo.MapDelete("/block", (FakeGitHubState state, string owner, string repo) =>
        {
            SetUnderLock(state, owner, repo, r => r.BlockStatus = null);
            return Results.NoContent();
        });

        repo.MapPut("/issues-enabled", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var enabled = (await RequestBody.JsonAsync(ctx.Request)).Bool("enabled") ?? throw new FakeGitHubException(400, "enabled (true or false) is required.");
            SetUnderLock(state, owner, repo, r => r.HasIssues = enabled);
            return Results.NoContent();
        });

        repo.MapPut("/slow-diff", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var enabled = (await RequestBody.JsonAsync(ctx.Request)).Bool("enabled") ?? true;
            SetUnderLock(state, owner, repo, r => r.SlowDiff = enabled);
            return Results.NoContent();
        });

        repo.MapPost("/transfer", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var newOwner = (await RequestBody.JsonAsync(ctx.Request)).Str("newOwner") ?? throw new FakeGitHubException(400, "newOwner is required.");
            state.TransferRepo(Find(state, owner, repo), newOwner);
            return Results.NoContent();
        });

        repo.MapDelete("", (FakeGitHubState state, string owner, string repo) =>
        {
            state.DeleteRepo(Find(state, owner, repo));
            return Results.NoContent();
        });

        repo.MapDelete("/branches/{**branch}", (FakeGitHubState state, string owner, string repo, string branch) =>
        {
            var r = Find(state, owner, repo);
            state.MoveBranch(r, branch, null, r.Owner, forced: false);
            return Results.NoContent();
        });

        repo.MapGet("/branches/{**branch}", (FakeGitHubState state, string owner, string repo, string branch) =>
            state.BranchSha(Find(state, owner, repo), branch) is { } sha ? Results.Json(new { sha }) : Results.NotFound());

        repo.MapPost("/rename", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var name = (await RequestBody.JsonAsync(ctx.Request)).Str("name") ?? throw new FakeGitHubException(400, "name is required.");
            state.RenameRepo(Find(state, owner, repo), name);
            return Results.NoContent();
        });

        repo.MapPost("/archive", (FakeGitHubState state, string owner, string repo) =>
        {
            lock (state.Gate)
            {
                Find(state, owner, repo).Archived = true;
            }

            return Results.NoContent();
        });

        repo.MapPut("/conflicts", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var enabled = (await RequestBody.JsonAsync(ctx.Request)).Bool("enabled") ?? true;
            lock (state.Gate)
            {
                Find(state, owner, repo).MergeConflicts = enabled;
            }

            return Results.NoContent();
        });

        repo.MapPost("/collaborators", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            state.AddCollaborator(Find(state, owner, repo), body.Str("login") ?? throw new FakeGitHubException(400, "login is required."), body.Str("permission") ?? "write");
            return Results.NoContent();
        });

        repo.MapPost("/labels", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var label = state.CreateLabel(Find(state, owner, repo), body.Str("name") ?? throw new FakeGitHubException(400, "name is required."), body.Str("color") ?? "ededed");
            return Results.Json(new { id = label.Id, name = label.Name }, statusCode: 201);
        });

        repo.MapPost("/issues", async (HttpContext ctx, FakeGitHubState state, string owner, string repo) =>
        {
            var body = await RequestBody.JsonAsync(ctx.Request);
            var r = Find(state, owner, repo);
            var issue = state.CreateIssue(r, r.Owner, body.Str("title") ?? "Issue", body.Str("body"), body.Strings("labels"), viaApi: true);
            return Results.Json(new { number = issue.Number }, statusCode: 201);
        });

        repo.MapGet("/pulls", (FakeGitHubState state, string owner, string repo) => Results.Json(state.PullRequests(Find(state, owner, repo))));
    }

    private static void SetUnderLock(FakeGitHubState state, string owner, string repo, Action<Repo> change)
    {
        lock (state.Gate)
        {
            change(Find(state, owner, repo));
        }
    }

    private static Repo Find(FakeGitHubState state, string owner, string repo) =>
        state.FindRepo(owner, repo) ?? throw new FakeGitHubException(404, $"No repository {owner}/{repo}.");
}
