using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

/// <summary>The <c>GitHub</c> section. The URLs are settings so that GitHub Enterprise and the simulator work.</summary>
internal sealed class GitHubOptions
{
    public const string Section = "GitHub";

    public string ApiUrl { get; set; } = "https://api.github.com/";
    public string WebUrl { get; set; } = "https://github.com/";
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>When set, writes (pull requests, ref updates, labels) use this token instead of the link owner's.</summary>
    public string? BotToken { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Requests a token keeps unused: at this many left, its work waits for the reset.</summary>
    public int RateLimitReserve { get; set; }

    /// <summary>How long one GitHub request may take before it counts as a (transient) failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>GitHub's secondary limits, which Backstroke keeps to per account, and how it backs off when told.</summary>
    public SecondaryLimitOptions SecondaryLimits { get; set; } = new();

    /// <summary>Sign-in works only with both halves of an OAuth app; without them the home page explains the setup.</summary>
    public bool OAuthConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    public Uri ApiUri => new(ApiUrl.TrimEnd('/') + "/");
    public Uri WebUri => new(WebUrl.TrimEnd('/') + "/");

    /// <summary>Where the OAuth web flow sends the user to consent (on the web host, not the API).</summary>
    public string AuthorizationEndpoint => new Uri(WebUri, "login/oauth/authorize").ToString();

    /// <summary>GitHub's form for registering a new OAuth app (github.com or an Enterprise server).</summary>
    public string NewOAuthAppUrl => new Uri(WebUri, "settings/applications/new").ToString();

    public string TokenEndpoint => new Uri(WebUri, "login/oauth/access_token").ToString();

    /// <summary>The API's "who is this token" address; sign-in reads it through <see cref="GitHubSession.GetUserAsync"/>.</summary>
    public string UserInformationEndpoint => new Uri(ApiUri, "user").ToString();

    /// <summary>
    /// GitHub's compare page of a branch with a branch of another fork, each name escaped as in API paths. A head
    /// repository of the same owner is named too (<c>owner:repo:branch</c>), since <c>owner:branch</c> would be this one.
    /// </summary>
    public string CompareUrl(string owner, string repo, string @base, string headOwner, string headRepo, string head) =>
        new Uri(WebUri, $"{Uri.EscapeDataString(GitHubNames.RequireOwner(owner))}/{Uri.EscapeDataString(GitHubNames.RequireRepo(repo))}/compare/"
            + $"{GitHubPath.EscapeBranch(@base)}...{Uri.EscapeDataString(GitHubNames.RequireOwner(headOwner))}:"
            + (string.Equals(owner, headOwner, StringComparison.OrdinalIgnoreCase) ? Uri.EscapeDataString(GitHubNames.RequireRepo(headRepo)) + ":" : "")
            + GitHubPath.EscapeBranch(head)).ToString();
}

internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var failures = new List<string>();
        if (!Urls.IsHttpUrl(options.ApiUrl))
        {
            failures.Add($"GitHub:ApiUrl must be an absolute http or https URL, such as https://api.github.com/ (got '{options.ApiUrl}').");
        }

        if (!Urls.IsHttpUrl(options.WebUrl))
        {
            failures.Add($"GitHub:WebUrl must be an absolute http or https URL, such as https://github.com/ (got '{options.WebUrl}').");
        }

        if (options.RateLimitReserve is < 0 or > 10_000)
        {
            failures.Add($"GitHub:RateLimitReserve must be between 0 and 10000 (got {options.RateLimitReserve}).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"GitHub:RequestTimeout must be between 00:00:01 and 00:10:00 (got {options.RequestTimeout}).");
        }

        failures.AddRange(options.SecondaryLimits.Validate());

        // Half an OAuth app is a mistake worth stopping for; none at all is a valid first run.
        if (string.IsNullOrWhiteSpace(options.ClientId) != string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add(string.IsNullOrWhiteSpace(options.ClientId)
                ? "GitHub:ClientId is missing while GitHub:ClientSecret is set; set both or neither."
                : "GitHub:ClientSecret is missing while GitHub:ClientId is set; set both or neither.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
