using Backstroke.GitHub;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// Every GitHub call Backstroke makes, fed hostile owner, repository, branch and login names. Read from the
/// simulator's log of raw request targets: either the path on the wire is exactly the intended one, each name
/// escaped as one segment (a branch keeps only its own slashes), or the gateway refused the name before sending
/// anything. Nothing a name contains can reach another path.
/// </summary>
public sealed class HostileNameTests
{
    private const string Attack = "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/victim/project/git/refs/heads/main";

    /// <summary>A hostile value and how it goes on the wire where it is allowed (null: refused there).</summary>
    private sealed record Hostile(string Value, string? AsOwner, string? AsRepo, string? AsBranch);

    private static readonly Hostile[] Values =
    [
        new("..", null, null, null),
        new(".", null, null, null),
        new("%2e%2e", null, null, null),
        new("a%2Fb", null, null, null),
        new("a/b", null, null, "a/b"),
        new("a?b", null, null, null),
        new("a#b", null, null, "a%23b"),
        new("a%00b", null, null, null),
        new("a\0b", null, null, null),
        new("a b", null, null, null),
        new("a\\b", null, null, null),
        new("ünï/çødé", null, null, "%C3%BCn%C3%AF/%C3%A7%C3%B8d%C3%A9"),
        new(string.Concat(Enumerable.Repeat("é", 127)) + "a", null, null, string.Concat(Enumerable.Repeat("%C3%A9", 127)) + "a"),
        new(string.Concat(Enumerable.Repeat("é", 128)), null, null, null),
        new(new string('a', 255), null, null, new string('a', 255)),
        new(new string('a', 256), null, null, null),
        new(Attack, null, null, null),
        new("feature/x.y", null, null, "feature/x.y"),
        new(".github", null, ".github", null),
        new("a..b", null, "a..b", null),
        new("my-org_1", "my-org_1", "my-org_1", "my-org_1"),
        new("100%", null, null, "100%25"),
    ];

    private enum Slot
    {
        Owner,
        Repo,
        Branch,
        HeadOwner,
        HeadBranch,
        Login,
    }

    /// <summary>The names of one call, with the escaped form the test expects on the wire for each.</summary>
    private sealed record Names(string Owner, string Repo, string Branch, string HeadOwner, string HeadBranch, string Login)
    {
        public string O { get; init; } = "me";

        public string R { get; init; } = "proj";

        public string B { get; init; } = "main";

        public string HO { get; init; } = "up";

        public string HB { get; init; } = "main";

        public string L { get; init; } = "me";
    }

    private sealed record Call(string Name, Slot[] Slots, Func<GitHubSession, Names, Task> Run, Func<Names, string> Expected, string Method = "GET");

