using System.Text.Json;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class PullRequestTests
{
    [Fact]
    public async Task A_pull_request_from_the_upstream_is_opened_on_the_fork_and_records_what_was_sent()
    {
        await using var server = await Sim.StartWithForkAsync();
        var upstream = server.Commit("maintainer", "project", "main", "Upstream moves");
        var github = Sim.Octokit(server, "forker-token");

        var pr = await github.PullRequest.Create("forker", "project",
            new NewPullRequest("Update from upstream repo maintainer/project@main", "maintainer:main", "main") { Body = "Hello", MaintainerCanModify = false });

        pr.Number.Should().Be(1);
        pr.Head.Sha.Should().Be(upstream);
        pr.Head.Label.Should().Be("maintainer:main");
        pr.HtmlUrl.Should().StartWith(server.BaseUrl.ToString());
        var sent = JsonDocument.Parse(server.Requests.Single(r => r.Method == "POST").Body!).RootElement;
        sent.GetProperty("maintainer_can_modify").GetBoolean().Should().BeFalse();
        server.PullRequests("forker", "project").Single().Should().Match<Backstroke.FakeGitHub.Model.PullRequestInfo>(p => p.Title == "Update from upstream repo maintainer/project@main" && !p.MaintainerCanModify);
    }

    [Fact]
    public async Task A_second_pull_request_for_the_same_head_and_base_is_refused()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "Upstream moves");
        var github = Sim.Octokit(server, "forker-token");
        await github.PullRequest.Create("forker", "project", new NewPullRequest("Update", "maintainer:main", "main"));

        var again = () => github.PullRequest.Create("forker", "project", new NewPullRequest("Update", "maintainer:main", "main"));

        var error = (await again.Should().ThrowAsync<ApiValidationException>()).Which;
        error.ApiError.Errors.Single().Message.Should().Be("A pull request already exists for maintainer:main.");
        server.PullRequests("forker", "project").Should().HaveCount(1);
    }

    [Fact]
    public async Task A_pull_request_without_new_commits_is_refused()
    {
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "forker-token");

        var act = () => github.PullRequest.Create("forker", "project", new NewPullRequest("Update", "maintainer:main", "main"));

        var error = (await act.Should().ThrowAsync<ApiValidationException>()).Which;
        error.ApiError.Errors.Single().Message.Should().Be("No commits between main and maintainer:main");
    }

    [Fact]
    public async Task Pull_requests_are_listed_by_head_and_shown_as_issues()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "Upstream moves");
        var github = Sim.Octokit(server, "forker-token");
        var pr = await github.PullRequest.Create("forker", "project", new NewPullRequest("Update", "maintainer:main", "main"));

        var byHead = await github.PullRequest.GetAllForRepository("forker", "project", new PullRequestRequest { Head = "maintainer:main" });
        var otherHead = await github.PullRequest.GetAllForRepository("forker", "project", new PullRequestRequest { Head = "forker:main" });
        var issues = await github.Issue.GetAllForRepository("forker", "project");
        var fetched = await github.PullRequest.Get("forker", "project", pr.Number);

        byHead.Select(p => p.Number).Should().Equal(pr.Number);
        otherHead.Should().BeEmpty();
        issues.Single().PullRequest.Should().NotBeNull();
        fetched.Mergeable.Should().BeTrue();
    }

    [Fact]
    public async Task An_opted_out_fork_is_found_by_its_labelled_issue()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.SetIssuesEnabled("forker", "project", true);
        server.CreateIssue("forker", "project", "Please leave us alone", "optout");
        server.CreateIssue("forker", "project", "Unrelated");
        var github = Sim.Octokit(server, "forker-token");

        var optedOut = await github.Issue.GetAllForRepository("forker", "project", new RepositoryIssueRequest { Labels = { "optout" } });
        var added = await github.Issue.Labels.AddToIssue("forker", "project", 2, ["bug"]);

        optedOut.Select(i => i.Title).Should().Equal("Please leave us alone");
        added.Select(l => l.Name).Should().Equal("bug");
    }
}
