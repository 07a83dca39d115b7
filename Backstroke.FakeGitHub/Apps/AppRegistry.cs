using System.Collections.Concurrent;
using System.Security.Cryptography;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>
/// GitHub Apps, their installations and their installation tokens. Everything changes under the state's lock, so an
/// installation's repositories and the repositories themselves are always seen together.
/// </summary>
internal sealed partial class AppRegistry(FakeGitHubState state)
{
    /// <summary>docs "Authenticating as a GitHub App installation": "Installation access tokens expire after one hour."</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly Dictionary<long, AppRegistration> _apps = [];
    private readonly Dictionary<long, Installation> _installations = [];
    private readonly Dictionary<string, InstallationToken> _tokens = new(StringComparer.Ordinal);

    // Read by the rate limiter under its own lock, so it must not take the state's.
    private readonly ConcurrentDictionary<long, int> _limits = new();

    /// <summary>The App and its private key in PEM (PKCS#1, as GitHub's downloaded .pem files are).</summary>
    public (AppRegistration App, string PrivateKeyPem) CreateApp(string slug, string? webhookUrl, string? webhookSecret,
        IReadOnlyDictionary<string, string> permissions, string? owner = null)
    {
        using var key = RSA.Create(2048);
        var publicKey = RSA.Create();
        publicKey.ImportRSAPublicKey(key.ExportRSAPublicKey(), out _);
        lock (state.Gate)
        {
            if (_apps.Values.Any(a => a.Slug.Equals(slug, StringComparison.OrdinalIgnoreCase)))
            {
                throw new FakeGitHubException(422, $"An App named {slug} already exists.");
            }

            var ownerAccount = owner is null ? state.EnsureAccount(slug + "-owner", organization: true)
                : state.FindAccount(owner) ?? throw new FakeGitHubException(404, $"No account {owner}.");
            var bot = state.EnsureAccount(slug + "[bot]", organization: false);
            bot.IsBot = true;
            var id = state.NextId();
            var hook = webhookUrl is null ? null : new Hook(state.NextId(), webhookUrl, state.Now) { Secret = webhookSecret, Events = ["*"], AppId = id };

            // Every App may read metadata, asked for or not (docs: "Choosing permissions for a GitHub App").
            var granted = new Dictionary<string, string>(permissions, StringComparer.Ordinal) { ["metadata"] = permissions.GetValueOrDefault("metadata") ?? "read" };
            var app = new AppRegistration(id, slug, ownerAccount, bot, state.Now)
            {
                ClientId = "Iv23" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                PublicKey = publicKey,
                Permissions = granted,
                Hook = hook,
            };
            _apps[id] = app;
            return (app, key.ExportRSAPrivateKeyPem());
        }
    }

    public AppRegistration? FindApp(long id)
    {
        lock (state.Gate)
        {
            return _apps.GetValueOrDefault(id);
        }
    }

    public AppRegistration? FindAppByClientId(string clientId)
    {
        lock (state.Gate)
        {
            return _apps.Values.FirstOrDefault(a => a.ClientId == clientId);
        }
    }

    public Installation? FindInstallation(long id)
    {
        lock (state.Gate)
        {
            return _installations.TryGetValue(id, out var i) && !i.Deleted ? i : null;
        }
    }

    /// <summary>Installs the App on the account: on the named repositories, or on all of them when none are named.</summary>
    public Installation Install(AppRegistration app, string account, IReadOnlyList<string>? repositories, Account? sender = null)
    {
        lock (state.Gate)
        {
            var target = state.FindAccount(account) ?? throw new FakeGitHubException(404, $"No account {account}.");
            if (app.Installations.Any(i => !i.Deleted && i.Account == target))
            {
                throw new FakeGitHubException(422, $"{app.Slug} is already installed on {target.Login}.");
            }

            var installation = new Installation(state.NextId(), app, target, state.Now);
            if (repositories is not null)
            {
                installation.Selected = [.. repositories.Select(name => OwnRepo(target, name).Id)];
            }

            app.Installations.Add(installation);
            _installations[installation.Id] = installation;
            Resized(installation);
            state.PushListener?.AppEvent(app, "installation", InstallationPayload.Installation(state, installation, "created", sender ?? target, withRepositories: true));
            return installation;
        }
    }

