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
    /// <param name="Omitted">
    /// A status GitHub really sends that its description does not list for the operation (the source is cited where
    /// the call is made); its body is held to basic-error instead.
    /// </param>
    private sealed record Call(string Method, string Url, string Template, int Expected, object? Body = null, string Token = "maintainer-token", bool Omitted = false);

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

    [ContractFact]
    public async Task The_answers_for_github_s_harder_cases_hold_to_the_contract()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateUser("reader", "reader-token");
        server.CreateRepo("maintainer", "project-fork", forkOf: "maintainer/project");
        server.CreateRepo("other", "project", forkOf: "maintainer/project");
        server.CreateRepo("maintainer", "unrelated");
        server.CreateRepo("unrelated-fork", "unrelated", forkOf: "maintainer/unrelated");
        server.CreateRepo("maintainer", "slow");
        server.CreateRepo("forker", "slow", forkOf: "maintainer/slow");
        server.Commit("maintainer", "slow", "main", "Moves");
        server.Orphan("maintainer", "unrelated", "main", "Start over");
        server.BlockRepo("other", "project", 451);
        server.CreateRepo("maintainer", "tos");
        server.BlockRepo("maintainer", "tos", 403);
        server.Commit("maintainer", "project", "main", "CI", ".github/workflows/ci.yml");
        lock (server.State.Gate)
        {
            server.State.FindRepo("forker", "slow")!.SlowDiff = true;
        }

        for (var i = 0; i < 3; i++)
        {
            server.CreateIssue("maintainer", "project", "Issue " + i);
        }

        var id = server.State.FindRepo("maintainer", "project")!.Id;
        var upstream = server.BranchSha("maintainer", "project", "main");
        var calls = new List<Call>
        {
            // 451 for DMCA takedowns (ossf/allstar issue 36, github/rest-api-description issue 3314): not in the description.
            new("GET", "repos/other/project", "/repos/{owner}/{repo}", 451, Omitted: true),
            new("GET", "repos/maintainer/tos", "/repos/{owner}/{repo}", 403),
            new("GET", "repos/maintainer/project/forks", "/repos/{owner}/{repo}/forks", 200),
            new("GET", "repos/unrelated-fork/unrelated/compare/main...maintainer:main", "/repos/{owner}/{repo}/compare/{basehead}", 404, Token: "forker-token"),
            new("GET", "repos/forker/slow/compare/main...maintainer:main", "/repos/{owner}/{repo}/compare/{basehead}", 500, Token: "forker-token"),
            new("POST", "repos/unrelated-fork/unrelated/pulls", "/repos/{owner}/{repo}/pulls", 422, new { title = "Update", head = "maintainer:main", @base = "main" }, "forker-token"),
            new("POST", "repos/maintainer/project-fork/pulls", "/repos/{owner}/{repo}/pulls", 201, new { title = "Update", head = "maintainer:main", head_repo = "maintainer/project", @base = "main" }),
            new("POST", "repos/forker/project/issues", "/repos/{owner}/{repo}/issues", 410, new { title = "Hello" }, "forker-token"),
            new("GET", "repos/maintainer/project-fork/issues?state=all", "/repos/{owner}/{repo}/issues", 200),
            new("GET", $"repositories/{id}/issues?per_page=2&page=2", "/repos/{owner}/{repo}/issues", 200),

            // The workflow-scope refusal of a ref update is a 404 (cli/cli issues 7574 and 7612): not in the description.
            new("PATCH", "repos/forker/project/git/refs/heads/main", "/repos/{owner}/{repo}/git/refs/{ref}", 404, new { sha = upstream }, "forker-token", Omitted: true),
            new("POST", "repos/forker/project/merge-upstream", "/repos/{owner}/{repo}/merge-upstream", 422, new { branch = "main" }, "forker-token"),

            // "Must have push access to view repository collaborators." is a 403 the description does not list.
            new("GET", "repos/maintainer/project/collaborators/forker", "/repos/{owner}/{repo}/collaborators/{username}", 403, Token: "reader-token", Omitted: true),
            new("POST", "repos/maintainer/project/hooks", "/repos/{owner}/{repo}/hooks", 201, new { name = "web", config = new { url = "http://127.0.0.1:9/form" } }),
            new("POST", "repos/maintainer/project/labels", "/repos/{owner}/{repo}/labels", 404, new { name = "x" }, "reader-token"),
        };

        var failures = new List<string>();
        foreach (var call in calls)
        {
            failures.AddRange(await CheckAsync(server, call));
        }

        failures.Should().BeEmpty();
    }

    [ContractFact]
    public async Task Secondary_limit_answers_hold_to_the_contract()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.State.Secondary.ContentPerMinute = 1;
        server.State.Secondary.ContentPerHour = 2;
        using var http = Sim.Http(server, "maintainer-token");
        (await Sim.SendAsync(http, "POST", "repos/maintainer/project/issues", """{"title":"One"}""")).StatusCode.Should().Be(System.Net.HttpStatusCode.Created);

        // 429 for a secondary limit ("Rate limits for the REST API": "403 or 429"); the description lists 403 only.
        var failures = await CheckAsync(server, new("POST", "repos/maintainer/project/issues", "/repos/{owner}/{repo}/issues", 429, new { title = "Two" }, Omitted: true));

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
        var listed = contract.Statuses(call.Method, call.Template).Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (call.Omitted)
        {
            return listed
                ? [$"{where}: status {status} is in the contract now; drop Omitted"]
                : OpenApiContract.Failures(contract.ComponentSchema("basic-error"), JsonDocument.Parse(text).RootElement) is { } error ? [$"{where}:{Environment.NewLine}{error}"] : [];
        }

        if (!listed)
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
