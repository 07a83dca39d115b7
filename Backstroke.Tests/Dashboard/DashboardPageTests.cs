using System.Net;
using System.Text.RegularExpressions;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Dashboard;

/// <summary>The Razor dashboard without a browser: what a user without JavaScript gets, and who may see what.</summary>
public sealed class DashboardPageTests(AppWithGitHub shared, ITestOutputHelper output) : IClassFixture<AppWithGitHub>
{
    private readonly AppWithGitHub env = shared.WithOutput(output);

    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    [Fact]
    public async Task The_signed_in_home_page_lists_the_users_links_with_route_switch_last_check_and_error()
    {
        var login = AppWithGitHub.NewLogin("home");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var untitled = await client.CreateLinkAsync();
        var named = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{named}", JsonRequests.LinkBody("Fresh lib", upstream, fork));
        await env.App.WithDbAsync(async db =>
        {
            var link = await db.Links.Include(l => l.Upstream).SingleAsync(l => l.Id == named);
            link.LastError = "Repository gone/away doesn't exist.";
            link.Upstream!.LastCheckedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
            return await db.SaveChangesAsync();
        });

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().Contain($"href=\"/links/{untitled}\">Untitled</a>")
            .And.Contain($"href=\"/links/{named}\">Fresh lib</a>")
            .And.Contain($"{upstream}@main").And.Contain($"{fork}@main")
            .And.Contain("3 minutes ago")
            .And.Contain("Repository gone/away doesn&#x27;t exist.")
            .And.Contain("role=\"switch\"").And.Contain("aria-checked=\"false\"")
            .And.NotContain("Sign in with GitHub");
    }

