using Quartz;

namespace Backstroke.Polling;

/// <summary>One polling tick. Quartz fires it every <c>Polling:IntervalSeconds</c>; a tick that runs long delays
/// the next instead of overlapping it.</summary>
[DisallowConcurrentExecution]
internal sealed class PollJob(Poller poller) : IJob
{
    public static readonly JobKey Key = new("poll", "backstroke");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await poller.PollOnceAsync(cancellationToken);
}

[DisallowConcurrentExecution]
internal sealed class RetentionJob(OperationRetention retention) : IJob
{
    public static readonly JobKey Key = new("retention", "backstroke");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.PruneAsync(cancellationToken);
}
