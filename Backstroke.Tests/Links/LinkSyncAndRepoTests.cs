using System.Net;
using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

// Not Backstroke.Tests.Links: that name would hide the Support helper class Links inside every Backstroke.Tests namespace.
namespace Backstroke.Tests.LinksApi;

/// <summary>Sync now, a link's operations, the repository check, and tokens never leaving the server.</summary>
public sealed class LinkSyncAndRepoTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    [Fact]
    public async Task Sync_now_queues_a_manual_operation_that_the_links_operations_list()
    {
        var login = AppWithGitHub.NewLogin("sync");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Sync me", upstream, fork, enabled: true));

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/links/{id}/sync") { Content = JsonRequests.Json("{}") };
        request.Headers.Add("X-Request-ID", "req-42");
        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        var operationId = body.GetProperty("enqueuedAs").GetString()!;
        body.GetProperty("statusUrl").GetString().Should().Be($"{AppWithGitHub.AppAddress}v1/operations/{operationId}");
        var operation = await env.App.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == operationId));
        operation.Kind.Should().Be(OperationKind.Manual);
        operation.FromRequest.Should().Be("req-42");

        var operations = await client.GetJsonAsync($"/v1/links/{id}/operations");
        var listed = operations.GetProperty("data").EnumerateArray().Single(o => o.GetProperty("id").GetString() == operationId);
        listed.GetProperty("kind").GetString().Should().Be("manual");
        listed.GetProperty("link").GetProperty("id").GetString().Should().Be(id);
    }

    [Fact]
    public async Task Sync_now_of_a_link_that_is_not_configured_or_not_enabled_is_a_400_and_of_a_foreign_link_a_404()
    {
        var login = AppWithGitHub.NewLogin("own");
        using var owner = await env.SignInAsync(login);
        using var stranger = await env.SignInAsync(AppWithGitHub.NewLogin("str"));
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await owner.CreateLinkAsync();
        var off = await owner.CreateLinkAsync();
        await owner.PostJsonAsync($"/v1/links/{off}", JsonRequests.LinkBody("Off", upstream, fork));

        using var raw = await owner.PostJsonAsync($"/v1/links/{id}/sync");
        using var disabled = await owner.PostJsonAsync($"/v1/links/{off}/sync");
        using var foreign = await stranger.PostJsonAsync($"/v1/links/{id}/sync");
        using var operations = await stranger.GetAsync(new Uri($"/v1/links/{id}/operations", UriKind.Relative));

        raw.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await raw.ErrorOf()).Should().Be("Please update the link with a valid upstream and fork before syncing.");
        disabled.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await disabled.ErrorOf()).Should().Be("Enable the link before syncing it.");
        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
        operations.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_repository_check_reports_a_fork_its_parent_and_its_branches()
    {
        var login = AppWithGitHub.NewLogin("chk");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var (forkOwner, forkRepo) = (fork.Split('/')[0], fork.Split('/')[1]);
        env.GitHub.Commit(forkOwner, forkRepo, "feature", "work");

        var check = await client.GetJsonAsync($"/v1/repos/github/{fork}");

        check.GetProperty("valid").GetBoolean().Should().BeTrue();
        check.GetProperty("private").GetBoolean().Should().BeFalse();
        check.GetProperty("fork").GetBoolean().Should().BeTrue();
        var parent = check.GetProperty("parent");
        $"{parent.GetProperty("owner").GetString()}/{parent.GetProperty("name").GetString()}".Should().Be(upstream);
        check.GetProperty("branches").EnumerateArray().Select(b => b.GetString()).Should().Contain(["main", "feature"]);
    }

    [Fact]
    public async Task The_repository_check_of_a_missing_repository_is_a_404_saying_not_valid()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("miss"));

        using var missing = await client.GetAsync(new Uri("/v1/repos/github/nobody-here/nothing", UriKind.Relative));
        using var nonsense = await client.GetAsync(new Uri("/v1/repos/github/-bad-/x", UriKind.Relative));

        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.ReadJsonAsync()).GetProperty("valid").GetBoolean().Should().BeFalse();
        nonsense.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await nonsense.ReadJsonAsync()).GetProperty("valid").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task No_response_of_the_API_contains_the_users_token()
    {
        var login = AppWithGitHub.NewLogin("tok");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Secret keeper", upstream, fork, enabled: true));
        await client.PostJsonAsync($"/v1/links/{id}/sync");
        var user = await env.App.WithDbAsync(db => db.Users.SingleAsync(u => u.Login == login));
        var token = env.App.Services.GetRequiredService<TokenProtector>().Unprotect(user.AccessTokenProtected)!;

        var bodies = new List<string>();
        foreach (var path in new[] { "/v1/whoami", "/v1/links", $"/v1/links/{id}", $"/v1/links/{id}/operations", $"/v1/repos/github/{fork}", "/", $"/links/{id}" })
        {
            bodies.Add(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
        }

        bodies.Should().NotContain(b => b.Contains(token, StringComparison.Ordinal) || b.Contains(user.AccessTokenProtected!, StringComparison.Ordinal));
        JsonDocument.Parse(bodies[1]).RootElement.GetProperty("data").GetArrayLength().Should().Be(1);
    }
}
