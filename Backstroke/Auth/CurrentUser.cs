using System.Globalization;
using System.Security.Claims;
using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Auth;

internal static class CurrentUser
{
    /// <summary>Our own user id from the session cookie, or null when signed out.</summary>
    public static long? UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(UserSignIn.UserIdClaim) is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static async Task<User?> LoadUserAsync(this BackstrokeDbContext db, ClaimsPrincipal principal, CancellationToken ct) =>
        principal.UserId() is { } id ? await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct) : null;

    /// <summary>Operators are named by GitHub login (SPEC §8), compared as GitHub does: without regard to case.</summary>
    public static bool IsAdmin(this BackstrokeOptions options, string? login) =>
        login is not null && options.Admins.Any(a => string.Equals(a.Trim(), login, StringComparison.OrdinalIgnoreCase));
}
