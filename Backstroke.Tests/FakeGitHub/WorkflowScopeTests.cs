using System.Net;
using System.Net.Http.Json;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>Commits touching .github/workflows/ need the workflow scope to land on a branch, as on GitHub.</summary>
public sealed class WorkflowScopeTests
{
    [Fact]
    public async Task A_ref_update_over_a_workflow_change_is_a_404_without_the_workflow_scope()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var control = Sim.Http(server);
        using var commit = await control.PostAsJsonAsync("_fake/repos/maintainer/project/commits",
            new { branch = "main", message = "CI", paths = new[] { ".github/workflows/ci.yml", "README.md" } });
        var upstream = (await Sim.JsonAsync(commit)).GetProperty("sha").GetString();
        var before = server.BranchSha("forker", "project", "main");
        server.State.AddToken("forker", "forker-workflow-token", ["repo", "workflow"]);

        using var refused = await Sim.SendAsync(Sim.Http(server, "forker-token"), "PATCH", "repos/forker/project/git/refs/heads/main", $$"""{"sha":"{{upstream}}"}""");
        var kept = server.BranchSha("forker", "project", "main");
        using var allowed = await Sim.SendAsync(Sim.Http(server, "forker-workflow-token"), "PATCH", "repos/forker/project/git/refs/heads/main", $$"""{"sha":"{{upstream}}"}""");

        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Sim.JsonAsync(refused)).GetProperty("message").GetString().Should().Be("Not Found");
        kept.Should().Be(before);
        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        server.BranchSha("forker", "project", "main").Should().Be(upstream);
    }

    [Fact]
    public async Task Merge_upstream_over_a_workflow_change_names_the_file_and_the_scope()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "CI", ".github/workflows/build.yml");
        server.Commit("maintainer", "project", "main", "Docs", "docs/index.md");

        using var refused = await Sim.SendAsync(Sim.Http(server, "forker-token"), "POST", "repos/forker/project/merge-upstream", """{"branch":"main"}""");

        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Sim.JsonAsync(refused)).GetProperty("message").GetString().Should()
            .Be("refusing to allow an OAuth App to create or update workflow `.github/workflows/build.yml` without `workflow` scope");
    }

    [Fact]
    public async Task Changes_outside_workflows_need_no_workflow_scope()
    {
        await using var server = await Sim.StartWithForkAsync();
        var upstream = server.Commit("maintainer", "project", "main", "Code", "src/app.cs", ".github/dependabot.yml");

        using var moved = await Sim.SendAsync(Sim.Http(server, "forker-token"), "PATCH", "repos/forker/project/git/refs/heads/main", $$"""{"sha":"{{upstream}}"}""");

        moved.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sign_in_token_carries_exactly_the_scopes_asked_for_so_it_cannot_move_workflows()
    {
        await using var server = await Sim.StartWithForkAsync();
        var upstream = server.Commit("maintainer", "project", "main", "CI", ".github/workflows/ci.yml");
        var token = await Sim.SignInAsync(server, "forker", "repo");
        using var http = Sim.Http(server, token);

        using var me = await http.GetAsync("user");
        using var refused = await Sim.SendAsync(http, "PATCH", "repos/forker/project/git/refs/heads/main", $$"""{"sha":"{{upstream}}"}""");

        me.Headers.GetValues("x-oauth-scopes").Should().Equal("repo");
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
