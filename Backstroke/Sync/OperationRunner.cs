using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>
/// Runs one claimed operation and records how it ended: ok, error, or back in the queue (rate limit, transient
/// failure, shutdown). Whatever happens, the row does not stay <c>running</c> while the process lives.
/// </summary>
internal sealed partial class OperationRunner(
    IServiceScopeFactory scopes, LinkSync linkSync, IOptions<SyncOptions> options, TimeProvider time, BackstrokeMetrics metrics,
    ILogger<OperationRunner> logger)
{
    public async Task RunAsync(string operationId, CancellationToken ct)
    {
        // This carries the shutdown to every GitHub request of the run, even those of helpers that take no token.
        GitHubCancellation.Current = ct;
        var record = new ResultRecorder(scopes, operationId, time, logger);
        Operation operation;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            operation = await scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>().Operations.AsNoTracking()
                .Include(o => o.Link).ThenInclude(l => l!.Owner)
                .Include(o => o.Link).ThenInclude(l => l!.Installation)
                .Include(o => o.Link).ThenInclude(l => l!.Upstream)
                .FirstAsync(o => o.Id == operationId, CancellationToken.None);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            // Claimed, but unreadable: it goes back to the queue as soon as the database takes the write.
            await record.WriteAsync(store => store.RequeueAsync(operationId, time.GetUtcNow(), countAttempt: false, null, time.GetUtcNow(), CancellationToken.None), ct);
            return;
        }

        // The head this run syncs to, as known when it starts: a head found later is queued again by its check.
        var head = operation.Link!.Upstream?.HeadSha;
        var started = time.GetTimestamp();
        var kind = operation.Kind.ToString().ToLowerInvariant();
        // Everything logged while this operation runs (GitHub calls, retries, the result) names it and its link.
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["OperationId"] = operationId, ["LinkId"] = operation.LinkId });
        LogStarted(operationId, operation.LinkId, operation.Attempts);

        try
        {
            var outcome = await linkSync.RunAsync(operation.Link!, operationId, ct);
            var status = outcome.Error is null ? OperationStatus.Ok : OperationStatus.Error;
            await record.WriteAsync(store => store.FinishAsync(operationId, status, outcome.OutputJson, outcome.Error, head, time.GetUtcNow(), CancellationToken.None), ct);
            LogFinished(operationId, status, time.GetElapsedTime(started).TotalMilliseconds);
            metrics.OperationRan(kind, status == OperationStatus.Ok ? BackstrokeMetrics.RunStatus.Ok : BackstrokeMetrics.RunStatus.Error, time.GetElapsedTime(started));
        }
        catch (GitHubException limited) when (limited is { Kind: GitHubFailure.RateLimited, Until: { } until }
            && (!limited.Secondary || operation.Attempts < options.Value.MaxAttempts))
        {
            LogRateLimited(operationId, until);
            await record.WriteAsync(store => store.RequeueAsync(operationId, until, countAttempt: limited.Secondary,
                $"Waiting for the GitHub rate limit until {until:u}.", time.GetUtcNow(), CancellationToken.None), ct);
            metrics.OperationRan(kind, BackstrokeMetrics.RunStatus.Retry, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the operation did not fail, it runs again on the next start.
            await record.WriteAsync(store => store.RequeueAsync(operationId, time.GetUtcNow(), countAttempt: false, null, time.GetUtcNow(), CancellationToken.None), ct);
            LogInterrupted(operationId);
            metrics.OperationRan(kind, BackstrokeMetrics.RunStatus.Interrupted, time.GetElapsedTime(started));
        }
        catch (Exception ex) when (Failures.IsTransient(ex))
        {
            var reason = Failures.Describe(ex);
            if (operation.Attempts >= options.Value.MaxAttempts)
            {
                await record.WriteAsync(store => store.FinishAsync(operationId, OperationStatus.Error, null,
                    $"GitHub failed {operation.Attempts} times in a row; the last time: {reason}", null, time.GetUtcNow(), CancellationToken.None), ct);
                LogGaveUp(operationId, operation.Attempts, reason);
                metrics.OperationRan(kind, BackstrokeMetrics.RunStatus.Error, time.GetElapsedTime(started));
                return;
            }

            var retryAt = time.GetUtcNow() + Failures.Backoff(operation.Attempts, options.Value);
            LogRetrying(operationId, operation.Attempts, reason, retryAt);
            await record.WriteAsync(store => store.RequeueAsync(operationId, retryAt, countAttempt: true,
                $"Attempt {operation.Attempts} failed ({reason}); trying again at {retryAt:u}.", time.GetUtcNow(), CancellationToken.None), ct);
            metrics.OperationRan(kind, BackstrokeMetrics.RunStatus.Retry, time.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            LogFailed(ex, operationId);
            await record.WriteAsync(store => store.FinishAsync(operationId, OperationStatus.Error, null, Failures.Permanent(ex), null, time.GetUtcNow(), CancellationToken.None), ct);
            metrics.OperationRan(kind, BackstrokeMetrics.RunStatus.Error, time.GetElapsedTime(started));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Operation {OperationId} of link {LinkId} started (attempt {Attempt})")]
    private partial void LogStarted(string operationId, string linkId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} finished {Status} in {ElapsedMs:0} ms")]
    private partial void LogFinished(string operationId, OperationStatus status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} waits for the GitHub rate limit until {Until}")]
    private partial void LogRateLimited(string operationId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} attempt {Attempt} failed ({Reason}); retrying at {RetryAt}")]
    private partial void LogRetrying(string operationId, int attempt, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} was interrupted by the shutdown and is back in the queue")]
    private partial void LogInterrupted(string operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} gave up after {Attempts} attempts: {Reason}")]
    private partial void LogGaveUp(string operationId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operation {OperationId} failed unexpectedly")]
    private partial void LogFailed(Exception exception, string operationId);
}
