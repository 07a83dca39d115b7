using System.Security.Cryptography;

namespace Backstroke.Data;

/// <summary>Someone who signed in with GitHub.</summary>
internal sealed class User
{
    public long Id { get; set; }

    /// <summary>GitHub's numeric id: logins can be renamed, this cannot.</summary>
    public long GitHubId { get; set; }

    public required string Login { get; set; }
    public string? Email { get; set; }
    public string? AvatarUrl { get; set; }

    /// <summary>The OAuth token, protected with ASP.NET Core Data Protection; never stored or logged in clear.</summary>
    public string? AccessTokenProtected { get; set; }

    /// <summary>Scopes granted to the token, as GitHub reports them in <c>X-OAuth-Scopes</c>.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>Copied into each session cookie and compared on every request: changing it ends every session at once.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }

    public List<Link> Links { get; } = [];

    public static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
