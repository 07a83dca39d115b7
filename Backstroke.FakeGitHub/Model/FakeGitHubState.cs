namespace Backstroke.FakeGitHub.Model;

/// <summary>
/// The simulator's whole world. One lock guards the graph and the repositories: every operation is a few
/// dictionary look-ups, so a single short critical section serves thousands of requests a second and keeps
/// multi-step answers (compare, pull request creation) consistent.
/// </summary>
internal sealed partial class FakeGitHubState(TimeProvider time)
{
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TokenGrant> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Repo> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, Repo> _reposById = [];
    private readonly Dictionary<string, long> _renamed = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, List<Repo>> _reposByAccount = [];
    private long _nextId = 1;
    private Apps.AppRegistry? _apps;

    public Lock Gate { get; } = new();
    public TimeProvider Time { get; } = time;
    public CommitGraph Graph { get; } = new();
    public RequestLog Requests { get; } = new();
    public RateLimits RateLimits { get; } = new(time);
    public SecondaryLimits Secondary { get; } = new(time);
    public FaultTable Faults { get; } = new();
    public OAuthStore OAuth { get; } = new();

    /// <summary>GitHub Apps, their installations and installation tokens.</summary>
    public Apps.AppRegistry Apps => _apps ??= new Apps.AppRegistry(this);

    /// <summary>Told about every branch move (under the lock) so hooks can be delivered.</summary>
    public IPushListener? PushListener { get; set; }

    /// <summary>Deliveries made so far (set by the hook sender).</summary>
    public Webhooks.DeliveryLog? Deliveries { get; set; }

    /// <summary>The simulator's own address (with a trailing slash), for URLs written outside a request, e.g. in webhooks.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1/";

    /// <summary>Whom the OAuth authorize page signs in.</summary>
    public string? SessionLogin { get; set; }

    /// <summary>How long a webhook receiver has to answer before the delivery fails (GitHub: 10 seconds).</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra delay before every API answer, to imitate a distant GitHub.</summary>
    public int LatencyMs { get; set; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The next id of the one id space all objects share; call it under <see cref="Gate"/>.</summary>
    public long NextId() => _nextId++;

    /// <summary>Budgets are named by any token of their account.</summary>
    public void LinkBudgetsToAccounts() => RateLimits.KeyOf = BudgetKey;

    public Account EnsureAccount(string login, bool organization)
    {
        lock (Gate)
        {
            if (!_accounts.TryGetValue(login, out var account))
            {
                account = new Account(NextId(), login, organization, Now);
                _accounts[login] = account;
            }

            return account;
        }
    }

    public Account CreateUser(string login, string? token, IReadOnlyList<string> scopes)
    {
        lock (Gate)
        {
            var account = EnsureAccount(login, organization: false);
            if (token is not null)
            {
                _tokens[token] = new TokenGrant(token, account.Login, scopes);
            }

            return account;
        }
    }

    public TokenGrant AddToken(string login, string token, IReadOnlyList<string> scopes)
    {
        lock (Gate)
        {
            var grant = new TokenGrant(token, FindAccount(login)?.Login ?? login, scopes);
            _tokens[token] = grant;
            return grant;
        }
    }

    public TokenGrant? FindToken(string token)
    {
        lock (Gate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    /// <summary>
    /// The primary budget a token draws on: its account's, shared by every token of that user ("Rate limits for the
    /// REST API": the limit is per user, across all of their tokens and OAuth apps). Unknown tokens keep their own.
    /// </summary>
    public string BudgetKey(string token) => (FindToken(token) ?? Apps.FindToken(token)) is { } grant ? BudgetKey(grant) : token;

    /// <summary>An installation token draws on its installation's budget, apart from any user's ("Rate limits for the REST API").</summary>
    public static string BudgetKey(TokenGrant grant) =>
        grant.Installation is { } token ? "installation:" + token.Installation.Id : "user:" + grant.Login.ToLowerInvariant();

    public Account? FindAccount(string login)
    {
        lock (Gate)
        {
            return _accounts.GetValueOrDefault(login);
        }
    }

    /// <summary>The live repository under this name (not a renamed or deleted one).</summary>
    public Repo? FindRepo(string owner, string name)
    {
        lock (Gate)
        {
            return _repos.GetValueOrDefault(owner + "/" + name);
        }
    }

    public Repo? FindRepo(long id)
    {
        lock (Gate)
        {
            return _reposById.TryGetValue(id, out var r) && !r.Deleted ? r : null;
        }
    }

    /// <summary>Where a renamed repository went, for GitHub's 301 answer.</summary>
    public Repo? FindRenamed(string owner, string name)
    {
        lock (Gate)
        {
            return _renamed.TryGetValue(owner + "/" + name, out var id) ? FindRepo(id) : null;
        }
    }

    public IReadOnlyList<Repo> ReposOf(Account account)
    {
        lock (Gate)
        {
            return _reposByAccount.TryGetValue(account.Id, out var list) ? list.Where(r => !r.Deleted).ToList() : [];
        }
    }

    /// <summary>What a caller may do in a repository: "admin", "write", "read" or null (cannot see it).</summary>
    public string? PermissionOf(Repo repo, TokenGrant? caller)
    {
        lock (Gate)
        {
            if (caller?.Installation is { } token)
            {
                return Apps.PermissionOf(token, repo);
            }

            var login = caller?.Login;
            string? granted = null;
            if (login is not null && string.Equals(repo.Owner.Login, login, StringComparison.OrdinalIgnoreCase))
            {
                granted = "admin";
            }
            else if (login is not null && repo.Collaborators?.TryGetValue(login, out var p) == true)
            {
                granted = p;
            }

            if (repo.Private && (granted is null || caller?.CanSeePrivate != true))
            {
                return null;
            }

            return granted ?? "read";
        }
    }
}
