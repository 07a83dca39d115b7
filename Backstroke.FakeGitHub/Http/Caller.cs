using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Http;

/// <summary>
/// Who is calling: the token's grant and account (an installation token's account is its App's bot), a GitHub App
/// signed in with its JWT, or nobody (anonymous).
/// </summary>
internal sealed record Caller(TokenGrant? Grant, Account? Account, Apps.AppRegistration? App = null)
{
    public static readonly Caller Anonymous = new(null, null);
}

internal static class HttpContextExtensions
{
    private static readonly object CallerKey = new();

    public static Caller Caller(this HttpContext ctx) => ctx.Items[CallerKey] as Caller ?? Http.Caller.Anonymous;

    public static void SetCaller(this HttpContext ctx, Caller caller) => ctx.Items[CallerKey] = caller;

    public static FakeGitHubState State(this HttpContext ctx) => ctx.RequestServices.GetRequiredService<FakeGitHubState>();

    /// <summary>
    /// The simulator's own absolute address, with a trailing slash. Octokit follows only absolute Link and
    /// Location URLs, so every URL the simulator writes starts here.
    /// </summary>
    public static string BaseUrl(this HttpContext ctx) => ctx.Request.Scheme + "://" + ctx.Request.Host.Value + "/";

    /// <summary>GitHub sends "Authorization: token T" (Octokit: "Token T") or "Bearer T".</summary>
    public static string? BearerToken(this HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = header[..space];
        return scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase)
            ? header[(space + 1)..].Trim()
            : null;
    }
}
