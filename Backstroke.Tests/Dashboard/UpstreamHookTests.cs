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
