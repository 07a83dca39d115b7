using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backstroke.FakeGitHub;
using Backstroke.FakeGitHub.Apps;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>A simulator with a GitHub App installed on a fork, and JWTs signed the way GitHub's docs show.</summary>
internal sealed record AppWorld(FakeGitHubServer Server, AppRegistration App, string PrivateKeyPem, Installation Installation) : IAsyncDisposable
{
    /// <summary>The least permissions Backstroke asks for.</summary>
    public static readonly Dictionary<string, string> Permissions = new()
    {
        ["contents"] = "write", ["pull_requests"] = "write", ["issues"] = "read", ["metadata"] = "read", ["workflows"] = "write",
    };

    /// <summary>
    /// maintainer/project, and forker's fork of it plus a private "forker/secret" and a public "forker/other"; the App
    /// "backstroke" is installed on forker/project only.
    /// </summary>
    public static async Task<AppWorld> StartAsync(FakeGitHubServerOptions? options = null, Dictionary<string, string>? permissions = null,
        string? webhookUrl = null, string? webhookSecret = null)
    {
        var server = await Sim.StartWithForkAsync(options);
        server.CreateRepo("forker", "secret", isPrivate: true);
        server.CreateRepo("forker", "other");
        var (app, pem) = server.CreateApp("backstroke", permissions ?? Permissions, webhookUrl, webhookSecret);
        var installation = server.Install(app, "forker", "forker/project");
        return new AppWorld(server, app, pem, installation);
    }

    /// <summary>A JWT as the docs build it: issued 60 seconds in the past, expiring in 9 minutes, by the App id.</summary>
    public string Jwt() => Jwt(App.Id, -60, 540);

    /// <summary>A JWT with these claims (offsets in seconds from the simulator's now) signed with the App's key.</summary>
    public string Jwt(object? iss, long? iatOffset, long? expOffset, string alg = "RS256", string? key = null)
    {
        var now = Server.State.Now.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>();
        if (iatOffset is { } iat)
        {
            claims["iat"] = now + iat;
        }

        if (expOffset is { } exp)
        {
            claims["exp"] = now + exp;
        }

        if (iss is not null)
        {
            claims["iss"] = iss;
        }

        return Sign(key ?? PrivateKeyPem, new Dictionary<string, object?> { ["alg"] = alg, ["typ"] = "JWT" }, claims);
    }

    /// <summary>header.claims signed with RSASSA-PKCS1-v1_5 SHA-256 (RS256), every part base64url without padding.</summary>
    public static string Sign(string pem, object header, object claims)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signed + "." + Base64Url(rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public HttpClient Bearer(string credential)
    {
        var http = Sim.Http(Server);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return http;
    }

    /// <summary>An installation token obtained the way an App does: the JWT, then POST access_tokens.</summary>
    public async Task<string> TokenAsync(string? body = null)
    {
        using var http = Bearer(Jwt());
        using var response = await Sim.SendAsync(http, "POST", $"app/installations/{Installation.Id}/access_tokens", body);
        response.EnsureSuccessStatusCode();
        return (await Sim.JsonAsync(response)).GetProperty("token").GetString()!;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
