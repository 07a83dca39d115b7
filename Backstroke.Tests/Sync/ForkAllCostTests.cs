using Backstroke.FakeGitHub;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>
/// What a fork-all run asks GitHub, and what a repeated run costs: the forks list oldest first, page by page; a run
/// over unchanged forks is answered with free 304s; a fork GitHub will not let Backstroke read is that fork's error.
/// </summary>
public sealed class ForkAllCostTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync()
    {
        world = await SyncWorld.StartAsync(output: output);
        world.GitHub.CreateLabel("me", "proj", LinkSync.OptInLabel);
        for (var i = 0; i < 4; i++)
        {
            world.GitHub.CreateUser($"f{i}");
            world.GitHub.CreateRepo($"f{i}", "proj", forkOf: "up/proj");
            world.GitHub.CreateLabel($"f{i}", "proj", LinkSync.OptInLabel);
        }

        world.GitHub.Commit("up", "proj", "main", "Work after everyone forked");
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task The_forks_are_listed_oldest_first_and_a_second_run_over_unchanged_forks_costs_almost_nothing()
    {
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));
        world.GitHub.ClearRequests();

        var first = await world.SyncAsync(link);

        first.Str("status").Should().Be("ok");
        first.Str("output", "metrics", "successes").Should().Be("5");
        first.At("output", "forks").EnumerateArray().Select(f => f.Str("fork")).Should()
            .Equal(["me/proj", "f0/proj", "f1/proj", "f2/proj", "f3/proj"], "the output follows the list, oldest fork first");
        var listings = world.GitHub.Requests.Where(r => r.Path == "/repos/up/proj/forks").ToList();
        listings.Should().NotBeEmpty().And.OnlyContain(r => r.Query.Contains("sort=oldest", StringComparison.Ordinal));
        foreach (var owner in new[] { "me", "f0", "f1", "f2", "f3" })
        {
            world.OpenPullRequests(owner, "proj").Should().ContainSingle();
        }

        world.GitHub.ClearRequests();
        var second = await world.SyncAsync(link);

        second.Str("status").Should().Be("ok");
        second.Str("output", "metrics", "successes").Should().Be("5");
        second.At("output", "forks").EnumerateArray().Should().OnlyContain(f => f.Str("message") == SyncMessages.NothingNew);
        var requests = world.GitHub.Requests;
        requests.Should().NotContain(r => r.Method != "GET", "nothing changed, so nothing is written");
        requests.Count(r => r.Counted).Should().BeLessThanOrEqualTo(2, "the head, the list and every label check are conditional: "
            + string.Join(", ", requests.Where(r => r.Counted).Select(r => $"{r.Method} {r.Path}{r.Query} {r.Status}")));
        foreach (var owner in new[] { "me", "f0", "f1", "f2", "f3" })
        {
            world.OpenPullRequests(owner, "proj").Should().ContainSingle("no second pull request");
        }
    }

    [Fact]
    public async Task A_new_upstream_commit_opens_pull_requests_again_without_rereading_the_unchanged_labels()
    {
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));
        (await world.SyncAsync(link)).Str("status").Should().Be("ok");
        foreach (var owner in new[] { "me", "f0", "f1", "f2", "f3" })
        {
            world.GitHub.PullRequests(owner, "proj").Should().ContainSingle();
        }

        world.GitHub.Commit("up", "proj", "main", "More work");
        world.GitHub.ClearRequests();
        var again = await world.SyncAsync(link);

        again.Str("status").Should().Be("ok");
        again.At("output", "forks").EnumerateArray().Should().OnlyContain(f => f.Str("message") == SyncMessages.PullRequestAlreadyOpen);
        world.GitHub.Requests.Where(r => r.Path.EndsWith("/labels", StringComparison.Ordinal)).Should().OnlyContain(r => r.Status == 304);
        world.GitHub.Requests.Where(r => r.Path.EndsWith("/issues", StringComparison.Ordinal)).Should().OnlyContain(r => r.Status == 304);
    }

    [Fact]
    public async Task Forks_that_cannot_be_read_are_their_own_errors_while_the_others_are_synced()
    {
        world.GitHub.BlockRepo("f0", "proj", 451);
        world.GitHub.AddFault(new FaultRule { PathPattern = "/repos/f1/proj/*", Status = 502 });
        world.GitHub.AddFault(new FaultRule { PathPattern = "/repos/f2/proj/labels", Status = 404 });
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok", operation.GetRawText());
        operation.Str("output", "metrics", "total").Should().Be("5");
        operation.Str("output", "metrics", "successes").Should().Be("2");
        var errors = operation.At("output", "errors").EnumerateArray().ToDictionary(e => e.Str("fork")!, e => e.Str("error")!);
        errors.Keys.Should().BeEquivalentTo(["f0/proj", "f1/proj", "f2/proj"]);
        errors["f0/proj"].Should().Contain("disabled");
        errors["f1/proj"].Should().Contain("502");
        errors["f2/proj"].Should().Be(SyncMessages.RepoMissing("f2/proj"));
        world.OpenPullRequests("me", "proj").Should().ContainSingle();
        world.OpenPullRequests("f3", "proj").Should().ContainSingle();
        world.GitHub.Requests.Where(r => r.Path.StartsWith("/repos/f1/proj/", StringComparison.Ordinal)).Should().HaveCount(3, "three tries, then the fork's error");
        world.GitHub.Requests.Should().NotContain(r => r.Path.StartsWith("/repos/f0/proj", StringComparison.Ordinal), "GitHub lists it as disabled");
    }

    [Fact]
    public async Task A_secondary_limit_answer_holds_the_run_for_its_retry_after_and_the_fork_is_tried_again()
    {
        world.GitHub.AddFault(new FaultRule { Method = "POST", PathPattern = "/repos/f1/proj/pulls", Status = 429, RetryAfterSeconds = 1, Count = 1 });
        var link = await world.AddLinkAsync(TestLinks.ForkAll("up", "proj", "main"));
        world.GitHub.ClearRequests();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok", operation.GetRawText());
        operation.Str("output", "metrics", "successes").Should().Be("5");
        world.OpenPullRequests("f1", "proj").Should().ContainSingle();
        var posts = world.GitHub.Requests.Where(r => r.Method == "POST" && r.Path == "/repos/f1/proj/pulls").ToList();
        posts.Select(r => r.Status).Should().Equal(429, 201);
        (posts[1].At - posts[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "GitHub said to wait a second");
    }
}
