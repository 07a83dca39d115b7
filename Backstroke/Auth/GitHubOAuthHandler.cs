using System.Text.Encodings.Web;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;

namespace Backstroke.Auth;

/// <summary>
/// ASP.NET Core's OAuth handler, with the callback address taken from <c>Backstroke:PublicUrl</c>: behind a proxy the
/// request's own host is not the address registered with GitHub, and GitHub refuses any other redirect_uri.
/// </summary>
internal sealed class GitHubOAuthHandler(
    IOptionsMonitor<OAuthOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<BackstrokeOptions> backstroke) : OAuthHandler<OAuthOptions>(options, logger, encoder)
{
    public const string BackchannelName = "GitHub.OAuth";

    protected override string BuildChallengeUrl(AuthenticationProperties properties, string redirectUri) =>
        base.BuildChallengeUrl(properties, PublicCallbackUrl);

    /// <summary>GitHub insists that the exchange names the same redirect_uri as the authorization request.</summary>
    protected override Task<OAuthTokenResponse> ExchangeCodeAsync(OAuthCodeExchangeContext context) =>
        base.ExchangeCodeAsync(new OAuthCodeExchangeContext(context.Properties, context.Code, PublicCallbackUrl));

    private string PublicCallbackUrl => backstroke.Value.Url(Options.CallbackPath);
}
