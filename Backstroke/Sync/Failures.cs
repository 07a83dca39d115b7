using Backstroke.GitHub;

namespace Backstroke.Sync;

/// <summary>Which failures are worth another try (docs/sync-rules.md#retries-and-rate-limits), how long to wait, and how to say what went wrong.</summary>
internal static class Failures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        // The gateway reports every GitHub trouble (timeouts and broken connections included) as a GitHubException.
        GitHubException github => github.IsTransient,
        TimeoutException or IOException => true,
        _ => false,
    };

    /// <summary>Exponential, with "equal jitter": half fixed, half random, so retries of many links spread out.</summary>
    public static TimeSpan Backoff(int attempt, SyncOptions options)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    public static string Describe(Exception exception) => exception switch
    {
        GitHubException { Status: null } github => github.Message,
        GitHubException github => $"GitHub answered {github.Status}: {github.Describe()}",
        TimeoutException => "the operation timed out",
        _ => exception.Message,
    };

    /// <summary>The sentence for a failure that trying again would not fix.</summary>
    public static string Permanent(Exception exception) => exception switch
    {
        GitHubException { Status: 401 } => "GitHub refused the link owner's token (401 Bad credentials); they need to sign in to Backstroke again.",
        GitHubException { Status: null } github => github.Message,
        GitHubException github => $"GitHub refused the request ({github.Status}): {github.Describe()}",
        _ => $"Unexpected error: {exception.Message}",
    };
}
