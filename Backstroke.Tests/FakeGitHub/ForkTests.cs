using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class ForkTests
{
    [Fact]
    public async Task Forks_are_paginated_with_absolute_links_that_Octokit_follows()
    {
        await using var server = await Sim.StartWithForkAsync();
        for (var i = 0; i < 34; i++)
        {
            server.CreateRepo($"user{i}", "project", forkOf: "maintainer/project");
        }

        using var http = Sim.Http(server, "forker-token");
        using var first = await http.GetAsync("repos/maintainer/project/forks?per_page=10");
        var all = await Sim.Octokit(server, "forker-token").Repository.Forks.GetAll("maintainer", "project", new ApiOptions { PageSize = 10 });

        // GitHub links a repository's pages by its id, not its name (recorded session paginate-issues.json).
        var id = server.State.FindRepo("maintainer", "project")!.Id;
        first.Headers.GetValues("Link").Single().Should().Be(
            $"<{server.BaseUrl}repositories/{id}/forks?per_page=10&page=2>; rel=\"next\", <{server.BaseUrl}repositories/{id}/forks?per_page=10&page=4>; rel=\"last\"");
        all.Should().HaveCount(35);
        all.Select(r => r.Owner.Login).Should().OnlyHaveUniqueItems();
        server.Requests.Where(r => r.Path.EndsWith("/forks", StringComparison.Ordinal)).Select(r => r.Path).Should().Equal(
            "/repos/maintainer/project/forks", "/repos/maintainer/project/forks", $"/repositories/{id}/forks", $"/repositories/{id}/forks", $"/repositories/{id}/forks");
    }

    [Fact]
    public async Task Fork_labels_can_be_read_and_created()
    {
        await using var server = await Sim.StartWithForkAsync();
        var github = Sim.Octokit(server, "forker-token");

        var missing = () => github.Issue.Labels.Get("forker", "project", "backstroke-sync");
        await missing.Should().ThrowAsync<NotFoundException>();
        await github.Issue.Labels.Create("forker", "project", new NewLabel("backstroke-sync", "0e8a16"));
        var again = () => github.Issue.Labels.Create("forker", "project", new NewLabel("backstroke-sync", "0e8a16"));
        using var http = Sim.Http(server, "forker-token");
        using var badColor = await http.PostAsync("repos/forker/project/labels", new StringContent("""{"name":"foo","color":"invalid"}"""));

        (await github.Issue.Labels.Get("forker", "project", "backstroke-sync")).Color.Should().Be("0e8a16");
        (await again.Should().ThrowAsync<ApiValidationException>()).Which.ApiError.Errors.Single().Code.Should().Be("already_exists");
        badColor.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        (await badColor.Content.ReadAsStringAsync()).Should().Contain("\"resource\":\"Label\",\"code\":\"invalid\",\"field\":\"color\"");
    }

    [Fact]
    public async Task Forks_are_newest_first_by_default_and_oldest_first_when_asked()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("second", "project", forkOf: "maintainer/project");
        server.CreateRepo("third", "project", forkOf: "maintainer/project");
        using var http = Sim.Http(server, "forker-token");

        var newest = await OwnersAsync(http, "repos/maintainer/project/forks");
        var oldest = await OwnersAsync(http, "repos/maintainer/project/forks?sort=oldest");

        newest.Should().Equal("third", "second", "forker");
        oldest.Should().Equal("forker", "second", "third");
    }

    [Fact]
    public async Task The_time_scale_shortens_the_secondary_limit_windows()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "forker-token");

        using var scaled = await http.PutAsync("_fake/time-scale", new StringContent("""{"factor": 60}"""));
        using var refused = await http.PutAsync("_fake/time-scale", new StringContent("""{"factor": 0.5}"""));

        scaled.StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);
        refused.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        server.State.Secondary.Minute.Should().Be(TimeSpan.FromSeconds(1));
        server.State.Secondary.Hour.Should().Be(TimeSpan.FromMinutes(1));
        server.State.RateLimits.Window.Should().Be(TimeSpan.FromMinutes(1));
    }

    private static async Task<List<string>> OwnersAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(r => r.GetProperty("owner").GetProperty("login").GetString()!)];
    }
}
