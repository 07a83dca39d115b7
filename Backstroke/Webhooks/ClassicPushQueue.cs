using System.Threading.Channels;
using Backstroke.Data;

namespace Backstroke.Webhooks;

/// <summary>
/// Where a classic webhook's push goes before it is answered: a <see cref="ClassicPush"/> row (so a restart loses
/// nothing), then a wake-up for <see cref="ClassicPushWorker"/>, which also looks at the table on its own.
/// </summary>
internal sealed class ClassicPushQueue(TimeProvider time)
{
    private readonly Channel<bool> wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<bool> WakeUps => wakeUps.Reader;

    public async Task<string> EnqueueAsync(BackstrokeDbContext db, RepoName repo, string? branch, string? defaultBranch, bool isFork, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var push = new ClassicPush
        {
            Id = Ids.NewOperationId(),
            Owner = repo.Owner,
            Repo = repo.Name,
            Branch = branch,
            DefaultBranch = defaultBranch,
            IsFork = isFork,
            ReceivedAt = now,
            NextAttemptAt = now,
        };
        db.ClassicPushes.Add(push);
        using (await SqliteWriteGate.Of(db).EnterAsync(ct))
        {
            await db.SaveChangesAsync(ct);
        }

        wakeUps.Writer.TryWrite(true);
        return push.Id;
    }
}