    [Fact]
    public async Task The_enabled_switch_works_as_a_plain_form_and_explains_a_refusal()
    {
        var login = AppWithGitHub.NewLogin("switch");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        var raw = await client.CreateLinkAsync();
        await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Switch", upstream, fork));

        using var on = await client.SubmitAsync("/", "/?handler=Enable", [F("id", id), F("enabled", "true")]);
        using var refused = await client.SubmitAsync("/", "/?handler=Enable", [F("id", raw), F("enabled", "true")]);

        on.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id))).Enabled.Should().BeTrue();
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        html.Should().Contain("Untitled: Please update the link with a valid upstream and fork before enabling.");
        (await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == raw))).Enabled.Should().BeFalse();
    }

    [Fact]
    public async Task Every_form_carries_an_antiforgery_token_and_a_post_without_one_is_refused()
    {
        var login = AppWithGitHub.NewLogin("forms");
        using var client = await env.SignInAsync(login);
        var id = await client.CreateLinkAsync();

        foreach (var page in new[] { "/", $"/links/{id}" })
        {
            var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
            var forms = Regex.Matches(html, "<form[^>]*method=\"post\"[\\s\\S]*?</form>");
            forms.Should().NotBeEmpty();
            forms.Should().OnlyContain(f => f.Value.Contains("__RequestVerificationToken"), $"every form on {page} is protected");
        }

        using var forged = await client.PostAsync(new Uri($"/links/{id}?handler=Delete", UriKind.Relative), new FormUrlEncodedContent([]));
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await env.App.WithDbAsync(db => db.Links.AnyAsync(l => l.Id == id))).Should().BeTrue();
    }

    [Fact]
    public async Task Saving_the_link_form_shows_each_message_beside_its_field()
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("val"));
        var id = await client.CreateLinkAsync();

        using var response = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=Save",
            [F("Form.Name", ""), F("Form.Enabled", "false"), F("Form.UpstreamOwner", ""), F("Form.UpstreamRepo", "x y"), F("Form.UpstreamBranch", "main"),
             F("Form.ForkType", "repo"), F("Form.ForkOwner", "me"), F("Form.ForkRepo", "r"), F("Form.ForkBranch", ""), F("Form.SyncMode", "pull-request")]);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().MatchRegex("id=\"f-UpstreamOwner\"[^>]*aria-describedby=\"[^\"]*f-UpstreamOwner-error[^\"]*\"[^>]*aria-invalid=\"true\"")
            .And.Contain("<p class=\"field-error\" id=\"f-UpstreamOwner-error\">The upstream needs an owner (a user or organization).</p>")
            .And.Contain("<p class=\"field-error\" id=\"f-UpstreamRepo-error\">The upstream repository &#x27;x y&#x27; is not a valid repository name.</p>")
            .And.Contain("<p class=\"field-error\" id=\"f-ForkBranch-error\">The fork needs a branch.</p>")
            .And.Contain("value=\"x y\"", "the user's input is kept");
    }

    [Fact]
    public async Task Pasting_a_github_URL_into_the_owner_box_fills_owner_and_repository_without_JavaScript()
    {
        var login = AppWithGitHub.NewLogin("paste");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();

        using var response = await client.SubmitAsync($"/links/{id}", $"/links/{id}?handler=Save",
            [F("Form.Name", "Pasted"), F("Form.Enabled", "true"), F("Form.UpstreamOwner", $"https://github.com/{upstream}/tree/main"), F("Form.UpstreamRepo", ""),
             F("Form.UpstreamBranch", ""), F("Form.ForkType", "repo"), F("Form.ForkOwner", fork), F("Form.ForkRepo", ""), F("Form.ForkBranch", "main"),
             F("Form.SyncMode", "fast-forward")]);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var link = await env.App.WithDbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id));
        $"{link.UpstreamOwner}/{link.UpstreamRepo}@{link.UpstreamBranch}".Should().Be($"{upstream}@main");
        $"{link.ForkOwner}/{link.ForkRepo}@{link.ForkBranch}".Should().Be($"{fork}@main");
        link.Enabled.Should().BeTrue();
        link.SyncMode.Should().Be(SyncMode.FastForward);
    }

    [Fact]
    public async Task The_link_and_run_pages_say_what_the_last_run_did_and_link_its_pull_request()
    {
        var login = AppWithGitHub.NewLogin("words");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        env.GitHub.Commit(upstream.Split('/')[0], upstream.Split('/')[1], "main", "Upstream moves on");
        var id = await client.CreateLinkAsync();
        (await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Words", upstream, fork, enabled: true))).EnsureSuccessStatusCode();
        using var sync = await client.PostJsonAsync($"/v1/links/{id}/sync");
        var operationId = (await sync.ReadJsonAsync()).GetProperty("enqueuedAs").GetString()!;
        var operation = await Operations.WaitUntilDoneAsync(client, operationId);
        var pullRequest = operation.GetProperty("output").GetProperty("pullRequest").GetProperty("url").GetString()!;

        var linkPage = await client.GetStringAsync(new Uri($"/links/{id}", UriKind.Relative));
        var runPage = await client.GetStringAsync(new Uri($"/operations/{operationId}", UriKind.Relative));
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        var number = operation.GetProperty("output").GetProperty("pullRequest").GetProperty("number").GetInt32();
        foreach (var page in new[] { linkPage, runPage, home })
        {
            page.Should().Contain($"<a href=\"{pullRequest}\">Opened pull request #{number}</a>");
        }

        home.Should().NotContain("Last check: <time datetime=\"\"", "a manual run counts as a check");
        runPage.Should().Contain("<details>").And.Contain("Raw output (JSON)");
    }

    [Fact]
    public async Task A_fork_all_run_page_has_a_table_of_its_forks_with_each_outcome()
    {
        var login = AppWithGitHub.NewLogin("all");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        (await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("All", upstream, fork))).EnsureSuccessStatusCode();
        var operationId = Ids.NewOperationId();
        await env.App.WithDbAsync(async db =>
        {
            db.Operations.Add(new Operation
            {
                Id = operationId, LinkId = id, Kind = OperationKind.Manual, Status = OperationStatus.Ok, EnqueuedAt = DateTimeOffset.UtcNow,
                FinishedAt = DateTimeOffset.UtcNow,
                Output = $$"""{"many":true,"metrics":{"total":2,"successes":1},"errors":[{"fork":"ann/x","error":"This repo opted out of backstroke pull requests"}],"forks":[{"fork":"{{fork}}","status":"ok","message":"Successfully created pull request on {{fork}}.","pullRequest":{"number":4,"url":"https://github.example/pr/4"},"mergeType":"pull-request"},{"fork":"ann/x","status":"error","message":"This repo opted out of backstroke pull requests","pullRequest":null,"mergeType":null}]}""",
            });
            return await db.SaveChangesAsync();
        });

        var html = await client.GetStringAsync(new Uri($"/operations/{operationId}", UriKind.Relative));

        html.Should().Contain("Synced 1 of 2 forks").And.Contain("<caption id=\"forks-title\">Forks</caption>");
        html.Should().MatchRegex($"<th scope=\"row\"[^>]*>{Regex.Escape(fork)}</th>\\s*<td[^>]*><span class=\"badge badge-ok\">ok</span></td>\\s*<td[^>]*><span class=\"outcome\"><a href=\"https://github.example/pr/4\">Opened pull request #4</a>");
        html.Should().MatchRegex("<th scope=\"row\"[^>]*>ann/x</th>\\s*<td[^>]*><span class=\"badge badge-error\">error</span></td>\\s*<td[^>]*><span class=\"outcome outcome-error\">This repo opted out");
        html.Should().MatchRegex("<details>\\s*<summary>Raw output \\(JSON\\)</summary>\\s*<pre>", "the raw JSON is behind a disclosure");
    }

    [Fact]
    public async Task Another_users_link_and_operation_pages_are_404_and_a_signed_out_visitor_is_sent_to_sign_in()
    {
        var login = AppWithGitHub.NewLogin("mine");
        using var owner = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await owner.CreateLinkAsync();
        await owner.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Private", upstream, fork, enabled: true));
        using var sync = await owner.PostJsonAsync($"/v1/links/{id}/sync");
        var operationId = (await sync.ReadJsonAsync()).GetProperty("enqueuedAs").GetString();
        using var stranger = await env.SignInAsync(AppWithGitHub.NewLogin("str"));
        using var anonymous = env.Anonymous();

        (await stranger.GetAsync(new Uri($"/links/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.GetAsync(new Uri("/links/missing", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.GetAsync(new Uri($"/operations/{operationId}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetAsync(new Uri($"/operations/{operationId}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var signedOut = await anonymous.GetAsync(new Uri($"/links/{id}", UriKind.Relative));
        signedOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.ToString().Should().StartWith("http://localhost/setup/login?ReturnUrl=%2Flinks%2F");
    }

    [Fact]
    public async Task The_system_page_is_a_404_for_everyone_but_the_configured_admins()
    {
        var admins = new AppWithGitHub();
        var admin = AppWithGitHub.NewLogin("op");
        admins.Settings["Backstroke:Admins:0"] = admin;
        await admins.InitializeAsync();
        try
        {
            using var operatorClient = await admins.SignInAsync(admin);
            using var userClient = await admins.SignInAsync(AppWithGitHub.NewLogin("user"));

            using var forUser = await userClient.GetAsync(new Uri("/system", UriKind.Relative));
            var forOperator = await operatorClient.GetStringAsync(new Uri("/system", UriKind.Relative));

            forUser.StatusCode.Should().Be(HttpStatusCode.NotFound);
            using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/system", UriKind.Relative));
            page.Headers.Accept.ParseAdd("text/html");
            using var pageForUser = await userClient.SendAsync(page);
            pageForUser.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await pageForUser.Content.ReadAsStringAsync()).Should().Contain("Not found", "a browser gets the site's 404 page, as for a missing page");
            using var signedOut = await admins.Anonymous().GetAsync(new Uri("/system", UriKind.Relative));
            signedOut.StatusCode.Should().Be(HttpStatusCode.Redirect, "a signed-out visitor is sent to sign in");
            forOperator.Should().Contain("Queue").And.Contain("rate-limit budget").And.Contain("Recent operations").And.Contain("id=\"queue-depth\"");
        }
        finally
        {
            await admins.DisposeAsync();
        }
    }
}
