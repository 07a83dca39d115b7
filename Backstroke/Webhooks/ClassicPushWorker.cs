using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

/// <summary>
/// Works through the classic webhooks' pushes (<see cref="ClassicPush"/>), one at a time and as the bot: a push to a
/// fork proposes its parent's default branch to it; a push to the default branch of an upstream proposes that branch
/// to its forks (the first page, as the original service did). GitHub being down or rate-limited puts the push back
/// with a growing delay; after <c>Sync:MaxAttempts</c> tries, or a permanent refusal, it is dropped with a log line.
/// </summary>
internal sealed partial class ClassicPushWorker(
    IServiceScopeFactory scopes,
    ClassicPushQueue queue,
    ClassicGitHub network,
    GitHubClients clients,
    ForkSync forkSync,
    IOptions<GitHubOptions> github,
    IOptions<SyncOptions> sync,
    IOptions<LegacyOptions> legacy,
    TimeProvider time,
    ILogger<ClassicPushWorker> logger) : BackgroundService
{
    /// <summary>A claim outlives any one push's work; an instance that died mid-push leaves it to another after this.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Without classic webhooks nothing is queued: the table is not watched at all. Pushes left from a time they
        // were on wait for them to be turned on again.
        if (!legacy.Value.ClassicWebhooks)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunNextAsync(stoppingToken))
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    wait.CancelAfter(LookEvery);
                    try
                    {
                        await queue.WakeUps.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // Time to look at the table again (a retry may be due).
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None);
            }
        }
    }

    /// <returns>Whether a push was claimed.</returns>
    private async Task<bool> RunNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        var now = time.GetUtcNow();
        var push = await db.ClassicPushes.AsNoTracking()
            .Where(p => p.NextAttemptAt <= now && (p.ClaimedUntil == null || p.ClaimedUntil < now))
            .OrderBy(p => p.NextAttemptAt).FirstOrDefaultAsync(ct);
        if (push is null)
        {
            return false;
        }

        var until = now + Lease;
        int claimed;
        using (await SqliteWriteGate.Of(db).EnterAsync(ct))
        {
            claimed = await db.ClassicPushes
                .Where(p => p.Id == push.Id && (p.ClaimedUntil == null || p.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUntil, until).SetProperty(p => p.Attempts, p => p.Attempts + 1), ct);
        }

        if (claimed == 1)
        {
            await RunAsync(db, push, push.Attempts + 1, ct);
        }

        return true;
    }

    private async Task RunAsync(BackstrokeDbContext db, ClassicPush push, int attempt, CancellationToken ct)
    {
        DateTimeOffset? retryAt = null;
        try
        {
            if (github.Value.BotToken is not { Length: > 0 } botToken)
            {
                LogDropped(push.Owner, push.Repo, "GitHub:BotToken is not set");
            }
            else
            {
                var bot = clients.For(botToken);
                var targets = await TargetsAsync(botToken, push, ct);
                var ok = 0;
                foreach (var (upstream, fork) in targets)
                {
                    var result = await forkSync.RunAsync(bot, bot, upstream, fork, SyncMode.PullRequest, ct);
                    ok += result.Ok ? 1 : 0;
                    LogFork(push.Owner, push.Repo, fork.FullName, result.Message);
                }

                LogClassic(push.Owner, push.Repo, targets.Count, ok);
            }
        }
        catch (GitHubException failure) when (failure.IsTransient && attempt < sync.Value.MaxAttempts)
        {
            var backoff = TimeSpan.FromTicks(Math.Min(sync.Value.RetryMaxDelay.Ticks, sync.Value.RetryBaseDelay.Ticks << Math.Min(attempt - 1, 20)));
            retryAt = failure.Until is { } limited && limited > time.GetUtcNow() + backoff ? limited : time.GetUtcNow() + backoff;
            LogRetry(push.Owner, push.Repo, failure.Describe(), retryAt.Value);
        }
        catch (GitHubException failure)
        {
            LogDropped(push.Owner, push.Repo, failure.Describe());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the push stays queued for the next start (or another instance) to do again.
            retryAt = time.GetUtcNow();
        }

        using (await SqliteWriteGate.Of(db).EnterAsync(CancellationToken.None))
        {
            var rows = db.ClassicPushes.Where(p => p.Id == push.Id);
            _ = retryAt is { } at
                ? await rows.ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUntil, (DateTimeOffset?)null).SetProperty(p => p.NextAttemptAt, at), CancellationToken.None)
                : await rows.ExecuteDeleteAsync(CancellationToken.None);
        }
    }

    private async Task<List<(BranchRef Upstream, BranchRef Fork)>> TargetsAsync(string token, ClassicPush push, CancellationToken ct)
    {
        if (push.IsFork)
        {
            return await network.ParentAsync(token, push.Owner, push.Repo, ct) is { } parent
                ? [(new BranchRef(parent.Owner, parent.Name, parent.DefaultBranch), new BranchRef(push.Owner, push.Repo, parent.DefaultBranch))]
                : [];
        }

        // Only the default branch is proposed: feature branches are the upstream's own business.
        if (push.Branch is not { } branch || (push.DefaultBranch is not null && branch != push.DefaultBranch))
        {
            return [];
        }

        var forks = await network.FirstForksAsync(token, push.Owner, push.Repo, ct);
        return [.. forks.Select(f => (new BranchRef(push.Owner, push.Repo, branch), new BranchRef(f.Owner, f.Name, branch)))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Classic webhook for {Owner}/{Repo}: {Ok} of {Count} fork(s) ok")]
    private partial void LogClassic(string owner, string repo, int count, int ok);

    [LoggerMessage(Level = LogLevel.Information, Message = "Classic webhook for {Owner}/{Repo}, fork {Fork}: {Message}")]
    private partial void LogFork(string owner, string repo, string fork, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Classic webhook for {Owner}/{Repo} will be tried again at {RetryAt}: {Reason}")]
    private partial void LogRetry(string owner, string repo, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Classic webhook for {Owner}/{Repo} was dropped: {Reason}")]
    private partial void LogDropped(string owner, string repo, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The classic webhook worker could not read or update its queue; trying again")]
    private partial void LogLoopFailed(Exception exception);
}
