using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backstroke.GitHub;
using Backstroke.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Backstroke.Tests.Apps;

/// <summary>The App's JWT as GitHub checks it, and the App settings checked before anything starts.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class AppAuthenticationTests(ITestOutputHelper output)
{
    private static readonly Lazy<RSA> Key = new(() => RSA.Create(2048));

    private static string Pem => Key.Value.ExportRSAPrivateKeyPem();

    [Fact]
    public void The_App_JWT_has_the_claims_GitHub_requires_and_verifies_with_the_public_key()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        using var jwt = new AppJwt(Options.Create(new GitHubOptions { AppId = "12345", AppPrivateKey = Pem }), new FakeTimeProvider(now));

        var parts = jwt.Create().Split('.');

        parts.Should().HaveCount(3);
        using var header = JsonDocument.Parse(Decode(parts[0]));
        header.RootElement.GetProperty("alg").GetString().Should().Be("RS256");
        header.RootElement.GetProperty("typ").GetString().Should().Be("JWT");
        using var claims = JsonDocument.Parse(Decode(parts[1]));
        var iat = claims.RootElement.GetProperty("iat").GetInt64();
        var exp = claims.RootElement.GetProperty("exp").GetInt64();
        iat.Should().Be(now.ToUnixTimeSeconds() - 60, "issued a minute in the past against clock drift");
        exp.Should().BeGreaterThan(now.ToUnixTimeSeconds()).And.BeLessThanOrEqualTo(now.ToUnixTimeSeconds() + 600, "GitHub refuses more than ten minutes");
        claims.RootElement.GetProperty("iss").ValueKind.Should().Be(JsonValueKind.Number, "GitHub wants the App id as an integer");
        claims.RootElement.GetProperty("iss").GetInt64().Should().Be(12345);

        using var publicKey = RSA.Create();
        publicKey.ImportRSAPublicKey(Key.Value.ExportRSAPublicKey(), out _);
        publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Should().BeTrue("RS256 is RSASSA-PKCS1-v1_5 with SHA-256 over header.claims");
    }

    public static TheoryData<string?, string?, string?, string> Mistakes => new()
    {
        { "abc", "KEY", null, "GitHub:AppId must be the App's number" },
        { "12", null, null, "GitHub:AppPrivateKey (or GitHub:AppPrivateKeyFile) is missing while GitHub:AppId is set" },
        { null, "KEY", null, "GitHub:AppId is missing while GitHub:AppPrivateKey is set" },
        { "12", "not-a-key-but-secret-text", null, "GitHub:AppPrivateKey is not an RSA private key in PEM form" },
        { "12", "PUBLIC", null, "GitHub:AppPrivateKey is not an RSA private key in PEM form" },
        { "12", null, "/nonexistent/app.pem", "GitHub:AppPrivateKeyFile names a file that cannot be read" },
        { "12", "KEY", "/nonexistent/app.pem", "set only one" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_bad_App_setting_is_a_sentence_naming_the_key_and_never_showing_it(string? appId, string? key, string? file, string expected)
    {
        var value = key switch { "KEY" => Pem, "PUBLIC" => Key.Value.ExportRSAPublicKeyPem(), _ => key };

        var problems = AppKey.Problems(new GitHubOptions { AppId = appId, AppPrivateKey = value, AppPrivateKeyFile = file }).ToList();

        problems.Should().ContainSingle().Which.Should().Contain(expected);
        problems[0].Should().NotContain("secret-text").And.NotContain("PRIVATE KEY-----\n").And.NotContain(Pem[40..80]);
    }

    [Fact]
    public async Task A_key_from_a_file_or_with_escaped_newlines_is_accepted()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "app.pem");
        await File.WriteAllTextAsync(file, Pem);

        AppKey.Problems(new GitHubOptions { AppId = "12", AppPrivateKeyFile = file }).Should().BeEmpty();
        AppKey.Problems(new GitHubOptions { AppId = "12", AppPrivateKey = Pem.Replace("\n", "\\n") }).Should().BeEmpty("environment variables carry PEM on one line");
    }

    [Fact]
    [Slow(SlowAttribute.RealProcess)]
    public async Task A_bad_key_stops_the_start_with_a_sentence_naming_the_key()
    {
        using var data = new TempDirectory();
        await using var app = AppProcess.Start(AppProcess.BuiltAppDirectory, new Dictionary<string, string?>
        {
            ["Backstroke__DataDirectory"] = data.Path,
            ["GitHub__AppId"] = "12",
            ["GitHub__AppPrivateKey"] = "-----BEGIN RSA PRIVATE KEY-----\nsecret-text\n-----END RSA PRIVATE KEY-----",
        }, output);

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().NotBe(0);
        app.Output.Should().Contain("GitHub:AppPrivateKey is not an RSA private key").And.Contain("Backstroke cannot start")
            .And.NotContain("secret-text", "the key is a secret, even a broken one").And.NotContain("   at ");
    }

    private static byte[] Decode(string part) =>
        Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/') + new string('=', (4 - part.Length % 4) % 4));
}
