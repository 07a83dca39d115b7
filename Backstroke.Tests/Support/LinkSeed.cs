using Backstroke.Data;

namespace Backstroke.Tests.Support;

/// <summary>Users and links written straight into the app's database, as the links API would leave them.</summary>
internal static class LinkSeed
{
    private static long nextGitHubId = 1_000_000_000;

    public static async Task<User> UserAsync(BackstrokeDbContext db, string login, string? protectedToken = null)
    {
        var user = new User
        {
            GitHubId = Interlocked.Increment(ref nextGitHubId),
            Login = login,
            AccessTokenProtected = protectedToken,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A link from <paramref name="upstream"/> (<c>owner/repo@branch</c>) to <paramref name="fork"/>
    /// (<c>owner/repo@branch</c>, or null for every fork that opts in).</summary>
    public static Link Link(User owner, string upstream, string? fork, bool enabled = true, string name = "Test link")
    {
        var (upOwner, upRepo, upBranch) = Parse(upstream);
        var link = new Link
        {
            Id = Ids.NewLinkId(),
            WebhookId = Ids.NewWebhookId(),
            Name = name,
            Enabled = enabled,
            OwnerId = owner.Id,
            UpstreamOwner = upOwner,
            UpstreamRepo = upRepo,
            UpstreamBranch = upBranch,
            ForkType = fork is null ? ForkType.ForkAll : ForkType.Repo,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        if (fork is not null)
        {
            (link.ForkOwner, link.ForkRepo, link.ForkBranch) = Parse(fork);
        }

        return link;
    }

    private static (string Owner, string Repo, string Branch) Parse(string spec)
    {
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        return (spec[..slash], spec[(slash + 1)..at], spec[(at + 1)..]);
    }
}
