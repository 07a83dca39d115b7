using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>
/// The fork-all link's memory in the database (<see cref="ForkList"/>, <see cref="ForkState"/>): the forks list as
/// last read, page by page, and each fork's progress. Every call opens its own short-lived context, because a run
/// lasts long and its writes are many and small.
/// </summary>
internal sealed class ForkProgressStore(IServiceScopeFactory scopes, string linkId, TimeProvider time)
{
    public async Task<ForkList> LoadListAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        return await db.ForkLists.AsNoTracking().FirstOrDefaultAsync(l => l.LinkId == linkId, ct) ?? new ForkList { LinkId = linkId };
    }

    /// <summary>Forgets every fork of the link, as when the link now names another upstream branch.</summary>
    public async Task ForgetAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await Db(scope).ForkStates.Where(f => f.LinkId == linkId).ExecuteDeleteAsync(ct);
    }

    public async Task SaveListAsync(ForkList list, int lastPage, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        list.UpdatedAt = time.GetUtcNow();
        if (await db.ForkLists.AnyAsync(l => l.LinkId == linkId, ct))
        {
            db.ForkLists.Update(list);
        }
        else
        {
            db.ForkLists.Add(list);
        }

        await db.SaveChangesAsync(ct);
        // Forks past the last page have left the list (deleted, or no longer forks of it).
        await db.ForkStates.Where(f => f.LinkId == linkId && f.Page > lastPage).ExecuteDeleteAsync(ct);
    }

    public async Task<int> CountOnPageAsync(int page, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Db(scope).ForkStates.CountAsync(f => f.LinkId == linkId && f.Page == page, ct);
    }

    /// <summary>A page read afresh: its forks take their places, keeping what was known about them; forks that were
    /// on this page and are no longer listed there are forgotten.</summary>
    public async Task SavePageAsync(int page, IReadOnlyList<ListedFork> forks, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var ids = forks.Select(f => f.Id).ToList();
        var known = await db.ForkStates.Where(f => f.LinkId == linkId && (f.Page == page || ids.Contains(f.RepoId))).ToDictionaryAsync(f => f.RepoId, ct);
        var now = time.GetUtcNow();
        for (var i = 0; i < forks.Count; i++)
        {
            var listed = forks[i];
            if (!known.Remove(listed.Id, out var state))
            {
                state = new ForkState { LinkId = linkId, RepoId = listed.Id };
                db.ForkStates.Add(state);
            }

            state.Page = page;
            state.Position = i;
            state.Owner = listed.Owner;
            state.Name = listed.Name;
            state.Archived = listed.Archived;
            state.Disabled = listed.Disabled;
            state.UpdatedAt = now;
        }

        db.ForkStates.RemoveRange(known.Values.Where(f => f.Page == page));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The listed forks that <paramref name="operationId"/> has not dealt with yet, in list order.</summary>
    public async Task<List<ForkState>> PendingAsync(string operationId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Db(scope).ForkStates.AsNoTracking()
            .Where(f => f.LinkId == linkId && (f.OperationId == null || f.OperationId != operationId))
            .OrderBy(f => f.Page).ThenBy(f => f.Position).ToListAsync(ct);
    }

    /// <summary>Every listed fork's result in <paramref name="operationId"/>, in list order.</summary>
    public async Task<List<ForkState>> ResultsAsync(string operationId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Db(scope).ForkStates.AsNoTracking()
            .Where(f => f.LinkId == linkId && f.OperationId == operationId)
            .OrderBy(f => f.Page).ThenBy(f => f.Position).ToListAsync(ct);
    }

    /// <summary>Records forks that are done, in one transaction.</summary>
    public async Task SaveDoneAsync(IReadOnlyList<ForkState> done, CancellationToken ct)
    {
        if (done.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = Db(scope);
        var ids = done.Select(f => f.RepoId).ToList();
        // A fork that left the list while it was being synced has no row any more: nothing to record.
        var present = (await db.ForkStates.Where(f => f.LinkId == linkId && ids.Contains(f.RepoId)).Select(f => f.RepoId).ToListAsync(ct)).ToHashSet();
        db.ForkStates.UpdateRange(done.Where(f => present.Contains(f.RepoId)));
        await db.SaveChangesAsync(ct);
    }

    private static BackstrokeDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<BackstrokeDbContext>();
}

/// <summary>
/// Keeps finished forks in small batches: a fork that changed something on GitHub (a pull request, a moved branch) is
/// written at once, so that a kill right after cannot make the next run do it again; the others go in groups.
/// </summary>
internal sealed class ForkRecorder(ForkProgressStore store)
{
    private const int BatchSize = 50;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<ForkState> pending = [];

    public async Task AddAsync(IReadOnlyCollection<ForkState> done, bool urgent, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            pending.AddRange(done);
            if (urgent || pending.Count >= BatchSize)
            {
                await WriteAsync(ct);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await WriteAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return;
        }

        await store.SaveDoneAsync([.. pending], ct);
        pending.Clear();
    }
}
