using System.Net;
using System.Text.Json;

namespace Backstroke.GitHub;

/// <summary>What kind of trouble a GitHub call ran into, which decides what its caller does next.</summary>
internal enum GitHubFailure
{
    /// <summary>5xx, a timeout, a connection error or an unreadable answer: trying again later can help.</summary>
    Transient,

    /// <summary>The token must not send before <see cref="GitHubException.Until"/> (primary budget spent, or GitHub asked to wait).</summary>
    RateLimited,

    NotFound,

    /// <summary>403 or 451: the repository is blocked, protected by SAML, or the token may not do this.</summary>
    Forbidden,

    /// <summary>401: GitHub no longer accepts the token.</summary>
    BadCredentials,

    /// <summary>422 or 400 from GitHub, or a name Backstroke refused before sending anything (then no status).</summary>
    Validation,

    /// <summary>The token lacks a scope the change needs (the <c>workflow</c> scope for workflow files).</summary>
    NeedsScope,

    /// <summary>The GitHub App's installation gives no token: it was removed or suspended on GitHub, or this Backstroke
    /// has no App key. Nothing can be done with it until that changes.</summary>
    InstallationUnavailable,

    /// <summary>Any other refusal (409 empty repository, 410 gone, a redirect that was not followed).</summary>
    Refused,
}

/// <summary>
/// The one error of the GitHub gateway: GitHub's status and message (with a 422's details), or why no request was
/// sent, and the <see cref="Kind"/> callers decide on. Nothing else leaves the gateway.
/// </summary>
internal sealed class GitHubException : Exception
{
    public GitHubException(GitHubFailure kind, int? status, string message, IReadOnlyList<string>? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
        Details = details ?? [];
    }

    public GitHubFailure Kind { get; }

    /// <summary>GitHub's HTTP status, or null when no answer came (or nothing was sent).</summary>
    public int? Status { get; }

    /// <summary>The <c>errors[].message</c> (or field and code) of a 422, which say more than "Validation Failed".</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>For <see cref="GitHubFailure.RateLimited"/>: when the token may send again.</summary>
    public DateTimeOffset? Until { get; private init; }

    /// <summary>A secondary limit is GitHub pushing back on how we call it, so it counts as a failed attempt.</summary>
    public bool Secondary { get; private init; }

    /// <summary>Nothing was sent because GitHub asked the account to hold off for a while (<c>retry-after</c>), not
    /// because its budget is spent.</summary>
    public bool Held { get; private init; }

    /// <summary>Trying again later can help: GitHub was down or slow, or asked us to wait.</summary>
    public bool IsTransient => Kind is GitHubFailure.Transient or GitHubFailure.RateLimited;

    public bool IsNotFound => Kind == GitHubFailure.NotFound;

    /// <summary>GitHub's message with its details, as a user would want to read it.</summary>
    public string Describe() => Details.Count == 0 ? Message : $"{Message} ({string.Join("; ", Details)})";

    public bool Mentions(string text) =>
        Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Details.Any(d => d.Contains(text, StringComparison.OrdinalIgnoreCase));

    /// <summary>A name that must not reach a GitHub URL: refused before anything is sent.</summary>
    public static GitHubException Invalid(string sentence) => new(GitHubFailure.Validation, null, sentence);

    public static GitHubException RateLimited(DateTimeOffset until, bool secondary, bool held = false) =>
        new(GitHubFailure.RateLimited, null, $"GitHub rate limit reached; waiting until {until:u}.") { Until = until, Secondary = secondary, Held = held };

    public static GitHubException Unreachable(string message, Exception inner) => new(GitHubFailure.Transient, null, message, inner: inner);

    /// <summary>Reads GitHub's error body (<c>message</c>, <c>errors</c>) and classifies the answer.</summary>
    public static async Task<GitHubException> FromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var message = response.ReasonPhrase ?? "Error";
        var details = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    message = m.GetString()!;
                }

                if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    details.AddRange(errors.EnumerateArray().Select(Detail).OfType<string>());
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the reason phrase is all there is.
        }

        return new GitHubException(Classify(status, message, details), status, message, details);
    }

    private static GitHubFailure Classify(int status, string message, List<string> details)
    {
        // GitHub refuses workflow-file changes from a token without the scope, as 422 or (for refs) an opaque 404.
        if (status is 404 or 422 && (message.Contains("workflow", StringComparison.OrdinalIgnoreCase)
            || details.Any(d => d.Contains("workflow", StringComparison.OrdinalIgnoreCase))))
        {
            return GitHubFailure.NeedsScope;
        }

        return status switch
        {
            >= 500 or (int)HttpStatusCode.RequestTimeout => GitHubFailure.Transient,
            (int)HttpStatusCode.NotFound => GitHubFailure.NotFound,
            (int)HttpStatusCode.Unauthorized => GitHubFailure.BadCredentials,
            (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.UnavailableForLegalReasons => GitHubFailure.Forbidden,
            (int)HttpStatusCode.UnprocessableEntity or (int)HttpStatusCode.BadRequest => GitHubFailure.Validation,
            _ => GitHubFailure.Refused,
        };
    }

    private static string? Detail(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString(),
        JsonValueKind.Object when error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
        JsonValueKind.Object => string.Join(' ', new[] { "resource", "field", "code" }
            .Select(k => error.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).OfType<string>()),
        _ => error.GetRawText(),
    };
}
