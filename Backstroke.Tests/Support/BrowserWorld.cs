using Backstroke.FakeGitHub;
using Microsoft.Playwright;

namespace Backstroke.Tests.Support;

/// <summary>
/// The real app on Kestrel (127.0.0.1, a free port) against the GitHub simulator, and Debian's Chromium driven by
/// Playwright. A browser cannot reach WebApplicationFactory's in-memory server, hence Kestrel.
/// </summary>
public sealed class BrowserWorld : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string AdminLogin = "octo-admin";

    private FakeGitHubServer? github;
    private BackstrokeApplication? app;
    private IPlaywright? playwright;
    private IBrowser? browser;

    internal FakeGitHubServer GitHub => github!;

    internal BackstrokeApplication App => app!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Screenshots land in the test output folder, kept as artifacts of the run.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}; install it with: apt-get update && apt-get install -y chromium");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        github = await FakeGitHubServer.StartAsync();
        // The OAuth callback is built from Backstroke:PublicUrl, so the port is chosen before the app starts.
        var port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        app = new BackstrokeApplication(TestSettings.WithSignIn(github.BaseUrl, BaseAddress, new Dictionary<string, string?>
        {
            ["Backstroke:Admins:0"] = AdminLogin,
        }));
        app.StartOnKestrel(port);

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile (its own cookies), with a page at the given width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1024, bool javaScript = true)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in as <paramref name="login"/> the way a person does: the button, GitHub's page, back home.</summary>
    public async Task SignInAsync(IPage page, string login)
    {
        GitHub.CreateUser(login);
        GitHub.SetSessionUser(login);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your links" })).ToBeVisibleAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (github is not null)
        {
            await github.DisposeAsync();
        }
    }
}
