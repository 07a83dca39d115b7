using System.Text.Json;
using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Issues list (pull requests included, as GitHub lists them), create, add labels and comment.</summary>
internal static class Issues
{
    private const string Docs = "https://docs.github.com/rest/issues/issues";
    private const string IssuesDocs = "https://docs.github.com/v3/issues/";

    public static void MapIssues(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/issues", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            var q = ctx.Request.Query;
            var wanted = q["state"].ToString() is { Length: > 0 } s ? s : "open";
            var labels = q["labels"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            lock (state.Gate)
            {
                // With Issues off, GitHub still lists the pull requests (every pull request is an issue) but none of
                // the issues, which come back when Issues are turned on again (docs: "Disabling issues"). Listing
                // answered 410 once (ingydotnet/git-hub issue 72, 2014) but no longer does; the contract lists no 410
                // for this operation.
                var all = (r.Issues ?? []).Where(i => (r.HasIssues || i.Pull is not null) && (wanted == "all" || (wanted == "open") == i.Open)
                        && labels.All(l => i.Labels.Any(x => string.Equals(x.Name, l, StringComparison.OrdinalIgnoreCase))))
                    .Reverse().ToList();
                if (q["direction"] == "asc")
                {
                    all.Reverse();
                }

                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var i in page)
                    {
                        IssueJson.Write(w, i, r, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapPost("/repos/{owner}/{repo}/issues", async (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "read", write: true);
            var user = RepoAccess.RequireUser(ctx);
            var body = await RequestBody.JsonAsync(ctx.Request);
            if (string.IsNullOrEmpty(body.Str("title")))
            {
                return Gh.Validation("Issue", "missing_field", "title", docs: Docs + "#create-an-issue");
            }

            var state = ctx.State();
            lock (state.Gate)
            {
                var issue = state.CreateIssue(r, user, body.Str("title")!, body.Str("body"), body.Strings("labels"), viaApi: true);
                var bytes = JsonOut.Write(w => IssueJson.Write(w, issue, r, ctx.BaseUrl()));
                return Gh.Json(201, bytes, location: $"{ctx.BaseUrl()}repos/{r.FullName}/issues/{issue.Number}");
            }
        });

        app.MapPost("/repos/{owner}/{repo}/issues/{number:int}/labels", async (HttpContext ctx, string owner, string repo, int number) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "triage", write: true);
            var body = await RequestBody.JsonAsync(ctx.Request);

            // Both {"labels": [...]} and a bare array are accepted, as on GitHub.
            var names = body.ValueKind == JsonValueKind.Array
                ? body.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : body.Strings("labels");
            var state = ctx.State();
            lock (state.Gate)
            {
                if (state.FindIssue(r, number) is not { } issue)
                {
                    return Gh.NotFound("https://docs.github.com/rest/issues/labels#add-labels-to-an-issue");
                }

                if (issue.Pull is null && !r.HasIssues)
                {
                    return Gh.Error(410, Model.FakeGitHubState.IssuesDisabled, IssuesDocs);
                }

                state.AddLabels(r, issue, names);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var l in issue.Labels)
                    {
                        IssueJson.WriteLabel(w, l, r, ctx.BaseUrl());
                    }

                    w.WriteEndArray();
                });
            }
        });

        app.MapPost("/repos/{owner}/{repo}/issues/{number:int}/comments", async (HttpContext ctx, string owner, string repo, int number) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "read", write: true);
            var user = RepoAccess.RequireUser(ctx);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var state = ctx.State();
            lock (state.Gate)
            {
                if (state.FindIssue(r, number) is not { } issue)
                {
                    return Gh.NotFound("https://docs.github.com/rest/issues/comments#create-an-issue-comment");
                }

                if (issue.Pull is null && !r.HasIssues)
                {
                    return Gh.Error(410, Model.FakeGitHubState.IssuesDisabled, IssuesDocs);
                }

                issue.Comments++;
                var id = issue.Id * 1000 + issue.Comments;
                var url = $"{ctx.BaseUrl()}repos/{r.FullName}/issues/comments/{id}";
                return Gh.Json(201, JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", id);
                    w.WriteString("node_id", JsonOut.NodeId("IssueComment", id));
                    w.WriteString("url", url);
                    w.WriteString("html_url", $"{ctx.BaseUrl()}{r.FullName}/issues/{number}#issuecomment-{id}");
                    w.WriteString("issue_url", $"{ctx.BaseUrl()}repos/{r.FullName}/issues/{number}");
                    w.WriteString("body", body.Str("body") ?? "");
                    UserJson.WriteSimpleOrNull(w, "user", user, ctx.BaseUrl());
                    w.WriteDate("created_at", state.Now);
                    w.WriteDate("updated_at", state.Now);
                    w.WriteString("author_association", user == r.Owner ? "OWNER" : "NONE");
                    w.WriteEndObject();
                }), location: url);
            }
        });
    }
}
