using Backstroke.Data;

namespace Backstroke.Tests.Support;

/// <summary>The seeder's entry points under their earlier name; <see cref="TestLinks"/> does the work.</summary>
internal static class LinkSeed
{
    public static Task<User> UserAsync(BackstrokeDbContext db, string login, string? protectedToken = null) =>
        TestLinks.UserAsync(db, login, protectedToken);

    public static Link Link(User owner, string upstream, string? fork, bool enabled = true, string name = "Test link") =>
        TestLinks.Link(owner, upstream, fork, enabled, name);
}
