using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backstroke.Tests.Support;
using Backstroke.Webhooks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Webhooks;

/// <summary>Classic webhooks: <c>POST /</c> with a push payload, behind <c>Legacy:ClassicWebhooks</c>.</summary>
public sealed class ClassicWebhookTests(ITestOutputHelper output)
{
    private const string BotToken = "gho_classic_bot_token";

    private Task<WatchWorld> StartAsync(bool enabled) => WatchWorld.StartAsync(new Dictionary<string, string?>
    {
        ["Legacy:ClassicWebhooks"] = enabled ? "true" : "false",
        ["GitHub:BotToken"] = BotToken,
    }, output: output);

    private static byte[] Push(string fullName, bool fork, string branch = "main") => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        @ref = "refs/heads/" + branch,
        after = new string('1', 40),
        repository = new { full_name = fullName, name = fullName.Split('/')[1], fork, default_branch = "main" },
    }));

    /// <summary>Hooks made in GitHub's UI or by its API send <c>payload=&lt;urlencoded JSON&gt;</c> unless told otherwise.</summary>
    private static byte[] Form(byte[] json) => Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(Encoding.UTF8.GetString(json)));

    private static Task<bool> PullRequestOpensAsync(WatchWorld world, string owner, string repo) =>
        Eventually.TrueAsync(() => Task.FromResult(world.GitHub.PullRequests(owner, repo).Any(p => p.State == "open")), TimeSpan.FromSeconds(20));

    private static Task<bool> QueueEmptiesAsync(WatchWorld world) =>
        Eventually.TrueAsync(async () => !await world.DbAsync(db => db.ClassicPushes.AnyAsync()), TimeSpan.FromSeconds(20));

    private static async Task<HttpResponseMessage> PostAsync(WatchWorld world, byte[] body, bool sign = true, bool form = false)
    {
        using var client = world.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new(form ? "application/x-www-form-urlencoded" : "application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        if (sign)
        {
            request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(WatchWorld.WebhookSecret, body));
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_push_to_a_fork_is_queued_answered_at_once_and_proposes_its_parents_default_branch_to_it()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");

        using var response = await PostAsync(world, Push("me/proj", fork: true));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString().Should().StartWith("Queued");
        (await PullRequestOpensAsync(world, "me", "proj")).Should().BeTrue("the queued push is proposed to the fork");
        world.GitHub.PullRequests("me", "proj").Should().ContainSingle();
    }

    [Fact]
    public async Task A_push_to_an_upstreams_default_branch_proposes_it_to_every_fork_and_another_branch_to_none()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.CreateUser("you");
        world.GitHub.CreateRepo("you", "proj", forkOf: "up/proj");
        world.GitHub.Commit("up", "proj", "main", "Upstream work");
        world.GitHub.Commit("up", "proj", "feature", "Feature work");

        using var feature = await PostAsync(world, Push("up/proj", fork: false, branch: "feature"));
        (await QueueEmptiesAsync(world)).Should().BeTrue();
        var afterFeature = world.GitHub.PullRequests("me", "proj").Count + world.GitHub.PullRequests("you", "proj").Count;
        using var response = await PostAsync(world, Push("up/proj", fork: false));

        feature.StatusCode.Should().Be(HttpStatusCode.Accepted);
        afterFeature.Should().Be(0, "a push to another branch than the default one proposes nothing");
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await PullRequestOpensAsync(world, "me", "proj")).Should().BeTrue();
        (await PullRequestOpensAsync(world, "you", "proj")).Should().BeTrue();
    }

    [Fact]
    public async Task A_form_encoded_push_as_GitHubs_UI_sends_it_is_accepted_with_the_signature_over_the_raw_body()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");

        using var response = await PostAsync(world, Form(Push("me/proj", fork: true)), form: true);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await PullRequestOpensAsync(world, "me", "proj")).Should().BeTrue();
    }

    [Fact]
    public async Task The_answer_does_not_wait_for_GitHub()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");
        world.GitHub.SetLatency(4_000);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await PostAsync(world, Push("me/proj", fork: true));
        var answeredIn = clock.Elapsed;

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        answeredIn.Should().BeLessThan(TimeSpan.FromSeconds(3), "GitHub answers each call in 4 s here, and the delivery is answered before any");
        world.GitHub.PullRequests("me", "proj").Should().BeEmpty();
        world.GitHub.SetLatency(0);
        (await PullRequestOpensAsync(world, "me", "proj")).Should().BeTrue("the work happens after the answer");
    }

    [Fact]
    public async Task With_classic_webhooks_on_the_home_pages_own_forms_still_reach_the_dashboard()
    {
        await using var env = new AppWithGitHub();
        env.Settings["Legacy:ClassicWebhooks"] = "true";
        env.Settings["GitHub:BotToken"] = BotToken;
        await env.InitializeAsync();
        try
        {
            var login = AppWithGitHub.NewLogin("classic");
            using var client = await env.SignInAsync(login);
            var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
            var id = await client.CreateLinkAsync();
            await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Switch", upstream, fork));

            using var created = await client.SubmitAsync("/", "/?handler=Create", []);
            using var enabled = await client.SubmitAsync("/", "/?handler=Enable", [new("id", id), new("enabled", "true")]);

            created.StatusCode.Should().Be(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
            enabled.StatusCode.Should().Be(HttpStatusCode.Redirect, await enabled.Content.ReadAsStringAsync());
            (await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id))).Enabled.Should().BeTrue();
            (await env.App.WithDbAsync(db => db.ClassicPushes.CountAsync())).Should().Be(0);
        }
        finally
        {
            await env.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_body_larger_than_25_MB_is_refused_with_413()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);

        using var response = await PostAsync(world, new byte[26 * 1024 * 1024]);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Contain("25 MB");
    }

    [Fact]
    public async Task An_unsigned_push_is_refused_once_a_webhook_secret_is_set()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");

        using var response = await PostAsync(world, Push("me/proj", fork: true), sign: false);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        world.GitHub.PullRequests("me", "proj").Should().BeEmpty();
    }

    [Fact]
    public async Task Classic_webhooks_are_off_unless_enabled()
    {
        await using var world = await StartAsync(enabled: false);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");

        using var response = await PostAsync(world, Push("me/proj", fork: true));

        response.IsSuccessStatusCode.Should().BeFalse();
        world.GitHub.PullRequests("me", "proj").Should().BeEmpty();
    }
}
