using Backstroke.Data;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// The branch-name attack, replayed against the simulator with a bot token that may push to the victim's
/// repository. The links API refuses such names now, so the hostile link is written straight into the database, as
/// a link stored before the rules (or edited behind the API's back) would be: the gateway alone must hold.
/// </summary>
public sealed class AttackReplayTests
{
    private const string BotToken = "gho_bot_token_for_attack_tests";
    private const string AttackerToken = "gho_mallory_token";
    private const string Attack = "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/victim/project/git/refs/heads/main";

    public static TheoryData<string, string, string, bool> HostileLinks() => new()
    {
        // The reported attack: fast-forward "mallory/project@payload" into a fork branch whose name climbs out.
        { "payload", "mallory", Attack, true },
        { "payload", "mallory", Attack, false },
        { "payload", "mallory", "../../../../../victim/project/git/refs/heads/main", true },
        { "payload", "mallory", "x/%2F..%2F..%2Fvictim", true },
        { Attack, "mallory", "main", true },
        { "payload", "%2e%2e", "main", true },
    };

    [Theory]
    [MemberData(nameof(HostileLinks))]
    public async Task A_hostile_link_in_the_database_moves_no_branch_of_the_victim_and_writes_nowhere(
        string upstreamBranch, string forkOwner, string forkBranch, bool fastForward)
    {
        await using var world = await StartAsync();
        var victimMain = world.GitHub.BranchSha("victim", "project", "main");
        var link = await world.AddLinkAsync(TestLinks.Repo("mallory", "project", upstreamBranch, forkOwner, "project", forkBranch, fastForward ? SyncMode.FastForward : SyncMode.PullRequest), AttackerToken);

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("error");
        operation.Str("error").Should().Contain("is not a valid");
        world.GitHub.BranchSha("victim", "project", "main").Should().Be(victimMain, "the victim's main must not move");
        world.GitHub.PullRequests("victim", "project").Should().BeEmpty();
        world.GitHub.Requests.Should().NotContain(r => r.Method != "GET", "nothing was written anywhere");
        world.GitHub.Requests.Should().NotContain(r => !r.RawTarget.StartsWith("/repos/mallory/project", StringComparison.Ordinal)
            || r.Path.Contains("victim", StringComparison.Ordinal), "only the repository the link names was asked about");
    }

    [Fact]
    public async Task The_bot_does_move_the_victim_s_main_when_a_link_names_it_so_only_the_names_stand_in_the_way()
    {
        await using var world = await StartAsync();
        var payload = world.GitHub.BranchSha("mallory", "project", "payload");
        var link = await world.AddLinkAsync(TestLinks.Repo("mallory", "project", "payload", "victim", "project", "main", SyncMode.FastForward), AttackerToken);

        var operation = await world.SyncAsync(link);

        operation.Str("output", "mergeType").Should().Be("fast-forward");
        world.GitHub.BranchSha("victim", "project", "main").Should().Be(payload);
        world.GitHub.Requests.Where(r => r.Method != "GET").Should().ContainSingle()
            .Which.RawTarget.Should().Be("/repos/victim/project/git/refs/heads/main");
    }

    private static async Task<SyncWorld> StartAsync()
    {
        var world = await SyncWorld.StartAsync(new Dictionary<string, string?> { ["GitHub:BotToken"] = BotToken });
        var gitHub = world.GitHub;
        gitHub.CreateUser("backstroke-bot", BotToken);
        gitHub.CreateUser("victim");
        gitHub.CreateUser("mallory", AttackerToken);
        gitHub.CreateRepo("victim", "project");
        gitHub.CreateRepo("mallory", "project", forkOf: "victim/project");
        gitHub.Commit("mallory", "project", "payload", "The attacker's commit");
        // The name the attack used exists as a branch of the attacker's fork, as it did on GitHub.
        gitHub.Commit("mallory", "project", Attack, "Anything");
        gitHub.AddCollaborator("victim", "project", "backstroke-bot", "write");
        gitHub.AddCollaborator("mallory", "project", "backstroke-bot", "write");
        gitHub.ClearRequests();
        return world;
    }
}
