using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Backstroke.GitHub;

namespace Backstroke.Webhooks;

/// <summary>A repository's place in its fork network, as classic webhooks need it.</summary>
internal sealed record NetworkRepo(string Owner, string Name, string DefaultBranch);

/// <summary>
/// The two reads classic webhooks make that the sync engine's gateway has no call for: a fork's parent and the first
/// page of a repository's forks. They go through the same <see cref="RateLimitHandler"/>, so they share the bot
/// token's budget with everything else.
/// </summary>
internal sealed class ClassicGitHub(GitHubClients github)
{
    /// <summary>The parent of <paramref name="owner"/>/<paramref name="repo"/>, or null when it is not a fork.</summary>
    public async Task<NetworkRepo?> ParentAsync(string token, string owner, string repo, CancellationToken ct)
    {
        using var json = await GetAsync(token, $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo)}", ct);
        return json.RootElement.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object ? Read(parent) : null;
    }

    /// <summary>The first page of direct forks, as the original service took them.</summary>
    public async Task<IReadOnlyList<NetworkRepo>> FirstForksAsync(string token, string owner, string repo, CancellationToken ct)
    {
        using var json = await GetAsync(token, $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo)}/forks?per_page=100", ct);
        return [.. json.RootElement.EnumerateArray().Select(Read)];
    }

    private async Task<JsonDocument> GetAsync(string token, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await github.Rest.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await GitHubApiException.FromAsync(response, ct);
        }

        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
    }

    private static NetworkRepo Read(JsonElement repo) => new(
        repo.GetProperty("owner").GetProperty("login").GetString()!,
        repo.GetProperty("name").GetString()!,
        repo.GetProperty("default_branch").GetString()!);
}
