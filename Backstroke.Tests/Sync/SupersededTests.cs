using System.Net;
using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Sync;

/// <summary>A run interrupted while its link already has a queued one is not an error; it ends
/// superseded and leads to the run that does its work.</summary>
public sealed class SupersededTests(AppWithGitHub env) : IClassFixture<AppWithGitHub>
{
    [Fact]
    public async Task An_interrupted_run_with_a_queued_successor_ends_superseded_and_its_json_and_page_lead_to_that_run()
    {
        var login = AppWithGitHub.NewLogin("sup");
        using var owner = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await owner.CreateLinkAsync();
        (await owner.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Busy link", upstream, fork, enabled: true))).EnsureSuccessStatusCode();
        // The first run's pull request waits, then fails transiently: it goes back to the queue, where the second waits.
        env.GitHub.AddFault(new FaultRule { Method = "POST", PathPattern = $"/repos/{fork}/pulls", Status = 502, DelayMs = 3_000, Count = 1 });

        var first = await SyncNowAsync(owner, id);
        await Operations.WaitUntilAsync(async () => (await Operations.GetAsync(owner, first)).Str("status") == "running", TimeSpan.FromSeconds(10), "the first run runs");
        var second = await SyncNowAsync(owner, id);
        second.Should().NotBe(first, "a run in progress does not absorb a new request");
        var successor = await Operations.WaitUntilDoneAsync(owner, second);
        var superseded = await Operations.GetAsync(owner, first);
        using var page = await owner.GetAsync(new Uri($"/operations/{first}", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        successor.Str("status").Should().Be("ok", successor.GetRawText());
        superseded.Str("status").Should().Be("superseded", superseded.GetRawText());
        superseded.Str("supersededBy").Should().Be(second);
        superseded.Str("supersededByUrl").Should().EndWith($"/v1/operations/{second}");
        superseded.GetProperty("error").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "being superseded is not a failure");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain($"href=\"/operations/{second}\"").And.Contain("badge-superseded");
        html.Should().NotContain("badge-error").And.NotContain("error-text");
    }

    private static async Task<string> SyncNowAsync(HttpClient owner, string linkId)
    {
        using var response = await owner.PostJsonAsync($"/v1/links/{linkId}/sync");
        return (await response.ReadJsonAsync()).GetProperty("enqueuedAs").GetString()!;
    }
}
