using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>
/// A registered GitHub App: its id and client id (either names it in a JWT's <c>iss</c>), the public half of the key
/// pair whose private half the owner downloaded, where its webhooks go, and the permissions it asks for.
/// </summary>
internal sealed class AppRegistration(long id, string slug, Account owner, Account bot, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public string Slug { get; } = slug;
    public string ClientId { get; init; } = "";
    public Account Owner { get; } = owner;

    /// <summary>"slug[bot]": the author of everything an installation token writes (docs: "About authentication with a GitHub App").</summary>
    public Account Bot { get; } = bot;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public required System.Security.Cryptography.RSA PublicKey { get; init; }
    /// <summary>What the App asks for; installations accept changes one by one (new_permissions_accepted).</summary>
    public required IReadOnlyDictionary<string, string> Permissions { get; set; }

    /// <summary>The App's webhook, delivered like a repository hook; null when the App has none.</summary>
    public Hook? Hook { get; init; }
    public List<Installation> Installations { get; } = [];
}

/// <summary>An App installed on one account, on all of its repositories or on a chosen few.</summary>
internal sealed class Installation(long id, AppRegistration app, Account account, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public AppRegistration App { get; } = app;
    public Account Account { get; } = account;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    /// <summary>Null for "all": every repository of the account, including ones created later.</summary>
    public HashSet<long>? Selected { get; set; }
    public string Selection => Selected is null ? "all" : "selected";
    public DateTimeOffset? SuspendedAt { get; set; }
    public Account? SuspendedBy { get; set; }
    public bool Deleted { get; set; }

    /// <summary>The permissions the account accepted: the App's when installed, then each change it accepts.</summary>
    public IReadOnlyDictionary<string, string> Permissions { get; set; } = app.Permissions;

    public bool Covers(Repo repo) => !repo.Deleted && !Deleted && (Selected is { } ids ? ids.Contains(repo.Id) : repo.Owner == Account);
}

/// <summary>An installation access token: the installation's repositories and permissions, or a narrower subset.</summary>
internal sealed class InstallationToken(string token, Installation installation, DateTimeOffset expiresAt)
{
    public string Token { get; } = token;
    public Installation Installation { get; } = installation;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>Null: every repository the installation covers, now and later.</summary>
    public HashSet<long>? Repositories { get; init; }
    public required IReadOnlyDictionary<string, string> Permissions { get; init; }

    public bool Covers(Repo repo) => Installation.Covers(repo) && (Repositories is not { } ids || ids.Contains(repo.Id));

    /// <summary>"read", "write" or null for one permission (docs: "Choosing permissions for a GitHub App").</summary>
    public string? Level(string permission) => Permissions.GetValueOrDefault(permission);

    public bool Allows(string permission, bool write) => Level(permission) is { } level && (!write || level is "write" or "admin");
}
