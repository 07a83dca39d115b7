using System.Text.Json;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Json;

/// <summary>The hook shape. The secret is masked, as GitHub never gives it back.</summary>
internal static class HookJson
{
    public static void Write(Utf8JsonWriter w, Hook h, Repo repo, string b)
    {
        var url = b + "repos/" + repo.FullName + "/hooks/" + h.Id;
        w.WriteStartObject();
        w.WriteString("type", "Repository");
        w.WriteNumber("id", h.Id);
        w.WriteString("name", "web");
        w.WriteBoolean("active", h.Active);
        w.WriteStartArray("events");
        foreach (var e in h.Events)
        {
            w.WriteStringValue(e);
        }

        w.WriteEndArray();
        w.WriteStartObject("config");
        w.WriteString("url", h.Url);
        w.WriteString("content_type", h.ContentType);
        w.WriteString("insecure_ssl", h.InsecureSsl);
        if (h.Secret is not null)
        {
            w.WriteString("secret", "********");
        }

        w.WriteEndObject();
        w.WriteDate("updated_at", h.UpdatedAt);
        w.WriteDate("created_at", h.CreatedAt);
        w.WriteString("url", url);
        w.WriteString("test_url", url + "/test");
        w.WriteString("ping_url", url + "/pings");
        w.WriteString("deliveries_url", url + "/deliveries");
        w.WriteStartObject("last_response");
        if (h.LastCode is { } code)
        {
            w.WriteNumber("code", code);
        }
        else
        {
            w.WriteNull("code");
        }

        w.WriteStringOrNull("status", h.LastStatus ?? "unused");
        w.WriteStringOrNull("message", h.LastMessage);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
