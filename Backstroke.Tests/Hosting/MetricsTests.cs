using System.Security.Cryptography;
using System.Text;
using Backstroke.FakeGitHub;
using Backstroke.Hosting;
using Backstroke.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>/metrics tells an operator what the queue, the syncs, GitHub and the poller are doing.</summary>
public sealed class MetricsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "gho_metrics_owner_token";

    private FakeGitHubServer gitHub = null!;
    private BackstrokeApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateUser("me", Token);
        gitHub.CreateUser("up");
        gitHub.CreateRepo("up", "proj");
        gitHub.CreateRepo("me", "proj", forkOf: "up/proj");
        gitHub.Commit("up", "proj", "main", "New upstream work");
        gitHub.SetRateLimit(Token, 5000, 4321, 3600);
        app = new BackstrokeApplication(TestSettings.For(gitHub.BaseUrl), output);
        client = app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await gitHub.DisposeAsync();
    }

    [Fact]
    public async Task A_good_and_a_failed_sync_show_as_operations_durations_GitHub_answers_and_the_tokens_budget()
    {
        var good = await TestLinks.AddAsync(app.Services, Token, TestLinks.Repo("up", "proj", "main", "me", "proj", "main"));
        var bad = await TestLinks.AddAsync(app.Services, Token, TestLinks.Repo("up", "proj", "main", "me", "missing", "main"));

        var ok = await Operations.WaitUntilDoneAsync(client, await Operations.TriggerAsync(client, good.WebhookId));
        var failed = await Operations.WaitUntilDoneAsync(client, await Operations.TriggerAsync(client, bad.WebhookId));
        ok.Str("status").Should().Be("ok", ok.GetRawText());
        failed.Str("status").Should().Be("error", failed.GetRawText());

        var (text, samples) = await PrometheusText.ScrapeAsync(client);

        samples["backstroke_operations_total{kind=\"webhook\",status=\"ok\"}"].Should().Be(1);
        samples["backstroke_operations_total{kind=\"webhook\",status=\"error\"}"].Should().Be(1);
        samples["backstroke_operations_total{kind=\"manual\",status=\"ok\"}"].Should().Be(0, "every series exists from the start");
        samples["backstroke_sync_duration_seconds_count{kind=\"webhook\"}"].Should().Be(2);
        samples["backstroke_sync_duration_seconds_sum{kind=\"webhook\"}"].Should().BePositive();
        samples["backstroke_queue_depth"].Should().Be(0);
        samples["backstroke_operations_running"].Should().Be(0);

        var sent = gitHub.Requests;
        samples.Sum("backstroke_github_requests_total").Should().Be(sent.Count, "every request GitHub saw is counted once");
        samples["backstroke_github_requests_total{status_code=\"201\"}"].Should().Be(sent.Count(r => r.Status == 201), "the pull request was created");
        samples["backstroke_github_requests_total{status_code=\"404\"}"].Should().Be(sent.Count(r => r.Status == 404), "the missing fork answered 404");

        // The budget is the account's: the stored user's GitHub id names it, never the token.
        var tokenKey = $"user:{good.Owner!.GitHubId}";
        var (_, remaining, _) = gitHub.State.RateLimits.Peek(Token);
        remaining.Should().BeLessThan(4321, "the syncs spent some of the budget");
        samples[$"backstroke_github_rate_limit_remaining{{account=\"{tokenKey}\"}}"].Should().Be(remaining, "what GitHub said last");
        text.Should().NotContain("tok_", "both links' owner is one known account");
        text.Should().NotContain(Token);
    }

    [Fact]
    public async Task Queued_operations_and_poll_results_are_counted()
    {
        await app.StopWorkersAsync();
        foreach (var fork in new[] { "a", "b" })
        {
            var link = await TestLinks.AddAsync(app.Services, Token, TestLinks.Repo("up", "proj", "main", "me", fork, "main"));
            await Operations.TriggerAsync(client, link.WebhookId);
        }

        // What the poller reports for each probe of an upstream.
        var metrics = app.Services.GetRequiredService<BackstrokeMetrics>();
        metrics.PollResult(BackstrokeMetrics.PollResults.NotModified);
        metrics.PollResult(BackstrokeMetrics.PollResults.NotModified);
        metrics.PollResult(BackstrokeMetrics.PollResults.Changed);

        var (_, samples) = await PrometheusText.ScrapeAsync(client);

        samples["backstroke_queue_depth"].Should().Be(2);
        samples["backstroke_poll_results_total{result=\"304\"}"].Should().Be(2);
        samples["backstroke_poll_results_total{result=\"changed\"}"].Should().Be(1);
        samples["backstroke_poll_results_total{result=\"error\"}"].Should().Be(0);
    }
}
