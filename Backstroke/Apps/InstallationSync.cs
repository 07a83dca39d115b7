using System.Threading.Channels;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Apps;

/// <summary>
/// Brings the installations table up to date with GitHub, in the background so that webhooks are answered at once:
/// one installation when its webhook says something changed, and all of them (<c>GET /app/installations</c>) at
/// start and then daily, which also repairs what missed webhooks left behind. New forks get their links and a sync.
/// </summary>
internal sealed partial class InstallationSync(
    IServiceScopeFactory scopes,
    InstallationTokens tokens,
    GitHubClients clients,
    SyncQueue queue,
    IOptions<GitHubOptions> options,
    TimeProvider time,
    ILogger<InstallationSync> logger) : BackgroundService
{
    public static readonly TimeSpan FullInterval = TimeSpan.FromDays(1);

    /// <summary>An installation id to refresh; null: all of them.</summary>
    private readonly Channel<long?> work = Channel.CreateUnbounded<long?>();

    // Webhooks change the table while a refresh reads GitHub: what the refresh read is older than the webhook, so the
    // refresh writes only if no webhook changed anything since it began reading, and otherwise reads again.
    private readonly SemaphoreSlim writes = new(1, 1);
    private long changes;

    public void Refresh(long installationId) => work.Writer.TryWrite(installationId);

    /// <summary>A webhook's change of the installations table, one writer at a time, newer than any refresh under way.</summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        await writes.WaitAsync(ct);
        try
        {
            Interlocked.Increment(ref changes);
            return await change();
        }
        finally
        {
            writes.Release();
        }
    }

    /// <summary>Enters the write phase of a refresh that began reading at <paramref name="seen"/>; null when a webhook
    /// came in between (the refresh is queued again).</summary>
    private async Task<IDisposable?> WriteAsync(long seen, long? installationId, CancellationToken ct)
    {
        await writes.WaitAsync(ct);
        if (Interlocked.Read(ref changes) == seen)
        {
            return new Releaser(writes);
        }

        writes.Release();
        work.Writer.TryWrite(installationId);
        return null;
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.AppConfigured)
        {
            return;
        }

        work.Writer.TryWrite(null);
        using var daily = new PeriodicTimer(FullInterval, time);
        var tick = daily.WaitForNextTickAsync(stoppingToken).AsTask();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = work.Reader.WaitToReadAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(next, tick) == tick)
            {
                work.Writer.TryWrite(null);
                tick = daily.WaitForNextTickAsync(stoppingToken).AsTask();
                continue;
            }

            while (work.Reader.TryRead(out var installationId))
            {
                try
                {
                    await (installationId is { } id ? RefreshAsync(id, stoppingToken) : RefreshAllAsync(stoppingToken));
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The next webhook or the daily pass tries again; a failure here must not stop the host.
                    LogFailed(installationId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all", ex.GetType().Name, ex.Message);
                }
            }
        }
    }

    private async Task RefreshAllAsync(CancellationToken ct)
    {
        var seen = Interlocked.Read(ref changes);
        var installations = await tokens.ListInstallationsAsync(ct);
        using (var writing = await WriteAsync(seen, null, ct))
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (writing is null)
            {
                return;
            }

            var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
            var known = installations.Select(i => i.Id).ToList();
            var stale = await db.Installations.Where(i => !known.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);
            var links = scope.ServiceProvider.GetRequiredService<AppLinks>();
            foreach (var id in stale)
            {
                await links.UninstallAsync(id, ct);
            }

            foreach (var installation in installations)
            {
                var row = await db.Installations.FindAsync([installation.Id], ct);
                if (row is null)
                {
                    row = new Installation { Id = installation.Id };
                    db.Installations.Add(row);
                }

                row.AccountLogin = installation.Account;
                row.RepositorySelection = installation.RepositorySelection;
                row.Suspended = installation.Suspended;
                row.UpdatedAt = time.GetUtcNow();
            }

            await db.SaveChangesAsync(ct);
        }

        foreach (var installation in installations.Where(i => !i.Suspended))
        {
            await RefreshAsync(installation.Id, ct);
        }

        LogAll(installations.Count);
    }

    /// <summary>The installation's repositories as GitHub lists them now, each fork with its parent; then its links.</summary>
    private async Task RefreshAsync(long installationId, CancellationToken ct)
    {
        // Read before the table: a webhook after this point makes the refresh start over.
        var seen = Interlocked.Read(ref changes);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        if (await db.Installations.FindAsync([installationId], ct) is not { Suspended: false })
        {
            return;
        }

        // A fork's parent does not change: only forks not described yet cost a request each.
        var described = (await db.InstallationRepositories.AsNoTracking()
            .Where(r => r.InstallationId == installationId && r.ParentOwner != null && r.DefaultBranch != null)
            .Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var (repos, details) = await tokens.RunAsync(installationId, async token =>
        {
            var listed = await tokens.ListRepositoriesAsync(token, ct);
            var session = clients.For(token);
            var found = new Dictionary<long, RepoDetails?>();
            foreach (var fork in listed.Where(r => r.Fork && !described.Contains(r.Id)))
            {
                found[fork.Id] = await session.GetRepoDetailsAsync(fork.Owner, fork.Name, ct);
            }

            return (listed, found);
        }, ct);

        using var writing = await WriteAsync(seen, installationId, ct);
        if (writing is null)
        {
            return;
        }

        var links = scope.ServiceProvider.GetRequiredService<AppLinks>();
        var listedIds = repos.Select(r => r.Id).ToList();
        var dropped = await db.InstallationRepositories.Where(r => r.InstallationId == installationId && !listedIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct);
        await links.ReleaseAsync(installationId, dropped, ct);

        foreach (var repo in repos)
        {
            var row = await db.InstallationRepositories.FindAsync([repo.Id], ct);
            if (row is null)
            {
                row = new InstallationRepository { Id = repo.Id };
                db.InstallationRepositories.Add(row);
            }

            var detail = details.GetValueOrDefault(repo.Id);
            (row.InstallationId, row.Owner, row.Name, row.Fork) = (installationId, repo.Owner, repo.Name, repo.Fork);
            row.DefaultBranch = detail?.DefaultBranch ?? row.DefaultBranch;
            if (detail?.Parent is { } parent)
            {
                (row.ParentOwner, row.ParentName, row.ParentDefaultBranch) = (parent.Owner, parent.Name, parent.DefaultBranch);
            }
        }

        await db.SaveChangesAsync(ct);
        var started = await links.CreateMissingAsync(installationId, ct);
        foreach (var linkId in started)
        {
            await queue.EnqueueAsync(linkId, OperationKind.Automatic, null, ct);
        }

        LogRefreshed(installationId, repos.Count, started.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation {InstallationId}: {Repositories} repositories, {Started} link(s) made or started")]
    private partial void LogRefreshed(long installationId, int repositories, int started);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub App resync: {Count} installation(s)")]
    private partial void LogAll(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing installation(s) {Which} failed ({Kind}): {Reason}")]
    private partial void LogFailed(string which, string kind, string reason);
}
