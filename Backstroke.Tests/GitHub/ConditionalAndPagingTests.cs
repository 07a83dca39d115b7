using Backstroke.GitHub;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// GitHub's ETags are weak (<c>W/"…"</c>) and depend on the token and the <c>Accept</c>; its <c>Link</c> headers name
/// pages by <c>/repositories/{id}/…</c>. The simulator answers both ways; the calls Backstroke makes still get their
/// free 304s and still follow every page.
/// </summary>
public sealed class ConditionalAndPagingTests
{
    [Fact]
    public async Task The_forks_list_follows_every_page_through_repository_id_links()
    {
        await using var world = await GatewayWorld.StartAsync();
        for (var i = 0; i < 230; i++)
        {
            world.Server.CreateUser($"forker{i}");
            world.Server.CreateRepo($"forker{i}", "proj", forkOf: "up/proj");
        }

        var forks = await world.Session.ListForksAsync("up", "proj", default);

        forks.Should().HaveCount(231, "me/proj and the 230 others, over three pages");
        forks.Select(f => f.Owner).Should().OnlyHaveUniqueItems().And.Contain(["me", "forker0", "forker229"]);
        var pages = world.Server.Requests.Select(r => r.Path).ToList();
        pages.Should().HaveCount(3);
        pages[0].Should().Be("/repos/up/proj/forks");
        pages.Skip(1).Should().OnlyContain(p => p.StartsWith("/repositories/") && p.EndsWith("/forks"), "GitHub's next links use the repository's id");
    }

    [Fact]
    public async Task The_branches_list_follows_its_pages()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.Commit("me", "proj", "main", "first");
        for (var i = 0; i < 120; i++)
        {
            world.Server.Commit("me", "proj", $"topic-{i}", "work");
        }

        var details = await world.Session.GetRepoDetailsAsync("me", "proj", default);

        details!.Branches.Should().HaveCount(121).And.Contain(["main", "topic-0", "topic-119"]);
        world.Server.Requests.Where(r => r.Path.EndsWith("/branches")).Should().HaveCount(2)
            .And.Contain(r => r.Path.StartsWith("/repositories/"));
    }

    [Fact]
    public async Task Issues_by_label_repeated_are_a_free_304_and_each_token_keeps_its_own_weak_ETag()
    {
        await using var world = await GatewayWorld.StartAsync();
        const string upToken = "gho_up_token";
        world.Server.State.AddToken("up", upToken, ["repo"]);
        world.Server.CreateLabel("up", "proj", "backstroke-ignore");
        var number = world.Server.CreateIssue("up", "proj", "Do not sync", "backstroke-ignore");
        var other = world.Clients.For(upToken);

        var first = await world.Session.IssuesLabelledAsync("up", "proj", "backstroke-ignore", default);
        var again = await world.Session.IssuesLabelledAsync("up", "proj", "backstroke-ignore", default);
        var otherFirst = await other.IssuesLabelledAsync("up", "proj", "backstroke-ignore", default);
        var otherAgain = await other.IssuesLabelledAsync("up", "proj", "backstroke-ignore", default);

        first.Should().Equal(number);
        again.Should().Equal(number);
        otherFirst.Should().Equal(number);
        otherAgain.Should().Equal(number);
        world.Server.Requests.Select(r => r.Status).Should().Equal([200, 304, 200, 304],
            "another token's ETag differs, so its first request is a full answer and its repeat a 304");
        world.Server.Requests.Count(r => r.Counted).Should().Be(2, "304s cost no rate limit");
    }

    [Fact]
    public async Task The_bare_sha_probe_gets_a_304_with_the_weak_ETag_of_its_own_Accept()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.Commit("up", "proj", "main", "first");
        await world.Session.GetBranchShaAsync("up", "proj", "main", default);

        var head = await world.Session.GetBranchHeadAsync("up", "proj", "main", null, default);
        var unchanged = await world.Session.GetBranchHeadAsync("up", "proj", "main", head.ETag, default);

        head.ETag.Should().StartWith("W/\"");
        unchanged.Sha.Should().BeNull("a 304 carries no body");
        unchanged.ETag.Should().Be(head.ETag);
        world.Server.Requests.Select(r => r.Status).Should().Equal(200, 200, 304);
        world.Server.Requests.Last().Counted.Should().BeFalse();
    }
}
