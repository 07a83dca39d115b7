using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>
/// <c>Sync:Workers</c> loops that claim due queued operations under a lease and run them, renewing the lease while
/// they do. On start, what an earlier process of this instance left running goes back to the queue; what other
/// instances hold is left alone until its lease expires, when a sweep (every <c>Sync:LeaseRenewInterval</c>, on every
/// instance) puts it back. Workers wake on the channel, and also look at the table every <c>Sync:PollInterval</c> and
/// when a delayed retry falls due, so nothing depends on the channel alone.
/// </summary>
internal sealed partial class SyncWorkers(
    IServiceScopeFactory scopes, SyncQueue queue, OperationRunner runner, IOptions<SyncOptions> options, TimeProvider time,
    SyncWorkerStates states, SyncInstance instance, ILogger<SyncWorkers> logger) : BackgroundService
{
    // Short enough that work resumes within seconds of the database accepting writes again.
    private static readonly TimeSpan MaxLoopDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Readiness turns false the moment the stop begins, so a load balancer sends no more work here.
        await using var stopping = stoppingToken.Register(states.Stop);
        if (!await ReclaimOwnAsync(stoppingToken))
        {
            return;
        }

        // Running operations get a grace period to finish after the stop signal; then they are cancelled and requeued.
        using var hardStop = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() => hardStop.CancelAfter(options.Value.ShutdownGrace));
        states.Start();
        var workers = Enumerable.Range(1, options.Value.Workers).Select(n => Task.Run(() => LoopAsync(n, stoppingToken, hardStop.Token), CancellationToken.None));
        var sweep = Task.Run(() => SweepLoopAsync(stoppingToken), CancellationToken.None);
        await Task.WhenAll([.. workers, sweep]);
    }

    private async Task LoopAsync(int worker, CancellationToken stopping, CancellationToken hardStop)
    {
        try
        {
            await RunLoopAsync(worker, stopping, hardStop);
        }
        finally
        {
            states.Set(worker, WorkerActivity.Exited);
        }
    }

    private async Task RunLoopAsync(int worker, CancellationToken stopping, CancellationToken hardStop)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            states.Set(worker, WorkerActivity.Idle);
            try
            {
                var now = time.GetUtcNow();
                if (await WithStoreAsync(store => store.ClaimNextAsync(now, now + options.Value.LeaseDuration, stopping)) is { } id)
                {
                    failures = 0;
                    states.Set(worker, WorkerActivity.Busy);
                    // There may be more: a sleeping worker looks too, so a burst does not wait for the poll interval.
                    queue.Wake();
                    await using (LeaseRenewal.Start(scopes, id, options.Value, time, logger))
                    {
                        await runner.RunAsync(id, hardStop);
                    }

                    continue;
                }

                failures = 0;
                await WaitForWorkAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database was busy or gone for a moment: the queue is in the table, so try again shortly. While
                // it stays unusable (a full disk), the tries and the log lines they leave thin out.
                failures++;
                if (failures <= 3 || failures % 60 == 0)
                {
                    LogLoopFailed(ex, worker);
                }

                await Task.Delay(failures <= 3 ? TimeSpan.FromSeconds(1) : MaxLoopDelay, time, CancellationToken.None);
            }
        }
    }

    /// <summary>Puts back what a previous process of this instance left running; retried while the database is not
    /// usable yet (e.g. migrations turned off and not yet applied), because a worker that dies would leave the queue
    /// unserved.</summary>
    private async Task<bool> ReclaimOwnAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var recovered = await WithStoreAsync(store => store.ReclaimOwnAsync(time.GetUtcNow(), stopping));
                LogStarted(instance.Id, options.Value.Workers);
                if (recovered > 0)
                {
                    LogRecovered(recovered);
                }

                return true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex, 0);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        return false;
    }

    /// <summary>Every renewal interval, puts back in the queue what other instances hold under expired leases.</summary>
    private async Task SweepLoopAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var requeued = await WithStoreAsync(store => store.RequeueExpiredAsync(time.GetUtcNow(), stopping));
                failures = 0;
                foreach (var (id, holder) in requeued)
                {
                    LogLeaseExpired(id, holder);
                    queue.Wake();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (++failures <= 3 || failures % 60 == 0)
                {
                    LogLoopFailed(ex, 0);
                }
            }

            try
            {
                await Task.Delay(options.Value.LeaseRenewInterval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stopping)
    {
        var wait = options.Value.PollInterval;
        if (await WithStoreAsync(store => store.NextDueAsync(stopping)) is { } due)
        {
            var untilDue = due - time.GetUtcNow();
            wait = untilDue < wait ? (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.FromMilliseconds(50)) : wait;
        }

        using var timeout = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            await queue.WakeUps.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // Poll interval or a due retry: look at the table again.
        }
    }

    private async Task<T> WithStoreAsync<T>(Func<OperationStore, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(OperationStore.In(scope.ServiceProvider));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync workers ({Workers}) started as instance {Instance}")]
    private partial void LogStarted(string instance, int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Put {Count} operation(s) left running by the previous process of this instance back in the queue")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} outlived the lease of instance {Instance}, which holds it no longer; back in the queue")]
    private partial void LogLeaseExpired(string operationId, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync worker {Worker} could not read the queue; trying again")]
    private partial void LogLoopFailed(Exception exception, int worker);
}
