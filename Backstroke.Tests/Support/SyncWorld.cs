using System.Text.Json;
using Backstroke.Data;
using Backstroke.FakeGitHub;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// Backstroke (in process) talking to the GitHub simulator over real HTTP, with a user "me" who forked "up/proj"
/// before the upstream moved on: the fork is one commit behind. Retries and polling are quick, for fast tests.
/// </summary>
internal sealed class SyncWorld : IAsyncDisposable
{
    public const string OwnerToken = "gho_owner_token_never_shown";

    private SyncWorld(FakeGitHubServer gitHub, BackstrokeApplication app)
    {
        GitHub = gitHub;
        App = app;
        Client = app.CreateClient();
    }

    public FakeGitHubServer GitHub { get; }

    public BackstrokeApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<SyncWorld> StartAsync(IDictionary<string, string?>? settings = null, ITestOutputHelper? output = null)
    {
        var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", OwnerToken);
        gitHub.CreateUser("up");
        gitHub.CreateRepo("up", "proj");
        gitHub.CreateRepo("me", "proj", forkOf: "up/proj");
        gitHub.Commit("up", "proj", "main", "New upstream work");
        return new SyncWorld(gitHub, new BackstrokeApplication(TestSettings.For(gitHub.BaseUrl, settings), output));
    }

    /// <summary>The settings preset; <see cref="TestSettings.For"/> under its earlier name.</summary>
    public static Dictionary<string, string?> Settings(Uri gitHub, IDictionary<string, string?>? extra = null) => TestSettings.For(gitHub, extra);

    /// <summary>The link "up/proj@main → me/proj@main" unless <paramref name="configure"/> says otherwise.</summary>
    public Task<Link> AddLinkAsync(Action<Link>? configure = null, string? token = OwnerToken) =>
        TestLinks.AddAsync(App.Services, token, configure ?? TestLinks.Repo("up", "proj", "main", "me", "proj", "main"));

    /// <summary>Triggers the link through its URL and waits for the operation to end.</summary>
    public async Task<JsonElement> SyncAsync(Link link, string? requestId = null) =>
        await Operations.WaitUntilDoneAsync(Client, await Operations.TriggerAsync(Client, link.WebhookId, requestId));

    public IReadOnlyList<global::Backstroke.FakeGitHub.Model.PullRequestInfo> OpenPullRequests(string owner = "me", string repo = "proj") =>
        [.. GitHub.PullRequests(owner, repo).Where(p => p.State == "open")];

    /// <summary>Requests the simulator charged to a rate limit (304s are free, as on GitHub).</summary>
    public int CountedRequests() => GitHub.Requests.Count(r => r.Counted);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}
