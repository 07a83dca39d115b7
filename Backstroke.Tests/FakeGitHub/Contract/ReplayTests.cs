using System.Net;
using System.Text.Json;
using Backstroke.FakeGitHub;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Tests.Support;
using Microsoft.Extensions.Options;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>
/// Backstroke's GitHub gateway makes the same calls against a replay of a real GitHub session and against the
/// simulator, and both behave alike: redirects followed, pages followed, references updated and validation errors
/// raised with GitHub's words.
/// </summary>
public sealed class ReplayTests
{
    private const string Org = "octokit-fixture-org";
    private const string Token = "0000000000000000000000000000000000000001";

    [ContractFact]
    public async Task Renamed_repository_redirects_are_followed_alike()
    {
        static async Task<object> Run(GitHubClients github)
        {
            var renamed = await EditAsync(github, "rename-repository", new { name = "rename-repository-newname" });
            var viaOldName = await github.For(Token).GetRepositoryAsync(Org, "rename-repository", default);
            // GitHub answers a write to the old name with 307, which keeps the method and the body.
            var edited = await EditAsync(github, "rename-repository", new { name = "rename-repository-newname", description = "test description" });
            return (JsonText.Str(renamed, "name"), viaOldName?.Name, JsonText.Str(edited, "name"), JsonText.Str(edited, "description"));
        }

        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "rename-repository");
        (await CompareAsync("rename-repository.json", server, Run, expectedRequests: 5))
            .Should().Be(("rename-repository-newname", "rename-repository-newname", "rename-repository-newname", "test description"));
    }

    [ContractFact]
    public async Task Issue_pages_are_followed_alike()
    {
        static async Task<object> Run(GitHubClients github)
        {
            var issues = await github.Http.GetPagesAsync(Token, GitHubPath.Repo(Org, "paginate-issues").Fixed("issues").Query("per_page", "3"), int.MaxValue, default);
            return string.Join(',', issues.Select(i => i.GetProperty("number").GetInt32()));
        }

        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "paginate-issues");
        for (var i = 1; i <= 13; i++)
        {
            server.CreateIssue(Org, "paginate-issues", $"Test issue {i}");
        }

        (await CompareAsync("paginate-issues.json", server, Run, expectedRequests: 5)).Should().Be("13,12,11,10,9,8,7,6,5,4,3,2,1");
    }

    [ContractFact]
    public async Task References_are_listed_created_updated_and_deleted_alike()
    {
        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "git-refs");
        var first = server.BranchSha(Org, "git-refs", "main")!;
        server.Commit(Org, "git-refs", "main", "Second commit");

        // The recording created "test" at ...02 and fast-forwarded it to main (...01); the simulator's pair is
        // main's parent and main. The fast-forward is the gateway's own non-forced branch update.
        async Task<object> Run(GitHubClients github)
        {
            var refs = GitHubPath.Repo(Org, "git-refs").Fixed("git").Fixed("refs");
            var before = await SendAsync(github, HttpMethod.Get, refs);
            var main = JsonText.Str(before[0], "object", "sha")!;
            var parent = main == first ? throw new InvalidOperationException("main did not move") : main.StartsWith("000000", StringComparison.Ordinal) ? "0000000000000000000000000000000000000002" : first;
            var created = await SendAsync(github, HttpMethod.Post, GitHubPath.Repo(Org, "git-refs").Fixed("git").Fixed("refs"), new { @ref = "refs/heads/test", sha = parent });
            await github.For(Token).UpdateBranchAsync(Org, "git-refs", "test", main, default);
            var after = await SendAsync(github, HttpMethod.Get, GitHubPath.Repo(Org, "git-refs").Fixed("git").Fixed("refs"));
            await SendAsync(github, HttpMethod.Delete, GitHubPath.Repo(Org, "git-refs").Fixed("git").Fixed("refs").Fixed("heads").Branch("test"));
            return (JsonText.Str(created, "ref"), JsonText.Str(created, "object", "sha") == parent,
                string.Join(',', after.EnumerateArray().Select(r => JsonText.Str(r, "ref"))), JsonText.Str(after[1], "object", "sha") == main);
        }

        (await CompareAsync("git-refs.json", server, Run, expectedRequests: 5)).Should().Be(("refs/heads/test", true, "refs/heads/main,refs/heads/test", true));
    }

    [ContractFact]
    public async Task Validation_errors_are_raised_alike()
    {
        static async Task<object> Run(GitHubClients github)
        {
            try
            {
                await SendAsync(github, HttpMethod.Post, GitHubPath.Repo(Org, "errors").Fixed("labels"), new { name = "foo", color = "invalid" });
                return "no error";
            }
            catch (GitHubException ex)
            {
                return (ex.Status, ex.Kind, ex.Message, string.Join(';', ex.Details));
            }
        }

        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "errors");
        (await CompareAsync("errors.json", server, Run, expectedRequests: 1))
            .Should().Be(((int?)422, GitHubFailure.Validation, "Validation Failed", "Label color invalid"));
    }

    private static async Task<FakeGitHubServer> SimulatorAsync()
    {
        var server = await FakeGitHubServer.StartAsync();
        server.CreateUser("fixture-user", Token);
        return server;
    }

    /// <summary>Runs the calls against both and returns what the recording answered (the simulator answered the same).</summary>
    private static async Task<object> CompareAsync(string session, FakeGitHubServer server, Func<GitHubClients, Task<object>> run, int expectedRequests)
    {
        foreach (var repo in server.State.ReposOf(server.State.FindAccount(Org)!))
        {
            server.AddCollaborator(Org, repo.Name, "fixture-user", "admin");
        }

        await using var replay = await ReplayServer.StartAsync(ContractData.PathOf("recorded-sessions/" + session));
        using var recordedGitHub = Gateway(replay.BaseUrl);
        using var simulatedGitHub = Gateway(server.BaseUrl);
        var recorded = await run(recordedGitHub);
        var simulated = await run(simulatedGitHub);

        simulated.Should().Be(recorded);
        replay.Answered.Should().Be(expectedRequests, "every recorded exchange is used once");
        server.Requests.Count.Should().Be(expectedRequests, "the gateway makes the same exchanges with the simulator");
        return recorded;
    }

    private static async Task<JsonElement> EditAsync(GitHubClients github, string repo, object body) =>
        await SendAsync(github, HttpMethod.Patch, GitHubPath.Repo(Org, repo), body);

    private static async Task<JsonElement> SendAsync(GitHubClients github, HttpMethod method, GitHubPath path, object? body = null)
    {
        using var response = await github.Http.SendAsync(Token, new GitHubCall(method, path) { Body = body, FollowRedirects = true }, default);
        return response.StatusCode == HttpStatusCode.NoContent ? default : await GitHubHttp.ReadJsonAsync(response, default);
    }

    private static GitHubClients Gateway(Uri baseUrl)
    {
        var options = Options.Create(new GitHubOptions { ApiUrl = baseUrl.ToString(), WebUrl = baseUrl.ToString() });
        return new GitHubClients(options, new RateLimitBudgets(TimeProvider.System, options), new SecondaryLimitPacer(TimeProvider.System, options), TimeProvider.System, new BackstrokeMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
    }
}
