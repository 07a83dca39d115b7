using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.Extensions.DependencyInjection;

namespace Backstroke.Tests.Support;

/// <summary>Users and links written straight into an app's database, as sign-in and the dashboard will later.</summary>
internal static class TestLinks
{
    private static long nextGitHubId = 1_000;

    /// <summary>Adds a user (with <paramref name="token"/> protected as the app protects it, or none) and an enabled link.</summary>
    public static async Task<Link> AddAsync(IServiceProvider services, string? token, Action<Link> configure)
    {
        var protector = services.GetRequiredService<TokenProtector>();
        var user = new User
        {
            GitHubId = Interlocked.Increment(ref nextGitHubId),
            Login = "user" + nextGitHubId,
            AccessTokenProtected = token is null ? null : protector.Protect(token),
            CreatedAt = DateTimeOffset.UtcNow,
        };
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
        db.Links.Add(link);
        await db.SaveChangesAsync();
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
}
