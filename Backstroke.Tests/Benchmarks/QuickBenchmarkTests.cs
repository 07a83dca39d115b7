using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Benchmarks;

/// <summary>The harness loads both cores for half a minute: it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(BenchmarkCollection), DisableParallelization = true)]
public sealed class BenchmarkCollection;

/// <summary>
/// The benchmark harness, run as a user runs it (a process, <c>all --quick</c>), produces every figure.
/// Whether the figures meet their targets is for BENCHMARKS.md to judge, not for a timed test.
/// </summary>
[Slow(SlowAttribute.Benchmark)]
[Collection(nameof(BenchmarkCollection))]
public sealed class QuickBenchmarkTests
{
    private static readonly string[] ExpectedFigures =
    [
        "memory.idleMb", "memory.pollingMaxMb", "memory.afterPollingMb", "memory.peakMb",
        "trigger.noop.requestsPerSecond", "trigger.noop.p99Ms", "trigger.requestsPerSecond", "trigger.durableEnqueuesPerSecond",
        "trigger.p50Ms", "trigger.p99Ms", "trigger.ratioToNoop",
        "sync.syncsPerSecond", "sync.requestsPerPullRequestSync", "sync.requestsPerNoopSync", "sync.requestsPerRepeatNoopSync",
        "polling.small.links", "polling.small.upstreams", "polling.small.cycleSeconds", "polling.small.probes", "polling.small.countedRequests",
        "polling.large.links", "polling.large.upstreams", "polling.large.cycleSeconds", "polling.large.probes", "polling.large.countedRequests",
        "scale.links", "scale.upstreams", "scale.cycleSeconds", "scale.probes", "scale.countedRequests", "scale.maxRssMb",
        "webhook.p50Ms", "webhook.p95Ms",
        "forkAll.forks", "forkAll.first.refusals", "forkAll.first.countedRequests", "forkAll.first.repeatedForks", "forkAll.first.seconds",
        "forkAll.first.realScaleHours", "forkAll.second.countedRequests", "forkAll.second.seconds", "forkAll.second.realScaleMinutes",
        "startup.readyMs",
    ];

    // Measured where PostgreSQL is installed; elsewhere present, without a value, saying why.
    private static readonly string[] ScaleOutFigures =
    [
        "scaleout.postgres1.trigger.durableEnqueuesPerSecond", "scaleout.postgres1.trigger.p99Ms", "scaleout.postgres1.sync.syncsPerSecond",
        "scaleout.postgres2.trigger.durableEnqueuesPerSecond", "scaleout.postgres2.trigger.p99Ms", "scaleout.postgres2.sync.syncsPerSecond",
    ];

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    [Fact]
    public async Task A_quick_run_produces_every_figure_as_a_number()
    {
        var harness = RepositoryRoot.Combine("Backstroke.Benchmarks", "bin", Configuration, "net10.0", "Backstroke.Benchmarks.dll");
        if (!File.Exists(harness))
        {
            // Built with the solution; built here only when the tests were built on their own.
            (await RunAsync(["build", RepositoryRoot.Combine("Backstroke.Benchmarks", "Backstroke.Benchmarks.csproj"), "-c", Configuration], TimeSpan.FromMinutes(3)))
                .ExitCode.Should().Be(0, "the harness must build");
        }

        using var temp = new TempDirectory();
        var results = Path.Combine(temp.Path, "results.json");
        var run = await RunAsync([harness, "all", "--quick", "--output", results], TimeSpan.FromMinutes(5));

        run.ExitCode.Should().Be(0, run.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(results));
        var root = json.RootElement;
        root.GetProperty("mode").GetString().Should().Be("quick");
        root.GetProperty("failures").GetArrayLength().Should().Be(0, run.Output);
        root.GetProperty("machine").GetProperty("processors").GetInt32().Should().BePositive();
        var figures = root.GetProperty("figures");
        foreach (var key in ExpectedFigures)
        {
            figures.TryGetProperty(key, out var figure).Should().BeTrue($"the figure {key} belongs in the results\n{run.Output}");
            var value = figure.GetProperty("value");
            value.ValueKind.Should().Be(JsonValueKind.Number, $"{key} should have been measured ({figure})\n{run.Output}");
            double.IsFinite(value.GetDouble()).Should().BeTrue(key);
        }

        // A machine that cannot make a memory cgroup says why instead of giving the figure.
        figures.TryGetProperty("memory.cgroupSmallestMb", out var cgroup).Should().BeTrue(run.Output);
        (cgroup.GetProperty("value").ValueKind == JsonValueKind.Number || cgroup.GetProperty("note").GetString() is { Length: > 0 })
            .Should().BeTrue($"the memory cgroup figure is measured or says why not ({cgroup})");

        foreach (var key in ScaleOutFigures)
        {
            figures.TryGetProperty(key, out var figure).Should().BeTrue($"the figure {key} belongs in the results\n{run.Output}");
            if (PostgresCluster.MissingReason is null)
            {
                figure.GetProperty("value").ValueKind.Should().Be(JsonValueKind.Number, $"{key} should have been measured ({figure})\n{run.Output}");
            }
            else
            {
                figure.GetProperty("note").GetString().Should().Be(PostgresCluster.MissingReason);
            }
        }

        run.Output.Should().Contain("Trigger endpoint durable enqueues", "the run prints its table");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", arguments)
            {
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
