using System.Net;
using System.Net.Http.Headers;
using Backstroke.GitHub;

namespace Backstroke.Polling;

/// <summary>What one check of an upstream branch found.</summary>
internal abstract record ProbeResult
{
    /// <summary>304: the stored ETag still matches, so the head has not moved. GitHub does not count it.</summary>
    public sealed record Unchanged : ProbeResult;

    public sealed record Head(string Sha, string? ETag) : ProbeResult;

    /// <summary>The check failed; <see cref="Message"/> is a sentence for the link's page.</summary>
    public sealed record Failed(string Message) : ProbeResult;

    /// <summary>The token must not be spent before <see cref="Until"/>: not a failure of the link.</summary>
    public sealed record Deferred(DateTimeOffset Until) : ProbeResult;
}

/// <summary>
/// Asks GitHub for the head of an upstream branch in the cheapest way there is: the bare SHA
/// (<c>application/vnd.github.sha</c>) with <c>If-None-Match</c>, so an unchanged branch costs a 304 and no rate limit.
/// It goes through the sync engine's <see cref="RateLimitHandler"/>, so polls and syncs share one budget per token.
/// </summary>
internal sealed class UpstreamProbe(GitHubClients github)
{
    public const string FailurePrefix = "Couldn't check the upstream ";

    private static readonly MediaTypeWithQualityHeaderValue BareSha = new("application/vnd.github.sha");

    public async Task<ProbeResult> ProbeAsync(string token, string owner, string repo, string branch, string? etag, CancellationToken ct)
    {
        var where = $"{owner}/{repo}@{branch}";
        var path = $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo)}/commits/{string.Join('/', branch.Split('/').Select(Uri.EscapeDataString))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        request.Headers.Accept.Add(BareSha);
        if (!string.IsNullOrEmpty(etag))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        try
        {
            // The shared client follows no redirect: a renamed repository's 301 is reported, not chased with the token.
            using var response = await github.Rest.SendAsync(request, ct);
            return response.StatusCode switch
            {
                HttpStatusCode.NotModified => new ProbeResult.Unchanged(),
                HttpStatusCode.OK => await ReadHeadAsync(response, where, ct),
                HttpStatusCode.NotFound => Fail(where, $"the repository {owner}/{repo} doesn't exist, or the link owner's token cannot see it."),
                HttpStatusCode.UnprocessableEntity => Fail(where, $"the branch {branch} doesn't exist on {owner}/{repo}."),
                HttpStatusCode.Conflict => Fail(where, $"the repository {owner}/{repo} is empty."),
                HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
                    => Fail(where, $"the repository {owner}/{repo} was renamed or transferred; update the link's upstream."),
                HttpStatusCode.Unauthorized => Fail(where, "GitHub refused the link owner's token; they need to sign in to Backstroke again."),
                _ => Fail(where, $"GitHub answered {(int)response.StatusCode} {(await GitHubApiException.FromAsync(response, ct)).Message}."),
            };
        }
        catch (GitHubRateLimitedException limited)
        {
            return new ProbeResult.Deferred(limited.Until);
        }
        catch (HttpRequestException failure)
        {
            return Fail(where, $"GitHub could not be reached ({failure.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fail(where, "GitHub did not answer in time.");
        }
    }

    private static async Task<ProbeResult> ReadHeadAsync(HttpResponseMessage response, string where, CancellationToken ct)
    {
        var sha = (await response.Content.ReadAsStringAsync(ct)).Trim();
        return sha.Length is >= 40 and <= 64 && sha.All(char.IsAsciiHexDigit)
            ? new ProbeResult.Head(sha, response.Headers.ETag?.ToString())
            : Fail(where, "GitHub's answer was not a commit SHA.");
    }

    private static ProbeResult.Failed Fail(string where, string reason) => new(FailurePrefix + where + ": " + reason);
}
