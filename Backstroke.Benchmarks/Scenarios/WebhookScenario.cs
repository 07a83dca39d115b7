using System.Diagnostics;
using System.Net;
using Backstroke.Benchmarks.Harness;
using Backstroke.Benchmarks.Results;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: a commit is pushed to an upstream through the simulator's control API; the
/// simulator delivers the signed <c>push</c> webhook to <c>/webhooks/github</c> (a hook created on the upstream with
/// the app's secret), and the clock stops when the pull request exists on the fork. Each sample uses its own fork,
/// one after the other; the simulator answers API calls in 50 ms, as GitHub might.
/// </summary>
internal sealed class WebhookScenario(World world, BenchOptions options, Figures figures, TextWriter log)
{
    public const string UpstreamOwner = "hookup";
    public const string ForkOwner = "hookfork";
    public const string UpstreamToken = "gho_bench_hook_upstream";

    public static string Repo(int i) => $"hk{i}";

    /// <summary>Whether this build answers GitHub webhooks: an unsigned delivery is refused (401), not unknown (404).</summary>
    public static async Task<bool> AvailableAsync(World world)
    {
        using var response = await world.Http.PostAsync(new Uri("/webhooks/github", UriKind.Relative), new StringContent("{}"));
        return response.StatusCode != HttpStatusCode.NotFound && response.StatusCode != HttpStatusCode.MethodNotAllowed;
    }

    public async Task RunAsync()
    {
        var hookUrl = new Uri(world.AppUrl, "/webhooks/github");
        for (var i = 0; i < options.WebhookSamples; i++)
        {
            await world.Simulator.CreateHookAsync(UpstreamOwner, Repo(i), UpstreamToken, hookUrl, World.WebhookSecret);
        }

        await world.Simulator.SetLatencyAsync(options.SimulatorLatencyMs);
        var latencies = new List<double>();
        var failures = 0;
        try
        {
            log.WriteLine($"  {options.WebhookSamples} pushes, one at a time...");
            for (var i = 0; i < options.WebhookSamples; i++)
            {
                var clock = Stopwatch.StartNew();
                await world.Simulator.CommitAsync(UpstreamOwner, Repo(i), "main", $"Upstream change {i}");
                while (await world.Simulator.PullRequestCountAsync(ForkOwner, Repo(i)) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
                {
                    await Task.Delay(5);
                }

                if (clock.Elapsed >= TimeSpan.FromSeconds(10))
                {
                    failures++;
                    continue;
                }

                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            await world.Simulator.SetLatencyAsync(0);
        }

        latencies.Sort();
        double? P(double p) => latencies.Count == 0 ? null : Stats.Percentile(latencies, p);
        figures.Add("webhook.p50Ms", "Push webhook to pull request, p50", P(50), "ms");
        figures.Add("webhook.p95Ms", "Push webhook to pull request, p95", P(95), "ms", "< 1000 ms", v => v < 1000,
            failures > 0 ? $"{failures} of {options.WebhookSamples} pushes got no pull request within 10 s" : null);
        figures.Detail("webhook", new { samples = options.WebhookSamples, failures, simulatorLatencyMs = options.SimulatorLatencyMs, latenciesMs = latencies.Select(l => Math.Round(l, 1)) });
    }
}
