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

    internal sealed record Delivery(Dictionary<string, string> Headers, byte[] Body);

    /// <summary>A real HTTP receiver on 127.0.0.1 that hands each delivery to the test.</summary>
    internal sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>();

        private Receiver(WebApplication app) => _app = app;

        public string Url => _app.Urls.First() + "/hook";

        public static async Task<Receiver> StartAsync()
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
                return Results.Ok();
            });
            await receiver._app.StartAsync();
            return receiver;
        }

        /// <summary>The next delivery of this event, waiting at most five seconds.</summary>
        public async Task<Delivery> NextAsync(string evt)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
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
