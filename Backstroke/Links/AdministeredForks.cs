using System.Collections.Concurrent;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Links;

/// <summary>
/// Which forks of the GitHub App's links a user may administer, so that an organization's fork shows in the dashboard
/// of its admins, not only of an account with the fork owner's name. GitHub is asked (the user's repositories with
/// their permissions) only when such links exist, and the answer is kept for a few minutes per user: the home page
/// refreshes itself while a run is in progress and must not spend the user's rate limit each time.
/// </summary>
internal sealed partial class AdministeredForks(GitHubClients clients, TokenProtector tokens, TimeProvider time, ILogger<AdministeredForks> logger)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);

    /// <summary>After GitHub could not answer, ask again soon, but not on every page view.</summary>
    private static readonly TimeSpan KeptAfterFailure = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, (DateTimeOffset Until, string[] Repos)> known = new();

    /// <summary>The <c>owner/name</c> (lower case) of every repository the user administers, when any App link could be one.</summary>
    public async Task<string[]> OfAsync(BackstrokeDbContext db, User user, CancellationToken ct)
    {
        var login = user.Login.ToLower();
        if (!await db.Links.AnyAsync(l => l.OwnerId == null && l.ForkOwner != null && l.ForkOwner.ToLower() != login, ct))
        {
            return [];
        }

        var now = time.GetUtcNow();
        if (known.TryGetValue(user.Id, out var entry) && entry.Until > now)
        {
            return entry.Repos;
        }

        string[] repos = [];
        var keep = KeptFor;
        if (tokens.Unprotect(user.AccessTokenProtected, user.GitHubId) is { } token)
        {
            try
            {
                repos = [.. (await clients.For(token).AdministeredReposAsync(ct)).Select(name => name.ToLowerInvariant())];
            }
            catch (GitHubException failure) when (!ct.IsCancellationRequested)
            {
                LogUnreadable(user.Id, failure.Status);
                keep = KeptAfterFailure;
            }
        }

        known[user.Id] = (now + keep, repos);
        return repos;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub did not say which repositories user {UserId} administers ({Status}); the App's links of organization forks stay hidden from them for now")]
    private partial void LogUnreadable(long userId, int? status);
}
