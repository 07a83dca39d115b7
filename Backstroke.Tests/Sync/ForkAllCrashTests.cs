using Backstroke.FakeGitHub;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>A process killed in the middle of a fork-all run: the next one finishes it without redoing the forks that were done.</summary>
[Slow(SlowAttribute.Crash)]
[Collection(RealProcessCollection.Name)]
public sealed class ForkAllCrashTests(ITestOutputHelper output)
{
    private static readonly string[] Owners = ["me", "f0", "f1", "f2", "f3", "f4", "f5"];

    [Fact]
    public async Task A_fork_all_run_killed_midway_resumes_after_a_restart_and_never_repeats_a_finished_fork()
    {
        await using var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", SyncWorld.OwnerToken);
        gitHub.CreateRepo("up", "proj");
        foreach (var owner in Owners)
        {
            gitHub.CreateUser(owner);
            gitHub.CreateRepo(owner, "proj", forkOf: "up/proj");
            gitHub.CreateLabel(owner, "proj", LinkSync.OptInLabel);
        }

        gitHub.Commit("up", "proj", "main", "Work after everyone forked");
        using var data = new TempDirectory();
        var settings = SyncWorld.Settings(gitHub.BaseUrl, new Dictionary<string, string?>
        {
            ["Backstroke:DataDirectory"] = data.Path,
            ["Sync:ForkConcurrency"] = "1",
        });
        Backstroke.Data.Link link;
        await using (var setup = new BackstrokeApplication(settings, output: output))
        {
            using var _ = setup.CreateClient();
            link = await TestLinks.AddAsync(setup.Services, SyncWorld.OwnerToken, TestLinks.ForkAll("up", "proj", "main"));
        }

        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        string operationId;
        string[] doneBeforeKill;
        // GitHub is slow, so the run is still going when the process is killed.
        gitHub.SetLatency(150);
        await using (var first = AppProcess.Start(AppProcess.BuiltAppDirectory, environment, output))
        {
            (await first.WaitUntilAnswersAsync("/healthz", TimeSpan.FromSeconds(30))).Should().BeTrue(first.Output);
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            operationId = await Operations.TriggerAsync(client, link.WebhookId);
            (await Eventually.TrueAsync(() => Task.FromResult(Owners.Count(o => gitHub.PullRequests(o, "proj").Count > 0) >= 3), TimeSpan.FromSeconds(60)))
                .Should().BeTrue("three forks get their pull request before the kill");
            doneBeforeKill = [.. Owners.Where(o => gitHub.PullRequests(o, "proj").Count > 0)];
        }

        // Disposing the process kills it (SIGKILL): nothing had a chance to finish or to be put back in the queue.
        gitHub.ClearRequests();
        gitHub.SetLatency(0);
        await using var second = AppProcess.Start(AppProcess.BuiltAppDirectory, environment, output);
        (await second.WaitUntilAnswersAsync("/healthz", TimeSpan.FromSeconds(30))).Should().BeTrue(second.Output);
        using var again = new HttpClient { BaseAddress = second.BaseAddress };

        var operation = await Operations.WaitUntilDoneAsync(again, operationId, TimeSpan.FromSeconds(60));

        operation.Str("status").Should().Be("ok", operation.GetRawText());
        operation.Str("output", "metrics", "successes").Should().Be(Owners.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var owner in Owners)
        {
            gitHub.PullRequests(owner, "proj").Should().ContainSingle($"{owner}/proj never gets a second pull request");
        }

        // A fork is recorded the moment its pull request is open; only a kill in that very moment leaves one to be asked again.
        var askedAgain = doneBeforeKill.Where(o => gitHub.Requests.Any(r => r.Path.StartsWith($"/repos/{o}/proj/", StringComparison.Ordinal))).ToList();
        askedAgain.Should().HaveCountLessThanOrEqualTo(1, "the forks done before the kill are not asked about again: " + string.Join(", ", askedAgain));
        gitHub.Requests.Should().Contain(r => r.Path.StartsWith("/repos/f5/proj/", StringComparison.Ordinal), "the forks left were done after the restart");
    }
}
