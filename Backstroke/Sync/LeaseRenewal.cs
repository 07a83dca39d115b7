namespace Backstroke.Sync;

/// <summary>
/// Keeps this instance's lease on one running operation alive while a worker runs it: every
/// <c>Sync:LeaseRenewInterval</c> the lease is pushed <c>Sync:LeaseDuration</c> ahead. A renewal the database refuses
/// is tried again at the next tick (the lease is long enough for a few); a renewal that finds the lease gone (the run
/// has just ended, or another instance took the operation over after this one stalled) stops.
/// </summary>
internal sealed partial class LeaseRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private LeaseRenewal(IServiceScopeFactory scopes, string operationId, SyncOptions options, TimeProvider time, ILogger logger) =>
        loop = Task.Run(() => RenewLoopAsync(scopes, operationId, options, time, logger, stop.Token));

    public static LeaseRenewal Start(IServiceScopeFactory scopes, string operationId, SyncOptions options, TimeProvider time, ILogger logger) =>
        new(scopes, operationId, options, time, logger);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private static async Task RenewLoopAsync(
        IServiceScopeFactory scopes, string operationId, SyncOptions options, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.LeaseRenewInterval, time, ct);
                await using var scope = scopes.CreateAsyncScope();
                if (!await OperationStore.In(scope.ServiceProvider).RenewAsync(operationId, time.GetUtcNow() + options.LeaseDuration, ct))
                {
                    // The run has ended (its result ended the lease), or the lease was lost: nothing left to renew.
                    // Which one is told where the result is written (ResultRecorder).
                    return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRenewFailed(logger, ex, operationId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of operation {OperationId}; trying again at the next renewal")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string operationId);
}
