using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>The user shapes: simple-user (embedded everywhere), public-user and private-user.</summary>
internal static class UserJson
{
    public static void WriteSimple(Utf8JsonWriter w, Account a, string b)
    {
        w.WriteStartObject();
        WriteSimpleFields(w, a, b);
        w.WriteEndObject();
    }

    public static void WriteSimpleOrNull(Utf8JsonWriter w, string name, Account? a, string b)
    {
        w.WritePropertyName(name);
        if (a is null)
        {
            w.WriteNullValue();
        }
        else
        {
            WriteSimple(w, a, b);
        }
    }

    public static void WriteSimpleFields(Utf8JsonWriter w, Account a, string b)
    {
        var url = b + "users/" + a.Login;
        w.WriteString("login", a.Login);
        w.WriteNumber("id", a.Id);
        w.WriteString("node_id", JsonOut.NodeId(a.Type, a.Id));
        w.WriteString("avatar_url", $"{b}avatars/u/{a.Id}?v=4");
        w.WriteString("gravatar_id", "");
        w.WriteString("url", url);
        w.WriteString("html_url", b + a.Login);
        w.WriteString("followers_url", url + "/followers");
        w.WriteString("following_url", url + "/following{/other_user}");
        w.WriteString("gists_url", url + "/gists{/gist_id}");
        w.WriteString("starred_url", url + "/starred{/owner}{/repo}");
        w.WriteString("subscriptions_url", url + "/subscriptions");
        w.WriteString("organizations_url", url + "/orgs");
        w.WriteString("repos_url", url + "/repos");
        w.WriteString("events_url", url + "/events{/privacy}");
        w.WriteString("received_events_url", url + "/received_events");
        w.WriteString("type", a.Type);
        w.WriteString("user_view_type", "public");
        w.WriteBoolean("site_admin", false);
    }

    /// <summary>public-user forbids extra properties, so this writes exactly its fields; private adds the owner-only ones.</summary>
    public static void WriteFull(Utf8JsonWriter w, Account a, string b, int publicRepos, int? privateRepos)
    {
        w.WriteStartObject();
        WriteSimpleFields(w, a, b);
        w.WriteStringOrNull("name", a.Name);
        w.WriteNull("company");
        w.WriteString("blog", "");
        w.WriteNull("location");
        w.WriteStringOrNull("email", a.Email);
        w.WriteNull("hireable");
        w.WriteNull("bio");
        w.WriteNull("twitter_username");
        w.WriteNumber("public_repos", publicRepos);
        w.WriteNumber("public_gists", 0);
        w.WriteNumber("followers", 0);
        w.WriteNumber("following", 0);
        w.WriteDate("created_at", a.CreatedAt);
        w.WriteDate("updated_at", a.CreatedAt);
        if (privateRepos is { } p)
        {
            w.WriteNumber("private_gists", 0);
            w.WriteNumber("total_private_repos", p);
            w.WriteNumber("owned_private_repos", p);
            w.WriteNumber("disk_usage", 0);
            w.WriteNumber("collaborators", 0);
            w.WriteBoolean("two_factor_authentication", true);
        }

        w.WriteEndObject();
    }
}
