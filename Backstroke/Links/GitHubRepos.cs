using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Backstroke.GitHub;

namespace Backstroke.Links;

internal sealed record RepoParent(string Owner, string Name, bool Private, string? DefaultBranch);

internal sealed record RepoDetails(bool Private, bool Fork, RepoParent? Parent, string? DefaultBranch, IReadOnlyList<string> Branches);

/// <summary>GitHub did not answer usefully (down, timed out, 5xx): the user should try again, nothing is wrong with the input.</summary>
internal sealed class GitHubUnavailableException(string message, Exception? inner = null, int status = StatusCodes.Status502BadGateway)
    : Exception(message, inner)
{
    public int Status { get; } = status;
}

/// <summary>
/// The questions the dashboard asks GitHub as the signed-in user: does a repository exist, what are its branches,
/// may this user write to it. Plain REST over the configured API URL, so Enterprise and the simulator work.
/// </summary>
internal sealed class GitHubRepos(GitHubClients github)
{
    /// <summary>Branch lists are for a picker: ten pages of 100 are plenty and bound the rate-limit cost.</summary>
    private const int MaxBranchPages = 10;

    /// <summary>GitHub answers 204 for a collaborator, 404 otherwise (and 403 to those who may not even ask).</summary>
    public async Task<bool> IsCollaboratorAsync(string token, string owner, string repo, string login, CancellationToken ct)
    {
        using var response = await SendAsync(token, $"repos/{E(owner)}/{E(repo)}/collaborators/{E(login)}", ct);
        return response.StatusCode switch
        {
            HttpStatusCode.NoContent => true,
            HttpStatusCode.NotFound or HttpStatusCode.Forbidden => false,
            _ => throw Unavailable(response),
        };
    }

    /// <summary>The repository and its branches, or null when it does not exist or the user cannot see it.</summary>
    public async Task<RepoDetails?> GetAsync(string token, string owner, string repo, CancellationToken ct)
    {
        JsonElement info;
        using (var response = await SendAsync(token, $"repos/{E(owner)}/{E(repo)}", ct))
        {
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.MovedPermanently)
            {
                return null;
            }

            info = await ReadJsonAsync(response, ct);
        }

        var branches = new List<string>();
        string? next = $"repos/{E(owner)}/{E(repo)}/branches?per_page=100";
        for (var page = 0; next is not null && page < MaxBranchPages; page++)
        {
            using var response = await SendAsync(token, next, ct);
            var list = await ReadJsonAsync(response, ct);
            branches.AddRange(list.EnumerateArray().Select(b => b.GetProperty("name").GetString()!));
            next = NextPage(response);
        }

        RepoParent? parent = null;
        if (info.TryGetProperty("parent", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            parent = new RepoParent(p.GetProperty("owner").GetProperty("login").GetString()!, p.GetProperty("name").GetString()!,
                p.TryGetProperty("private", out var pp) && pp.ValueKind == JsonValueKind.True, Str(p, "default_branch"));
        }

        return new RepoDetails(
            info.TryGetProperty("private", out var priv) && priv.ValueKind == JsonValueKind.True,
            info.TryGetProperty("fork", out var fork) && fork.ValueKind == JsonValueKind.True,
            parent,
            Str(info, "default_branch"),
            branches);
    }

    private async Task<HttpResponseMessage> SendAsync(string token, string url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        try
        {
            return await github.Rest.SendAsync(request, ct);
        }
        catch (HttpRequestException exception)
        {
            throw new GitHubUnavailableException("GitHub could not be reached; try again in a moment.", exception);
        }
        catch (GitHubRateLimitedException exception)
        {
            // The token's budget is spent (or GitHub asked us to hold off): say until when instead of failing vaguely.
            throw new GitHubUnavailableException($"Your GitHub rate limit is spent until {exception.Until:HH:mm} UTC; try again then.", exception, StatusCodes.Status503ServiceUnavailable);
        }
        catch (TaskCanceledException exception) when (!ct.IsCancellationRequested)
        {
            throw new GitHubUnavailableException("GitHub took too long to answer; try again in a moment.", exception);
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Unavailable(response);
        }

        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new GitHubUnavailableException("GitHub's answer could not be read; try again in a moment.", exception);
        }
    }

    /// <summary>GitHub's <c>Link</c> header names the next page with an absolute URL.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var part in string.Join(",", values).Split(','))
        {
            var segments = part.Split(';');
            if (segments.Length > 1 && segments[1..].Any(s => s.Trim() == "rel=\"next\""))
            {
                return segments[0].Trim().TrimStart('<').TrimEnd('>');
            }
        }

        return null;
    }

    private static GitHubUnavailableException Unavailable(HttpResponseMessage response) =>
        new($"GitHub answered {(int)response.StatusCode} {response.ReasonPhrase}; try again in a moment.");

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string E(string value) => Uri.EscapeDataString(value);
}