    /// <summary>
    /// Adds and removes repositories. Removing one from an "all" installation turns it into a selection of the rest,
    /// as GitHub's settings page does.
    /// </summary>
    public void ChangeRepositories(Installation installation, IReadOnlyList<string> add, IReadOnlyList<string> remove, Account? sender = null)
    {
        lock (state.Gate)
        {
            Live(installation);
            var added = add.Select(name => OwnRepo(installation.Account, name)).Where(r => !installation.Covers(r)).ToList();
            var removed = remove.Select(name => OwnRepo(installation.Account, name)).Where(installation.Covers).ToList();
            if (added.Count == 0 && removed.Count == 0)
            {
                throw new FakeGitHubException(422, "Nothing to change: the repositories are already as asked.");
            }

            installation.Selected ??= [.. state.ReposOf(installation.Account).Where(r => r.Owner == installation.Account).Select(r => r.Id)];
            installation.Selected.UnionWith(added.Select(r => r.Id));
            installation.Selected.ExceptWith(removed.Select(r => r.Id));
            installation.UpdatedAt = state.Now;
            Resized(installation);
            var who = sender ?? installation.Account;
            if (added.Count > 0)
            {
                state.PushListener?.AppEvent(installation.App, "installation_repositories", InstallationPayload.Repositories(state, installation, "added", added, [], who));
            }

            if (removed.Count > 0)
            {
                state.PushListener?.AppEvent(installation.App, "installation_repositories", InstallationPayload.Repositories(state, installation, "removed", [], removed, who));
            }
        }
    }

    /// <summary>Suspends (true) or unsuspends; a suspended installation's tokens are refused and no new ones are issued.</summary>
    public void Suspend(Installation installation, bool suspended, Account? sender = null)
    {
        lock (state.Gate)
        {
            Live(installation);
            if ((installation.SuspendedAt is not null) == suspended)
            {
                throw new FakeGitHubException(422, suspended ? "The installation is already suspended." : "The installation is not suspended.");
            }

            var who = sender ?? installation.Account;
            installation.SuspendedAt = suspended ? state.Now : null;
            installation.SuspendedBy = suspended ? who : null;
            installation.UpdatedAt = state.Now;
            state.PushListener?.AppEvent(installation.App, "installation", InstallationPayload.Installation(state, installation, suspended ? "suspend" : "unsuspend", who, withRepositories: false));
        }
    }

    /// <summary>
    /// The App asks for other permissions (docs: "Modifying a GitHub App registration": installations keep the old ones
    /// until their owner accepts the new ones).
    /// </summary>
    public void ChangePermissions(AppRegistration app, IReadOnlyDictionary<string, string> permissions)
    {
        lock (state.Gate)
        {
            app.Permissions = new Dictionary<string, string>(permissions, StringComparer.Ordinal) { ["metadata"] = permissions.GetValueOrDefault("metadata") ?? "read" };
        }
    }

    /// <summary>The account accepts the App's current permissions; tokens issued from then on carry them.</summary>
    public void AcceptPermissions(Installation installation, Account? sender = null)
    {
        lock (state.Gate)
        {
            Live(installation);
            installation.Permissions = installation.App.Permissions;
            installation.UpdatedAt = state.Now;
            state.PushListener?.AppEvent(installation.App, "installation",
                InstallationPayload.Installation(state, installation, "new_permissions_accepted", sender ?? installation.Account, withRepositories: true));
        }
    }

    /// <summary>Uninstalls: the installation and every token it issued stop working at once.</summary>
    public void Delete(Installation installation, Account? sender = null)
    {
        lock (state.Gate)
        {
            Live(installation);
            var body = InstallationPayload.Installation(state, installation, "deleted", sender ?? installation.Account, withRepositories: true);
            installation.Deleted = true;
            _installations.Remove(installation.Id);
            foreach (var token in _tokens.Values.Where(t => t.Installation == installation).ToList())
            {
                _tokens.Remove(token.Token);
            }

            state.PushListener?.AppEvent(installation.App, "installation", body);
        }
    }

    /// <summary>The repositories an installation covers, in id order.</summary>
    public List<Repo> RepositoriesOf(Installation installation)
    {
        lock (state.Gate)
        {
            return installation.Selected is { } ids
                ? [.. ids.Select(state.FindRepo).OfType<Repo>().Where(installation.Covers).OrderBy(r => r.Id)]
                : [.. state.ReposOf(installation.Account).Where(installation.Covers).OrderBy(r => r.Id)];
        }
    }

    private void Live(Installation installation)
    {
        if (installation.Deleted)
        {
            throw new FakeGitHubException(404, $"No installation {installation.Id}.");
        }
    }

    private Repo OwnRepo(Account account, string fullName)
    {
        var parts = fullName.Split('/');
        var repo = parts.Length == 2 ? state.FindRepo(parts[0], parts[1]) : state.FindRepo(account.Login, fullName);
        if (repo is null || repo.Owner != account)
        {
            throw new FakeGitHubException(422, $"{fullName} is not a repository of {account.Login}: an installation covers only its account's repositories.");
        }

        return repo;
    }
}
