namespace Backstroke.FakeGitHub.Model;

/// <summary>A user or an organisation: both own repositories and share one id space, as on GitHub.</summary>
internal sealed class Account(long id, string login, bool isOrganization, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public string Login { get; } = login;
    public bool IsOrganization { get; } = isOrganization;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string? Name { get; set; }
    public string? Email { get; set; }

    /// <summary>A GitHub App's "slug[bot]" account, which acts for its installations.</summary>
    public bool IsBot { get; set; }
    public string Type => IsBot ? "Bot" : IsOrganization ? "Organization" : "User";
}

/// <summary>What a token stands for. Scopes are echoed in X-OAuth-Scopes and limit what the token may see.</summary>
internal sealed record TokenGrant(string Token, string Login, IReadOnlyList<string> Scopes)
{
    public bool CanSeePrivate => Scopes.Contains("repo");

    /// <summary>Set for a GitHub App installation token, whose reach is its installation's, not its account's.</summary>
    public Apps.InstallationToken? Installation { get; init; }
}
