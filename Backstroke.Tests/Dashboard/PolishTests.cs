using System.Net;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Dashboard;

/// <summary>The small things a visitor notices: an icon, a 404 in the site's layout, visible focus, readable controls.</summary>
public sealed class PolishTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    [Fact]
    public async Task The_site_has_a_favicon_a_404_page_in_its_layout_and_visible_focus_styles()
    {
        var login = AppWithGitHub.NewLogin("polish");
        using var client = await env.SignInAsync(login);
        using var icon = await client.GetAsync(new Uri("/favicon.svg", UriKind.Relative));
        using var missing = new HttpRequestMessage(HttpMethod.Get, new Uri("/no/such/page", UriKind.Relative));
        missing.Headers.Accept.ParseAdd("text/html");
        using var notFound = await client.SendAsync(missing);
        using var missingApi = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/no/such/thing", UriKind.Relative));
        missingApi.Headers.Accept.ParseAdd("text/html");
        using var apiNotFound = await client.SendAsync(missingApi);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var css = await client.GetStringAsync(new Uri("/css/site.css", UriKind.Relative));

        icon.StatusCode.Should().Be(HttpStatusCode.OK);
        icon.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        home.Should().MatchRegex("<link rel=\"icon\" href=\"/favicon[^\"]*svg\"");
        notFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var notFoundPage = await notFound.Content.ReadAsStringAsync();
        notFoundPage.Should().MatchRegex("<header class=\"top\">\\s*<a class=\"brand\" href=\"/\">Backstroke</a>")
            .And.Contain("<footer class=\"bottom\">").And.Contain("<h1>Not found</h1>");
        notFoundPage.Should().Contain($"<span class=\"who\">{login}</span>", "the header still shows who is signed in")
            .And.Contain("Sign out");
        apiNotFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await apiNotFound.Content.ReadAsStringAsync()).Should().NotContain("<html", "the API never answers with a page");
        css.Should().Contain(":focus-visible { outline: 3px solid").And.Contain("--control-border: #6e7781");
    }
}
