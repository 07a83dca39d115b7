using System.Net;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Auth;

public sealed class SignInTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    [Fact]
    public async Task Signing_in_through_GitHub_creates_the_user_with_an_encrypted_token_and_the_granted_scopes()
    {
        var login = AppWithGitHub.NewLogin("ada");
        using var client = await env.SignInAsync(login);

        var user = await env.App.WithDbAsync(db => db.Users.SingleAsync(u => u.Login == login));
        user.GitHubId.Should().BePositive();
        user.AvatarUrl.Should().NotBeNullOrEmpty();
        user.Scopes.Split(',').Should().Contain("repo");
        user.LastLoginAt.Should().NotBeNull();
        user.AccessTokenProtected.Should().NotBeNullOrEmpty().And.NotStartWith("gho_", "the token is stored encrypted");
        var token = env.App.Services.GetRequiredService<TokenProtector>().Unprotect(user.AccessTokenProtected);
        token.Should().StartWith("gho_", "the stored token is the one GitHub issued");

        var whoami = await client.GetJsonAsync("/v1/whoami");
        whoami.GetProperty("login").GetString().Should().Be(login);
        whoami.GetProperty("id").GetInt64().Should().Be(user.GitHubId);
        whoami.GetRawText().Should().NotContain(token!).And.NotContain("accessToken");
    }

    [Fact]
    public async Task The_public_sign_in_asks_GitHub_for_public_repositories_only()
    {
        var login = AppWithGitHub.NewLogin("pub");
        env.GitHub.CreateUser(login);
        using var client = env.Anonymous();

        using var challenge = await client.GetAsync(new Uri("/setup/login/public", UriKind.Relative));
        var query = System.Web.HttpUtility.ParseQueryString(challenge.Headers.Location!.Query);
        query["scope"].Should().Be("public_repo");
        query["redirect_uri"].Should().Be(new Uri(AppWithGitHub.AppAddress, "/auth/github/callback").ToString());
        query["state"].Should().NotBeNullOrEmpty();

        using var signedIn = await env.SignInAsync(login, "/setup/login/public");
        var user = await env.App.WithDbAsync(db => db.Users.SingleAsync(u => u.Login == login));
        user.Scopes.Should().Be("public_repo");
    }

    [Fact]
    public async Task Signing_in_again_updates_the_same_user_with_the_new_token()
    {
        var login = AppWithGitHub.NewLogin("again");
        using var first = await env.SignInAsync(login);
        var before = await env.App.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Login == login));

        using var second = await env.SignInAsync(login);

        var after = await env.App.WithDbAsync(db => db.Users.AsNoTracking().Where(u => u.Login == login).ToListAsync());
        after.Should().ContainSingle().Which.Id.Should().Be(before.Id);
        after[0].AccessTokenProtected.Should().NotBe(before.AccessTokenProtected);
        after[0].LastLoginAt.Should().BeOnOrAfter(before.LastLoginAt!.Value);
    }

    [Fact]
    public async Task A_callback_whose_state_was_not_issued_to_this_browser_signs_nobody_in()
    {
        var login = AppWithGitHub.NewLogin("csrf");
        env.GitHub.CreateUser(login);
        using var attacker = env.Anonymous();
        var callback = await env.AuthorizeAsync(attacker, login);

        // The victim's browser never started this sign-in, so it has no correlation cookie for that state.
        using var victim = env.Anonymous();
        using var response = await victim.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be("/?signin=failed");
        using var whoami = await victim.GetAsync(new Uri("/v1/whoami", UriKind.Relative));
        whoami.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await env.App.WithDbAsync(db => db.Users.AnyAsync(u => u.Login == login))).Should().BeFalse();
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0A/evil.example")]
    [InlineData("/%0D%0ASet-Cookie:%20backstroke=x")]
    [InlineData("/caf%C3%A9")]
    [InlineData("//evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/%2509/evil.example")]
    public async Task A_return_address_that_is_not_a_plain_local_path_leads_home_after_sign_in(string returnUrl)
    {
        var login = AppWithGitHub.NewLogin("ret");
        env.GitHub.CreateUser(login);
        using var client = env.Anonymous();
        var callback = await env.AuthorizeAsync(client, login, "/setup/login?returnUrl=" + returnUrl);

        using var done = await client.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        done.StatusCode.Should().Be(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        done.Headers.GetValues("Location").Should().Equal(["/"], "a browser must land on this site, whatever it makes of the address");
        (await client.GetAsync(new Uri("/v1/whoami", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "the sign-in itself worked");
    }

    [Fact]
    public async Task A_local_return_address_is_followed_after_sign_in()
    {
        var login = AppWithGitHub.NewLogin("back");
        env.GitHub.CreateUser(login);
        using var client = env.Anonymous();
        var callback = await env.AuthorizeAsync(client, login, "/setup/login?returnUrl=" + Uri.EscapeDataString("/links/abc-1_x?tab=runs&page=2"));

        using var done = await client.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        done.Headers.GetValues("Location").Should().Equal("/links/abc-1_x?tab=runs&page=2");
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_Lax_and_Secure_over_HTTPS()
    {
        var login = AppWithGitHub.NewLogin("cookie");
        env.GitHub.CreateUser(login);

        foreach (var https in new[] { false, true })
        {
            var address = https ? new Uri("https://localhost/") : AppWithGitHub.AppAddress;
            using var client = env.Anonymous(address);
            var callback = await env.AuthorizeAsync(client, login);
            using var done = await client.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

            var cookie = done.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("backstroke=", StringComparison.Ordinal)).ToLowerInvariant();
            cookie.Should().Contain("httponly").And.Contain("samesite=lax");
            if (https)
            {
                cookie.Should().Contain("secure");
            }
            else
            {
                cookie.Should().NotContain("secure");
            }
        }
    }

    [Fact]
    public async Task Signing_out_ends_every_session_of_the_user_even_a_copied_cookie()
    {
        var login = AppWithGitHub.NewLogin("bye");
        env.GitHub.CreateUser(login);
        using var browser = env.Anonymous();
        using var signedIn = await browser.GetAsync(new Uri((await env.AuthorizeAsync(browser, login)).PathAndQuery, UriKind.Relative));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("backstroke=", StringComparison.Ordinal)).Split(';')[0];
        using var otherDevice = await env.SignInAsync(login);
        using var copied = env.Anonymous();
        copied.DefaultRequestHeaders.Add("Cookie", cookie);
        foreach (var client in new[] { browser, otherDevice, copied })
        {
            (await client.GetAsync(new Uri("/v1/whoami", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var logout = await browser.SubmitAsync("/logout", "/logout", []);

        logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        foreach (var client in new[] { browser, otherDevice, copied })
        {
            using var whoami = await client.GetAsync(new Uri("/v1/whoami", UriKind.Relative));
            whoami.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "sign-out revokes every session, including copies of the cookie");
            (await whoami.ErrorOf()).Should().Contain("/setup/login");
        }

        using var again = await env.SignInAsync(login);
        (await again.GetAsync(new Uri("/v1/whoami", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "signing in again works");
    }

    [Fact]
    public async Task Get_logout_shows_the_sign_out_button_and_signs_nobody_out()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("page"));

        using var page = await client.GetAsync(new Uri("/logout", UriKind.Relative));

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("<form method=\"post\" action=\"/logout\">").And.Contain("__RequestVerificationToken").And.Contain("<button type=\"submit\">Sign out");
        (await client.GetAsync(new Uri("/v1/whoami", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_dashboard_page_signs_out_through_a_form_not_a_link()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("layout"));

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().NotContain("href=\"/logout\"", "a link can be followed by any other site's image tag");
        html.Should().MatchRegex("<form[^>]*method=\"post\"[^>]*action=\"/logout\"[^>]*>\\s*<button[^>]*>Sign out</button>\\s*<input name=\"__RequestVerificationToken\"");
    }

    [Fact]
    public async Task A_sign_out_posted_without_the_antiforgery_token_is_refused_with_a_sentence()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("forged"));

        using var forged = await client.PostAsync(new Uri("/logout", UriKind.Relative), new FormUrlEncodedContent([]));

        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync()).Should().Contain("This sign-out form has expired or came from another site.");
        (await client.GetAsync(new Uri("/v1/whoami", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "a forged sign-out signs nobody out");
    }

    [Fact]
    public async Task A_signed_out_visitor_to_the_API_gets_401_with_a_sentence_instead_of_a_redirect()
    {
        using var client = env.Anonymous();

        using var response = await client.GetAsync(new Uri("/v1/links", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.ErrorOf()).Should().Be("Sign in with GitHub first: visit /setup/login.");
    }
}

public sealed class SignInSetupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Without_an_OAuth_app_the_sign_in_routes_lead_to_the_setup_explanation()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var login = await client.GetAsync(new Uri("/setup/login", UriKind.Relative));
        using var callback = await client.GetAsync(new Uri("/auth/github/callback?code=x&state=y", UriKind.Relative));

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.Location!.ToString().Should().Be("/");
        callback.StatusCode.Should().Be(HttpStatusCode.NotFound, "no OAuth handler is registered without credentials");
    }

    [Fact]
    public async Task Sessions_and_stored_tokens_survive_a_restart_on_the_same_data_directory()
    {
        using var data = new TempDirectory();
        await using var github = await Backstroke.FakeGitHub.FakeGitHubServer.StartAsync();
        var settings = TestSettings.WithSignIn(github.BaseUrl, AppWithGitHub.AppAddress, new Dictionary<string, string?>
        {
            ["Backstroke:DataDirectory"] = data.Path,
        });
        string cookie;
        string protectedToken;
        await using (var first = new BackstrokeApplication(settings, output: output))
        {
            github.CreateUser("restart");
            github.SetSessionUser("restart");
            using var client = first.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var challenge = await client.GetAsync(new Uri("/setup/login", UriKind.Relative));
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var consent = await browser.GetAsync(challenge.Headers.Location);
            using var done = await client.GetAsync(new Uri(consent.Headers.Location!.PathAndQuery, UriKind.Relative));
            cookie = done.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("backstroke=", StringComparison.Ordinal)).Split(';')[0];
            protectedToken = (await first.WithDbAsync(db => db.Users.SingleAsync())).AccessTokenProtected!;
        }

        await using var second = new BackstrokeApplication(settings, output: output);
        using var again = second.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/whoami");
        request.Headers.Add("Cookie", cookie);
        using var whoami = await again.SendAsync(request);

        whoami.StatusCode.Should().Be(HttpStatusCode.OK);
        second.Services.GetRequiredService<TokenProtector>().Unprotect(protectedToken).Should().StartWith("gho_");
    }
}
