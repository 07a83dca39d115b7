using System.Text.Json;
using Backstroke.GitHub;

namespace Backstroke.Webhooks;

/// <summary>A repository as <c>owner/name</c>. GitHub treats both parts case-insensitively.</summary>
internal readonly record struct RepoName(string Owner, string Name)
{
    public override string ToString() => $"{Owner}/{Name}";
}

/// <summary>A payload field was missing or of the wrong type; the message is a sentence for the sender.</summary>
internal sealed class PayloadException(string message) : Exception(message);

/// <summary>Reads the few fields Backstroke needs from GitHub's webhook payloads, tolerating everything else.</summary>
internal static class WebhookPayloads
{
    /// <summary>The repository a payload is about. <c>full_name</c> is the reliable field: some payloads (older pushes)
    /// give the owner as <c>name</c> rather than <c>login</c>.</summary>
    public static RepoName Repository(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadException("The payload has no 'repository' object.");
        }

        if (String(repository, "full_name") is { } fullName && fullName.Split('/') is [{ Length: > 0 } owner, { Length: > 0 } name])
        {
            return Checked(owner, name);
        }

        var ownerLogin = repository.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.Object
            ? String(o, "login") ?? String(o, "name")
            : null;
        return ownerLogin is not null && String(repository, "name") is { } repoName
            ? Checked(ownerLogin, repoName)
            : throw new PayloadException("The payload's 'repository' has neither 'full_name' nor 'owner.login' and 'name'.");
    }

    /// <summary>A payload's names end up in links and GitHub addresses: they must follow GitHub's own rules.</summary>
    private static RepoName Checked(string owner, string name) =>
        GitHubNames.IsOwner(owner) && GitHubNames.IsRepo(name)
            ? new RepoName(owner, name)
            : throw new PayloadException($"The payload's repository '{GitHubNames.Shown(owner)}/{GitHubNames.Shown(name)}' is not a valid GitHub owner and repository name.");

    public static string? String(JsonElement element, params ReadOnlySpan<string> path) => JsonText.Str(element, path);

    public static bool Bool(JsonElement element, string name) => JsonText.Bool(element, name);
}
