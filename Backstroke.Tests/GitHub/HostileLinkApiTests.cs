using System.Net;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// The links API refuses every hostile owner, repository and branch name with a 400 whose sentence names the field,
/// asks GitHub nothing about it, and leaves the stored link exactly as it was.
/// </summary>
public sealed class HostileLinkApiTests(AppWithGitHub env) : IClassFixture<AppWithGitHub>
{
    private const string Attack = "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/victim/project/git/refs/heads/main";

    /// <summary>Refused as an owner or a repository name (the ones marked also as a branch name).</summary>
    public static TheoryData<string, bool> Names() => new()
    {
        { "..", true },
        { ".", true },
        { "%2e%2e", true },
        { "%2F", true },
        { "a%2Fb", true },
        { "?", true },
        { "a?b", true },
        { "a#b", false },
        { "%00", true },
        { "a\0b", true },
        { "a b", true },
        { "ünï", false },
        { new string('a', 256), true },
        { string.Concat(Enumerable.Repeat("é", 128)), true },
        { Attack, true },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_name_in_any_field_is_a_400_naming_the_field_and_nothing_stored_changes(string hostile, bool refusedAsBranch)
    {
        var login = AppWithGitHub.NewLogin("host");
        using var client = await env.SignInAsync(login);
        var (upstream, fork) = env.CreateForkPair(login, AppWithGitHub.NewLogin("up"));
        var id = await client.CreateLinkAsync();
        using (var saved = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody("Fresh", upstream, fork)))
        {
            saved.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var before = await StoredAsync(id);
        var fields = new List<(string Side, string Field)> { ("upstream", "owner"), ("upstream", "repo"), ("fork", "owner"), ("fork", "repo") };
        if (refusedAsBranch)
        {
            fields.AddRange([("upstream", "branch"), ("fork", "branch")]);
        }

        foreach (var (side, field) in fields)
        {
            env.GitHub.ClearRequests();
            using var response = await client.PostJsonAsync($"/v1/links/{id}", Body(upstream, fork, side, field, hostile));

            var because = $"the {side} {field} '{hostile}'";
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, because);
            (await response.ErrorOf()).Should().StartWith($"The {side} {(field == "repo" ? "repository" : field)} '", because)
                .And.Contain("is not a valid");
            (await StoredAsync(id)).Should().Be(before, because);
            // The poller may check the saved upstream meanwhile; nothing else may reach GitHub.
            env.GitHub.Requests.Should().NotContain(r => !r.RawTarget.StartsWith($"/repos/{upstream}/commits/", StringComparison.Ordinal), because);
        }
    }

    [Theory]
    [InlineData("%2e%2e", "x")]
    [InlineData("a", "%2e%2e")]
    [InlineData("a", "..%2F..%2Fvictim")]
    [InlineData("a%3Fb", "x")]
    [InlineData("a", "b%23c")]
    public async Task The_repository_check_of_a_hostile_name_is_not_valid_and_asks_GitHub_nothing(string owner, string repo)
    {
        using var client = await env.SignInAsync(AppWithGitHub.NewLogin("chk"));
        env.GitHub.ClearRequests();

        using var response = await client.GetAsync(new Uri($"/v1/repos/github/{owner}/{repo}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        // A "%2e%2e" segment is resolved away by the URL itself before any route sees it: then no route answers.
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            (await response.ReadJsonAsync()).GetProperty("valid").GetBoolean().Should().BeFalse();
        }

        env.GitHub.Requests.Should().NotContain(r => r.RawTarget.StartsWith("/repos/", StringComparison.Ordinal) && !r.RawTarget.Contains("/commits/", StringComparison.Ordinal));
    }

    private static object Body(string upstream, string fork, string side, string field, string hostile)
    {
        Dictionary<string, object> Part(string repo, string which) => new()
        {
            ["type"] = "repo",
            ["owner"] = side == which && field == "owner" ? hostile : repo.Split('/')[0],
            ["repo"] = side == which && field == "repo" ? hostile : repo.Split('/')[1],
            ["branch"] = side == which && field == "branch" ? hostile : "main",
        };

        return new { name = "Fresh", upstream = Part(upstream, "upstream"), fork = Part(fork, "fork") };
    }

    private Task<string> StoredAsync(string id) => env.App.WithDbAsync(async db =>
    {
        var l = await db.Links.AsNoTracking().SingleAsync(x => x.Id == id);
        return $"{l.Name}|{l.Enabled}|{l.UpstreamOwner}/{l.UpstreamRepo}@{l.UpstreamBranch}|{l.ForkType}|{l.ForkOwner}/{l.ForkRepo}@{l.ForkBranch}|{l.SyncMode}|{l.UpdatedAt:O}";
    });
}
