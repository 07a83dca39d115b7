using System.Net;
using Backstroke.FakeGitHub;

namespace Backstroke.Tests.FakeGitHub;

public sealed class ConditionalRequestTests
{
    [Theory]
    [InlineData("repos/maintainer/project")]
    [InlineData("repos/maintainer/project/branches/main")]
    [InlineData("repos/maintainer/project/commits/main")]
    [InlineData("repos/maintainer/project/commits")]
    [InlineData("repos/maintainer/project/issues")]
    [InlineData("repos/maintainer/project/pulls")]
    public async Task An_unchanged_resource_answers_304_without_counting(string path)
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "forker-token");
        using var first = await http.GetAsync(path);
        var etag = first.Headers.ETag!.ToString();

        using var probe = new HttpRequestMessage(HttpMethod.Get, path);
        probe.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var second = await http.SendAsync(probe);

        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await second.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        second.Headers.GetValues("x-ratelimit-remaining").Should().Equal("4999");
        server.Requests.Select(r => (r.Status, r.Counted)).Should().Equal((200, true), (304, false));
    }

    [Fact]
    public async Task A_sha_probe_of_a_branch_answers_304_until_the_branch_moves()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "forker-token");

        using var first = await Probe(http, "repos/maintainer/project/commits/main", null);
        var body = await first.Content.ReadAsStringAsync();
        body.Should().Be(server.BranchSha("maintainer", "project", "main"));
        using var unchanged = await Probe(http, "repos/maintainer/project/commits/main", first.Headers.ETag!.ToString());
        var moved = server.Commit("maintainer", "project", "main", "Upstream moves");
        using var changed = await Probe(http, "repos/maintainer/project/commits/main", first.Headers.ETag!.ToString());

        unchanged.StatusCode.Should().Be(HttpStatusCode.NotModified);
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await changed.Content.ReadAsStringAsync()).Should().Be(moved);
        server.Requests.Count(r => r.Counted).Should().Be(2);
    }

    [Fact]
    public async Task Octokit_reads_the_bare_sha_through_its_connection()
    {
        // Octokit 14's Commit.GetSha1 sends application/vnd.github.v3+json and so gets JSON back (and null):
        // the sha media type has to be asked for through the connection.
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "forker-token");

        var response = await github.Connection.Get<string>(new Uri("repos/maintainer/project/commits/main", UriKind.Relative), null, "application/vnd.github.sha");

        response.Body.Should().Be(server.BranchSha("maintainer", "project", "main"));
        response.HttpResponse.Headers.Should().ContainKey("ETag");
    }

    [Fact]
    public async Task ETags_are_weak_and_differ_by_token_and_accept()
    {
        // GitHub hashes Accept and Authorization with the body (bored-engineer/github-conditional-http-transport).
        await using var server = await Sim.StartWithForkAsync();
        using var forker = Sim.Http(server, "forker-token");
        using var maintainer = Sim.Http(server, "maintainer-token");

        var mine = (await forker.GetAsync("repos/maintainer/project/branches/main")).Headers.ETag!;
        var theirs = (await maintainer.GetAsync("repos/maintainer/project/branches/main")).Headers.ETag!;
        using var otherAccept = new HttpRequestMessage(HttpMethod.Get, "repos/maintainer/project/branches/main");
        otherAccept.Headers.TryAddWithoutValidation("Accept", "application/vnd.github+json");
        var acceptTag = (await forker.SendAsync(otherAccept)).Headers.ETag!;
        using var withTheirs = new HttpRequestMessage(HttpMethod.Get, "repos/maintainer/project/branches/main");
        withTheirs.Headers.TryAddWithoutValidation("If-None-Match", theirs.ToString());
        using var withMine = new HttpRequestMessage(HttpMethod.Get, "repos/maintainer/project/branches/main");
        withMine.Headers.TryAddWithoutValidation("If-None-Match", mine.ToString());

        mine.IsWeak.Should().BeTrue();
        mine.ToString().Should().StartWith("W/\"");
        theirs.Should().NotBe(mine);
        acceptTag.Should().NotBe(mine);
        (await forker.SendAsync(withTheirs)).StatusCode.Should().Be(HttpStatusCode.OK, "another token's tag does not match");
        (await forker.SendAsync(withMine)).StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Pages_link_by_repository_id_and_those_paths_are_served()
    {
        await using var server = await Sim.StartWithForkAsync();
        for (var i = 0; i < 5; i++)
        {
            server.CreateIssue("maintainer", "project", $"Issue {i}");
        }

        using var http = Sim.Http(server, "forker-token");
        var id = server.State.FindRepo("maintainer", "project")!.Id;

        using var first = await http.GetAsync("repos/maintainer/project/issues?per_page=2");
        var link = first.Headers.GetValues("Link").Single();
        var next = link.Split(',')[0].Trim().TrimStart('<').Split('>')[0];
        using var second = await http.GetAsync(new Uri(next));
        var all = await Sim.Octokit(server, "forker-token").Issue.GetAllForRepository("maintainer", "project", new Octokit.ApiOptions { PageSize = 2 });

        next.Should().Be($"{server.BaseUrl}repositories/{id}/issues?per_page=2&page=2");
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Sim.JsonAsync(second)).GetArrayLength().Should().Be(2);
        second.Headers.GetValues("Link").Single().Should().Contain($"repositories/{id}/issues?per_page=2&page=1>; rel=\"prev\"");
        all.Should().HaveCount(5);
    }

    private static Task<HttpResponseMessage> Probe(HttpClient http, string path, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.github.sha");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        return http.SendAsync(request);
    }
}
