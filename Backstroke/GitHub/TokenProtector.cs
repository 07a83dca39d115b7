using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Backstroke.GitHub;

/// <summary>
/// Protects users' GitHub tokens at rest with Data Protection, whose keys live under the data directory.
/// One purpose string for every caller (sign-in stores, workers read), so a token protected by one reads in the other.
/// </summary>
internal sealed class TokenProtector(IDataProtectionProvider provider, RateLimitBudgets? budgets = null)
{
    public const string Purpose = "Backstroke.GitHubToken";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string Protect(string token) => protector.Protect(token);

    /// <summary>The token, or null when it cannot be read (keys lost or rotated away): the user must sign in again.</summary>
    public string? Unprotect(string? protectedToken)
    {
        if (string.IsNullOrEmpty(protectedToken))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(protectedToken);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// The token of the GitHub user <paramref name="gitHubUserId"/>: its requests spend that user's budget from the
    /// first one, even when GitHub has not yet named the token's owner in this process (after a restart, say).
    /// </summary>
    public string? Unprotect(string? protectedToken, long gitHubUserId)
    {
        var token = Unprotect(protectedToken);
        if (token is not null)
        {
            budgets?.LearnAccount(token, gitHubUserId);
        }

        return token;
    }
}
