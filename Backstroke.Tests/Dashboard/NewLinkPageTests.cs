using System.Net;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Dashboard;

/// <summary>Nothing half-made: a new link is stored by its first save, and a save GitHub contradicts says why, at the field and at the top.</summary>
public sealed class NewLinkPageTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    private static KeyValuePair<string, string>[] Form(string name, string upstream, string upBranch, string fork, string forkBranch, bool enabled = false) =>
    [
        new("Form.Name", name), new("Form.Enabled", enabled ? "true" : "false"), new("Form.UpstreamOwner", upstream), new("Form.UpstreamRepo", ""),
        new("Form.UpstreamBranch", upBranch), new("Form.ForkType", "repo"), new("Form.ForkOwner", fork), new("Form.ForkRepo", ""),
        new("Form.ForkBranch", forkBranch), new("Form.SyncMode", "pull-request"),
    ];

    private Task<int> LinksOfAsync(string login) =>
        env.App.WithDbAsync(db => db.Links.CountAsync(l => db.Users.Any(u => u.Id == l.OwnerId && u.Login == login)));

    [Fact]
    public async Task The_new_link_form_stores_nothing_until_its_first_save_and_that_save_stores_one_link()
    {
        var login = AppWithGitHub.NewLogin("new");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var form = await client.GetStringAsync(new Uri("/links/new", UriKind.Relative));
        using var oldButton = await client.SubmitAsync("/links/new", "/?handler=Create", []);

        home.Should().Contain("<a class=\"button\" href=\"/links/new\">New link</a>");
        form.Should().Contain("<h1>New link</h1>").And.Contain("action=\"/links/new?handler=Save\"")
            .And.NotContain("id=\"sync\"", "a link that does not exist yet cannot be synced");
        oldButton.Headers.Location!.ToString().Should().Be("/links/new");
        (await LinksOfAsync(login)).Should().Be(0, "opening the form, twice, stored nothing");

        using var saved = await client.SubmitAsync("/links/new", "/links/new?handler=Save", Form("Fresh", upstream, "main", fork, "main"));

        saved.StatusCode.Should().Be(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        (await LinksOfAsync(login)).Should().Be(1);
        var id = saved.Headers.Location!.ToString()["/links/".Length..];
        (await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative))).Should().Contain("<h1>Fresh</h1>").And.Contain("Saved.");
    }

    [Fact]
    public async Task A_save_that_GitHub_contradicts_names_the_missing_branch_and_repository_beside_the_fields_and_at_the_top()
    {
        var login = AppWithGitHub.NewLogin("miss");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var owner = upstream.Split('/')[0];

        using var refused = await client.SubmitAsync("/links/new", "/links/new?handler=Save", Form("Typo", upstream, "mian", $"{owner}/nothing-here", "main"));

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await refused.Content.ReadAsStringAsync();
        var start = html.IndexOf("id=\"error-summary\"", StringComparison.Ordinal);
        var summary = html[start..html.IndexOf("class=\"link-form\"", start, StringComparison.Ordinal)];
        summary.Should().Contain("The link was not created")
            .And.Contain($"<a href=\"#f-UpstreamBranch\">Branch mian doesn&#x27;t exist on repository {upstream}.</a>")
            .And.Contain($"<a href=\"#f-ForkRepo\">Repository {owner}/nothing-here doesn&#x27;t exist");
        html.Should().Contain("<p class=\"field-error\" id=\"f-UpstreamBranch-error\">Branch mian doesn&#x27;t exist")
            .And.Contain("data-focus-on-load").And.Contain("<h1>New link</h1>");
        (await LinksOfAsync(login)).Should().Be(0);
        _ = fork;
    }

    [Fact]
    public async Task A_refused_save_keeps_the_saved_name_in_the_heading_and_enabling_checks_that_both_ends_still_exist()
    {
        var login = AppWithGitHub.NewLogin("keep");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        (await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Kept", upstream, fork))).EnsureSuccessStatusCode();

        using var refused = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=Save", Form("Renamed", upstream, "nope", fork, "main"));
        env.GitHub.DeleteBranch(login, fork.Split('/')[1], "main");
        using var enable = await client.SubmitAsync("/", "/?handler=Enable", [new("id", id), new("enabled", "true")]);
        using var enableApi = await client.PostJsonAsync($"/v1/links/{id}/enable", new { enabled = true });

        var html = await refused.Content.ReadAsStringAsync();
        html.Should().Contain("<h1>Kept</h1>").And.Contain("value=\"Renamed\"", "the typed name stays in its box");
        (await client.GetStringAsync(new Uri("/", UriKind.Relative))).Should().Contain($"Kept: Branch main doesn&#x27;t exist on repository {fork}.");
        enableApi.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id))).Enabled.Should().BeFalse();
    }
}
