using Backstroke.GitHub;

namespace Backstroke.Polling;

/// <summary>What one check of an upstream branch found.</summary>
internal abstract record ProbeResult
{
    /// <summary>304: the stored ETag still matches, so the head has not moved. GitHub does not count it.</summary>
    public sealed record Unchanged : ProbeResult;

    public sealed record Head(string Sha, string? ETag) : ProbeResult;

    /// <summary>The check failed; <see cref="Message"/> is a sentence for the links' pages. <see cref="TokenProblem"/>:
    /// the token could not see the branch (404) or was refused (401), so another link owner's token may do.</summary>
    public sealed record Failed(string Message, bool TokenProblem = false) : ProbeResult;

    /// <summary>The token must not be spent before <see cref="Until"/>: not a failure of the link.</summary>
    public sealed record Deferred(DateTimeOffset Until) : ProbeResult;
}

/// <summary>
/// Asks GitHub for the head of an upstream branch in the cheapest way there is (a conditional bare-SHA read, see
/// <see cref="GitHubSession.GetBranchHeadAsync"/>), and says in a sentence what went wrong when it could not.
/// Polls and syncs share one budget per account.
/// </summary>
internal sealed class UpstreamProbe(GitHubClients github)
{
    public const string FailurePrefix = "Couldn't check the upstream ";
    public const string TokenRefused = "GitHub refused the link owner's token; they need to sign in to Backstroke again.";

    public async Task<ProbeResult> ProbeAsync(string token, string owner, string repo, string branch, string? etag, CancellationToken ct)
    {
        var where = $"{owner}/{repo}@{branch}";
        try
        {
            var head = await github.For(token).GetBranchHeadAsync(owner, repo, branch, etag, ct);
            return head.Sha is { } sha ? new ProbeResult.Head(sha, head.ETag) : new ProbeResult.Unchanged();
        }
        catch (GitHubException limited) when (limited is { Kind: GitHubFailure.RateLimited, Until: { } until })
        {
            return new ProbeResult.Deferred(until);
        }
        catch (GitHubException failure) when (!ct.IsCancellationRequested)
        {
            return Fail(where, failure.Status is 404 or 401, failure.Status switch
            {
                404 => $"the repository {owner}/{repo} doesn't exist, or the link owner's token cannot see it.",
                422 => $"the branch {branch} doesn't exist on {owner}/{repo}.",
                409 => $"the repository {owner}/{repo} is empty.",
                301 or 302 or 307 or 308 => $"the repository {owner}/{repo} was renamed or transferred; update the link's upstream.",
                401 => TokenRefused,
                // No answer (unreachable, too slow, a name refused before sending) or an unreadable one.
                null or 200 => failure.Message,
                _ => $"GitHub answered {failure.Status} {failure.Message}.",
            });
        }
    }

    private static ProbeResult.Failed Fail(string where, bool tokenProblem, string reason) => new(FailurePrefix + where + ": " + reason, tokenProblem);
}
