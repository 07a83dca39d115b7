using System.Net;
using System.Text.Json;

namespace Backstroke.GitHub;

/// <summary>GitHub answered with an error. <see cref="IsTransient"/> says whether trying again later can help.</summary>
internal sealed class GitHubApiException(int status, string message, IReadOnlyList<string> details)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The <c>errors[].message</c> (or field and code) of a 422, which say more than "Validation Failed".</summary>
    public IReadOnlyList<string> Details { get; } = details;

    public bool IsTransient => Status >= 500 || Status == (int)HttpStatusCode.RequestTimeout;

    public bool IsNotFound => Status == (int)HttpStatusCode.NotFound;

    /// <summary>GitHub's message with its details, as a user would want to read it.</summary>
    public string Describe() => Details.Count == 0 ? Message : $"{Message} ({string.Join("; ", Details)})";

    public bool Mentions(string text) =>
        Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Details.Any(d => d.Contains(text, StringComparison.OrdinalIgnoreCase));

    public static GitHubApiException From(Octokit.ApiException exception)
    {
        var details = exception.ApiError?.Errors?
            .Select(e => e.Message ?? $"{e.Resource} {e.Field} {e.Code}".Trim())
            .ToList() ?? [];
        var message = exception.ApiError?.Message ?? exception.Message;
        return new GitHubApiException((int)exception.StatusCode, message, details);
    }

    public static async Task<GitHubApiException> FromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        var message = response.ReasonPhrase ?? "Error";
        var details = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString()!;
            }

            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                details.AddRange(errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()
                        : e.TryGetProperty("message", out var em) ? em.GetString() : e.GetRawText())
                    .OfType<string>());
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the reason phrase is all there is.
        }

        return new GitHubApiException((int)response.StatusCode, message, details);
    }
}

/// <summary>
/// The token may not send anything before <see cref="Until"/>: its primary budget is spent, or GitHub asked to wait
/// (secondary limit, <c>retry-after</c>). Not a failure of the sync: the work waits and goes on.
/// </summary>
internal sealed class GitHubRateLimitedException(DateTimeOffset until, bool secondary)
    : Exception($"GitHub rate limit reached; waiting until {until:u}.")
{
    public DateTimeOffset Until { get; } = until;

    /// <summary>A secondary limit is GitHub pushing back on how we call it, so it counts as a failed attempt.</summary>
    public bool Secondary { get; } = secondary;
}
