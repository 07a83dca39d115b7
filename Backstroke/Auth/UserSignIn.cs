using System.Security.Claims;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Auth;

/// <summary>Turns a GitHub sign-in into a <see cref="User"/> row and a cookie that names it.</summary>
internal sealed partial class UserSignIn(BackstrokeDbContext db, TokenProtector tokens, GitHubClients github, TimeProvider time, ILogger<UserSignIn> logger)
{
    /// <summary>The claim holding our own user id; the cookie carries nothing else worth stealing (no token).</summary>
    public const string UserIdClaim = ClaimTypes.NameIdentifier;

    /// <summary>The user's security stamp when the session began; sign-out changes the stamp, ending every session.</summary>
    public const string SecurityStampClaim = "backstroke:stamp";

    public async Task CreateTicketAsync(OAuthCreatingTicketContext context)
    {
        var ct = context.HttpContext.RequestAborted;
        GitHubUser profile;
        try
        {
            profile = await github.For(context.AccessToken!).GetUserAsync(ct);
        }
        catch (GitHubException failure) when (!ct.IsCancellationRequested)
        {
            LogUserLookupFailed(failure.Status ?? 0);
            context.Fail(failure.Status is { } status
                ? $"GitHub did not tell who signed in (HTTP {status})."
                : "GitHub did not tell who signed in (it could not be reached).");
            return;
        }

        var githubId = profile.Id;
        var now = time.GetUtcNow();

        var user = await db.Users.SingleOrDefaultAsync(u => u.GitHubId == githubId, ct);
        if (user is null)
        {
            user = new User { GitHubId = githubId, Login = "", CreatedAt = now };
            db.Users.Add(user);
        }

        user.Login = profile.Login;
        user.Email = profile.Email;
        user.AvatarUrl = profile.AvatarUrl;
        user.AccessTokenProtected = tokens.Protect(context.AccessToken!);
        // GitHub reports what was granted, which may be less than asked for; the token response says it too.
        user.Scopes = profile.Scopes is { } scopes
            ? NormalizeScopes(scopes)
            : NormalizeScopes(context.TokenResponse.Response?.RootElement.TryGetProperty("scope", out var s) == true ? s.GetString() : null);
        user.LastLoginAt = now;
        await db.SaveChangesAsync(ct);
        LogSignedIn(user.Login, user.Id);

        context.Identity!.AddClaim(new Claim(UserIdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        context.Identity.AddClaim(new Claim(ClaimTypes.Name, user.Login));
        context.Identity.AddClaim(new Claim(SecurityStampClaim, user.SecurityStamp));
    }

    internal static string NormalizeScopes(string? scopes) =>
        string.Join(",", (scopes ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Login} signed in as user {UserId}")]
    private partial void LogSignedIn(string login, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub's user endpoint answered {Status} after a sign-in")]
    private partial void LogUserLookupFailed(int status);
}
