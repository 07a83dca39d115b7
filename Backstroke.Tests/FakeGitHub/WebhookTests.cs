using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class WebhookTests
{
    [Fact]
    public async Task A_branch_move_is_delivered_as_a_signed_push()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "maintainer-token");
        await github.Repository.Hooks.Create("maintainer", "project", new NewRepositoryWebHook("web", new Dictionary<string, string>(), receiver.Url)
        {
            // Octokit sends "active": false unless told otherwise, and GitHub delivers nothing to an inactive hook.
            Active = true,
            ContentType = WebHookContentType.Json,
            Secret = "It's a Secret to Everybody",
        });
        var before = server.BranchSha("maintainer", "project", "main");

        var after = server.Commit("maintainer", "project", "main", "Upstream moves");
        var push = await receiver.NextAsync("push");

        push.Headers["X-Hub-Signature-256"].Should().Be("sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes("It's a Secret to Everybody"), push.Body)));
        Guid.TryParse(push.Headers["X-GitHub-Delivery"], out _).Should().BeTrue();
        push.Headers["User-Agent"].Should().StartWith("GitHub-Hookshot/");
        var payload = JsonDocument.Parse(push.Body).RootElement;
        payload.GetProperty("ref").GetString().Should().Be("refs/heads/main");
        payload.GetProperty("before").GetString().Should().Be(before);
        payload.GetProperty("after").GetString().Should().Be(after);
        payload.GetProperty("repository").GetProperty("full_name").GetString().Should().Be("maintainer/project");
        payload.GetProperty("head_commit").GetProperty("message").GetString().Should().Be("Upstream moves");
    }

    [Fact]
    public async Task Creating_a_hook_sends_a_ping_and_a_deleted_hook_gets_nothing()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "maintainer-token");
        var hook = await github.Repository.Hooks.Create("maintainer", "project", new NewRepositoryWebHook("web", new Dictionary<string, string>(), receiver.Url)
        {
            Active = true,
            ContentType = WebHookContentType.Json,
        });

        var ping = await receiver.NextAsync("ping");
        await github.Repository.Hooks.Delete("maintainer", "project", hook.Id);
        server.Commit("maintainer", "project", "main", "Nobody hears this");

        JsonDocument.Parse(ping.Body).RootElement.GetProperty("hook_id").GetInt32().Should().Be(hook.Id);
        (await github.Repository.Hooks.GetAll("maintainer", "project")).Should().BeEmpty();
        server.Deliveries.Should().ContainSingle(d => d.Event == "ping");
    }

    [Fact]
    public async Task Only_an_admin_may_manage_hooks()
    {
        await using var server = await Sim.StartWithForkAsync();
        var act = () => Sim.Octokit(server, "forker-token").Repository.Hooks.GetAll("maintainer", "project");

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task A_hook_made_through_the_api_defaults_to_form_encoding()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "maintainer-token");

        using var created = await Sim.SendAsync(http, "POST", "repos/maintainer/project/hooks", $$"""{"name":"web","config":{"url":"{{receiver.Url}}"} }""");
        var ping = await receiver.NextAsync("ping");

        (await Sim.JsonAsync(created)).GetProperty("config").GetProperty("content_type").GetString().Should().Be("form");
        ping.Headers["Content-Type"].Should().StartWith("application/x-www-form-urlencoded");
        var body = Encoding.UTF8.GetString(ping.Body);
        body.Should().StartWith("payload=");
        JsonDocument.Parse(Uri.UnescapeDataString(body["payload=".Length..])).RootElement.GetProperty("zen").GetString().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Renamed_transferred_and_deleted_repositories_are_delivered_to_hooks_that_subscribe()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await Sim.StartWithForkAsync();
        server.CreateOrg("new-home");
        server.AddHook("maintainer", "project", receiver.Url, null, "repository");
        server.AddHook("maintainer", "project", receiver.Url + "?push-only", null, "push");
        using var http = Sim.Http(server, "maintainer-token");

        (await Sim.SendAsync(http, "PATCH", "repos/maintainer/project", """{"name":"renamed"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        var renamed = JsonDocument.Parse((await receiver.NextAsync("repository")).Body).RootElement;
        server.TransferRepo("maintainer", "renamed", "new-home");
        var transferred = JsonDocument.Parse((await receiver.NextAsync("repository")).Body).RootElement;
        server.DeleteRepo("new-home", "renamed");
        var deleted = JsonDocument.Parse((await receiver.NextAsync("repository")).Body).RootElement;

        renamed.GetProperty("action").GetString().Should().Be("renamed");
        renamed.GetProperty("changes").GetProperty("repository").GetProperty("name").GetProperty("from").GetString().Should().Be("project");
        renamed.GetProperty("repository").GetProperty("full_name").GetString().Should().Be("maintainer/renamed");
        transferred.GetProperty("action").GetString().Should().Be("transferred");
        transferred.GetProperty("changes").GetProperty("owner").GetProperty("from").GetProperty("user").GetProperty("login").GetString().Should().Be("maintainer");
        transferred.GetProperty("repository").GetProperty("full_name").GetString().Should().Be("new-home/renamed");
        deleted.GetProperty("action").GetString().Should().Be("deleted");
        (await Support.Eventually.TrueAsync(() => Task.FromResult(server.Deliveries.Count(d => d.Event == "repository") == 3), TimeSpan.FromSeconds(5))).Should().BeTrue();
        server.Deliveries.Where(d => d.Event == "repository").Should().OnlyContain(d => d.Url == receiver.Url, "the push-only hook hears none");
    }

    [Fact]
    public async Task A_delivery_not_answered_in_time_fails_and_is_not_retried()
    {
        await using var receiver = await Receiver.StartAsync(answerAfter: TimeSpan.FromSeconds(5));
        await using var server = await Sim.StartWithForkAsync(new Backstroke.FakeGitHub.FakeGitHubServerOptions { HookTimeout = TimeSpan.FromMilliseconds(300) });
        server.AddHook("maintainer", "project", receiver.Url, null, "push");

        var first = server.Commit("maintainer", "project", "main", "First");
        var sent = await receiver.NextAsync("push");
        (await Support.Eventually.TrueAsync(() => Task.FromResult(server.Deliveries.Any(d => d.Error is not null)), TimeSpan.FromSeconds(5))).Should().BeTrue();
        var second = server.Commit("maintainer", "project", "main", "Second");
        var next = await receiver.NextAsync("push");

        JsonDocument.Parse(sent.Body).RootElement.GetProperty("after").GetString().Should().Be(first);
        server.Deliveries.First().Error.Should().Contain("timed out");
        JsonDocument.Parse(next.Body).RootElement.GetProperty("after").GetString().Should().Be(second, "the failed delivery is not sent again");
        server.State.FindRepo("maintainer", "project")!.Hooks!.Single().LastStatus.Should().Be("failed");
    }

    internal sealed record Delivery(Dictionary<string, string> Headers, byte[] Body);

    /// <summary>A real HTTP receiver on 127.0.0.1 that hands each delivery to the test.</summary>
    internal sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>();

        private Receiver(WebApplication app) => _app = app;

        public string Url => _app.Urls.First() + "/hook";

        /// <param name="answerAfter">How long the receiver takes to answer, to make GitHub give up.</param>
        public static async Task<Receiver> StartAsync(TimeSpan? answerAfter = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var receiver = new Receiver(builder.Build());
            receiver._app.MapPost("/hook", async (HttpContext ctx) =>
            {
                using var body = new MemoryStream();
                await ctx.Request.Body.CopyToAsync(body);
                var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                await receiver._deliveries.Writer.WriteAsync(new Delivery(headers, body.ToArray()));
                if (answerAfter is { } wait)
                {
                    await Task.Delay(wait, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                return Results.Ok();
            });
            await receiver._app.StartAsync();
            return receiver;
        }

        /// <summary>The next delivery of this event, waiting at most fifteen seconds (a loaded machine is slow to deliver).</summary>
        public async Task<Delivery> NextAsync(string evt)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (true)
            {
                var delivery = await _deliveries.Reader.ReadAsync(deadline.Token);
                if (delivery.Headers["X-GitHub-Event"] == evt)
                {
                    return delivery;
                }
            }
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
