using System.Text.Json;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Webhooks;

/// <summary>The bodies of push and ping deliveries, shaped like GitHub's (x-webhooks push schema).</summary>
internal static class PushPayload
{
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    public static byte[] Push(FakeGitHubState state, Repo repo, string branch, int? before, int? after, Account pusher, bool forced, string b)
    {
        var g = state.Graph;
        var beforeSha = before is { } bs ? g[bs].Sha : ZeroSha;
        var afterSha = after is { } a ? g[a].Sha : ZeroSha;
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("ref", "refs/heads/" + branch);
            w.WriteString("before", beforeSha);
            w.WriteString("after", afterSha);
            w.WriteBoolean("created", before is null);
            w.WriteBoolean("deleted", after is null);
            w.WriteBoolean("forced", forced);
            w.WriteNull("base_ref");
            w.WriteString("compare", $"{b}{repo.FullName}/compare/{beforeSha[..12]}...{afterSha[..12]}");
            w.WriteStartArray("commits");
            var fresh = after is { } head ? g.Only(head, before) : [];

            // GitHub lists at most 20 commits in a push payload, the newest ones.
            foreach (var c in fresh.Skip(Math.Max(0, fresh.Count - 20)))
            {
                WriteCommit(w, g, c, repo, b);
            }

            w.WriteEndArray();
            w.WritePropertyName("head_commit");
            if (after is { } h)
            {
                WriteCommit(w, g, h, repo, b);
            }
            else
            {
                w.WriteNullValue();
            }

            w.WritePropertyName("repository");
            RepoJson.Write(w, repo, b, webhook: true);
            w.WriteStartObject("pusher");
            w.WriteString("name", pusher.Login);
            w.WriteString("email", pusher.Login + "@users.noreply.example");
            w.WriteEndObject();
            w.WritePropertyName("sender");
            UserJson.WriteSimple(w, pusher, b);
            w.WriteEndObject();
        });
    }

    public static byte[] Ping(Repo repo, Hook hook, Account sender, string b) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("zen", "Keep it logically awesome.");
        w.WriteNumber("hook_id", hook.Id);
        w.WritePropertyName("hook");
        HookJson.Write(w, hook, repo, b);
        w.WritePropertyName("repository");
        RepoJson.Write(w, repo, b);
        w.WritePropertyName("sender");
        UserJson.WriteSimple(w, sender, b);
        w.WriteEndObject();
    });

    private static void WriteCommit(Utf8JsonWriter w, CommitGraph g, int index, Repo repo, string b)
    {
        var c = g[index];
        w.WriteStartObject();
        w.WriteString("id", c.Sha);
        w.WriteString("tree_id", c.TreeSha);
        w.WriteBoolean("distinct", true);
        w.WriteString("message", c.Message);
        w.WriteString("timestamp", JsonOut.Date(c.Date));
        w.WriteString("url", $"{b}{repo.FullName}/commit/{c.Sha}");
        foreach (var role in new[] { "author", "committer" })
        {
            w.WriteStartObject(role);
            w.WriteString("name", c.Author);
            w.WriteString("email", c.Author + "@users.noreply.example");
            w.WriteString("username", c.Author);
            w.WriteEndObject();
        }

        foreach (var list in new[] { "added", "removed", "modified" })
        {
            w.WriteStartArray(list);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
