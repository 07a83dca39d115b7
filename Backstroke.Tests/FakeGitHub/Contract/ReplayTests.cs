using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;
using Octokit;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>
/// The same Octokit calls against a replay of a real GitHub session and against the simulator behave alike:
/// redirects followed, pages followed, references updated and validation errors raised with GitHub's words.
/// </summary>
public sealed class ReplayTests
{
    private const string Org = "octokit-fixture-org";
    private const string Token = "0000000000000000000000000000000000000001";

    [ContractFact]
    public async Task Renamed_repository_redirects_are_followed_alike()
    {
        static async Task<object> Run(GitHubClient github)
        {
            var renamed = await github.Repository.Edit(Org, "rename-repository", new RepositoryUpdate { Name = "rename-repository-newname" });
            var viaOldName = await github.Repository.Get(Org, "rename-repository");
            var edited = await github.Repository.Edit(Org, "rename-repository", new RepositoryUpdate { Name = "rename-repository-newname", Description = "test description" });
            return (renamed.Name, viaOldName.FullName, edited.Name, edited.Description);
        }

        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "rename-repository");
        await CompareAsync("rename-repository.json", server, Run, expectedRequests: 5);
    }

    [ContractFact]
    public async Task Issue_pages_are_followed_alike()
    {
        static async Task<object> Run(GitHubClient github) =>
            string.Join(',', (await github.Issue.GetAllForRepository(Org, "paginate-issues", new ApiOptions { PageSize = 3 })).Select(i => i.Number));

        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "paginate-issues");
        for (var i = 1; i <= 13; i++)
        {
            server.CreateIssue(Org, "paginate-issues", $"Test issue {i}");
        }

        await CompareAsync("paginate-issues.json", server, Run, expectedRequests: 5);
    }

    [ContractFact]
    public async Task References_are_listed_created_updated_and_deleted_alike()
    {
        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "git-refs");
        var first = server.BranchSha(Org, "git-refs", "main")!;
        server.Commit(Org, "git-refs", "main", "Second commit");

        // The recording created "test" at ...02 and fast-forwarded it to main (...01); the simulator's pair is
        // main's parent and main.
        async Task<object> Run(GitHubClient github)
        {
            var before = await github.Git.Reference.GetAll(Org, "git-refs");
            var main = before.Single().Object.Sha;
            var parent = main == first ? throw new InvalidOperationException("main did not move") : main.StartsWith("000000", StringComparison.Ordinal) ? "0000000000000000000000000000000000000002" : first;
            var created = await github.Git.Reference.Create(Org, "git-refs", new NewReference("refs/heads/test", parent));
            var updated = await github.Git.Reference.Update(Org, "git-refs", "heads/test", new ReferenceUpdate(main));
            var after = await github.Git.Reference.GetAll(Org, "git-refs");
            await github.Git.Reference.Delete(Org, "git-refs", "heads/test");
            return (created.Ref, created.Object.Sha == parent, updated.Object.Sha == main, string.Join(',', after.Select(r => r.Ref)));
        }

        await CompareAsync("git-refs.json", server, Run, expectedRequests: 5);
    }

    [ContractFact]
    public async Task Validation_errors_are_raised_alike()
    {
        static async Task<object> Run(GitHubClient github)
        {
            try
            {
                await github.Connection.Post<Label>(new Uri($"repos/{Org}/errors/labels", UriKind.Relative), new { name = "foo", color = "invalid" }, "application/vnd.github.v3+json", "application/json");
                return "no error";
            }
            catch (ApiValidationException ex)
            {
                var error = ex.ApiError.Errors.Single();
                return (ex.StatusCode, ex.ApiError.Message, error.Resource, error.Code, error.Field);
            }
        }

        await using var server = await SimulatorAsync();
        server.CreateRepo(Org, "errors");
        await CompareAsync("errors.json", server, Run, expectedRequests: 1);
    }

    private static async Task<FakeGitHubServer> SimulatorAsync()
    {
        var server = await FakeGitHubServer.StartAsync();
        server.CreateUser("fixture-user", Token);
        return server;
    }

    private static async Task CompareAsync(string session, FakeGitHubServer server, Func<GitHubClient, Task<object>> run, int expectedRequests)
    {
        foreach (var repo in server.State.ReposOf(server.State.FindAccount(Org)!))
        {
            server.AddCollaborator(Org, repo.Name, "fixture-user", "admin");
        }

        await using var replay = await ReplayServer.StartAsync(ContractData.PathOf("recorded-sessions/" + session));
        var recorded = await run(Client(replay.BaseUrl));
        var simulated = await run(Client(server.BaseUrl));

        simulated.Should().Be(recorded);
        replay.Answered.Should().Be(expectedRequests, "every recorded exchange is used once");
        server.Requests.Count.Should().Be(expectedRequests, "the client makes the same exchanges with the simulator");
    }

    private static GitHubClient Client(Uri baseUrl) =>
        new(new Connection(new Octokit.ProductHeaderValue("backstroke-replay"), baseUrl, new Octokit.Internal.InMemoryCredentialStore(new Credentials(Token))));
}
