using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Backstroke.FakeGitHub.Apps;

/// <summary>
/// Verifies an App's JWT as GitHub does (docs: "Generating a JSON Web Token (JWT) for a GitHub App"): RS256 signed by
/// the App's private key; <c>iss</c> the App's client id or App id; <c>iat</c> not in the future; <c>exp</c> in the
/// future and "no more than 10 minutes into the future". Every refusal is a 401 with GitHub's words. GitHub's docs do
/// not quote them; each text below is one users report in public issues (named beside it).
/// </summary>
internal static class AppJwt
{
    /// <summary>
    /// A malformed token, another algorithm, a bad signature, or an <c>iss</c> of no App: a key that is not the App's
    /// gets this too (octokit/auth-app.js issue 375; octokit/request.js issue 505).
    /// </summary>
    public const string Undecodable = "A JSON web token could not be decoded";

    /// <summary>actions/create-github-app-token issue 386 (a stray character in the App id).</summary>
    public const string BadIssuer = "'Issuer' claim ('iss') must be an Integer";

    /// <summary>Expensify/App issue 32069, tibdex/github-app-token issue 102 (a signing clock ahead of GitHub's).</summary>
    public const string BadIssuedAt = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

    /// <summary>sigmavirus24/github3.py issue 1050, KnpLabs/php-github-api issue 1039 (an expired JWT).</summary>
    public const string Expired = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";

    /// <summary>octokit/auth-app.js issue 698, rocq-prover/bot issue 204 (exp more than 10 minutes ahead).</summary>
    public const string TooLong = "'Expiration time' claim ('exp') is too far in the future";

    /// <summary>How far ahead <c>iat</c> may be: the docs advise issuing 60 seconds in the past "to protect against clock drift".</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Whether the credential is shaped like a JWT at all (three base64url parts), as opposed to a token.</summary>
    public static bool LooksLike(string credential) => credential.StartsWith("eyJ", StringComparison.Ordinal) && credential.Count(c => c == '.') == 2;

    /// <returns>The App, or null with the refusal's message.</returns>
    public static AppRegistration? Verify(AppRegistry apps, string jwt, DateTimeOffset now, out string? refusal)
    {
        refusal = Undecodable;
        var parts = jwt.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } header || Decode(parts[1]) is not { } claims
            || header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object
            || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
        {
            return null;
        }

        if (!claims.TryGetProperty("iss", out var iss))
        {
            refusal = BadIssuer;
            return null;
        }

        // The App id as a number or a string of digits, or the client id (which the docs now recommend).
        AppRegistration? app;
        if (iss.ValueKind == JsonValueKind.Number && iss.TryGetInt64(out var number))
        {
            app = apps.FindApp(number);
        }
        else if (iss.ValueKind == JsonValueKind.String && long.TryParse(iss.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            app = apps.FindApp(id);
        }
        else if (iss.ValueKind == JsonValueKind.String && apps.FindAppByClientId(iss.GetString()!) is { } byClient)
        {
            app = byClient;
        }
        else
        {
            refusal = BadIssuer;
            return null;
        }

        if (app is null || !SignatureHolds(app, parts))
        {
            return null;
        }

        var seconds = now.ToUnixTimeSeconds();
        if (!claims.TryGetProperty("iat", out var iat) || iat.ValueKind != JsonValueKind.Number || !iat.TryGetInt64(out var issued) || issued > seconds + (long)Skew.TotalSeconds)
        {
            refusal = BadIssuedAt;
            return null;
        }

        if (!claims.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var expires) || expires <= seconds)
        {
            refusal = Expired;
            return null;
        }

        if (expires > seconds + (long)MaxLifetime.TotalSeconds)
        {
            refusal = TooLong;
            return null;
        }

        refusal = null;
        return app;
    }

    private static bool SignatureHolds(AppRegistration app, string[] parts)
    {
        if (Base64Url(parts[2]) is not { } signature)
        {
            return false;
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        lock (app.PublicKey)
        {
            return app.PublicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    private static JsonElement? Decode(string part)
    {
        if (Base64Url(part) is not { } bytes)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? Base64Url(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
