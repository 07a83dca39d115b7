using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub;

/// <summary>
/// The "--seed demo" scenario: octocat signs in, upstream-org/project has moved on, and octocat's fork is
/// behind while hubot's is current, so syncing octocat's fork opens a pull request.
/// </summary>
internal static class DemoSeed
{
    public const string Login = "octocat";
    public const string Token = "demo-token";

    public static IReadOnlyList<string> Apply(FakeGitHubState state)
    {
        state.CreateUser(Login, Token, ["repo"]);
        state.CreateUser("hubot", "hubot-token", ["repo"]);
        state.SessionLogin = Login;
        var upstream = state.CreateRepo("upstream-org", "project");
        // Admin, so the demo can install a push webhook on the upstream.
        state.AddCollaborator(upstream, Login, "admin");
        state.Commit(upstream, "main", "Add the project's first feature");
        var behind = state.CreateRepo(Login, "project", forkOf: "upstream-org/project");
        state.CreateLabel(behind, "backstroke-sync", "0e8a16");
        var upstreamHead = state.Commit(upstream, "main", "Fix a bug upstream");
        state.CreateRepo("hubot", "project", forkOf: "upstream-org/project");
        return
        [
            $"user {Login} (token {Token}, scopes repo) is the signed-in session user; user hubot has token hubot-token",
            $"upstream upstream-org/project main is at {upstreamHead}",
            $"fork {Login}/project main is 1 commit behind (at {state.BranchSha(behind, "main")}), labelled backstroke-sync",
            "fork hubot/project main is up to date",
        ];
    }
}
