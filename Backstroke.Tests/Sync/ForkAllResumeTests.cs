using Backstroke.FakeGitHub;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>
/// A fork-all run that has to stop (its owner's rate limit runs out, GitHub's secondary limits say slow down) goes
/// on where it stopped: a fork that is done is never asked about again and never gets a second pull request.
/// </summary>
public sealed class ForkAllResumeTests(ITestOutputHelper output)
{
    private static readonly string[] Owners = ["me", "f0", "f1", "f2", "f3", "f4"];

    [Fact]
    public async Task A_run_that_waits_for_the_rate_limit_reset_resumes_without_repeating_a_finished_fork()
    {
        await using var world = await StartAsync(new Dictionary<string, string?> { ["Sync:ForkConcurrency"] = "1" }, forks: 5, output);
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));
        // Enough for a couple of forks; the rest waits for the reset, three seconds away.
        world.GitHub.SetRateLimit(SyncWorld.OwnerToken, 5000, 10, 3);
        world.GitHub.ClearRequests();

        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId), TimeSpan.FromSeconds(60));

        operation.Str("status").Should().Be("ok", operation.GetRawText());
        operation.Str("output", "metrics", "successes").Should().Be("6");
        var requests = world.GitHub.Requests;
        requests.Count(r => r.Counted).Should().BeGreaterThan(10, "the run needed more than the budget held, so it went on after the reset");
        requests.Should().NotContain(r => r.Status == 403 || r.Status == 429, "Backstroke waited for the reset instead of being refused");
        foreach (var owner in Owners)
        {
            world.GitHub.PullRequests(owner, "proj").Should().ContainSingle($"{owner}/proj gets one pull request");
            requests.Count(r => r.Method == "POST" && r.Path == $"/repos/{owner}/proj/pulls").Should().Be(1);
        }

        // Only the fork the wait interrupted is asked about twice.
        Owners.Count(owner => requests.Count(r => r.Path == $"/repos/{owner}/proj/labels") > 1).Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task Writes_are_paced_under_the_secondary_limits_so_github_never_refuses_one()
    {
        // GitHub's limits with windows a sixtieth as long (a minute lasts a second), and a small content limit, on
        // both sides: ten pull requests need several windows.
        await using var world = await StartAsync(new Dictionary<string, string?>
        {
            ["GitHub:SecondaryLimits:MinuteWindow"] = "00:00:01",
            ["GitHub:SecondaryLimits:HourWindow"] = "00:01:00",
            ["GitHub:SecondaryLimits:ContentPerMinute"] = "3",
            ["GitHub:SecondaryLimits:PointsPerMinute"] = "40",
        }, forks: 9, output);
        var limits = world.GitHub.State.Secondary;
        limits.Minute = TimeSpan.FromSeconds(1);
        limits.Hour = TimeSpan.FromMinutes(1);
        limits.ContentPerMinute = 3;
        limits.PointsPerMinute = 40;
        world.GitHub.SetLatency(20);
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));
        world.GitHub.ClearRequests();

        var operation = await Operations.WaitUntilDoneAsync(world.Client, await Operations.TriggerAsync(world.Client, link.WebhookId), TimeSpan.FromSeconds(90));

        operation.Str("status").Should().Be("ok", operation.GetRawText());
        operation.Str("output", "metrics", "successes").Should().Be("10");
        var requests = world.GitHub.Requests;
        requests.Should().NotContain(r => r.Status == 403 || r.Status == 429, "Backstroke waited for room instead of sending what GitHub refuses");
        var posts = requests.Where(r => r.Method == "POST").Select(r => r.At).Order().ToList();
        posts.Should().HaveCount(10);
        (posts[^1] - posts[0]).Should().BeGreaterThan(TimeSpan.FromSeconds(2), "three pull requests a (shortened) minute");
    }

    /// <summary>"me/proj" and <paramref name="forks"/> more forks, all opted in, all one commit behind.</summary>
    internal static async Task<SyncWorld> StartAsync(IDictionary<string, string?> settings, int forks, ITestOutputHelper? output = null)
    {
        var world = await SyncWorld.StartAsync(settings, output);
        world.GitHub.CreateLabel("me", "proj", LinkSync.OptInLabel);
        for (var i = 0; i < forks; i++)
        {
            world.GitHub.CreateUser($"f{i}");
            world.GitHub.CreateRepo($"f{i}", "proj", forkOf: "up/proj");
            world.GitHub.CreateLabel($"f{i}", "proj", LinkSync.OptInLabel);
        }

        world.GitHub.Commit("up", "proj", "main", "Work after everyone forked");
        return world;
    }
}
