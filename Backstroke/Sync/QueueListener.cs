using Backstroke.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Backstroke.Sync;

/// <summary>
/// On PostgreSQL, one connection per instance that <c>LISTEN</c>s on <see cref="QueueNotifications.Channel"/> and wakes
/// this instance's workers when another instance queues work, so it starts at once instead of at the next table poll.
/// A lost connection is opened again (waiting longer after each failure, up to half a minute); while it is down the
/// workers' table polling still finds everything, only later. The connection is probed when quiet, so a server that
/// went away without a word is noticed too.
/// </summary>
internal sealed partial class QueueListener(
    IOptions<DatabaseOptions> database, SyncQueue queue, SyncInstance instance, TimeProvider time, ILogger<QueueListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan QuietProbe = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        // Outside the pool: a pooled connection is reset when returned, which would end the LISTEN.
        var connectionString = new NpgsqlConnectionStringBuilder(DataExtensions.PostgresConnectionString(database.Value)) { Pooling = false }.ConnectionString;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) =>
                {
                    if (notification.Payload != instance.Id)
                    {
                        queue.Wake();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {QueueNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (failures > 0)
                {
                    LogListening(failures);
                }

                // What was queued while no one listened is found by the workers' table polling.
                failures = 0;
                while (true)
                {
                    if (!await connection.WaitAsync(QuietProbe, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                if (failures <= 3 || failures % 60 == 0)
                {
                    LogLost(ex, failures);
                }

                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue's wake-up connection to PostgreSQL failed (try {Failures}); workers still poll the table meanwhile")]
    private partial void LogLost(Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for queue wake-ups again after {Failures} failed try(s)")]
    private partial void LogListening(int failures);
}
