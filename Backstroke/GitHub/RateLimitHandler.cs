using System.Globalization;
using System.Net;
using Backstroke.Hosting;

namespace Backstroke.GitHub;

/// <summary>
/// Sits under every GitHub request: refuses to send for a token that must wait, and reads the
/// rate-limit headers of every answer into <see cref="RateLimitBudgets"/>. Rate-limit refusals become
/// a <see cref="GitHubException"/> of kind <see cref="GitHubFailure.RateLimited"/> so the caller waits instead of failing. Every answer is counted in
/// <paramref name="metrics"/> by status code.
/// </summary>
internal sealed class RateLimitHandler(RateLimitBudgets budgets, TimeProvider time, BackstrokeMetrics metrics) : DelegatingHandler
{
    private static readonly TimeSpan SecondaryDefaultWait = TimeSpan.FromMinutes(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = RateLimitBudgets.KeyFor(request.Headers.Authorization?.Parameter);
        if (budgets.BlockedUntil(key) is { } until)
        {
            throw GitHubException.RateLimited(until, secondary: false);
        }

        using var linked = GitHubCancellation.Current.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, GitHubCancellation.Current)
            : null;
        cancellationToken = linked?.Token ?? cancellationToken;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.GitHubResponded(null);
            throw;
        }

        metrics.GitHubResponded((int)response.StatusCode);
        var remaining = Header(response, "x-ratelimit-remaining");
        if (Header(response, "x-ratelimit-limit") is { } limit && remaining is { } left && Header(response, "x-ratelimit-reset") is { } reset
            && (response.Headers.TryGetValues("x-ratelimit-resource", out var resource) is false || resource.Contains("core")))
        {
            budgets.Observe(key, (int)limit, (int)left, DateTimeOffset.FromUnixTimeSeconds(reset));
        }

        var retryAfter = RetryAfter(response);
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
        {
            if (remaining == 0 && Header(response, "x-ratelimit-reset") is { } resetAt)
            {
                response.Dispose();
                throw GitHubException.RateLimited(RateLimitBudgets.ResumeAt(DateTimeOffset.FromUnixTimeSeconds(resetAt)), secondary: false);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (retryAfter is not null || response.StatusCode == HttpStatusCode.TooManyRequests
                || body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase))
            {
                var holdUntil = time.GetUtcNow() + (retryAfter ?? SecondaryDefaultWait);
                budgets.Hold(key, holdUntil);
                response.Dispose();
                throw GitHubException.RateLimited(holdUntil, secondary: true);
            }
        }
        else if (retryAfter is { } wait)
        {
            // A 503 with retry-after: the failure itself is handled by the caller; the wait applies to the token.
            budgets.Hold(key, time.GetUtcNow() + wait);
        }

        return response;
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };
}
