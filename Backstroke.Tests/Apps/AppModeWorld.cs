using Backstroke.Data;
using Backstroke.FakeGitHub;
using Backstroke.FakeGitHub.Apps;
using Backstroke.Tests.FakeGitHub;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Apps;

/// <summary>
/// Backstroke as a GitHub App, on a real port so the simulator delivers the App's webhooks to it. up/proj is ahead of
/// its fork forker/proj; forker/other is a fork of up/other. Nobody ever signs in.
/// </summary>
internal sealed class AppModeWorld : IAsyncDisposable
{
    public const string Secret = "app-mode-webhook-secret";

    private AppModeWorld(FakeGitHubServer gitHub, AppRegistration app, string pem, BackstrokeApplication backstroke)
    {
        (GitHub, App, PrivateKeyPem, Backstroke) = (gitHub, app, pem, backstroke);
        Client = backstroke.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = backstroke.Address });
    }

    public FakeGitHubServer GitHub { get; }

    public AppRegistration App { get; }

    public string PrivateKeyPem { get; }

    public BackstrokeApplication Backstroke { get; }

    public HttpClient Client { get; }

    public static async Task<AppModeWorld> StartAsync(ITestOutputHelper output, TimeProvider? clock = null)
    {
        var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("up");
        gitHub.CreateUser("forker");
        gitHub.CreateRepo("up", "proj");
        gitHub.CreateRepo("up", "other");
        gitHub.CreateRepo("forker", "proj", forkOf: "up/proj");
        gitHub.CreateRepo("forker", "other", forkOf: "up/other");
        gitHub.Commit("up", "proj", "main", "New upstream work");
        gitHub.Commit("up", "other", "main", "Other upstream work");

        var port = FreePort.Next();
        var (app, pem) = gitHub.CreateApp("backstroke", AppWorld.Permissions, $"http://127.0.0.1:{port}/webhooks/github", Secret);
        var backstroke = new BackstrokeApplication(TestSettings.For(gitHub.BaseUrl, new Dictionary<string, string?>
        {
            ["GitHub:AppId"] = app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GitHub:AppPrivateKey"] = pem,
            ["GitHub:WebhookSecret"] = Secret,
            ["Polling:IntervalSeconds"] = "3600",
            // Sign-in stays for the dashboard: users see the App's links of their forks there.
            ["Backstroke:PublicUrl"] = $"http://127.0.0.1:{port}/",
            ["GitHub:ClientId"] = TestSettings.ClientId,
            ["GitHub:ClientSecret"] = TestSettings.ClientSecret,
        }), output) { Clock = clock };
        backstroke.StartOnKestrel(port);
        return new AppModeWorld(gitHub, app, pem, backstroke);
    }

    /// <summary>Signs <paramref name="login"/> in through GitHub's (the simulator's) authorize page; the client keeps the cookie.</summary>
    public async Task<HttpClient> SignInAsync(string login)
    {
        GitHub.SetSessionUser(login);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new() }) { BaseAddress = Backstroke.Address };
        using var challenge = await client.GetAsync(new Uri("/setup/login", UriKind.Relative));
        using var consent = await client.GetAsync(challenge.Headers.Location!);
        using var done = await client.GetAsync(consent.Headers.Location!);
        done.StatusCode.Should().Be(System.Net.HttpStatusCode.Redirect, "the callback ends the sign-in with a redirect home");
        return client;
    }

    public Task<List<Link>> LinksAsync() => Backstroke.WithDbAsync(db => db.Links.AsNoTracking().OrderBy(l => l.CreatedAt).ToListAsync());

    public async Task<Link> WaitForLinkAsync(string fork)
    {
        Link? found = null;
        var made = await Eventually.TrueAsync(async () =>
        {
            found = (await LinksAsync()).FirstOrDefault(l => $"{l.ForkOwner}/{l.ForkRepo}" == fork);
            return found is not null;
        }, TimeSpan.FromSeconds(20));
        made.Should().BeTrue($"installing the App on {fork} makes its link");
        return found!;
    }

    public Task<bool> WaitAsync(Func<Task<bool>> condition) => Eventually.TrueAsync(condition, TimeSpan.FromSeconds(20));

    public bool HasOpenPullRequest(string owner, string repo) => GitHub.PullRequests(owner, repo).Any(p => p.State == "open");

    /// <summary>The simulator's log of API calls made with an installation token (GitHub's "ghs_" prefix).</summary>
    public IEnumerable<RequestLogEntry> InstallationTokenRequests() => GitHub.Requests.Where(r => r.Token?.StartsWith("ghs_", StringComparison.Ordinal) == true);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Backstroke.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}
