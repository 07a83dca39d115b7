using Backstroke.FakeGitHub.Model;
using Backstroke.FakeGitHub.Webhooks;

namespace Backstroke.FakeGitHub;

/// <summary>
/// A simulator hosted in-process on Kestrel (127.0.0.1, free port), for tests and benchmarks. The helpers mirror
/// the control API so setup needs no HTTP and never shows up in the request log.
/// </summary>
internal sealed class FakeGitHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGitHubServer(WebApplication app)
    {
        _app = app;
        State = FakeGitHubApp.StateOf(app);
        BaseUrl = new Uri(FakeGitHubApp.ListeningUrl(app));
    }

    /// <summary>The simulator's root, with a trailing slash: both GitHub:ApiUrl and GitHub:WebUrl.</summary>
    public Uri BaseUrl { get; }

    public FakeGitHubState State { get; }

    public static async Task<FakeGitHubServer> StartAsync(FakeGitHubServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new FakeGitHubServerOptions();
        var app = FakeGitHubApp.Build(options);
        await app.StartAsync(ct);
        var server = new FakeGitHubServer(app);
        if (options.Seed == "demo")
        {
            DemoSeed.Apply(server.State);
        }

        return server;
    }

    public Account CreateUser(string login, string? token = null, params string[] scopes) =>
        State.CreateUser(login, token, scopes.Length == 0 ? ["repo"] : scopes);

    public Account CreateOrg(string login) => State.EnsureAccount(login, organization: true);

    public void SetSessionUser(string? login) => State.SessionLogin = login;

    public Repo CreateRepo(string owner, string name, bool isPrivate = false, string? defaultBranch = null, string? forkOf = null) =>
        State.CreateRepo(owner, name, isPrivate, defaultBranch, forkOf);

    /// <summary>Adds a commit on the branch (created from the default branch when missing); returns its sha.</summary>
    public string Commit(string owner, string repo, string branch, string message, params string[] paths) =>
        State.Commit(Repo(owner, repo), branch, message, paths: paths);

    public string? BranchSha(string owner, string repo, string branch) => State.BranchSha(Repo(owner, repo), branch);

    public void DeleteRepo(string owner, string repo) => State.DeleteRepo(Repo(owner, repo));

    public void DeleteBranch(string owner, string repo, string branch)
    {
        var r = Repo(owner, repo);
        State.MoveBranch(r, branch, null, r.Owner, forced: false);
    }

    public void RenameRepo(string owner, string repo, string newName) => State.RenameRepo(Repo(owner, repo), newName);

    public void ArchiveRepo(string owner, string repo)
    {
        lock (State.Gate)
        {
            Repo(owner, repo).Archived = true;
        }
    }

    public void SetMergeConflicts(string owner, string repo, bool conflicts)
    {
        lock (State.Gate)
        {
            Repo(owner, repo).MergeConflicts = conflicts;
        }
    }

    public void AddCollaborator(string owner, string repo, string login, string permission = "write") =>
        State.AddCollaborator(Repo(owner, repo), login, permission);

    public void CreateLabel(string owner, string repo, string name, string color = "ededed") => State.CreateLabel(Repo(owner, repo), name, color);

    /// <summary>Opens an issue as the repository owner; returns its number.</summary>
    /// <summary>Opens an issue as the repository owner; returns its number. Refused where Issues are off (forks, unless turned on).</summary>
    public int CreateIssue(string owner, string repo, string title, params string[] labels)
    {
        var r = Repo(owner, repo);
        return State.CreateIssue(r, r.Owner, title, null, labels, viaApi: true).Number;
    }

    public Hook AddHook(string owner, string repo, string url, string? secret, params string[] events) =>
        State.AddHook(Repo(owner, repo), url, secret, events.Length == 0 ? ["push"] : events);

    public IReadOnlyList<PullRequestInfo> PullRequests(string owner, string repo) => State.PullRequests(Repo(owner, repo));

    /// <summary>Sets the budget of the token's account, which every token of that user shares.</summary>
    public void SetRateLimit(string token, int limit, int remaining, int resetInSeconds) =>
        State.RateLimits.Set(State.BudgetKey(token), limit, remaining, resetInSeconds);

    /// <summary>GitHub's secondary limits on (the default) or off, for a test that exceeds them on purpose.</summary>
    public void SetSecondaryRateLimits(bool enabled) => State.Secondary.Enabled = enabled;

    public void SetIssuesEnabled(string owner, string repo, bool enabled)
    {
        lock (State.Gate)
        {
            Repo(owner, repo).HasIssues = enabled;
        }
    }

    /// <summary>451 (DMCA takedown) or 403 (disabled for its terms of service); null lifts the block.</summary>
    public void BlockRepo(string owner, string repo, int? status)
    {
        lock (State.Gate)
        {
            Repo(owner, repo).BlockStatus = status;
        }
    }

    /// <summary>Replaces the branch with a new root commit (unrelated history); returns its sha.</summary>
    public string Orphan(string owner, string repo, string branch, string message) => State.Orphan(Repo(owner, repo), branch, message);

    public void TransferRepo(string owner, string repo, string newOwner) => State.TransferRepo(Repo(owner, repo), newOwner);

    /// <summary>Registers a GitHub App; the simulator makes its key pair and hands back the private key (PEM).</summary>
    public (Apps.AppRegistration App, string PrivateKeyPem) CreateApp(string slug, IReadOnlyDictionary<string, string> permissions,
        string? webhookUrl = null, string? webhookSecret = null, string? owner = null) =>
        State.Apps.CreateApp(slug, webhookUrl, webhookSecret, permissions, owner);

    /// <summary>Installs the App on the account's named repositories ("o/r"), or on all of them when none are named.</summary>
    public Apps.Installation Install(Apps.AppRegistration app, string account, params string[] repositories) =>
        State.Apps.Install(app, account, repositories.Length == 0 ? null : repositories);

    public void ChangeInstallationRepositories(Apps.Installation installation, string[] add, string[] remove) =>
        State.Apps.ChangeRepositories(installation, add, remove);

    public void SuspendInstallation(Apps.Installation installation, bool suspended = true) => State.Apps.Suspend(installation, suspended);

    public void DeleteInstallation(Apps.Installation installation) => State.Apps.Delete(installation);

    /// <summary>The App asks for other permissions; each installation keeps its own until it accepts them.</summary>
    public void ChangeAppPermissions(Apps.AppRegistration app, IReadOnlyDictionary<string, string> permissions) =>
        State.Apps.ChangePermissions(app, permissions);

    public void AcceptPermissions(Apps.Installation installation) => State.Apps.AcceptPermissions(installation);

    /// <summary>Issues an installation token without a JWT, for tests that need one ready.</summary>
    public string InstallationToken(Apps.Installation installation, params string[] repositories) =>
        State.Apps.IssueToken(installation, repositories, null, null).Token;

    /// <summary>Moves the simulator's clock forward (tokens expire, budgets reset) without touching the caller's clock.</summary>
    public void AdvanceClock(TimeSpan by) => Control.ControlApps.Clock(State).Advance(by);

    public void AddFault(FaultRule fault) => State.Faults.Add(fault);

    public void ClearFaults() => State.Faults.Clear();

    public void SetLatency(int delayMs) => State.LatencyMs = delayMs;

    public IReadOnlyList<RequestLogEntry> Requests => State.Requests.Snapshot();

    public void ClearRequests() => State.Requests.Clear();

    public IReadOnlyList<HookDeliveryRecord> Deliveries => State.Deliveries?.Snapshot() ?? [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Repo Repo(string owner, string repo) =>
        State.FindRepo(owner, repo) ?? throw new FakeGitHubException(404, $"No repository {owner}/{repo}.");
}