    private static readonly Call[] Calls =
    [
        new("issues labelled", [Slot.Owner, Slot.Repo],
            (s, n) => s.IssuesLabelledAsync(n.Owner, n.Repo, "optout", default), n => $"/repos/{n.O}/{n.R}/issues?state=all&labels=optout&per_page=1"),
        new("create pull request", [Slot.Owner, Slot.Repo, Slot.Branch, Slot.HeadOwner, Slot.HeadBranch],
            (s, n) => s.CreatePullRequestAsync(n.Owner, n.Repo, "t", n.HeadOwner, "proj", n.HeadBranch, n.Branch, "b", default), n => $"/repos/{n.O}/{n.R}/pulls", "POST"),
        new("find open pull request", [Slot.Owner, Slot.Repo, Slot.Branch, Slot.HeadOwner, Slot.HeadBranch],
            (s, n) => s.FindOpenPullRequestAsync(n.Owner, n.Repo, n.HeadOwner, n.HeadBranch, n.Branch, default),
            n => $"/repos/{n.O}/{n.R}/pulls?state=open&head={n.HO}%3A{Query(n.HeadBranch)}&base={Query(n.Branch)}&per_page=1&page=1"),
        new("get repository", [Slot.Owner, Slot.Repo], (s, n) => s.GetRepositoryAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}"),
        new("branch exists", [Slot.Owner, Slot.Repo, Slot.Branch],
            (s, n) => s.BranchExistsAsync(n.Owner, n.Repo, n.Branch, default), n => $"/repos/{n.O}/{n.R}/branches/{n.B}"),
        new("branch sha", [Slot.Owner, Slot.Repo, Slot.Branch],
            (s, n) => s.GetBranchShaAsync(n.Owner, n.Repo, n.Branch, default), n => $"/repos/{n.O}/{n.R}/branches/{n.B}"),
        new("has label", [Slot.Owner, Slot.Repo], (s, n) => s.HasLabelAsync(n.Owner, n.Repo, "backstroke-sync", null, default), n => $"/repos/{n.O}/{n.R}/labels?per_page=100"),
        new("any issue labelled", [Slot.Owner, Slot.Repo],
            (s, n) => s.AnyIssueLabelledAsync(n.Owner, n.Repo, "optout", null, default), n => $"/repos/{n.O}/{n.R}/issues?state=all&labels=optout&per_page=1"),
        new("list forks", [Slot.Owner, Slot.Repo], (s, n) => s.ListForksAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}/forks?sort=oldest&per_page=100"),
        new("forks page", [Slot.Owner, Slot.Repo],
            (s, n) => s.ListForksPageAsync(n.Owner, n.Repo, 1, null, default), n => $"/repos/{n.O}/{n.R}/forks?sort=oldest&per_page=100&page=1"),
        new("compare", [Slot.Owner, Slot.Repo, Slot.Branch, Slot.HeadOwner, Slot.HeadBranch],
            (s, n) => s.CompareAsync(n.Owner, n.Repo, n.Branch, n.HeadOwner, "proj", n.HeadBranch, default), n => $"/repos/{n.O}/{n.R}/compare/{n.B}...{n.HO}:{n.HB}"),
        new("update branch", [Slot.Owner, Slot.Repo, Slot.Branch],
            (s, n) => s.UpdateBranchAsync(n.Owner, n.Repo, n.Branch, new string('0', 40), default), n => $"/repos/{n.O}/{n.R}/git/refs/heads/{n.B}", "PATCH"),
        new("push access", [Slot.Owner, Slot.Repo], (s, n) => s.GetPushAccessAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}"),
        new("repository details", [Slot.Owner, Slot.Repo], (s, n) => s.GetRepoDetailsAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}"),
        new("list hooks", [Slot.Owner, Slot.Repo], (s, n) => s.ListHooksAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}/hooks"),
        new("create hook", [Slot.Owner, Slot.Repo],
            (s, n) => s.CreateHookAsync(n.Owner, n.Repo, new NewHook("http://backstroke.test/webhooks/github", ["push"], "s3cret"), default), n => $"/repos/{n.O}/{n.R}/hooks", "POST"),
        new("branch head", [Slot.Owner, Slot.Repo, Slot.Branch],
            (s, n) => s.GetBranchHeadAsync(n.Owner, n.Repo, n.Branch, null, default), n => $"/repos/{n.O}/{n.R}/commits/{n.B}"),
        new("parent", [Slot.Owner, Slot.Repo], (s, n) => s.GetParentAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}"),
        new("first forks", [Slot.Owner, Slot.Repo], (s, n) => s.FirstForksAsync(n.Owner, n.Repo, default), n => $"/repos/{n.O}/{n.R}/forks?per_page=100"),
    ];

