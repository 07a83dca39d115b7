using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Dashboard;

public sealed class HomePageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Without_credentials_the_home_page_explains_how_to_register_the_OAuth_app()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?>
        {
            ["Backstroke:PublicUrl"] = "https://sync.example.com/",
            ["GitHub:WebUrl"] = "https://ghe.example.com/",
        }, output: output);
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().Contain("https://sync.example.com/auth/github/callback")
            .And.Contain("https://ghe.example.com/settings/applications/new")
            .And.Contain("GitHub__ClientId")
            .And.Contain("GitHub__ClientSecret")
            .And.NotContain("Sign in with GitHub");
    }

    [Fact]
    public async Task With_credentials_the_home_page_offers_to_sign_in_and_reveals_no_secret()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?>
        {
            ["GitHub:ClientId"] = "client-id-123",
            ["GitHub:ClientSecret"] = "very-secret-value",
        }, output: output);
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().Contain("Sign in with GitHub").And.Contain("href=\"/setup/login\"")
            .And.NotContain("very-secret-value")
            .And.NotContain("Authorization callback URL");
    }

    [Fact]
    public async Task The_stylesheet_is_served_locally()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var href = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/css/[^\"]+)\"").Groups[1].Value;

        href.Should().NotBeEmpty();
        using var css = await client.GetAsync(new Uri(href, UriKind.Relative));
        css.IsSuccessStatusCode.Should().BeTrue();
        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
    }
}
