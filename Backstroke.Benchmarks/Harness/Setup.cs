using Backstroke.Benchmarks.Scenarios;

namespace Backstroke.Benchmarks.Harness;

/// <summary>The links each scenario uses, created before the app starts.</summary>
internal sealed record SeedData(IReadOnlyList<SeededLink> Trigger, IReadOnlyList<SeededLink> Behind, IReadOnlyList<SeededLink> UpToDate);

/// <summary>
/// Creates the GitHub side (users with tokens, upstreams and their forks) on the simulator and the Backstroke side
/// (users and links) in the database. Links are seeded as "checked now" so polling ignores them until a scenario says
/// otherwise.
/// </summary>
internal static class Setup
{
    public const string ForkerToken = "gho_bench_forker";
    private const string HookForkToken = "gho_bench_hookfork";
    private const string PollerToken = "gho_bench_poller";
    public const string ScalerToken = "gho_bench_scaler";

    public static async Task<SeedData> SeedAsync(World world, BenchOptions options, Features features, TextWriter log)
    {
        var sim = world.Simulator;
        var seeder = world.Seeder;
        await seeder.MigrateAsync();
        foreach (var (login, token) in new[]
        {
            (SyncScenario.Owner, ForkerToken), (WebhookScenario.UpstreamOwner, WebhookScenario.UpstreamToken),
            (WebhookScenario.ForkOwner, HookForkToken), ("poller", PollerToken), ("scaler", ScalerToken),
        })
        {
            await sim.CreateUserAsync(login, token);
            await sim.SetRateLimitAsync(token, 1_000_000);
        }

        IReadOnlyList<SeededLink> trigger = [], behind = [], upToDate = [];
        if (options.Runs("trigger") || options.Runs("cgroup"))
        {
            log.WriteLine($"  {options.TriggerLinks:N0} links for the trigger load...");
            var owner = await seeder.AddUserAsync(1, "trigger-owner", token: null);
            trigger = await seeder.AddLinksAsync(owner, options.TriggerLinks, i => new LinkSeed("trigger-up", "lib", "trigger-fork", "lib" + i));
        }

        if (options.Runs("sync") || options.Runs("cgroup"))
        {
            log.WriteLine($"  {options.SyncPairs * 2} forks for end-to-end syncs...");
            await ForEachAsync(options.SyncPairs, async i =>
            {
                await sim.CreateRepoAsync(SyncScenario.Upstream, "pr" + i);
                await sim.CreateRepoAsync(SyncScenario.Owner, "pr" + i, $"{SyncScenario.Upstream}/pr{i}");
                await sim.CommitAsync(SyncScenario.Upstream, "pr" + i, "main", "New upstream work");
                await sim.CreateRepoAsync(SyncScenario.Upstream, "same" + i);
                await sim.CreateRepoAsync(SyncScenario.Owner, "same" + i, $"{SyncScenario.Upstream}/same{i}");
            });
            var owner = await seeder.AddUserAsync(2, SyncScenario.Owner, ForkerToken);
            behind = await seeder.AddLinksAsync(owner, options.SyncPairs, i => new LinkSeed(SyncScenario.Upstream, "pr" + i, SyncScenario.Owner, "pr" + i));
            upToDate = await seeder.AddLinksAsync(owner, options.SyncPairs, i => new LinkSeed(SyncScenario.Upstream, "same" + i, SyncScenario.Owner, "same" + i));
        }

        if (options.Runs("webhook") && features.Webhooks)
        {
            await ForEachAsync(options.WebhookSamples, async i =>
            {
                await sim.CreateRepoAsync(WebhookScenario.UpstreamOwner, WebhookScenario.Repo(i));
                await sim.CreateRepoAsync(WebhookScenario.ForkOwner, WebhookScenario.Repo(i), $"{WebhookScenario.UpstreamOwner}/{WebhookScenario.Repo(i)}");
            });
            var owner = await seeder.AddUserAsync(3, WebhookScenario.ForkOwner, HookForkToken);
            await seeder.AddLinksAsync(owner, options.WebhookSamples,
                i => new LinkSeed(WebhookScenario.UpstreamOwner, WebhookScenario.Repo(i), WebhookScenario.ForkOwner, WebhookScenario.Repo(i)));
        }

        if (options.SeedsPolling && features.Polling)
        {
            log.WriteLine($"  {options.PollLarge:N0} links over {options.PollUpstreams:N0} upstream branches for polling...");
            var owner = await seeder.AddUserAsync(4, "poller", PollerToken);
            await SeedPollingAsync(world, owner, PollingScenario.UpstreamOwner, "pollfork", options.PollUpstreams, options.PollLarge, keep: true);
        }

        return new SeedData(trigger, behind, upToDate);
    }

    /// <summary>Branches <c>{owner}/proj{i}</c> on the simulator, and links spread evenly over them, each branch's row
    /// holding the head and ETag GitHub gives it (as after a first check), and every link level with it.</summary>
    public static async Task SeedPollingAsync(World world, long ownerId, string owner, string forkOwner, int upstreams, int links, bool keep)
    {
        var token = owner == ScaleScenario.UpstreamOwner ? ScalerToken : PollerToken;
        var heads = new (string Sha, string ETag)[upstreams];
        // Reading thousands of heads in seconds is past GitHub's secondary limits; this is set-up, not the measure.
        // (The scale scenario seeds with them off already, and they stay off for it.)
        var limitsWereOn = owner != ScaleScenario.UpstreamOwner;
        await world.Simulator.SetSecondaryLimitsAsync(false);
        try
        {
            await ForEachAsync(upstreams, async i =>
            {
                await world.Simulator.CreateRepoAsync(owner, "proj" + i);
                heads[i] = await world.Simulator.BranchHeadAsync(owner, "proj" + i, "main", token);
            });
        }
        finally
        {
            if (limitsWereOn)
            {
                await world.Simulator.SetSecondaryLimitsAsync(true);
            }
        }

        await world.Seeder.AddLinksAsync(ownerId, links, i => new LinkSeed(owner, "proj" + (i % upstreams), forkOwner, "proj" + i, heads[i % upstreams].Sha, heads[i % upstreams].ETag), keep);
    }

    private static Task ForEachAsync(int count, Func<int, Task> action) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await action(i));
}

/// <summary>Which features the built app has: the harness is built from the same sources, so it asks its
/// own reference to the app's assembly.</summary>
internal sealed record Features(bool Polling, bool Webhooks)
{
    public static Features OfBuild()
    {
        var app = typeof(Backstroke.Data.Link).Assembly;
        return new Features(app.GetType("Backstroke.Polling.PollingOptions") is not null, app.GetType("Backstroke.Webhooks.GitHubWebhookEndpoint") is not null);
    }
}
