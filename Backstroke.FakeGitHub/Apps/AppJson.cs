using System.Text.Json;
using Backstroke.FakeGitHub.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>The REST shapes of Apps: integration (GET /app), installation, installation-token.</summary>
internal static class AppJson
{
    public static void WriteApp(Utf8JsonWriter w, AppRegistration app, string b, int installations)
    {
        w.WriteStartObject();
        w.WriteNumber("id", app.Id);
        w.WriteString("slug", app.Slug);
        w.WriteString("node_id", JsonOut.NodeId("Integration", app.Id));
        w.WriteString("client_id", app.ClientId);
        w.WritePropertyName("owner");
        UserJson.WriteSimple(w, app.Owner, b);
        w.WriteString("name", app.Slug);
        w.WriteNull("description");
        w.WriteString("external_url", b + "apps/" + app.Slug);
        w.WriteString("html_url", b + "apps/" + app.Slug);
        w.WriteDate("created_at", app.CreatedAt);
        w.WriteDate("updated_at", app.CreatedAt);
        WritePermissions(w, app.Permissions);
        WriteEvents(w);
        w.WriteNumber("installations_count", installations);
        w.WriteEndObject();
    }

    /// <summary>The installation object of REST answers and of installation webhooks (date-times, as the schema has them).</summary>
    public static void WriteInstallation(Utf8JsonWriter w, Installation i, string b)
    {
        w.WriteStartObject();
        w.WriteNumber("id", i.Id);
        w.WriteNumber("app_id", i.App.Id);
        w.WriteString("app_slug", i.App.Slug);
        w.WriteString("client_id", i.App.ClientId);
        w.WritePropertyName("account");
        UserJson.WriteSimple(w, i.Account, b);
        w.WriteString("repository_selection", i.Selection);
        w.WriteString("access_tokens_url", $"{b}app/installations/{i.Id}/access_tokens");
        w.WriteString("repositories_url", b + "installation/repositories");
        w.WriteString("html_url", $"{b}settings/installations/{i.Id}");
        w.WriteNumber("target_id", i.Account.Id);
        w.WriteString("target_type", i.Account.Type);
        WritePermissions(w, i.Permissions);
        WriteEvents(w);
        w.WriteDate("created_at", i.CreatedAt);
        w.WriteDate("updated_at", i.UpdatedAt);
        w.WriteNull("single_file_name");
        w.WriteBoolean("has_multiple_single_files", false);
        w.WriteStartArray("single_file_paths");
        w.WriteEndArray();
        UserJson.WriteSimpleOrNull(w, "suspended_by", i.SuspendedBy, b);
        w.WriteDate("suspended_at", i.SuspendedAt);
        w.WriteEndObject();
    }

    public static void WriteToken(Utf8JsonWriter w, InstallationToken t, IReadOnlyList<Repo>? repositories, string b)
    {
        w.WriteStartObject();
        w.WriteString("token", t.Token);
        w.WriteDate("expires_at", t.ExpiresAt);
        WritePermissions(w, t.Permissions);
        w.WriteString("repository_selection", t.Repositories is null ? t.Installation.Selection : "selected");
        if (repositories is not null)
        {
            w.WriteStartArray("repositories");
            foreach (var r in repositories)
            {
                RepoJson.Write(w, r, b);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WritePermissions(Utf8JsonWriter w, IReadOnlyDictionary<string, string> permissions)
    {
        w.WriteStartObject("permissions");
        foreach (var (name, level) in permissions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, level);
        }

        w.WriteEndObject();
    }

    /// <summary>The App subscribes to no repository events of its own; installation events come to every App.</summary>
    private static void WriteEvents(Utf8JsonWriter w)
    {
        w.WriteStartArray("events");
        w.WriteEndArray();
    }
}
