using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backstroke.Tests.Support;

/// <summary>
/// The one seeder: users and links written straight into an app's database, as sign-in and the links API would leave
/// them. Every user gets a GitHub id of its own, so seeded users never collide within one database.
/// </summary>
internal static class TestLinks
{
    // Far above the ids the simulator hands out (from 1), so a seeded user never takes a signed-in user's GitHub id.
    private static long nextGitHubId = 1_000_000_000;

    // A token is one GitHub user's, as on GitHub: links seeded with the same token in one app share their owner.
    private static readonly ConditionalWeakTable<IServiceProvider, ConcurrentDictionary<string, long>> OwnersByToken = [];

    /// <summary>Adds a user (with <paramref name="token"/> protected as the app protects it, or none) and an enabled link.</summary>
    public static async Task<Link> AddAsync(IServiceProvider services, string? token, Action<Link> configure)
    {
        var protector = services.GetRequiredService<TokenProtector>();
        var owners = OwnersByToken.GetOrCreateValue(services);
        User? user = null;
        long? ownerId = token is not null && owners.TryGetValue(token, out var known) ? known : null;
        if (ownerId is null)
        {
            var id = NextGitHubId();
            user = NewUser("user" + id, token is null ? null : protector.Protect(token), id);
        }

        var link = new Link
        {
            Id = Ids.NewLinkId(),
            WebhookId = Ids.NewWebhookId(),
            Name = "My link",
            Enabled = true,
            Owner = user,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        configure(link);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        if (ownerId is { } existing && link.Owner is null)
        {
            link.Owner = await db.Users.SingleAsync(u => u.Id == existing);
        }

        db.Links.Add(link);
        await db.SaveChangesAsync();
        if (token is not null && user is not null)
        {
            owners.TryAdd(token, user.Id);
        }

        return link;
    }

    /// <summary>A user named <paramref name="login"/>, saved in <paramref name="db"/>.</summary>
    public static async Task<User> UserAsync(BackstrokeDbContext db, string login, string? protectedToken = null)
    {
        var user = NewUser(login, protectedToken, NextGitHubId());
        user.CreatedAt = DateTimeOffset.UnixEpoch;
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A link (not saved) from <paramref name="upstream"/> (<c>owner/repo@branch</c>) to <paramref name="fork"/>
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

    public static Action<Link> Repo(string upOwner, string upRepo, string upBranch, string forkOwner, string forkRepo, string forkBranch, SyncMode mode = SyncMode.PullRequest) =>
        l =>
        {
            (l.UpstreamOwner, l.UpstreamRepo, l.UpstreamBranch) = (upOwner, upRepo, upBranch);
            (l.ForkType, l.ForkOwner, l.ForkRepo, l.ForkBranch) = (ForkType.Repo, forkOwner, forkRepo, forkBranch);
            l.SyncMode = mode;
        };

    public static Action<Link> ForkAll(string upOwner, string upRepo, string upBranch) =>
        l =>
        {
            (l.UpstreamOwner, l.UpstreamRepo, l.UpstreamBranch) = (upOwner, upRepo, upBranch);
            l.ForkType = ForkType.ForkAll;
        };

    private static long NextGitHubId() => Interlocked.Increment(ref nextGitHubId);

    private static User NewUser(string login, string? protectedToken, long gitHubId) => new()
    {
        GitHubId = gitHubId,
        Login = login,
        AccessTokenProtected = protectedToken,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static (string Owner, string Repo, string Branch) Parse(string spec)
    {
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        return (spec[..slash], spec[(slash + 1)..at], spec[(at + 1)..]);
    }
}
