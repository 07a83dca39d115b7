using System.Net;
using System.Text.Json;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

// Not Backstroke.Tests.Links: that name would hide the Support helper class Links inside every Backstroke.Tests namespace.
namespace Backstroke.Tests.LinksApi;

/// <summary>Create, get, list and delete: the original server suite's cases and the ownership rule.</summary>
public sealed class LinkCrudTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    [Fact]
    public async Task Create_makes_a_disabled_link_with_a_new_id_an_empty_name_and_a_secret_webhook()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("new"));

        using var first = await client.PostJsonAsync("/v1/links");
        using var second = await client.PostJsonAsync("/v1/links");

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var link = await first.ReadJsonAsync();
        var other = await second.ReadJsonAsync();
        link.GetProperty("id").GetString().Should().NotBeNullOrEmpty().And.NotBe(other.GetProperty("id").GetString());
        link.GetProperty("name").GetString().Should().BeEmpty();
        link.GetProperty("enabled").GetBoolean().Should().BeFalse();
        var webhook = link.GetProperty("webhook").GetString()!;
        webhook.Length.Should().BeGreaterThanOrEqualTo(22, "128 random bits need 22 base64url characters");
        webhook.Should().NotBe(other.GetProperty("webhook").GetString());
        link.GetProperty("webhookUrl").GetString().Should().Be($"{AppWithGitHub.AppAddress}_{webhook}");
        link.GetProperty("syncMode").GetString().Should().Be("pull-request");
        link.GetProperty("upstream").ValueKind.Should().Be(JsonValueKind.Null);
        link.GetProperty("fork").ValueKind.Should().Be(JsonValueKind.Null);
        link.GetProperty("status").GetProperty("lastOperation").ValueKind.Should().Be(JsonValueKind.Null);
        first.Headers.Location!.ToString().Should().Be($"/v1/links/{link.GetProperty("id").GetString()}");
    }

    [Fact]
    public async Task Get_returns_the_link_in_the_original_shape()
    {
        var login = AppWithGitHub.NewLogin("get");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        (await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Mine", upstream, fork))).StatusCode.Should().Be(HttpStatusCode.OK);

        var link = await client.GetJsonAsync($"/v1/links/{id}");

        link.GetProperty("id").GetString().Should().Be(id);
        link.GetProperty("name").GetString().Should().Be("Mine");
        var up = link.GetProperty("upstream");
        up.GetProperty("type").GetString().Should().Be("repo");
        $"{up.GetProperty("owner").GetString()}/{up.GetProperty("repo").GetString()}".Should().Be(upstream);
        up.GetProperty("branch").GetString().Should().Be("main");
        var f = link.GetProperty("fork");
        f.GetProperty("type").GetString().Should().Be("repo");
        $"{f.GetProperty("owner").GetString()}/{f.GetProperty("repo").GetString()}".Should().Be(fork);
        link.TryGetProperty("createdAt", out _).Should().BeTrue();
        link.TryGetProperty("lastSyncedAt", out _).Should().BeTrue();
        link.GetProperty("status").TryGetProperty("lastError", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Get_of_an_unknown_link_is_a_404_and_another_users_link_looks_exactly_the_same()
    {
        using var owner = await env.SignInAsync(AppWithGitHub.NewLogin("own"));
        using var stranger = await env.SignInAsync(AppWithGitHub.NewLogin("str"));
        var id = await owner.CreateLinkAsync();

        using var unknown = await stranger.GetAsync(new Uri("/v1/links/doesnotexist", UriKind.Relative));
        using var foreign = await stranger.GetAsync(new Uri($"/v1/links/{id}", UriKind.Relative));

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).Should().Be(await foreign.Content.ReadAsStringAsync()).And.Be("{\"error\":\"No such link.\"}");
    }

    [Fact]
    public async Task Get_when_signed_out_is_a_401()
    {
        using var owner = await env.SignInAsync(AppWithGitHub.NewLogin("own"));
        var id = await owner.CreateLinkAsync();
        using var anonymous = env.Anonymous();

        using var response = await anonymous.GetAsync(new Uri($"/v1/links/{id}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.ErrorOf()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task List_pages_25_links_as_20_then_5_then_none_and_shows_only_the_users_own()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("many"));
        using var other = await env.SignInAsync(AppWithGitHub.NewLogin("other"));
        var created = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            created.Add(await client.CreateLinkAsync());
        }

        await other.CreateLinkAsync();

        var pages = new List<JsonElement>();
        foreach (var page in new[] { "0", "1", "2" })
        {
            pages.Add(await client.GetJsonAsync($"/v1/links?page={page}"));
        }

        pages.Select(p => p.GetProperty("data").GetArrayLength()).Should().Equal(20, 5, 0);
        pages.Select(p => p.GetProperty("page").GetInt32()).Should().Equal(0, 1, 2);
        pages.Should().OnlyContain(p => p.GetProperty("pageSize").GetInt32() == 20);
        pages.SelectMany(p => p.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetString()))
            .Should().BeEquivalentTo(created, "every link once, and none of another user's");
        (await client.GetJsonAsync("/v1/links")).GetProperty("page").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task List_with_a_page_that_is_not_a_number_is_a_400_with_a_sentence()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("page"));

        using var response = await client.GetAsync(new Uri("/v1/links?page=-1", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ErrorOf()).Should().Be("The page must be a whole number, 0 or more.");
    }

    [Fact]
    public async Task Delete_removes_the_link_with_a_204()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("del"));
        var id = await client.CreateLinkAsync();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/links/{id}") { Content = JsonRequests.Json("{}") });

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync(new Uri($"/v1/links/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_of_an_unknown_link_or_of_another_users_link_is_the_same_404_and_deletes_nothing()
    {
        using var owner = await env.SignInAsync(AppWithGitHub.NewLogin("own"));
        using var stranger = await env.SignInAsync(AppWithGitHub.NewLogin("str"));
        var id = await owner.CreateLinkAsync();

        using var unknown = await stranger.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/v1/links/nope") { Content = JsonRequests.Json("{}") });
        using var foreign = await stranger.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/links/{id}") { Content = JsonRequests.Json("{}") });

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await foreign.ErrorOf()).Should().Be(await unknown.ErrorOf()).And.Be("No such link found that is owned by this account.");
        (await env.App.WithDbAsync(db => db.Links.AnyAsync(l => l.Id == id))).Should().BeTrue();
    }

    [Fact]
    public async Task Changes_sent_without_a_JSON_content_type_are_refused_with_415_so_a_cross_site_form_cannot_make_them()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("csrf"));
        var id = await client.CreateLinkAsync();

        using var form = await client.PostAsync(new Uri("/v1/links", UriKind.Relative), new FormUrlEncodedContent([]));
        using var text = await client.PostAsync(new Uri($"/v1/links/{id}/enable", UriKind.Relative), new StringContent("{\"enabled\":true}"));
        using var delete = await client.DeleteAsync(new Uri($"/v1/links/{id}", UriKind.Relative));

        foreach (var response in new[] { form, text, delete })
        {
            response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
            (await response.ErrorOf()).Should().Be("Send this request with the header Content-Type: application/json.");
        }

        (await env.App.WithDbAsync(db => db.Links.CountAsync(l => l.Owner!.Login.StartsWith("csrf")))).Should().Be(1);
    }

    [Fact]
    public async Task Regenerating_the_webhook_id_replaces_the_trigger_secret()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("regen"));
        using var created = await client.PostJsonAsync("/v1/links");
        var before = (await created.ReadJsonAsync()).GetProperty("webhook").GetString();
        var id = (await client.GetJsonAsync("/v1/links")).GetProperty("data")[0].GetProperty("id").GetString();

        using var response = await client.PostJsonAsync($"/v1/links/{id}/webhook/regenerate");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = (await response.ReadJsonAsync()).GetProperty("webhook").GetString();
        after.Should().NotBe(before).And.HaveLength(before!.Length);
        (await client.GetJsonAsync($"/v1/links/{id}")).GetProperty("webhook").GetString().Should().Be(after);
    }
}
