using Backstroke.Data;
using Backstroke.FakeGitHub;
using Backstroke.Polling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// Backstroke watching "up/proj@main" on the GitHub simulator for the user "me", whose fork "me/proj" is level with
/// it. Optionally on a clock the test moves (polling ticks are then called directly), or on real Kestrel so the
/// simulator can deliver webhooks to it.
/// </summary>
internal sealed class WatchWorld : IAsyncDisposable
{
    public const string Token = "gho_watch_owner_token";
    public const string WebhookSecret = "watch-world-webhook-secret";

    private WatchWorld(FakeGitHubServer gitHub, BackstrokeApplication app, FakeTimeProvider? clock)
    {
        GitHub = gitHub;
        App = app;
        Clock = clock;
    }

    public FakeGitHubServer GitHub { get; }

    public BackstrokeApplication App { get; }

    public FakeTimeProvider? Clock { get; }

    public IServiceProvider Services => App.Services;

    public Poller Poller => Services.GetRequiredService<Poller>();

    public static async Task<WatchWorld> StartAsync(
        IDictionary<string, string?>? settings = null, FakeTimeProvider? clock = null, bool kestrel = false, ITestOutputHelper? output = null)
    {
        var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", Token);
        gitHub.CreateUser("up");
        gitHub.CreateRepo("up", "proj");
        gitHub.CreateRepo("me", "proj", forkOf: "up/proj");

        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["GitHub:WebhookSecret"] = WebhookSecret,
            // Ticks are called by the tests unless a test asks for the scheduler.
            ["Polling:IntervalSeconds"] = "3600",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = new BackstrokeApplication(TestSettings.For(gitHub.BaseUrl, all), output) { Clock = clock };
        if (kestrel)
        {
            app.StartOnKestrel();
        }
        else
        {
            _ = app.Server;
        }

        return new WatchWorld(gitHub, app, clock);
    }

    /// <summary>Where Backstroke listens, when it runs on Kestrel.</summary>
    public Uri Address => App.Address;

    /// <summary>The link "up/proj@main → me/proj@main" of the user "me"; <paramref name="upstream"/> then sets what
    /// Backstroke knows of the branch it watches (shared with every other link of that branch).</summary>
    public async Task<Link> AddLinkAsync(Action<Link>? configure = null, Action<Upstream>? upstream = null)
    {
        var link = await TestLinks.AddAsync(Services, Token, link =>
        {
            TestLinks.Repo("up", "proj", "main", "me", "proj", "main")(link);
            configure?.Invoke(link);
        });
        if (upstream is not null && link.UpstreamId is { } id)
        {
            await SetUpstreamAsync(id, upstream);
        }

        return link;
    }

    /// <summary>A branch whose head Backstroke already knows, and has just checked: the state polling leaves.</summary>
    public Action<Upstream> KnownHead(string owner = "up", string repo = "proj", string branch = "main") => u =>
    {
        u.HeadSha = GitHub.BranchSha(owner, repo, branch);
        u.LastCheckedAt = Clock?.GetUtcNow() ?? TimeProvider.System.GetUtcNow();
        u.NextCheckAt = null;
    };

    public Task SetUpstreamAsync(long id, Action<Upstream> change) => DbAsync(async db =>
    {
        change(await db.Upstreams.SingleAsync(u => u.Id == id));
        return await db.SaveChangesAsync();
    });

    /// <summary>The watched branch of a link, as stored.</summary>
    public Task<Upstream> UpstreamOfAsync(string linkId) =>
        DbAsync(db => db.Links.AsNoTracking().Where(l => l.Id == linkId).Select(l => l.Upstream!).SingleAsync());

    public async Task<T> DbAsync<T>(Func<BackstrokeDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>());
    }

    public Task<Link> LinkAsync(string id) => DbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id));

    public Task<List<Operation>> OperationsAsync(string linkId) =>
        DbAsync(db => db.Operations.AsNoTracking().Where(o => o.LinkId == linkId).OrderBy(o => o.EnqueuedAt).ToListAsync());

    /// <summary>The simulator's log of probes of one branch head.</summary>
    public List<RequestLogEntry> Probes(string owner = "up", string repo = "proj", string branch = "main") =>
        [.. GitHub.Requests.Where(r => r.Method == "GET" && r.Path == $"/repos/{owner}/{repo}/commits/{branch}")];

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}
