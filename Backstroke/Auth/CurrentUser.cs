using System.Globalization;
using System.Security.Claims;
using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Auth;

/// <summary>
/// Who is signed in for this request: the <see cref="Data.User"/> row, read once when the session cookie is checked,
/// then shared by every endpoint, page and authorization handler of the request. Null when signed out, or when the
/// cookie names a user that no longer exists (that session ends there).
/// </summary>
internal sealed class CurrentUser(IOptions<BackstrokeOptions> backstroke)
{
    public User? User { get; private set; }

    public bool SignedIn => User is not null;

    /// <summary>The signed-in user's id; only where sign-in is required, so a missing user is a programming error.</summary>
    public long Id => User?.Id ?? throw new InvalidOperationException("No user is signed in for this request.");

    /// <summary>Operators are named by GitHub login in <c>Backstroke:Admins</c>, compared as GitHub does: without regard to case.</summary>
    public bool IsAdmin => User is { Login: var login } && backstroke.Value.Admins.Any(a => string.Equals(a.Trim(), login, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The cookie handler's check of every session: the one query that fills <see cref="CurrentUser"/>. A session whose
    /// user was deleted is rejected, so it ends at its next request.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        // A session whose user was deleted, or signed out everywhere since it began, ends at its next request.
        if (UserId(context.Principal) is not { } id
            || context.Principal!.FindFirstValue(UserSignIn.SecurityStampClaim) is not { Length: > 0 } stamp
            || await services.GetRequiredService<BackstrokeDbContext>().Users.SingleOrDefaultAsync(u => u.Id == id, context.HttpContext.RequestAborted) is not { } user
            || !string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            return;
        }

        services.GetRequiredService<CurrentUser>().User = user;
    }

    /// <summary>Our own user id from the session cookie, or null.</summary>
    private static long? UserId(ClaimsPrincipal? principal) =>
        principal?.FindFirstValue(UserSignIn.UserIdClaim) is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
