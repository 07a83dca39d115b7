using System.Text.RegularExpressions;
using Backstroke.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backstroke.Tests.Dashboard;

/// <summary>The dashboard in a real browser, against the real app and the GitHub simulator.</summary>
[Slow(SlowAttribute.Browser)]
public sealed class BrowserTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [Fact]
    public async Task A_user_signs_in_creates_a_link_from_a_pasted_URL_enables_it_and_Sync_now_opens_the_pull_request()
    {
        var login = AppWithGitHub.NewLogin("ada");
        var upstreamOwner = ForkPair(login, "lib");
        world.GitHub.Commit(upstreamOwner, "lib", "main", "new upstream work");

        var signedOut = await world.NewPageAsync();
        await signedOut.GotoAsync("/");
        await BrowserWorld.ScreenshotAsync(signedOut, "home-signed-out");

        var page = await world.NewPageAsync();
        await world.SignInAsync(page, login);
        await page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New link" })).ToBeVisibleAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Keep lib fresh");
        await page.GetByLabel("Owner", new() { Exact = true }).FillAsync($"https://github.com/{upstreamOwner}/lib");
        await Expect(page.GetByLabel("Repository", new() { Exact = true })).ToHaveValueAsync("lib");
        await Expect(page.Locator("#upstream-check")).ToContainTextAsync($"Found {upstreamOwner}/lib");
        await Expect(page.GetByLabel("Branch", new() { Exact = true })).ToHaveValueAsync("main");
        await page.GetByLabel("Fork owner").FillAsync($"{login}/lib");
        await Expect(page.Locator("#fork-check")).ToContainTextAsync($"a fork of {upstreamOwner}/lib");
        await page.GetByLabel("Fork branch").FillAsync("main");
        await page.GetByLabel("Enabled").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keep lib fresh" })).ToBeVisibleAsync();
        var linkUrl = page.Url;
        await BrowserWorld.ScreenshotAsync(page, "link-saved");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Expect(page.Locator("#sync-status .badge")).ToHaveTextAsync("ok", new() { Timeout = 20_000 });
        world.GitHub.PullRequests(login, "lib").Should().ContainSingle(pr => pr.State == "open" && pr.Base == "main",
            "Sync now proposed the upstream's new commit to the fork");
        var opened = page.Locator("#sync-status").GetByRole(AriaRole.Link, new() { Name = "Opened pull request #1" });
        await Expect(opened).ToBeVisibleAsync(new() { Timeout = 10_000 });
        (await opened.GetAttributeAsync("href")).Should().EndWith($"/{login}/lib/pull/1", "the live status links the new pull request without a reload");
        await Expect(page.Locator("#operations .badge").First).ToHaveTextAsync("ok");
        await BrowserWorld.ScreenshotAsync(page, "link");

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Enabled: Keep lib fresh" })).ToHaveAttributeAsync("aria-checked", "true");
        await BrowserWorld.ScreenshotAsync(page, "links");
        await page.Locator("#main .badge").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run of Keep lib fresh" })).ToBeVisibleAsync();
        await BrowserWorld.ScreenshotAsync(page, "operation");

        var phone = await world.NewPageAsync(width: 375);
        await world.SignInAsync(phone, login);
        await phone.GotoAsync(linkUrl);
        var scrollWidth = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        scrollWidth.Should().BeLessThanOrEqualTo(375, "the link page is readable on a phone without sideways scrolling");
        await BrowserWorld.ScreenshotAsync(phone, "link-375px");

        var stranger = await world.NewPageAsync();
        await world.SignInAsync(stranger, AppWithGitHub.NewLogin("eve"));
        var response = await stranger.GotoAsync(linkUrl);
        response!.Status.Should().Be(404, "another user's link does not exist for a stranger");
        (await stranger.ContentAsync()).Should().NotContain("Keep lib fresh");

        var admin = await world.NewPageAsync();
        await world.SignInAsync(admin, BrowserWorld.AdminLogin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "System" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Recent operations" })).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Table, new() { Name = "Rate-limit budgets" })).ToBeVisibleAsync();
        (await admin.ContentAsync()).Should().NotContain("gho_", "no token is shown, only its short hash");
        await BrowserWorld.ScreenshotAsync(admin, "system");

        // The charts draw the minute samples; take two now rather than wait two minutes.
        var sampler = world.App.Services.GetRequiredService<Backstroke.Dashboard.ActivitySampler>();
        await sampler.SampleAsync(CancellationToken.None);
        await sampler.SampleAsync(CancellationToken.None);
        var adminPhone = await world.NewPageAsync(width: 390);
        await world.SignInAsync(adminPhone, BrowserWorld.AdminLogin);
        await adminPhone.GotoAsync(new Uri(world.BaseAddress, "/system").ToString());
        await Expect(adminPhone.Locator("svg").First).ToBeVisibleAsync();
        (await adminPhone.EvaluateAsync<int>("document.documentElement.scrollWidth"))
            .Should().BeLessThanOrEqualTo(390, "the system page, charts included, fits a phone without sideways scrolling");
        (await adminPhone.EvaluateAsync<int>("[...document.querySelectorAll('td[data-label]')].filter(td => td.textContent.trim() === '').length"))
            .Should().Be(0, "a phone shows no labelled cell without a value, such as a bare \"Error:\"");
        await BrowserWorld.ScreenshotAsync(adminPhone, "system-390px");
    }

    [Fact]
    public async Task A_failed_sync_shows_its_error_on_the_link_page()
    {
        var login = AppWithGitHub.NewLogin("bob");
        var upstreamOwner = ForkPair(login, "tool");

        var page = await world.NewPageAsync();
        await world.SignInAsync(page, login);
        await page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Doomed");
        await page.GetByLabel("Owner", new() { Exact = true }).FillAsync($"{upstreamOwner}/tool");
        await page.GetByLabel("Branch", new() { Exact = true }).FillAsync("main");
        await page.GetByLabel("Fork owner").FillAsync($"{login}/tool");
        await page.GetByLabel("Fork branch").FillAsync("main");
        await page.GetByLabel("Enabled").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Doomed" })).ToBeVisibleAsync();

        world.GitHub.DeleteRepo(login, "tool");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();

        await Expect(page.Locator("#sync-status .badge")).ToHaveTextAsync("error", new() { Timeout = 20_000 });
        await Expect(page.Locator("#sync-status")).ToContainTextAsync($"Repository {login}/tool doesn't exist.");
        await page.ReloadAsync();
        await Expect(page.Locator("#operations")).ToContainTextAsync($"Repository {login}/tool doesn't exist.");
        await BrowserWorld.ScreenshotAsync(page, "link-failed-sync");
    }

    [Fact]
    public async Task An_abandoned_new_link_leaves_nothing_behind_and_a_refused_save_is_summed_up_at_the_top_with_the_focus_there()
    {
        var login = AppWithGitHub.NewLogin("cat");
        var upstreamOwner = ForkPair(login, "kit");

        var page = await world.NewPageAsync();
        await world.SignInAsync(page, login);
        await page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Half done");
        await page.GetByRole(AriaRole.Link, new() { Name = "Your links" }).First.ClickAsync();

        await Expect(page.GetByText("No links yet.")).ToBeVisibleAsync();
        (await page.ContentAsync()).Should().NotContain("Untitled").And.NotContain("Half done");
        await BrowserWorld.ScreenshotAsync(page, "links-after-abandoned-new-link");

        await page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Typo");
        await page.GetByLabel("Owner", new() { Exact = true }).FillAsync($"{upstreamOwner}/kit");
        await page.GetByLabel("Branch", new() { Exact = true }).FillAsync("mian");
        await page.GetByLabel("Fork owner").FillAsync($"{login}/kit");
        await page.GetByLabel("Fork branch").FillAsync("main");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the link" }).ClickAsync();

        var summary = page.Locator("#error-summary");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).ToContainTextAsync($"Branch mian doesn't exist on repository {upstreamOwner}/kit.");
        await Expect(page.Locator("#f-UpstreamBranch-error")).ToContainTextAsync("Branch mian doesn't exist");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New link", Exact = true })).ToBeVisibleAsync();
        await BrowserWorld.ScreenshotAsync(page, "new-link-refused");
    }

    [Fact]
    public async Task A_fork_all_run_page_has_a_table_of_forks_with_pull_request_links_and_fits_a_phone()
    {
        var login = AppWithGitHub.NewLogin("dee");
        world.GitHub.CreateUser(login);
        world.GitHub.CreateRepo(login, "core");
        world.GitHub.Commit(login, "core", "main", "first");
        var (glad, shy) = (AppWithGitHub.NewLogin("glad"), AppWithGitHub.NewLogin("shy"));
        foreach (var owner in new[] { glad, shy })
        {
            world.GitHub.CreateUser(owner);
            world.GitHub.CreateRepo(owner, "core", forkOf: $"{login}/core");
            world.GitHub.CreateLabel(owner, "core", Backstroke.Sync.LinkSync.OptInLabel);
        }

        world.GitHub.CreateLabel(shy, "core", "optout");
        world.GitHub.SetIssuesEnabled(shy, "core", true);
        world.GitHub.CreateIssue(shy, "core", "No thanks", "optout");
        world.GitHub.Commit(login, "core", "main", "after the forks");

        var page = await world.NewPageAsync();
        await world.SignInAsync(page, login);
        await page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Everyone");
        await page.GetByLabel("Owner", new() { Exact = true }).FillAsync($"{login}/core");
        await page.GetByLabel("Branch", new() { Exact = true }).FillAsync("main");
        await page.GetByLabel("All forks that opt in").CheckAsync();
        await page.GetByLabel("Enabled").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the link" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Synced 1 of 2 forks", new() { Timeout = 20_000 });
        await page.Locator("#sync-status .badge").ClickAsync();

        var forks = page.GetByRole(AriaRole.Table, new() { Name = "Forks" });
        var gladRow = forks.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{glad}/core" });
        await Expect(gladRow.GetByRole(AriaRole.Link, new() { Name = "Opened pull request #1" })).ToHaveAttributeAsync("href", new Regex($"/{glad}/core/pull/1$"));
        await Expect(forks.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{shy}/core" })).ToContainTextAsync("opted out");
        await Expect(page.Locator("details pre")).Not.ToBeVisibleAsync();
        await BrowserWorld.ScreenshotAsync(page, "operation-fork-all");

        var phone = await world.NewPageAsync(width: 390);
        await world.SignInAsync(phone, login);
        await phone.GotoAsync(page.Url);
        await phone.GetByText("Raw output (JSON)").ClickAsync();
        var scrollWidth = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        scrollWidth.Should().BeLessThanOrEqualTo(390, "the run page, raw output open, fits a phone without sideways scrolling");
        await BrowserWorld.ScreenshotAsync(phone, "operation-fork-all-390px");
    }

    [Fact]
    public async Task Without_JavaScript_a_link_is_created_synced_and_its_URL_regenerated_with_plain_forms_and_links()
    {
        var login = AppWithGitHub.NewLogin("eli");
        var upstreamOwner = ForkPair(login, "app");
        world.GitHub.Commit(upstreamOwner, "app", "main", "new upstream work");

        var page = await world.NewPageAsync(javaScript: false);
        await world.SignInAsync(page, login);
        await page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Plain");
        await page.GetByLabel("Owner", new() { Exact = true }).FillAsync($"https://github.com/{upstreamOwner}/app/tree/main");
        await page.GetByLabel("Fork owner").FillAsync($"{login}/app");
        await page.GetByLabel("Fork branch").FillAsync("main");
        await page.GetByLabel("Enabled").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plain" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        var opened = page.Locator("#sync-status").GetByRole(AriaRole.Link, new() { Name = "Opened pull request #1" });
        var done = await Eventually.TrueAsync(async () =>
        {
            var again = page.GetByRole(AriaRole.Link, new() { Name = "Check again" });
            if (await again.IsVisibleAsync())
            {
                await again.ClickAsync();
            }

            return await opened.IsVisibleAsync();
        }, TimeSpan.FromSeconds(20));
        done.Should().BeTrue("following plain links, the run's outcome shows without any script");
        await BrowserWorld.ScreenshotAsync(page, "link-without-javascript");

        var before = await page.Locator("#webhook-url").InputValueAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Yes, make a new URL" })).ToBeHiddenAsync();
        await page.GetByText("Regenerate the URL…").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, make a new URL" }).ClickAsync();
        await Expect(page.Locator("#webhook").GetByRole(AriaRole.Status)).ToContainTextAsync("A new webhook URL was made");
        (await page.Locator("#webhook-url").InputValueAsync()).Should().NotBe(before);
    }

    /// <summary>A fresh upstream <c>UP/repo</c> with a first commit and <paramref name="login"/>'s fork of it; returns UP.</summary>
    private string ForkPair(string login, string repo)
    {
        var upstreamOwner = AppWithGitHub.NewLogin("up");
        world.GitHub.CreateUser(upstreamOwner);
        world.GitHub.CreateRepo(upstreamOwner, repo);
        world.GitHub.Commit(upstreamOwner, repo, "main", "first");
        world.GitHub.CreateUser(login);
        world.GitHub.CreateRepo(login, repo, forkOf: $"{upstreamOwner}/{repo}");
        return upstreamOwner;
    }
}
