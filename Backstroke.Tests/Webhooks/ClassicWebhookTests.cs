using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backstroke.Tests.Support;
using Backstroke.Webhooks;
using Microsoft.AspNetCore.Mvc.Testing;
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

    private static async Task<HttpResponseMessage> PostAsync(WatchWorld world, byte[] body, bool sign = true, string contentType = "application/json")
    {
        using var client = world.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new(contentType);
        request.Headers.Add("X-GitHub-Event", "push");
        if (sign)
        {
            request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(WatchWorld.WebhookSecret, body));
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_push_to_a_fork_proposes_its_parents_default_branch_to_it()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");

        using var response = await PostAsync(world, Push("me/proj", fork: true));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var pull = world.GitHub.PullRequests("me", "proj").Should().ContainSingle().Subject;
        pull.State.Should().Be("open");
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        answer.GetProperty("forks")[0].GetProperty("fork").GetString().Should().Be("me/proj");
        answer.GetProperty("forks")[0].GetProperty("status").GetString().Should().Be("ok");
    }

    [Fact]
    public async Task A_push_to_an_upstreams_default_branch_proposes_it_to_every_fork()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.CreateUser("you");
        world.GitHub.CreateRepo("you", "proj", forkOf: "up/proj");
        world.GitHub.Commit("up", "proj", "main", "Upstream work");

        using var response = await PostAsync(world, Push("up/proj", fork: false));
        using var feature = await PostAsync(world, Push("up/proj", fork: false, branch: "feature"));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        world.GitHub.PullRequests("me", "proj").Should().ContainSingle();
        world.GitHub.PullRequests("you", "proj").Should().ContainSingle();
        (await feature.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("forks").GetArrayLength().Should().Be(0,
            "a push to another branch than the default one proposes nothing");
    }

    [Fact]
    public async Task A_form_encoded_push_is_read_from_its_payload_field()
    {
        await using var world = await StartAsync(enabled: true);
        world.GitHub.CreateUser("bot", BotToken);
        world.GitHub.Commit("up", "proj", "main", "Upstream work");
        var form = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(Encoding.UTF8.GetString(Push("me/proj", fork: true))));

        using var response = await PostAsync(world, form, contentType: "application/x-www-form-urlencoded");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        world.GitHub.PullRequests("me", "proj").Should().ContainSingle();
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
