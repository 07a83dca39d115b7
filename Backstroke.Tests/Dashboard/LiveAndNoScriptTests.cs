using System.Net;
using System.Text.RegularExpressions;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Dashboard;

/// <summary>The list refreshes itself while a run goes on; without JavaScript every control shown works.</summary>
public sealed class LiveAndNoScriptTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    private async Task<string> RunningOperationAsync(string linkId)
    {
        var id = Ids.NewOperationId();
        await env.App.WithDbAsync(async db =>
        {
            db.Operations.Add(new Operation
            {
                Id = id, LinkId = linkId, Kind = OperationKind.Manual, Status = OperationStatus.Running,
                EnqueuedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    [Fact]
    public async Task While_a_run_is_in_progress_the_list_refreshes_often_and_each_switch_is_named_after_its_link()
    {
        var login = AppWithGitHub.NewLogin("live");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var first = await client.CreateLinkAsync();
        var second = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{first}", JsonRequests.LinkBody("Alpha", upstream, fork));
        await client.PostJsonAsync($"/v1/links/{second}", JsonRequests.LinkBody("Beta", upstream, fork, branch: "main"));

        var idle = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        await RunningOperationAsync(first);
        var busy = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        idle.Should().Contain("id=\"links\"").And.Contain("data-live-refresh=\"15000\"");
        busy.Should().Contain("data-live-refresh=\"2000\"").And.Contain("badge badge-running");
        busy.Should().Contain("aria-label=\"Enabled: Alpha\"").And.Contain("aria-label=\"Enabled: Beta\"");
        busy.Should().MatchRegex("<script src=\"/js/dashboard[^\"]*js\"", "the script that refreshes the list is on the page");
    }

    [Fact]
    public async Task Without_JavaScript_copy_is_hidden_a_running_sync_offers_a_plain_link_and_regenerating_asks_first()
    {
        var login = AppWithGitHub.NewLogin("nojs");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Plain", upstream, fork));
        var operation = await RunningOperationAsync(id);
        var webhookBefore = (await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id))).WebhookId;

        var page = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));

        page.Should().MatchRegex("<button type=\"button\" class=\"button secondary\" data-copy=\"webhook-url\" hidden>Copy</button>");
        page.Should().Contain($"<a class=\"check-again\" href=\"/links/{id}?op={operation}&check=1#sync\">Check again</a>");
        page.Should().MatchRegex("<details class=\"confirm\">\\s*<summary>Regenerate the URL…</summary>[\\s\\S]*?handler=Regenerate[\\s\\S]*?Yes, make a new URL[\\s\\S]*?</details>",
            "the button that regenerates is behind a confirmation step");

        using var regenerated = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=Regenerate", []);
        regenerated.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id))).WebhookId.Should().NotBe(webhookBefore);
        var after = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        var webhookSection = Regex.Match(after, "<section id=\"webhook\"[\\s\\S]*?</section>").Value;
        webhookSection.Should().Contain("A new webhook URL was made; the old one no longer works.", "the notice is where the redirect lands");
    }
}
