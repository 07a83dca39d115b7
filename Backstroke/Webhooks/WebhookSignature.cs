using System.Security.Cryptography;
using System.Text;

namespace Backstroke.Webhooks;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the raw body.</summary>
internal static class WebhookSignature
{
    private const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The answer to a delivery whose signature is missing or wrong.</summary>
    public const string Refusal = "The X-Hub-Signature-256 header is missing or does not match the body.";

    /// <summary>True only when <paramref name="header"/> is the signature of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? header)
    {
        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (string.IsNullOrEmpty(secret) || !TryParse(header, claimed))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(claimed, expected);
    }

    /// <summary>
    /// The HMAC a header claims, into <paramref name="claimed"/>; false when the header is missing or not of GitHub's
    /// form, which needs no body to tell. The caller compares the bytes, not the text, in constant time: a comparison
    /// that stops at the first difference tells an attacker how much of a forged signature is right.
    /// </summary>
    public static bool TryParse(string? header, Span<byte> claimed)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || claimed.Length != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        var hex = header.AsSpan(Prefix.Length).Trim();
        return hex.Length == claimed.Length * 2
            && Convert.FromHexString(hex, claimed, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == claimed.Length;
    }
}