    public static TheoryData<string> CallNames() => [.. Calls.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task Each_hostile_name_goes_on_the_wire_exactly_escaped_or_is_refused_before_any_request(string callName)
    {
        var call = Calls.Single(c => c.Name == callName);
        await using var world = await GatewayWorld.StartAsync();
        var checkedCases = 0;
        foreach (var slot in call.Slots)
        {
            foreach (var hostile in Values)
            {
                var (names, wire) = Place(slot, hostile);
                world.Server.ClearRequests();
                var failure = await Record.ExceptionAsync(() => call.Run(world.Session, names));
                var because = $"{call.Name} with {slot} = '{hostile.Value}'";
                if (wire is null)
                {
                    failure.Should().BeOfType<GitHubException>(because)
                        .Which.Should().Match<GitHubException>(e => e.Kind == GitHubFailure.Validation && e.Status == null, because);
                    world.RawTargets().Should().BeEmpty(because + " must be refused before any request");
                }
                else
                {
                    // GitHub may well answer 404 or 422 for such names: what matters here is where the request went.
                    (failure is null or GitHubException { Status: not null }).Should().BeTrue($"{because} failed with {failure}");
                    var requests = world.Server.Requests;
                    requests.Should().NotBeEmpty(because);
                    requests[0].Method.Should().Be(call.Method, because);
                    requests[0].RawTarget.Should().Be(call.Expected(names), because);
                    requests.Should().OnlyContain(r => r.RawTarget.StartsWith($"/repos/{names.O}/{names.R}", StringComparison.Ordinal), because);
                }

                checkedCases++;
            }
        }

        checkedCases.Should().Be(call.Slots.Length * Values.Length);
    }

    [Fact]
    public async Task The_user_lookup_has_no_name_to_steer_and_asks_for_the_token_s_own_user()
    {
        await using var world = await GatewayWorld.StartAsync();

        var user = await world.Session.GetUserAsync(default);

        user.Login.Should().Be("me");
        world.RawTargets().Should().Equal("/user");
    }

    [Fact]
    public async Task A_pull_request_names_its_head_and_base_in_the_body_as_given_and_nothing_else()
    {
        await using var world = await GatewayWorld.StartAsync();
        world.Server.Commit("up", "proj", "feature/ünï#1", "Upstream work");

        var pr = await world.Session.CreatePullRequestAsync("me", "proj", "Title", "up", "proj", "feature/ünï#1", "main", "Body", default);

        pr.Number.Should().BePositive();
        var request = world.Server.Requests.Single();
        request.RawTarget.Should().Be("/repos/me/proj/pulls");
        using var body = System.Text.Json.JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("head").GetString().Should().Be("up:feature/ünï#1");
        body.RootElement.GetProperty("base").GetString().Should().Be("main");
    }

    [Fact]
    public async Task A_branch_with_slashes_and_unicode_is_found_where_it_is()
    {
        await using var world = await GatewayWorld.StartAsync();
        var sha = world.Server.Commit("me", "proj", "feature/ünï#1", "Work");

        (await world.Session.GetBranchShaAsync("me", "proj", "feature/ünï#1", default)).Should().Be(sha);
        (await world.Session.GetBranchHeadAsync("me", "proj", "feature/ünï#1", null, default)).Sha.Should().Be(sha);

        world.RawTargets().Should().Equal("/repos/me/proj/branches/feature/%C3%BCn%C3%AF%231", "/repos/me/proj/commits/feature/%C3%BCn%C3%AF%231");
    }

    private static (Names Names, string? Wire) Place(Slot slot, Hostile hostile)
    {
        var names = new Names("me", "proj", "main", "up", "main", "me");
        return slot switch
        {
            Slot.Owner => (names with { Owner = hostile.Value, O = hostile.AsOwner ?? "" }, hostile.AsOwner),
            Slot.Repo => (names with { Repo = hostile.Value, R = hostile.AsRepo ?? "" }, hostile.AsRepo),
            Slot.Branch => (names with { Branch = hostile.Value, B = hostile.AsBranch ?? "" }, hostile.AsBranch),
            Slot.HeadOwner => (names with { HeadOwner = hostile.Value, HO = hostile.AsOwner ?? "" }, hostile.AsOwner),
            Slot.HeadBranch => (names with { HeadBranch = hostile.Value, HB = hostile.AsBranch ?? "" }, hostile.AsBranch),
            _ => (names with { Login = hostile.Value, L = hostile.AsOwner ?? "" }, hostile.AsOwner),
        };
    }

    /// <summary>A branch as a query value: the whole name escaped, its slashes too (a query has no segments).</summary>
    private static string Query(string branch) => Uri.EscapeDataString(branch);
}
