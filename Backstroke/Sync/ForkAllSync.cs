using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.Extensions.Options;

namespace Backstroke.Sync;

/// <summary>
/// A fork-all run (docs/sync-rules.md#fork-all): the upstream's head, the forks list oldest first, then every fork
/// that opts in, a few at a time. Each fork's result is kept as soon as it is known, so a run that is retried,
/// restarted or put back in the queue for a rate-limit reset goes on where it stopped and never repeats a fork it
/// finished. What each fork answered is remembered with its ETag, and a fork already synced to the upstream's head
/// is left alone, so a run that finds nothing new costs free 304s.
/// </summary>
internal sealed partial class ForkAllSync(
    IServiceScopeFactory scopes, ForkSync forkSync, IOptions<SyncOptions> options, TimeProvider time, ILogger<ForkAllSync> logger)
{
    /// <summary>Forks failing in a row because GitHub is down or unreachable: past this, the run stops and is retried
    /// later, instead of calling every fork broken.</summary>
    private const int TransientStreakLimit = 5;

    /// <summary>Tries of one fork when GitHub answers 5xx or not at all; after that it is the fork's error.</summary>
    private const int ForkAttempts = 3;

    public async Task<SyncOutcome> RunAsync(
        GitHubSession read, GitHubSession write, string linkId, string operationId, BranchRef upstream, SyncMode mode, CancellationToken ct)
    {
        var store = new ForkProgressStore(scopes, linkId, time);
        var list = await store.LoadListAsync(ct);
        var watched = $"{upstream.FullName}@{upstream.Branch}";
        if (list.Upstream != watched)
        {
            // What was learnt about another upstream branch (heads, ETags, which fork is synced to what) says nothing here.
            await store.ForgetAsync(ct);
            list = new ForkList { LinkId = linkId, Upstream = watched };
        }

        var head = await HeadAsync(read, upstream, list, ct);
        if (await ListAsync(read, upstream, list, store, ct) is { } failed)
        {
            return failed;
        }

        if (head.Missing)
        {
            return SyncOutcome.Failed(SyncMessages.BranchMissing(upstream));
        }

        var pending = await store.PendingAsync(operationId, ct);
        LogResuming(linkId, pending.Count);
        var recorder = new ForkRecorder(store);
        var streak = new TransientStreak();
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = options.Value.ForkConcurrency, CancellationToken = ct },
                async (fork, forkCt) =>
                {
                    var (result, transient) = await OneAsync(read, write, upstream, fork, mode, head.Sha, forkCt);
                    Apply(fork, result, operationId, head.Sha);
                    if (transient is not null)
                    {
                        // Held back: if GitHub turns out to be down, the run stops and these forks are tried again.
                        streak.Failed(fork, transient);
                        return;
                    }

                    await recorder.AddAsync([.. streak.Succeeded(), fork], urgent: result.PullRequest is not null || result.MergeType is not null, CancellationToken.None);
                });
            await recorder.AddAsync(streak.Succeeded(), urgent: true, ct);
        }
        finally
        {
            // Whatever stopped the run (a rate-limit wait, a shutdown, GitHub down), what is done stays done.
            await recorder.FlushAsync(CancellationToken.None);
        }

        var results = await store.ResultsAsync(operationId, ct);
        var outcomes = results.Select(f => new ForkOutcome($"{f.Owner}/{f.Name}", f.Status ?? "error", f.Message ?? "",
            f.PullNumber is { } n && f.PullUrl is { } url ? new PullRequestRef(n, url) : null, f.MergeType)).ToList();
        var errors = outcomes.Where(o => o.Status == "error").Select(o => new ForkError(o.Fork, o.Message)).ToList();
        return new SyncOutcome(new ManyForksOutput(true, new ForkMetrics(outcomes.Count, outcomes.Count - errors.Count), errors, outcomes), null);
    }

    private sealed record Head(string? Sha, bool Missing);

    /// <summary>The upstream's head, conditionally: null when GitHub would not say (a renamed upstream), which only
    /// means no fork can be skipped as already synced.</summary>
    private static async Task<Head> HeadAsync(GitHubSession read, BranchRef upstream, ForkList list, CancellationToken ct)
    {
        try
        {
            var head = await read.GetBranchHeadAsync(upstream.Owner, upstream.Repo, upstream.Branch, list.HeadETag, ct);
            if (head.Sha is not null)
            {
                list.HeadSha = head.Sha;
                list.HeadETag = head.ETag;
            }

            return new Head(list.HeadSha, false);
        }
        catch (GitHubException ex) when (ex.IsNotFound)
        {
            list.HeadSha = null;
            list.HeadETag = null;
            return new Head(null, true);
        }
        catch (GitHubException ex) when (ex is { IsTransient: false, Status: not null } && ex.Kind != GitHubFailure.BadCredentials)
        {
            return new Head(null, false);
        }
    }

    /// <summary>Reads the forks list page by page, each conditional on the ETag it had: an unchanged page is a 304 and
    /// its forks are the ones kept for it. The list ends at the first page with fewer than a full page of forks.</summary>
    private static async Task<SyncOutcome?> ListAsync(GitHubSession read, BranchRef upstream, ForkList list, ForkProgressStore store, CancellationToken ct)
    {
        var etags = new List<string>();
        var page = 1;
        try
        {
            for (; ; page++)
            {
                var known = page <= list.PageETags.Count ? list.PageETags[page - 1] : null;
                var answer = await read.ListForksPageAsync(upstream.Owner, upstream.Repo, page, known, ct);
                int count;
                if (answer.Forks is { } forks)
                {
                    await store.SavePageAsync(page, forks, ct);
                    count = forks.Count;
                }
                else
                {
                    count = await store.CountOnPageAsync(page, ct);
                }

                etags.Add(answer.ETag ?? "");
                if (count < GitHubSession.ForksPerPage)
                {
                    break;
                }
            }
        }
        catch (GitHubException ex) when (ex.IsNotFound)
        {
            return SyncOutcome.Failed(SyncMessages.RepoMissing(upstream.FullName));
        }
        catch (GitHubException ex) when (ex.Kind == GitHubFailure.Forbidden)
        {
            return SyncOutcome.Failed(SyncMessages.Blocked("upstream", upstream.FullName, ex));
        }

        list.PageETags = etags;
        await store.SaveListAsync(list, page, ct);
        return null;
    }

    /// <summary>One fork, to its end: a result, or (second) the transient failure that ended its tries.</summary>
    private async Task<(TargetResult Result, GitHubException? Transient)> OneAsync(
        GitHubSession read, GitHubSession write, BranchRef upstream, ForkState state, SyncMode mode, string? head, CancellationToken ct)
    {
        var fork = new BranchRef(state.Owner, state.Name, upstream.Branch);
        if (state.Disabled)
        {
            return (TargetResult.Failed(SyncMessages.Disabled(fork.FullName)), null);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await CheckedAsync(read, write, upstream, fork, state, mode, head, ct), null);
            }
            catch (GitHubException ex) when (ex.Kind == GitHubFailure.RateLimited && (ex.Secondary || ex.Held) && ex.Until is { } until
                && until - time.GetUtcNow() <= SecondaryLimitPacer.MaxInlineWait)
            {
                // GitHub asked to slow down for a moment (this fork's request, or another's while this one waited):
                // wait here, the account is held until then, and try this fork again. A spent budget, or a long wait,
                // puts the run back in the queue instead.
                await Task.Delay(Max(until - time.GetUtcNow(), TimeSpan.Zero), time, ct);
                attempt--;
            }
            catch (GitHubException ex) when (ex.Kind == GitHubFailure.Transient && attempt < ForkAttempts)
            {
                await Task.Delay(Failures.Backoff(attempt, options.Value), time, ct);
            }
            catch (GitHubException ex) when (ex.Kind == GitHubFailure.Transient)
            {
                return (TargetResult.Failed($"GitHub failed {ForkAttempts} times in a row on {fork.FullName}; the last time: {Failures.Describe(ex)}"), ex);
            }
            catch (GitHubException ex) when (ex.Kind is not (GitHubFailure.RateLimited or GitHubFailure.BadCredentials))
            {
                // Not found, blocked, a name Backstroke will not send, any other refusal: this fork's error alone.
                return (TargetResult.Failed(ex switch
                {
                    { Kind: GitHubFailure.NotFound } => SyncMessages.RepoMissing(fork.FullName),
                    { Kind: GitHubFailure.Forbidden } => SyncMessages.Blocked("fork", fork.FullName, ex),
                    { Status: null } => ex.Message,
                    _ => Failures.Permanent(ex),
                }), null);
            }
        }
    }

    private async Task<TargetResult> CheckedAsync(
        GitHubSession read, GitHubSession write, BranchRef upstream, BranchRef fork, ForkState state, SyncMode mode, string? head, CancellationToken ct)
    {
        var label = await read.HasLabelAsync(fork.Owner, fork.Repo, LinkSync.OptInLabel, state.LabelETag, ct);
        if (label.Present is { } present)
        {
            state.OptedIn = present;
            state.LabelETag = label.ETag;
        }

        if (!state.OptedIn)
        {
            return TargetResult.Done(SyncMessages.NotOptedIn);
        }

        if (head is not null && state.SyncedSha == head)
        {
            return TargetResult.Done(SyncMessages.NothingNew);
        }

        if (state.Archived)
        {
            return TargetResult.Done(SyncMessages.Archived(fork.FullName));
        }

        var memory = new ForkMemory(state.OptedOut, state.OptOutETag);
        var result = await forkSync.RunAsync(read, write, upstream, fork, mode, ct, memory);
        state.OptedOut = memory.OptedOut;
        state.OptOutETag = memory.ETag;
        return result;
    }

    private static void Apply(ForkState state, TargetResult result, string operationId, string? head)
    {
        state.OperationId = operationId;
        state.Status = result.Ok ? "ok" : "error";
        state.Message = result.Message;
        state.PullNumber = result.PullRequest?.Number;
        state.PullUrl = result.PullRequest?.Url;
        state.MergeType = result.MergeType;
        if (result.Ok && state.OptedIn && result.Message != SyncMessages.NothingNew && !state.Archived)
        {
            state.SyncedSha = head;
        }
        else if (!result.Ok || !state.OptedIn)
        {
            state.SyncedSha = null;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Forks that failed because GitHub did not answer, since the last fork that went through.</summary>
    private sealed class TransientStreak
    {
        private readonly Lock gate = new();
        private readonly List<ForkState> held = [];

        public void Failed(ForkState fork, GitHubException failure)
        {
            lock (gate)
            {
                held.Add(fork);
                if (held.Count >= TransientStreakLimit)
                {
                    throw failure;
                }
            }
        }

        public ForkState[] Succeeded()
        {
            lock (gate)
            {
                var released = held.ToArray();
                held.Clear();
                return released;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fork-all link {LinkId}: {Pending} forks left to deal with in this run")]
    private partial void LogResuming(string linkId, int pending);
}
