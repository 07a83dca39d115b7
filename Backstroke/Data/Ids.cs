using System.Security.Cryptography;

namespace Backstroke.Data;

/// <summary>Random, URL-safe identifiers. Link and operation ids and webhook ids are secrets of sorts, so they come
/// from a cryptographic generator, never from a counter or a GUID (whose version 4 has only 122 random bits).</summary>
internal static class Ids
{
    /// <summary>96 bits: short enough for a URL, far too many to guess.</summary>
    public static string NewLinkId() => Random(12);

    /// <summary>128 bits: the trigger URL's secret must be beyond guessing.</summary>
    public static string NewWebhookId() => Random(16);

    public static string NewOperationId() => Random(16);

    private static string Random(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
