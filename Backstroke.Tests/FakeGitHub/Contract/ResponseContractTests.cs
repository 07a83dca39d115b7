using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>
/// Every endpoint's answers, successes and refusals alike, hold to openapi-subset.json: the status is one the
/// contract lists, and a JSON body validates against its schema.
/// </summary>
public sealed class ResponseContractTests
{
    private sealed record Call(string Method, string Url, string Template, int Expected, object? Body = null, string Token = "maintainer-token");

    [ContractFact]
    public async Task Every_endpoint_answers_within_the_contract()
    {
        await using var server = await Scenario();
        var hook = server.AddHook("maintainer", "project", "http://127.0.0.1:9/hook", "s3cret");
        var calls = new List<Call>
        {
            new("GET", "repos/maintainer/project", "/repos/{owner}/{repo}", 200),
            new("GET", "repos/forker/project", "/repos/{owner}/{repo}", 200, Token: "forker-token"),
            new("GET", "repos/maintainer/old-name", "/repos/{owner}/{repo}", 301),
            new("GET", "repos/maintainer/nothing", "/repos/{owner}/{repo}", 404),
            new("GET", "repos/maintainer/project/branches", "/repos/{owner}/{repo}/branches", 200),
            new("GET", "repos/maintainer/project/branches/main", "/repos/{owner}/{repo}/branches/{branch}", 200),
            new("GET", "repos/maintainer/project/branches/nope", "/repos/{owner}/{repo}/branches/{branch}", 404),
            new("GET", "repos/maintainer/project/commits", "/repos/{owner}/{repo}/commits", 200),
            new("GET", "repos/maintainer/project/commits/main", "/repos/{owner}/{repo}/commits/{ref}", 200),
            new("GET", "repos/maintainer/project/commits/nope", "/repos/{owner}/{repo}/commits/{ref}", 422),
            new("GET", "repos/forker/project/compare/main...maintainer:main", "/repos/{owner}/{repo}/compare/{basehead}", 200),
            new("GET", "repos/forker/project/compare/main...nope", "/repos/{owner}/{repo}/compare/{basehead}", 404),
            new("GET", "repos/maintainer/project/forks", "/repos/{owner}/{repo}/forks", 200),
            new("POST", "repos/forker/project/pulls", "/repos/{owner}/{repo}/pulls", 201, new { title = "Update", head = "maintainer:main", @base = "main", maintainer_can_modify = false, body = "Hi" }),
            new("POST", "repos/forker/project/pulls", "/repos/{owner}/{repo}/pulls", 422, new { title = "Update", head = "maintainer:main", @base = "main" }),
            new("POST", "repos/forker/project/pulls", "/repos/{owner}/{repo}/pulls", 422, new { title = "Update", head = "forker:main", @base = "main" }),
            new("GET", "repos/forker/project/pulls?state=all", "/repos/{owner}/{repo}/pulls", 200),
            new("GET", "repos/forker/project/pulls/1", "/repos/{owner}/{repo}/pulls/{pull_number}", 200),
            new("PATCH", "repos/forker/project/pulls/1", "/repos/{owner}/{repo}/pulls/{pull_number}", 200, new { body = "Edited" }, "forker-token"),
            new("PUT", "repos/forker/project/pulls/1/merge", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", 200, new { }, "forker-token"),
            new("GET", "repos/forker/project/pulls/99", "/repos/{owner}/{repo}/pulls/{pull_number}", 404),
            new("POST", "repos/third/project/merge-upstream", "/repos/{owner}/{repo}/merge-upstream", 200, new { branch = "main" }, "third-token"),
            new("GET", "repos/maintainer/project/git/ref/heads/main", "/repos/{owner}/{repo}/git/ref/{ref}", 200),
            new("GET", "repos/maintainer/project/git/ref/heads/nope", "/repos/{owner}/{repo}/git/ref/{ref}", 404),
            new("PATCH", "repos/maintainer/project/git/refs/heads/feature", "/repos/{owner}/{repo}/git/refs/{ref}", 422, new { sha = server.BranchSha("forker", "project", "feature") }),
            new("PATCH", "repos/maintainer/project/git/refs/heads/feature", "/repos/{owner}/{repo}/git/refs/{ref}", 200, new { sha = server.BranchSha("maintainer", "project", "main"), force = true }),
            new("GET", "repos/maintainer/project/collaborators/helper", "/repos/{owner}/{repo}/collaborators/{username}", 204),
            new("GET", "repos/maintainer/project/collaborators/forker", "/repos/{owner}/{repo}/collaborators/{username}", 404),
            new("GET", "repos/maintainer/project/collaborators/helper/permission", "/repos/{owner}/{repo}/collaborators/{username}/permission", 200),
            new("GET", "repos/maintainer/project/collaborators/nobody/permission", "/repos/{owner}/{repo}/collaborators/{username}/permission", 404),
            new("GET", "repos/maintainer/project/labels/bug", "/repos/{owner}/{repo}/labels/{name}", 200),
            new("GET", "repos/maintainer/project/labels/nope", "/repos/{owner}/{repo}/labels/{name}", 404),
            new("POST", "repos/maintainer/project/labels", "/repos/{owner}/{repo}/labels", 201, new { name = "backstroke-sync", color = "0e8a16" }),
            new("POST", "repos/maintainer/project/labels", "/repos/{owner}/{repo}/labels", 422, new { name = "backstroke-sync", color = "0e8a16" }),
            new("GET", "repos/maintainer/project/issues?labels=bug", "/repos/{owner}/{repo}/issues", 200),
            new("GET", "repos/forker/project/issues?state=all", "/repos/{owner}/{repo}/issues", 200),
            new("POST", "repos/maintainer/project/issues", "/repos/{owner}/{repo}/issues", 201, new { title = "New", labels = new[] { "optout" } }),
            new("POST", "repos/maintainer/project/issues/1/labels", "/repos/{owner}/{repo}/issues/{issue_number}/labels", 200, new { labels = new[] { "more" } }),
            new("POST", "repos/maintainer/project/issues/1/comments", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201, new { body = "Hello" }),
            new("GET", "repos/maintainer/project/hooks", "/repos/{owner}/{repo}/hooks", 200),
            new("POST", "repos/maintainer/project/hooks", "/repos/{owner}/{repo}/hooks", 201, new { name = "web", active = false, config = new { url = "http://127.0.0.1:9/other", content_type = "json" } }),
            new("DELETE", $"repos/maintainer/project/hooks/{hook.Id}", "/repos/{owner}/{repo}/hooks/{hook_id}", 204),
            new("DELETE", "repos/maintainer/project/hooks/999999", "/repos/{owner}/{repo}/hooks/{hook_id}", 404),
            new("GET", "user", "/user", 200),
            new("GET", "user/repos", "/user/repos", 200),
            new("GET", "users/forker", "/users/{username}", 200),
            new("GET", "users/nobody", "/users/{username}", 404),
            new("GET", "rate_limit", "/rate_limit", 200),
        };

        var failures = new List<string>();
        foreach (var call in calls)
        {
            failures.AddRange(await CheckAsync(server, call));
        }

        failures.Should().BeEmpty();
    }

    private static async Task<IEnumerable<string>> CheckAsync(FakeGitHubServer server, Call call)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("token", call.Token);
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Url);
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body);
        }

        using var response = await http.SendAsync(request);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var where = $"{call.Method} {call.Url}";
        if (status != call.Expected)
        {
            return [$"{where}: expected {call.Expected}, got {status}: {text}"];
        }

        var contract = OpenApiContract.Instance;
        if (!contract.Statuses(call.Method, call.Template).Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            return [$"{where}: status {status} is not in the contract"];
        }

        if (contract.ResponseSchema(call.Method, call.Template, status) is not { } schema || text.Length == 0)
        {
            return [];
        }

        return OpenApiContract.Failures(schema, JsonDocument.Parse(text).RootElement) is { } failure ? [$"{where}:{Environment.NewLine}{failure}"] : [];
    }

    private static async Task<FakeGitHubServer> Scenario()
    {
        var server = await Sim.StartWithForkAsync();
        server.CreateUser("third", "third-token");
        server.CreateUser("helper");
        server.AddCollaborator("maintainer", "project", "helper", "write");
        server.CreateRepo("third", "project", forkOf: "maintainer/project");
        server.CreateRepo("maintainer", "old-name");
        server.RenameRepo("maintainer", "old-name", "new-name");
        server.Commit("maintainer", "project", "main", "Upstream moves");
        server.Commit("maintainer", "project", "feature", "Feature work");
        server.Commit("forker", "project", "feature", "Fork feature");
        server.CreateIssue("maintainer", "project", "A bug", "bug");
        return server;
    }
}
