using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>issue and label. A pull request listed as an issue carries a "pull_request" key, as on GitHub.</summary>
internal static class IssueJson
{
    public static void WriteLabel(Utf8JsonWriter w, Label l, Repo repo, string b)
    {
        w.WriteStartObject();
        w.WriteNumber("id", l.Id);
        w.WriteString("node_id", JsonOut.NodeId("Label", l.Id));
        w.WriteString("url", b + "repos/" + repo.FullName + "/labels/" + Uri.EscapeDataString(l.Name));
        w.WriteString("name", l.Name);
        w.WriteString("color", l.Color);
        w.WriteBoolean("default", false);
        w.WriteString("description", l.Description);
        w.WriteEndObject();
    }

    public static void WriteLabels(Utf8JsonWriter w, IEnumerable<Label> labels, Repo repo, string b)
    {
        w.WriteStartArray("labels");
        foreach (var l in labels)
        {
            WriteLabel(w, l, repo, b);
        }

        w.WriteEndArray();
    }

    public static void Write(Utf8JsonWriter w, Issue i, Repo repo, string b)
    {
        var api = b + "repos/" + repo.FullName;
        var url = api + "/issues/" + i.Number;
        w.WriteStartObject();
        w.WriteNumber("id", i.Id);
        w.WriteString("node_id", JsonOut.NodeId("Issue", i.Id));
        w.WriteString("url", url);
        w.WriteString("repository_url", api);
        w.WriteString("labels_url", url + "/labels{/name}");
        w.WriteString("comments_url", url + "/comments");
        w.WriteString("events_url", url + "/events");
        w.WriteString("html_url", b + repo.FullName + (i.Pull is null ? "/issues/" : "/pull/") + i.Number);
        w.WriteNumber("number", i.Number);
        w.WriteString("state", i.Open ? "open" : "closed");
        w.WriteString("title", i.Title);
        w.WriteStringOrNull("body", i.Body);
        UserJson.WriteSimpleOrNull(w, "user", i.User, b);
        WriteLabels(w, i.Labels, repo, b);
        w.WriteNull("assignee");
        w.WriteStartArray("assignees");
        w.WriteEndArray();
        w.WriteNull("milestone");
        w.WriteBoolean("locked", false);
        w.WriteNumber("comments", i.Comments);
        w.WriteDate("created_at", i.CreatedAt);
        w.WriteDate("updated_at", i.UpdatedAt);
        w.WriteDate("closed_at", i.ClosedAt);
        w.WriteString("author_association", i.User == repo.Owner ? "OWNER" : "NONE");
        if (i.Pull is { } p)
        {
            var pulls = api + "/pulls/" + i.Number;
            w.WriteStartObject("pull_request");
            w.WriteString("url", pulls);
            w.WriteString("html_url", b + repo.FullName + "/pull/" + i.Number);
            w.WriteString("diff_url", b + repo.FullName + "/pull/" + i.Number + ".diff");
            w.WriteString("patch_url", b + repo.FullName + "/pull/" + i.Number + ".patch");
            w.WriteDate("merged_at", p.MergedAt);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
