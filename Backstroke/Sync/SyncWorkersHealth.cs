using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>What each worker loop last did, so readiness can tell a live queue from a dead or stuck one.</summary>
internal sealed class SyncWorkerStates(TimeProvider time)
{
    private readonly ConcurrentDictionary<int, (WorkerActivity Activity, DateTimeOffset Since)> workers = new();
    private volatile bool started;
    private volatile bool stopping;

    public bool Started => started;

    public bool Stopping => stopping;

    /// <summary>Recovery is done and the loops are about to run.</summary>
    public void Start() => started = true;

    /// <summary>The host asked to stop: no new work is claimed from now on.</summary>
    public void Stop() => stopping = true;

    public void Set(int worker, WorkerActivity activity) => workers[worker] = (activity, time.GetUtcNow());

    public IReadOnlyDictionary<int, (WorkerActivity Activity, DateTimeOffset Since)> Snapshot() => workers.ToDictionary();
}

internal enum WorkerActivity
{
    /// <summary>Looking at the queue or waiting for a wake-up; refreshed at least every <c>Sync:PollInterval</c>.</summary>
    Idle,

    /// <summary>Running an operation, which takes as long as GitHub takes.</summary>
    Busy,

    Exited,
}

/// <summary>Ready when every worker loop runs: busy, or idle and looking at the queue as often as it should.</summary>
internal sealed class SyncWorkersReadyCheck(SyncWorkerStates states, IOptions<SyncOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>Beyond the poll interval, a claim may wait on a busy database for up to its timeout (30 s).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(60);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var expected = options.Value.Workers;
        if (states.Stopping)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The sync workers are stopping: the process is shutting down."));
        }

        if (!states.Started)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The sync workers have not started: the queue cannot be read yet."));
        }

        var now = time.GetUtcNow();
        var workers = states.Snapshot();
        var alive = workers.Values.Count(w => w.Activity == WorkerActivity.Busy
            || (w.Activity == WorkerActivity.Idle && now - w.Since <= options.Value.PollInterval + Slack));
        return Task.FromResult(alive == expected
            ? HealthCheckResult.Healthy($"{alive} of {expected} sync workers are running.")
            : HealthCheckResult.Unhealthy($"Only {alive} of {expected} sync workers are running."));
    }
}
