using Backstroke.Data;

namespace Backstroke.Sync;

/// <summary>
/// Writes how a claimed operation ended, again and again while the database refuses writes (a full disk, a
/// read-only file), so that the row never stays <c>running</c> behind a worker that has moved on: it ends, or goes
/// back to the queue, as soon as the database takes the write. Only a stop of the process ends the tries; the row is
/// then still <c>running</c>, and goes back to the queue at the next start of this instance or, once its lease has
/// expired, through any other instance.
/// </summary>
internal sealed partial class ResultRecorder(IServiceScopeFactory scopes, string operationId, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <param name="write">The write; false when this instance no longer holds the operation (its lease expired and
    /// another instance took it over), so that the result is not this instance's to record.</param>
    public async Task WriteAsync(Func<OperationStore, Task<bool>> write, CancellationToken stopping)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (!await write(OperationStore.In(scope.ServiceProvider)))
                {
                    LogNotHeld(logger, operationId);
                }
                else if (attempt > 1)
                {
                    LogRecorded(logger, operationId, attempt);
                }

                return;
            }
            catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
            {
                if (attempt == 1)
                {
                    LogRefused(logger, ex, operationId);
                }

                if (stopping.IsCancellationRequested)
                {
                    LogLeftRunning(logger, operationId);
                    return;
                }
            }

            try
            {
                await Task.Delay(delay, time, stopping);
            }
            catch (OperationCanceledException)
            {
                // One more try, below, before the process goes.
            }

            delay = delay * 2 > MaxDelay ? MaxDelay : delay * 2;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused to record the result of operation {OperationId}; trying again until it accepts")]
    private static partial void LogRefused(ILogger logger, Exception exception, string operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of operation {OperationId} was not recorded: this instance no longer holds it (it stalled past its lease, and another instance took the operation over)")]
    private static partial void LogNotHeld(ILogger logger, string operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded the result of operation {OperationId} at try {Attempt}")]
    private static partial void LogRecorded(ILogger logger, string operationId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping before the database accepted the result of operation {OperationId}; the next start or another instance puts it back in the queue")]
    private static partial void LogLeftRunning(ILogger logger, string operationId);
}
