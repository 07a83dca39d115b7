using Backstroke.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Auth;

/// <summary>
/// Sign-out ends every session of the user, not only this browser's: a cookie copied elsewhere (another device, a
/// stolen one) carries the old security stamp, which no longer matches once it is changed here.
/// </summary>
internal static partial class Sessions
{
    public static async Task EndAllAsync(HttpContext context)
    {
        if (context.RequestServices.GetRequiredService<CurrentUser>().User?.Id is { } id)
        {
            var db = context.RequestServices.GetRequiredService<BackstrokeDbContext>();
            var stamp = User.NewSecurityStamp();
            // Not cancellable: a sign-out that stops half-way would leave the other sessions alive.
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(set => set.SetProperty(u => u.SecurityStamp, stamp), CancellationToken.None);
            LogSignedOut(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Sessions).FullName!), id);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed out; every session of theirs ended")]
    private static partial void LogSignedOut(ILogger logger, long userId);
}
