using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Dashboard;

/// <summary>One minute of the system page's charts.</summary>
internal sealed record ActivitySample(DateTimeOffset At, int QueueDepth, int SyncsOk, int SyncsError, int GitHubRequests);

/// <summary>
/// Samples the queue depth, the syncs that ended and the requests sent to GitHub once a minute, keeping the last hour
/// in memory for the system page's charts. Nothing is stored: a restart starts a new hour, which is all an operator
/// glancing at the page needs (Prometheus at /metrics keeps the long history).
/// </summary>
internal sealed partial class ActivitySampler(IServiceScopeFactory scopes, BackstrokeMetrics metrics, TimeProvider time, ILogger<ActivitySampler> logger)
    : BackgroundService
{
    public const int Minutes = 60;
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Queue<ActivitySample> samples = new();
    private DateTimeOffset? lastAt;
    private double lastRequests;

    /// <summary>Oldest first, at most an hour of minutes.</summary>
    public IReadOnlyList<ActivitySample> Samples
    {
        get
        {
            lock (gate)
            {
                return [.. samples];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lastRequests = metrics.GitHubRequestCount;
        lastAt = time.GetUtcNow();
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A missed minute is a gap in a chart, never a reason to stop sampling.
                LogSampleFailed(exception);
            }
        }
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var since = lastAt ?? now - Every;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
        var queued = await db.Operations.CountAsync(o => o.Status == OperationStatus.Queued, ct);
        var ended = await db.Operations
            .Where(o => (o.Status == OperationStatus.Ok || o.Status == OperationStatus.Error) && o.FinishedAt > since && o.FinishedAt <= now)
            .GroupBy(o => o.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var requests = metrics.GitHubRequestCount;
        var sample = new ActivitySample(now, queued,
            ended.Where(e => e.Status == OperationStatus.Ok).Sum(e => e.Count),
            ended.Where(e => e.Status == OperationStatus.Error).Sum(e => e.Count),
            (int)Math.Max(0, requests - lastRequests));
        lock (gate)
        {
            samples.Enqueue(sample);
            while (samples.Count > Minutes)
            {
                samples.Dequeue();
            }

            lastAt = now;
            lastRequests = requests;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the system page's activity")]
    private partial void LogSampleFailed(Exception exception);
}
