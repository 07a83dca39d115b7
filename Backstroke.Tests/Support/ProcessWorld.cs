using System.Diagnostics;
using System.Net;
using Backstroke.Data;
using Backstroke.FakeGitHub;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// Backstroke as a real process (<see cref="AppProcess"/>, production settings, JSON logs) on a data directory that
/// outlives it, talking to the GitHub simulator: for what only a process shows, its signals, exit code and output.
/// The upstream "up/proj" is one commit ahead of every fork made with <see cref="AddForkAsync"/>.
/// </summary>
internal sealed class ProcessWorld : IAsyncDisposable
{
    public const string OwnerToken = "gho_process_owner_token_never_logged";

    private readonly TempDirectory data = new();

    private readonly ITestOutputHelper? output;

    private ProcessWorld(FakeGitHubServer gitHub, IDictionary<string, string?> settings, ITestOutputHelper? output)
    {
        GitHub = gitHub;
        this.output = output;
        Settings = TestSettings.For(gitHub.BaseUrl, new Dictionary<string, string?>
        {
            ["Backstroke:DataDirectory"] = data.Path,
            ["Sync:RetryMaxDelay"] = "00:00:00.200",
        });
        foreach (var (key, value) in settings)
        {
            Settings[key] = value;
        }
    }

    public FakeGitHubServer GitHub { get; }

    /// <summary>Configuration keys (<c>Sync:Workers</c>), passed to the process as environment variables.</summary>
    public Dictionary<string, string?> Settings { get; }

    public string DataDirectory => data.Path;

    public static async Task<ProcessWorld> StartAsync(IDictionary<string, string?>? settings = null, ITestOutputHelper? output = null)
    {
        var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", OwnerToken);
        gitHub.CreateUser("up");
        gitHub.CreateRepo("up", "proj");
        return new ProcessWorld(gitHub, settings ?? new Dictionary<string, string?>(), output);
    }

    /// <summary>A fork <c>me/{name}</c> of up/proj, then a new upstream commit, so a sync has something to propose.</summary>
    public void AddFork(string name)
    {
        GitHub.CreateRepo("me", name, forkOf: "up/proj");
        GitHub.Commit("up", "proj", "main", $"Upstream work for {name}");
    }

    /// <summary>Links up/proj@main → me/{fork}@main owned by "me", written by the app itself (in process, same data directory).</summary>
    public async Task<IReadOnlyList<Link>> AddLinksAsync(params string[] forks)
    {
        var links = new List<Link>();
        await using var setup = new BackstrokeApplication(Settings, output);
        using var _ = setup.CreateClient();
        foreach (var fork in forks)
        {
            links.Add(await TestLinks.AddAsync(setup.Services, OwnerToken, TestLinks.Repo("up", "proj", "main", "me", fork, "main")));
        }

        return links;
    }

    /// <summary>Starts the app and waits until it is ready to take work.</summary>
    public async Task<AppProcess> StartAppAsync()
    {
        var environment = Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        var app = AppProcess.Start(AppProcess.BuiltAppDirectory, environment, output);
        (await app.WaitUntilAnswersAsync("/readyz", TimeSpan.FromSeconds(60))).Should().BeTrue($"the app should get ready; it printed:\n{app.Output}");
        return app;
    }

    /// <summary>Every operation's status as the database holds it, read with no app running.</summary>
    public async Task<Dictionary<string, string>> OperationStatusesAsync()
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(data.Path, "backstroke.db"), Pooling = false };
        await using var db = new SqliteConnection(connection.ToString());
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """SELECT "Id", "Status" FROM "Operations" """;
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            statuses[reader.GetString(0)] = reader.GetString(1);
        }

        return statuses;
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> and systemd do.</summary>
    public static async Task TerminateAsync(int processId)
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        kill.ExitCode.Should().Be(0, "kill -TERM should reach the app");
    }

    /// <summary>Signs <paramref name="login"/> in through the real OAuth web flow against the simulator.</summary>
    public async Task<HttpClient> SignInAsync(AppProcess app, string login)
    {
        GitHub.SetSessionUser(login);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = app.BaseAddress,
        };
        using var challenge = await client.GetAsync(new Uri("/setup/login", UriKind.Relative));
        challenge.StatusCode.Should().Be(HttpStatusCode.Redirect);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await browser.GetAsync(challenge.Headers.Location);
        consent.StatusCode.Should().Be(HttpStatusCode.Redirect);
        // The callback address is built from Backstroke:PublicUrl; the browser here reaches the app at its own address.
        using var done = await client.GetAsync(new Uri(consent.Headers.Location!.PathAndQuery, UriKind.Relative));
        done.StatusCode.Should().Be(HttpStatusCode.Redirect);
        done.Headers.Location!.ToString().Should().Be("/", "the sign-in should succeed");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await GitHub.DisposeAsync();
        SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
