using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Auth;

/// <summary>Turns a GitHub sign-in into a <see cref="User"/> row and a cookie that names it.</summary>
internal sealed partial class UserSignIn(BackstrokeDbContext db, TokenProtector tokens, TimeProvider time, ILogger<UserSignIn> logger)
{
    /// <summary>The claim holding our own user id; the cookie carries nothing else worth stealing (no token).</summary>
    public const string UserIdClaim = ClaimTypes.NameIdentifier;

    /// <summary>The user's security stamp when the session began; sign-out changes the stamp, ending every session.</summary>
    public const string SecurityStampClaim = "backstroke:stamp";

    public async Task CreateTicketAsync(OAuthCreatingTicketContext context)
    {
        var ct = context.HttpContext.RequestAborted;
        using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", context.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Backstroke", "1.0"));
        using var response = await context.Backchannel.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            LogUserLookupFailed((int)response.StatusCode);
            context.Fail($"GitHub did not tell who signed in (HTTP {(int)response.StatusCode}).");
            return;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var profile = json.RootElement;
        var githubId = profile.GetProperty("id").GetInt64();
        var now = time.GetUtcNow();

        var user = await db.Users.SingleOrDefaultAsync(u => u.GitHubId == githubId, ct);
        if (user is null)
        {
            user = new User { GitHubId = githubId, Login = "", CreatedAt = now };
            db.Users.Add(user);
        }

        user.Login = profile.GetProperty("login").GetString() ?? "";
        user.Email = String(profile, "email");
        user.AvatarUrl = String(profile, "avatar_url");
        user.AccessTokenProtected = tokens.Protect(context.AccessToken!);
        // GitHub reports what was granted, which may be less than asked for; the token response says it too.
        user.Scopes = response.Headers.TryGetValues("X-OAuth-Scopes", out var scopes)
            ? NormalizeScopes(string.Join(",", scopes))
            : NormalizeScopes(context.TokenResponse.Response?.RootElement.TryGetProperty("scope", out var s) == true ? s.GetString() : null);
        user.LastLoginAt = now;
        await db.SaveChangesAsync(ct);
        LogSignedIn(user.Login, user.Id);

        context.Identity!.AddClaim(new Claim(UserIdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        context.Identity.AddClaim(new Claim(ClaimTypes.Name, user.Login));
        context.Identity.AddClaim(new Claim(SecurityStampClaim, user.SecurityStamp));
    }

    /// <summary>A session whose user was deleted, or signed out since it began, ends at its next request.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(UserIdClaim) is not { } value || !long.TryParse(value, out var id)
            || context.Principal.FindFirstValue(SecurityStampClaim) is not { Length: > 0 } stamp
            || !await context.HttpContext.RequestServices.GetRequiredService<BackstrokeDbContext>().Users.AnyAsync(u => u.Id == id && u.SecurityStamp == stamp))
        {
            context.RejectPrincipal();
        }
    }

    internal static string NormalizeScopes(string? scopes) =>
        string.Join(",", (scopes ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Login} signed in as user {UserId}")]
    private partial void LogSignedIn(string login, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub's user endpoint answered {Status} after a sign-in")]
    private partial void LogUserLookupFailed(int status);
}
