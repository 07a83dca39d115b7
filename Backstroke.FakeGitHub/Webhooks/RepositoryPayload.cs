using System.Text.Json;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Webhooks;

/// <summary>
/// The bodies of "repository" deliveries (renamed, transferred, deleted), shaped like the contract's
/// webhook-repository-* schemas. GitHub sends them to every hook subscribed to the "repository" event
/// (docs: "Webhook events and payloads", repository).
/// </summary>
internal static class RepositoryPayload
{
    public static byte[] Changed(Repo repo, string action, object? from, Account sender, string b) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("action", action);
        if (action == "renamed" && from is string oldName)
        {
            w.WriteStartObject("changes");
            w.WriteStartObject("repository");
            w.WriteStartObject("name");
            w.WriteString("from", oldName);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else if (action == "transferred" && from is Account oldOwner)
        {
            w.WriteStartObject("changes");
            w.WriteStartObject("owner");
            w.WriteStartObject("from");
            w.WritePropertyName(oldOwner.IsOrganization ? "organization" : "user");
            if (oldOwner.IsOrganization)
            {
                WriteOrganization(w, oldOwner, b);
            }
            else
            {
                UserJson.WriteSimple(w, oldOwner, b);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WritePropertyName("repository");
        RepoJson.Write(w, repo, b);
        w.WritePropertyName("sender");
        UserJson.WriteSimple(w, sender, b);
        w.WriteEndObject();
    });

    private static void WriteOrganization(Utf8JsonWriter w, Account org, string b)
    {
        var api = b + "orgs/" + org.Login;
        w.WriteStartObject();
        w.WriteString("login", org.Login);
        w.WriteNumber("id", org.Id);
        w.WriteString("node_id", JsonOut.NodeId("Organization", org.Id));
        w.WriteString("url", api);
        w.WriteString("repos_url", api + "/repos");
        w.WriteString("events_url", api + "/events");
        w.WriteString("hooks_url", api + "/hooks");
        w.WriteString("issues_url", api + "/issues");
        w.WriteString("members_url", api + "/members{/member}");
        w.WriteString("public_members_url", api + "/public_members{/member}");
        w.WriteString("avatar_url", $"{b}avatars/{org.Login}");
        w.WriteNull("description");
        w.WriteEndObject();
    }
}
