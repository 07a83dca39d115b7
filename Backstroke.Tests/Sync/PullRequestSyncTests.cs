using Backstroke.FakeGitHub;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>The sync rules for one fork in pull-request mode, against the simulator over HTTP.</summary>
public class PullRequestSyncTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync() => world = await SyncWorld.StartAsync(output: output);

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task A_fork_behind_its_upstream_gets_one_pull_request()
    {
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link, requestId: "req-7");

        operation.Str("status").Should().Be("ok");
        operation.Str("fromRequest").Should().Be("req-7");
        var pr = world.OpenPullRequests().Should().ContainSingle().Subject;
        pr.Head.Should().Be("up:main");
        pr.Base.Should().Be("main");
        pr.Title.Should().Be("Update from upstream repo up/proj@main");
        pr.MaintainerCanModify.Should().BeFalse();
        pr.Body.Should().Contain($"{world.GitHub.BaseUrl}me/proj/compare/main...up:main").And.Contain("optout");
        var output = operation.At("output");
        output.Str("many").Should().Be("false");
        output.Str("forkCount").Should().Be("1");
        output.Str("message").Should().Be(SyncMessages.PullRequestCreated("me/proj"));
        output.Str("mergeType").Should().Be("pull-request");
        output.Str("pullRequest", "number").Should().Be(pr.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.Str("pullRequest", "url").Should().EndWith($"/me/proj/pull/{pr.Number}");
        operation.GetRawText().Should().NotContain(SyncWorld.OwnerToken);
    }

    [Fact]
    public async Task A_custom_fork_branch_is_the_base_of_the_pull_request()
    {
        world.GitHub.Commit("me", "proj", "release", "Fork's own branch");
        var link = await world.AddLinkAsync(TestLinks.Repo("up", "proj", "main", "me", "proj", "release"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        var pr = world.OpenPullRequests().Should().ContainSingle().Subject;
        (pr.Head, pr.Base).Should().Be(("up:main", "release"));
    }

    [Fact]
    public async Task A_fork_already_up_to_date_is_ok_and_gets_nothing()
    {
        world.GitHub.CreateRepo("me", "fresh", forkOf: "up/proj");
        var link = await world.AddLinkAsync(TestLinks.Repo("up", "proj", "main", "me", "fresh", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be(SyncMessages.UpToDate);
        operation.Str("output", "pullRequest").Should().BeNull();
        world.OpenPullRequests("me", "fresh").Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_sync_finds_the_open_pull_request_and_never_opens_another()
    {
        var link = await world.AddLinkAsync();
        var first = await world.SyncAsync(link);
        world.GitHub.Commit("up", "proj", "main", "More upstream work");

        var second = await world.SyncAsync(link);

        second.Str("status").Should().Be("ok");
        second.Str("output", "message").Should().Be(SyncMessages.PullRequestAlreadyOpen);
        second.Str("output", "pullRequest", "number").Should().Be(first.Str("output", "pullRequest", "number"));
        second.Str("output", "pullRequest", "url").Should().Be(first.Str("output", "pullRequest", "url"));
        world.OpenPullRequests().Should().ContainSingle();
    }

    [Fact]
    public async Task A_fork_with_an_open_optout_issue_is_left_alone()
    {
        world.GitHub.CreateLabel("me", "proj", "optout");
        world.GitHub.SetIssuesEnabled("me", "proj", true);
        world.GitHub.CreateIssue("me", "proj", "Stop, please", "optout");
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Be("This repo opted out of backstroke pull requests");
        world.OpenPullRequests().Should().BeEmpty();
    }

    [Fact]
    public async Task An_archived_fork_is_ok_with_nothing_done()
    {
        world.GitHub.ArchiveRepo("me", "proj");
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be("The fork me/proj is archived.");
        world.OpenPullRequests().Should().BeEmpty();
    }

    [Theory]
    [InlineData("up", "proj", "main", "me", "gone", "main", "Repository me/gone doesn't exist.")]
    [InlineData("up", "proj", "main", "me", "proj", "nope", "Branch nope doesn't exist on repository me/proj.")]
    [InlineData("nobody", "proj", "main", "me", "proj", "main", "Repository nobody/proj doesn't exist.")]
    [InlineData("up", "proj", "nope", "me", "proj", "main", "Branch nope doesn't exist on repository up/proj.")]
    public async Task A_missing_repository_or_branch_is_named_in_the_error(string uo, string ur, string ub, string fo, string fr, string fb, string expected)
    {
        var link = await world.AddLinkAsync(TestLinks.Repo(uo, ur, ub, fo, fr, fb));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Be(expected);
        var stored = await world.App.WithDbAsync(db => Task.FromResult(db.Links.Single(l => l.Id == link.Id)));
        stored.LastError.Should().Be(expected);
        stored.ConsecutiveFailures.Should().Be(1);
    }

    [Fact]
    public async Task An_unknown_GitHub_error_fails_at_once_with_GitHubs_message()
    {
        world.GitHub.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/me/proj/pulls", Status = 422, Message = "Something unexpected happened" });
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Be("Couldn't create pull request on repository me/proj: Something unexpected happened");
        world.GitHub.Requests.Count(r => r.Method == "POST" && r.Path == "/repos/me/proj/pulls").Should().Be(1, "a permanent failure is not retried");
    }

    [Fact]
    public async Task With_a_bot_token_reads_use_the_owner_and_writes_use_the_bot()
    {
        await world.DisposeAsync();
        world = await SyncWorld.StartAsync(new Dictionary<string, string?> { ["GitHub:BotToken"] = "ghp_bot_token" }, output: output);
        world.GitHub.CreateUser("backstroke-bot", "ghp_bot_token");
        world.GitHub.AddCollaborator("me", "proj", "backstroke-bot");
        var link = await world.AddLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        world.GitHub.Requests.Where(r => r.Method == "POST").Should().OnlyContain(r => r.Token == "ghp_bot_token");
        world.GitHub.Requests.Where(r => r.Method == "GET").Should().OnlyContain(r => r.Token == SyncWorld.OwnerToken);
        world.OpenPullRequests().Should().ContainSingle();
    }
}
