using System.Net;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Dashboard;

/// <summary>The link page offers to install Backstroke's push webhook on an upstream the user administers.</summary>
public sealed class UpstreamHookTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "hook-secret-for-tests";
    private readonly AppWithGitHub env = new() { Settings = { ["GitHub:WebhookSecret"] = Secret } };

    public async Task InitializeAsync()
    {
        await env.InitializeAsync();
        env.WithOutput(output);
    }

    public Task DisposeAsync() => env.DisposeAsync();

    [Fact]
    public async Task An_admin_of_the_upstream_installs_the_webhook_once()
    {
        var login = AppWithGitHub.NewLogin("admin");
        using var client = await env.SignInAsync(login);
        env.GitHub.CreateRepo(login, "upstream");
        var id = await LinkWithUpstreamAsync(client, login, "upstream");

        var page = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        page.Should().Contain($"Upstream webhook: Not installed on {login}/upstream.");
        page.Should().Contain("Install the webhook on the upstream");
        using var first = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=InstallHook", []);
        var afterFirst = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        using var second = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=InstallHook", []);
        var afterSecond = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));

        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        afterFirst.Should().Contain($"Installed the webhook on {login}/upstream");
        afterSecond.Should().Contain($"The webhook is already installed on {login}/upstream.");
        var hooks = env.GitHub.State.FindRepo(login, "upstream")!.Hooks;
        hooks.Should().ContainSingle();
        hooks![0].Url.Should().Be(new Uri(AppWithGitHub.AppAddress, "webhooks/github").ToString());
        hooks[0].Secret.Should().Be(Secret);
        hooks[0].Events.Should().Contain("push");
        afterSecond.Should().NotContain(Secret, "the webhook secret never appears on a page");
        afterFirst.Should().Contain($"Upstream webhook: Installed on {login}/upstream");
        afterFirst.Should().NotContain("Install the webhook on the upstream", "an installed webhook is not offered again");
    }

    [Fact]
    public async Task The_page_says_when_GitHub_reports_that_the_last_delivery_failed()
    {
        var login = AppWithGitHub.NewLogin("admin");
        using var client = await env.SignInAsync(login);
        env.GitHub.CreateRepo(login, "upstream");
        var id = await LinkWithUpstreamAsync(client, login, "upstream");
        using var install = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=InstallHook", []);
        var hook = env.GitHub.State.FindRepo(login, "upstream")!.Hooks![0];
        // GitHub pings a new hook; this test's app has no address GitHub can reach, so the ping fails.
        (await Eventually.TrueAsync(() => Task.FromResult(hook.LastStatus is not null), TimeSpan.FromSeconds(15))).Should().BeTrue();
        var unreachable = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));

        // What GitHub's hook list shows after an answer that was not a success (its last_response).
        (hook.LastCode, hook.LastStatus) = (502, "failed");
        var failing = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        (hook.LastCode, hook.LastStatus) = (200, "active");
        var delivering = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        // Backstroke's own record of the last verified push for the upstream says when deliveries last arrived.
        await env.App.WithDbAsync(db => db.Upstreams.Where(u => u.Owner == login && u.Repo == "upstream")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastPushAt, DateTimeOffset.UtcNow.AddMinutes(-3))));
        var received = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));

        unreachable.Should().Contain($"Installed on {login}/upstream, but GitHub could not deliver to it");
        failing.Should().Contain($"Installed on {login}/upstream, but GitHub says its last delivery failed (502)");
        delivering.Should().Contain($"Upstream webhook: Installed on {login}/upstream.");
        received.Should().Contain($"Upstream webhook: Installed on {login}/upstream, last delivery 3 minutes ago.");
    }

    [Fact]
    public async Task Someone_who_does_not_administer_the_upstream_is_told_so_and_nothing_is_installed()
    {
        var login = AppWithGitHub.NewLogin("user");
        var owner = AppWithGitHub.NewLogin("owner");
        using var client = await env.SignInAsync(login);
        env.GitHub.CreateUser(owner);
        env.GitHub.CreateRepo(owner, "upstream");
        var id = await LinkWithUpstreamAsync(client, owner, "upstream");

        var before = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        before.Should().Contain($"You cannot install it: only an admin of {owner}/upstream can.");
        before.Should().NotContain("Install the webhook on the upstream", "the offer would only fail");
        using var response = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=InstallHook", []);
        var page = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));

        page.Should().Contain($"Only an admin of {owner}/upstream can install its webhook");
        env.GitHub.State.FindRepo(owner, "upstream")!.Hooks.Should().BeNullOrEmpty();
    }

    /// <summary>A link whose upstream is set directly: the webhook offer needs no fork.</summary>
    private async Task<string> LinkWithUpstreamAsync(HttpClient client, string owner, string repo)
    {
        var id = await client.CreateLinkAsync();
        await env.App.WithDbAsync(async db =>
        {
            var link = await db.Links.SingleAsync(l => l.Id == id);
            (link.UpstreamOwner, link.UpstreamRepo, link.UpstreamBranch) = (owner, repo, "main");
            return await db.SaveChangesAsync();
        });
        return id;
    }
}
