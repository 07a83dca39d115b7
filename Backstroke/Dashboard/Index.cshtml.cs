using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Backstroke.Dashboard;

internal sealed class IndexModel(IOptions<GitHubOptions> github, IOptions<BackstrokeOptions> backstroke) : PageModel
{
    public bool OAuthConfigured => github.Value.OAuthConfigured;

    /// <summary>Where GitHub's form for a new OAuth app lives (github.com or an Enterprise server).</summary>
    public string NewOAuthAppUrl => new Uri(github.Value.WebUri, "settings/applications/new").ToString();

    public string HomepageUrl => backstroke.Value.PublicUrl.TrimEnd('/');

    public string CallbackUrl => backstroke.Value.Url("/auth/github/callback");
}
