using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Endpoints;

/// <summary>Pull requests: list (state, head, base filters), get, update and merge. Creation is in <see cref="PullCreate"/>.</summary>
internal static class Pulls
{
    public static void MapPulls(this IEndpointRouteBuilder app)
    {
        app.MapGet("/repos/{owner}/{repo}/pulls", (HttpContext ctx, string owner, string repo) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            var q = ctx.Request.Query;
            var wanted = q["state"].ToString() is { Length: > 0 } s ? s : "open";
            var head = q["head"].ToString();
            var baseRef = q["base"].ToString();
            lock (state.Gate)
            {
                var all = (r.Issues ?? []).Where(i => i.Pull is { } p
                        && (wanted == "all" || (wanted == "open") == i.Open)
                        && (head.Length == 0 || string.Equals(p.HeadLabel, head.Contains(':') ? head : p.HeadRepo.Owner.Login + ":" + head, StringComparison.OrdinalIgnoreCase))
                        && (baseRef.Length == 0 || p.BaseRef == baseRef))
                    .Reverse().ToList();
                var page = Paging.Slice(all, ctx, out var link);
                return Gh.Json(200, w =>
                {
                    w.WriteStartArray();
                    foreach (var i in page)
                    {
                        PullJson.Write(w, i, state.Graph, ctx.BaseUrl(), full: false);
                    }

                    w.WriteEndArray();
                }, link);
            }
        });

        app.MapGet("/repos/{owner}/{repo}/pulls/{number:int}", (HttpContext ctx, string owner, string repo, int number) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo);
            var state = ctx.State();
            lock (state.Gate)
            {
                return state.FindIssue(r, number) is { Pull: not null } i
                    ? Gh.Json(200, w => PullJson.Write(w, i, state.Graph, ctx.BaseUrl(), full: true))
                    : Gh.NotFound("https://docs.github.com/rest/pulls/pulls#get-a-pull-request");
            }
        });

        app.MapPatch("/repos/{owner}/{repo}/pulls/{number:int}", async (HttpContext ctx, string owner, string repo, int number) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "read", write: true);
            var body = await RequestBody.JsonAsync(ctx.Request);
            var state = ctx.State();
            lock (state.Gate)
            {
                if (state.FindIssue(r, number) is not { Pull: not null } i)
                {
                    return Gh.NotFound("https://docs.github.com/rest/pulls/pulls#update-a-pull-request");
                }

                i.Title = body.Str("title") ?? i.Title;
                i.Body = body.Str("body") ?? i.Body;
                if (body.Str("state") is { } st && !i.Pull.Merged)
                {
                    i.Open = st == "open";
                    i.ClosedAt = i.Open ? null : state.Now;
                }

                i.UpdatedAt = state.Now;
                return Gh.Json(200, w => PullJson.Write(w, i, state.Graph, ctx.BaseUrl(), full: true));
            }
        });

        app.MapPut("/repos/{owner}/{repo}/pulls/{number:int}/merge", (HttpContext ctx, string owner, string repo, int number) =>
        {
            var (r, _) = RepoAccess.Require(ctx, owner, repo, "write", write: true);
            var state = ctx.State();
            lock (state.Gate)
            {
                if (state.FindIssue(r, number) is not { Pull: not null } i)
                {
                    return Gh.NotFound("https://docs.github.com/rest/pulls/pulls#merge-a-pull-request");
                }

                if (!i.Open || i.Pull.Merged || r.MergeConflicts || i.Pull.HeadRepo.MergeConflicts)
                {
                    return Gh.Error(405, "Pull Request is not mergeable");
                }

                var sha = state.MergePull(i, ctx.Caller().Account!);
                return Gh.Json(200, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("sha", sha);
                    w.WriteBoolean("merged", true);
                    w.WriteString("message", "Pull Request successfully merged");
                    w.WriteEndObject();
                });
            }
        });
    }
}
