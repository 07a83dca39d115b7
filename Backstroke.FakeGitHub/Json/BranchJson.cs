using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>short-branch (lists), branch-with-protection (single branch) and git-ref.</summary>
internal static class BranchJson
{
    public static void WriteShort(Utf8JsonWriter w, string name, string sha, Repo repo, string b)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteStartObject("commit");
        w.WriteString("sha", sha);
        w.WriteString("url", b + "repos/" + repo.FullName + "/commits/" + sha);
        w.WriteEndObject();
        w.WriteBoolean("protected", false);
        w.WriteEndObject();
    }

    public static void WriteFull(Utf8JsonWriter w, string name, int sha, CommitGraph g, Repo repo, string b)
    {
        var api = b + "repos/" + repo.FullName + "/branches/" + name;
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WritePropertyName("commit");
        CommitJson.Write(w, g, sha, repo, b);
        w.WriteStartObject("_links");
        w.WriteString("self", api);
        w.WriteString("html", b + repo.FullName + "/tree/" + name);
        w.WriteEndObject();
        w.WriteBoolean("protected", false);
        w.WriteStartObject("protection");
        w.WriteBoolean("enabled", false);
        w.WriteEndObject();
        w.WriteString("protection_url", api + "/protection");
        w.WriteEndObject();
    }

    public static void WriteRef(Utf8JsonWriter w, string branch, string sha, Repo repo, string b)
    {
        var api = b + "repos/" + repo.FullName;
        w.WriteStartObject();
        w.WriteString("ref", "refs/heads/" + branch);
        w.WriteString("node_id", JsonOut.NodeId("Ref", repo.Id));
        w.WriteString("url", api + "/git/refs/heads/" + branch);
        w.WriteStartObject("object");
        w.WriteString("sha", sha);
        w.WriteString("type", "commit");
        w.WriteString("url", api + "/git/commits/" + sha);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
