using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>pull-request (get, create) and pull-request-simple (list); "full" adds the mergeability fields.</summary>
internal static class PullJson
{
    public static void Write(Utf8JsonWriter w, Issue i, CommitGraph g, string b, bool full)
    {
        var p = i.Pull!;
        var repo = p.BaseRepo;
        var api = b + "repos/" + repo.FullName;
        var url = api + "/pulls/" + i.Number;
        var html = b + repo.FullName + "/pull/" + i.Number;
        var headSha = g[p.HeadSha].Sha;
        w.WriteStartObject();
        w.WriteNumber("id", i.Id);
        w.WriteString("node_id", JsonOut.NodeId("PullRequest", i.Id));
        w.WriteString("url", url);
        w.WriteString("html_url", html);
        w.WriteString("diff_url", html + ".diff");
        w.WriteString("patch_url", html + ".patch");
        w.WriteString("issue_url", api + "/issues/" + i.Number);
        w.WriteString("commits_url", url + "/commits");
        w.WriteString("review_comments_url", url + "/comments");
        w.WriteString("review_comment_url", api + "/pulls/comments{/number}");
        w.WriteString("comments_url", api + "/issues/" + i.Number + "/comments");
        w.WriteString("statuses_url", api + "/statuses/" + headSha);
        w.WriteNumber("number", i.Number);
        w.WriteString("state", i.Open ? "open" : "closed");
        w.WriteBoolean("locked", false);
        w.WriteString("title", i.Title);
        w.WriteStringOrNull("body", i.Body);
        UserJson.WriteSimpleOrNull(w, "user", i.User, b);
        IssueJson.WriteLabels(w, i.Labels, repo, b);
        w.WriteNull("milestone");
        w.WriteBoolean("draft", p.Draft);
        w.WriteDate("created_at", i.CreatedAt);
        w.WriteDate("updated_at", i.UpdatedAt);
        w.WriteDate("closed_at", i.ClosedAt);
        w.WriteDate("merged_at", p.MergedAt);
        w.WriteStringOrNull("merge_commit_sha", p.MergeCommitSha);
        w.WriteNull("assignee");
        w.WriteStartArray("assignees");
        w.WriteEndArray();
        w.WriteStartArray("requested_reviewers");
        w.WriteEndArray();
        WriteEnd(w, "head", p.HeadRepo, p.HeadRef, headSha, b);
        WriteEnd(w, "base", repo, p.BaseRef, g[repo.Branches.GetValueOrDefault(p.BaseRef, p.HeadSha)].Sha, b);
        w.WriteStartObject("_links");
        foreach (var (name, href) in new[] { ("self", url), ("html", html), ("issue", api + "/issues/" + i.Number), ("comments", api + "/issues/" + i.Number + "/comments"), ("review_comments", url + "/comments"), ("review_comment", api + "/pulls/comments{/number}"), ("commits", url + "/commits"), ("statuses", api + "/statuses/" + headSha) })
        {
            w.WriteStartObject(name);
            w.WriteString("href", href);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteString("author_association", i.User == repo.Owner ? "OWNER" : "CONTRIBUTOR");
        w.WriteNull("auto_merge");
        if (full)
        {
            var commits = g.Only(p.HeadSha, repo.Branches.TryGetValue(p.BaseRef, out var bs) ? bs : null).Count;
            var mergeable = !p.Merged && !repo.MergeConflicts && !p.HeadRepo.MergeConflicts;
            w.WriteBoolean("merged", p.Merged);
            w.WriteBoolean("mergeable", mergeable);
            w.WriteBoolean("rebaseable", mergeable);
            w.WriteString("mergeable_state", p.Merged ? "unknown" : mergeable ? "clean" : "dirty");
            UserJson.WriteSimpleOrNull(w, "merged_by", p.MergedBy, b);
            w.WriteNumber("comments", i.Comments);
            w.WriteNumber("review_comments", 0);
            w.WriteBoolean("maintainer_can_modify", p.MaintainerCanModify);
            w.WriteNumber("commits", commits);
            w.WriteNumber("additions", commits);
            w.WriteNumber("deletions", 0);
            w.WriteNumber("changed_files", commits);
        }

        w.WriteEndObject();
    }

    private static void WriteEnd(Utf8JsonWriter w, string name, Repo repo, string branch, string sha, string b)
    {
        w.WriteStartObject(name);
        w.WriteString("label", repo.Owner.Login + ":" + branch);
        w.WriteString("ref", branch);
        w.WriteString("sha", sha);
        w.WritePropertyName("user");
        UserJson.WriteSimple(w, repo.Owner, b);
        w.WritePropertyName("repo");
        RepoJson.Write(w, repo, b);
        w.WriteEndObject();
    }
}
