using System.Net;
using System.Text.RegularExpressions;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Hosting;

/// <summary>
/// Every answer carries a content security policy that allows no inline script, forbids framing and content-type
/// guessing; the pages have no inline script for that policy to block; the antiforgery cookie is Secure over HTTPS.
/// </summary>
public sealed partial class SecurityHeaderTests(AppWithGitHub env) : IClassFixture<AppWithGitHub>
{
    [Fact]
    public async Task Pages_the_API_and_errors_carry_the_security_headers()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("csp"));
        var link = await client.CreateLinkAsync();
        using var anonymous = env.Anonymous();

        foreach (var (who, path) in new[] { (client, "/"), (client, $"/links/{link}"), (client, "/logout"), (client, "/v1/whoami"),
                     (client, "/no/such/page"), (anonymous, "/"), (anonymous, "/v1/links"), (anonymous, "/css/site.css") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await who.SendAsync(request);

            var csp = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(",", values) : "";
            csp.Should().Contain("script-src 'self'", path).And.Contain("frame-ancestors 'none'", path)
                .And.NotContain("unsafe-inline", path).And.NotContain("unsafe-eval", path);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], path);
            response.Headers.GetValues("X-Frame-Options").Should().Equal(["DENY"], path);
        }
    }

    [Fact]
    public async Task The_dashboard_pages_have_no_inline_script_for_the_policy_to_block()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("inline"));
        var link = await client.CreateLinkAsync();

        foreach (var path in new[] { "/", $"/links/{link}", "/logout" })
        {
            var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

            ScriptTag().Matches(html).Select(m => m.Value).Where(tag => !tag.Contains(" src=\"/js/", StringComparison.Ordinal)).Should().BeEmpty(path);
            EventAttribute().Matches(html).Select(m => m.Value).Should().BeEmpty(path);
            html.Should().NotContain("javascript:", path).And.NotContain(" style=\"", path);
        }
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_Secure_over_HTTPS()
    {
        var login = AppWithGitHub.NewLogin("secure");
        env.GitHub.CreateUser(login);
        using var client = env.Anonymous(new Uri("https://localhost/"));
        var callback = await env.AuthorizeAsync(client, login);
        using var done = await client.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        using var page = await client.GetAsync(new Uri("/logout", UriKind.Relative));

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal))
            .ToLowerInvariant().Should().Contain("secure").And.Contain("httponly");
    }

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<[^>]+\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();
}

/// <summary>Behind a reverse proxy that terminates TLS, the antiforgery cookie is Secure too (the real process, so the
/// proxy's loopback address is the one the app sees).</summary>
[Slow(SlowAttribute.RealProcess)]
[Collection(RealProcessCollection.Name)]
public sealed class ProxiedCookieTests
{
    [Fact]
    public async Task Behind_an_HTTPS_proxy_the_antiforgery_cookie_is_Secure()
    {
        var clientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        await using var world = await ProcessWorld.StartAsync(new Dictionary<string, string?>
        {
            ["GitHub:ClientId"] = "proxy-client",
            ["GitHub:ClientSecret"] = clientSecret,
        });
        world.GitHub.State.OAuth.AddApp("proxy-client", clientSecret);
        world.GitHub.CreateUser("ada");
        await using var app = await world.StartAppAsync();

        foreach (var proxied in new[] { false, true })
        {
            // A browser of its own each time, so each gets its first antiforgery cookie.
            using var client = await world.SignInAsync(app, "ada");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/logout", UriKind.Relative));
            if (proxied)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
            }

            using var page = await client.SendAsync(request);

            page.StatusCode.Should().Be(HttpStatusCode.OK);
            var cookie = page.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? cookies.SingleOrDefault(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal))
                : null;
            if (proxied)
            {
                cookie.Should().NotBeNull();
                cookie!.ToLowerInvariant().Should().Contain("secure");
            }
            else
            {
                cookie.Should().NotBeNull();
                cookie!.ToLowerInvariant().Should().NotContain("secure");
            }
        }
    }
}
