using System.Globalization;
using System.Net;
using System.Text.Json;
using Backstroke.Hosting;

namespace Backstroke.GitHub;

/// <summary>
/// Sits under every GitHub request: refuses to send for an account that must wait, waits for room under the
/// secondary limits (<see cref="SecondaryLimitPacer"/>), and reads the rate-limit headers of every answer into
/// <see cref="RateLimitBudgets"/>. Rate-limit refusals become a <see cref="GitHubException"/> of kind
/// <see cref="GitHubFailure.RateLimited"/> so the caller waits instead of failing; a secondary-limit refusal backs the
/// account off exponentially. Every answer is counted in <paramref name="metrics"/> by status code.
/// </summary>
internal sealed class RateLimitHandler(RateLimitBudgets budgets, SecondaryLimitPacer pacer, Uri apiRoot, TimeProvider time, BackstrokeMetrics metrics)
    : DelegatingHandler
{
    private readonly string userPath = new Uri(apiRoot, "user").AbsolutePath;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = request.Headers.Authorization?.Parameter;
        var account = budgets.AccountOf(token);
        if (budgets.BlockedUntil(account) is { } until)
        {
            throw GitHubException.RateLimited(until, secondary: false, held: budgets.HeldUntil(account) == until);
        }

        using var linked = GitHubCancellation.Current.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, GitHubCancellation.Current)
            : null;
        cancellationToken = linked?.Token ?? cancellationToken;
        HttpResponseMessage response;
        using (await pacer.EnterAsync(account, request.Method, cancellationToken))
        {
            // Checked again with this request's slot taken: the others in flight may spend what is left.
            if (budgets.BlockedUntil(account, pacer.InFlight(account) - 1) is { } spent)
            {
                throw GitHubException.RateLimited(spent, secondary: false);
            }

            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.GitHubResponded(null);
                throw;
            }
        }

        metrics.GitHubResponded((int)response.StatusCode);
        if (token is not null && response.StatusCode == HttpStatusCode.OK && request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath == userPath)
        {
            account = await LearnAccountAsync(token, response, account, cancellationToken);
        }

        var remaining = Header(response, "x-ratelimit-remaining");
        if (Header(response, "x-ratelimit-limit") is { } limit && remaining is { } left && Header(response, "x-ratelimit-reset") is { } reset
            && (response.Headers.TryGetValues("x-ratelimit-resource", out var resource) is false || resource.Contains("core")))
        {
            budgets.Observe(account, (int)limit, (int)left, DateTimeOffset.FromUnixTimeSeconds(reset));
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
                var holdUntil = budgets.Refused(account, retryAfter);
                response.Dispose();
                throw GitHubException.RateLimited(holdUntil, secondary: true);
            }
        }
        else if (retryAfter is { } wait)
        {
            // A 503 with retry-after: the failure itself is handled by the caller; the wait applies to the account.
            budgets.Hold(account, time.GetUtcNow() + wait);
        }

        if ((int)response.StatusCode < 400)
        {
            budgets.Succeeded(account);
        }

        return response;
    }

    /// <summary>
    /// A <c>GET /user</c> answer names the user behind the token, the account GitHub counts its requests against.
    /// The body is buffered so that the caller still reads it.
    /// </summary>
    private async Task<string> LearnAccountAsync(string token, HttpResponseMessage response, string account, CancellationToken ct)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(ct);
            using var profile = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (profile.RootElement.ValueKind == JsonValueKind.Object && profile.RootElement.TryGetProperty("id", out var id) && id.TryGetInt64(out var userId))
            {
                budgets.LearnAccount(token, userId);
                return budgets.AccountOf(token);
            }
        }
        catch (JsonException)
        {
            // Not a profile: the caller reports it; the token keeps its own budget.
        }

        return account;
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
