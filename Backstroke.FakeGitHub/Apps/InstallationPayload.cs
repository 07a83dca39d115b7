using System.Text.Json;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>
/// The bodies of "installation" (created, deleted, suspend, unsuspend) and "installation_repositories" (added,
/// removed) deliveries, shaped like the contract's webhook-installation-* schemas and GitHub's example payloads
/// (docs: "Webhook events and payloads", installation and installation_repositories).
/// </summary>
internal static class InstallationPayload
{
    public static byte[] Installation(FakeGitHubState state, Installation i, string action, Account sender, bool withRepositories) => JsonOut.Write(w =>
    {
        var b = state.BaseUrl;
        w.WriteStartObject();
        w.WriteString("action", action);
        w.WritePropertyName("installation");
        AppJson.WriteInstallation(w, i, b);

        // created and deleted list the repositories; suspend and unsuspend do not (GitHub's examples).
        if (withRepositories)
        {
            WriteRepositories(w, "repositories", state.Apps.RepositoriesOf(i));
        }

        if (action == "created")
        {
            UserJson.WriteSimpleOrNull(w, "requester", null, b);
        }

        w.WritePropertyName("sender");
        UserJson.WriteSimple(w, sender, b);
        w.WriteEndObject();
    });

    public static byte[] Repositories(FakeGitHubState state, Installation i, string action, IReadOnlyList<Repo> added, IReadOnlyList<Repo> removed, Account sender) =>
        JsonOut.Write(w =>
        {
            var b = state.BaseUrl;
            w.WriteStartObject();
            w.WriteString("action", action);
            w.WritePropertyName("installation");
            AppJson.WriteInstallation(w, i, b);
            w.WriteString("repository_selection", i.Selection);
            WriteRepositories(w, "repositories_added", added);
            WriteRepositories(w, "repositories_removed", removed);
            UserJson.WriteSimpleOrNull(w, "requester", null, b);
            w.WritePropertyName("sender");
            UserJson.WriteSimple(w, sender, b);
            w.WriteEndObject();
        });

    /// <summary>Webhooks name repositories briefly: id, node_id, name, full_name, private.</summary>
    private static void WriteRepositories(Utf8JsonWriter w, string name, IEnumerable<Repo> repos)
    {
        w.WriteStartArray(name);
        foreach (var r in repos)
        {
            w.WriteStartObject();
            w.WriteNumber("id", r.Id);
            w.WriteString("node_id", JsonOut.NodeId("Repository", r.Id));
            w.WriteString("name", r.Name);
            w.WriteString("full_name", r.FullName);
            w.WriteBoolean("private", r.Private);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
