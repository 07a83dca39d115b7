using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Backstroke.GitHub;

/// <summary>
/// Protects users' GitHub tokens at rest with Data Protection, whose keys live under the data directory.
/// One purpose string for every caller (sign-in stores, workers read), so a token protected by one reads in the other.
/// </summary>
internal sealed class TokenProtector(IDataProtectionProvider provider)
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
}
