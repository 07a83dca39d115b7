using System.Collections.Concurrent;

namespace Backstroke.FakeGitHub;

internal sealed record OAuthApp(string ClientId, string ClientSecret);

internal sealed record OAuthCode(string Code, string ClientId, string Login, string? RedirectUri, string[] Scopes);

/// <summary>Registered OAuth apps and the one-time codes the authorize page hands out.</summary>
internal sealed class OAuthStore
{
    private readonly ConcurrentDictionary<string, OAuthApp> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OAuthCode> _codes = new(StringComparer.Ordinal);

    public void AddApp(string clientId, string clientSecret) => _apps[clientId] = new OAuthApp(clientId, clientSecret);

    public OAuthApp? FindApp(string? clientId) => clientId is null ? null : _apps.GetValueOrDefault(clientId);

    public OAuthCode IssueCode(string clientId, string login, string? redirectUri, string[] scopes)
    {
        var code = new OAuthCode(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..20], clientId, login, redirectUri, scopes);
        _codes[code.Code] = code;
        return code;
    }

    /// <summary>Codes work once, as on GitHub.</summary>
    public OAuthCode? Redeem(string? code) => code is not null && _codes.TryRemove(code, out var c) ? c : null;
}
