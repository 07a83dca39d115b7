using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

/// <summary>
/// Signs the JSON web tokens that authenticate as the App itself (docs/operating.md, "GitHub App"): RS256,
/// issued a minute in the past so a GitHub clock a little behind ours still accepts it, expiring after nine
/// minutes (GitHub refuses more than ten; the margin covers a clock ahead of ours), issued by the App's id.
/// </summary>
internal sealed class AppJwt(IOptions<GitHubOptions> options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private static readonly string Header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);

    private readonly Lazy<RSA> key = new(() => AppKey.Load(options.Value));

    public bool Configured => options.Value.AppConfigured;

    public long AppId => long.Parse(options.Value.AppId!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A JWT, as GitHub's <c>Authorization: Bearer</c> expects for the App's own endpoints.</summary>
    public string Create()
    {
        var now = time.GetUtcNow();
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, long>
        {
            ["iat"] = (now - Backdate).ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iss"] = AppId,
        });
        var unsigned = Header + "." + Base64Url(claims);
        var signature = key.Value.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return unsigned + "." + Base64Url(signature);
    }

    /// <summary>Whether a credential is a JWT (three base64url parts) rather than a GitHub token, which has no dots.</summary>
    public static bool IsJwt(string credential) => credential.StartsWith("eyJ", StringComparison.Ordinal) && credential.Count(c => c == '.') == 2;

    public void Dispose()
    {
        if (key.IsValueCreated)
        {
            key.Value.Dispose();
        }
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
