using System.Net.Http.Json;
using System.Text.Json;
using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>A process killed in the middle of a sync loses nothing; the next one finishes the work.</summary>
[Slow(SlowAttribute.Crash)]
[Collection(RealProcessCollection.Name)]
public class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_operation_left_running_by_a_killed_process_completes_after_a_restart()
    {
        await using var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", SyncWorld.OwnerToken);
        gitHub.CreateRepo("up", "proj");
        gitHub.CreateRepo("me", "proj", forkOf: "up/proj");
        gitHub.Commit("up", "proj", "main", "New upstream work");
        using var data = new TempDirectory();
        var settings = SyncWorld.Settings(gitHub.BaseUrl, new Dictionary<string, string?> { ["Backstroke:DataDirectory"] = data.Path });
        if (PostgresTests.Active)
        {
            // On PostgreSQL a restarted process is the same instance (and takes its work back at once, not after the
            // lease) only when its operator names it.
            settings["Backstroke:InstanceId"] = "crash-test";
        }

        Backstroke.Data.Link link;
        await using (var setup = new BackstrokeApplication(settings, output: output))
        {
            using var _ = setup.CreateClient();
            link = await TestLinks.AddAsync(setup.Services, SyncWorld.OwnerToken, TestLinks.Repo("up", "proj", "main", "me", "proj", "main"));
        }

        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        string operationId;
        // GitHub is slow, so the kill comes while the sync waits for an answer.
        gitHub.SetLatency(3_000);
        await using (var first = AppProcess.Start(AppProcess.BuiltAppDirectory, environment, output))
        {
            (await first.WaitUntilAnswersAsync("/healthz", TimeSpan.FromSeconds(30))).Should().BeTrue(first.Output);
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            operationId = await Operations.TriggerAsync(client, link.WebhookId);
            await Operations.WaitUntilAsync(
                async () => (await Operations.GetAsync(client, operationId)).Str("status") == "running", TimeSpan.FromSeconds(10), "the sync is running");
        }

        gitHub.SetLatency(0);
        await using var second = AppProcess.Start(AppProcess.BuiltAppDirectory, environment, output);
        (await second.WaitUntilAnswersAsync("/healthz", TimeSpan.FromSeconds(30))).Should().BeTrue(second.Output);
        using var again = new HttpClient { BaseAddress = second.BaseAddress };

        var operation = await Operations.WaitUntilDoneAsync(again, operationId);

        operation.Str("status").Should().Be("ok", operation.GetRawText());
        gitHub.PullRequests("me", "proj").Should().ContainSingle(p => p.State == "open");
        second.Output.Should().NotContain(SyncWorld.OwnerToken);
    }
}
