using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>The commit shape (repos/get-commit, list-commits, compare) and the compare answer built on it.</summary>
internal static class CommitJson
{
    public static void Write(Utf8JsonWriter w, CommitGraph g, int index, Repo repo, string b)
    {
        var c = g[index];
        var api = b + "repos/" + repo.FullName;
        w.WriteStartObject();
        w.WriteString("sha", c.Sha);
        w.WriteString("node_id", JsonOut.NodeId("Commit", index));
        w.WriteString("url", api + "/commits/" + c.Sha);
        w.WriteString("html_url", b + repo.FullName + "/commit/" + c.Sha);
        w.WriteString("comments_url", api + "/commits/" + c.Sha + "/comments");
        w.WriteStartObject("commit");
        w.WriteString("url", api + "/git/commits/" + c.Sha);
        WriteGitUser(w, "author", c);
        WriteGitUser(w, "committer", c);
        w.WriteString("message", c.Message);
        w.WriteNumber("comment_count", 0);
        w.WriteStartObject("tree");
        w.WriteString("sha", c.TreeSha);
        w.WriteString("url", api + "/git/trees/" + c.TreeSha);
        w.WriteEndObject();
        w.WriteEndObject();

        // Commit authors are matched to accounts by e-mail on GitHub; the simulator's commits have none.
        w.WriteNull("author");
        w.WriteNull("committer");
        w.WriteStartArray("parents");
        foreach (var p in c.Parents)
        {
            var sha = g[p].Sha;
            w.WriteStartObject();
            w.WriteString("sha", sha);
            w.WriteString("url", api + "/commits/" + sha);
            w.WriteString("html_url", b + repo.FullName + "/commit/" + sha);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteGitUser(Utf8JsonWriter w, string name, CommitNode c)
    {
        w.WriteStartObject(name);
        w.WriteString("name", c.Author);
        w.WriteString("email", c.Author + "@users.noreply.example");
        w.WriteDate("date", c.Date);
        w.WriteEndObject();
    }

    /// <summary>commit-comparison: status and counts come from the graph, commits oldest first (at most 250).</summary>
    public static void WriteComparison(Utf8JsonWriter w, CommitGraph g, Repo repo, string b, string basehead, int baseSha, int headSha)
    {
        var ahead = g.Only(headSha, baseSha);
        var behind = g.Only(baseSha, headSha);
        var status = (ahead.Count, behind.Count) switch
        {
            (0, 0) => "identical",
            (_, 0) => "ahead",
            (0, _) => "behind",
            _ => "diverged",
        };
        var api = b + "repos/" + repo.FullName;
        w.WriteStartObject();
        w.WriteString("url", api + "/compare/" + basehead);
        w.WriteString("html_url", b + repo.FullName + "/compare/" + basehead);
        w.WriteString("permalink_url", b + repo.FullName + "/compare/" + g[baseSha].Sha + "..." + g[headSha].Sha);
        w.WriteString("diff_url", b + repo.FullName + "/compare/" + basehead + ".diff");
        w.WriteString("patch_url", b + repo.FullName + "/compare/" + basehead + ".patch");
        w.WritePropertyName("base_commit");
        Write(w, g, baseSha, repo, b);
        w.WritePropertyName("merge_base_commit");
        Write(w, g, g.MergeBase(baseSha, headSha) ?? baseSha, repo, b);
        w.WriteString("status", status);
        w.WriteNumber("ahead_by", ahead.Count);
        w.WriteNumber("behind_by", behind.Count);
        w.WriteNumber("total_commits", ahead.Count);
        w.WriteStartArray("commits");
        foreach (var c in ahead.Take(250))
        {
            Write(w, g, c, repo, b);
        }

        w.WriteEndArray();
        w.WriteStartArray("files");
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
