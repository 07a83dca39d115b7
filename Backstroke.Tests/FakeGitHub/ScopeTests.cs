using System.Net;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>OAuth scopes limit what a token may do, and the repository tells the caller its own permissions.</summary>
public sealed class ScopeTests
{
    [Fact]
    public async Task A_write_without_a_repository_scope_is_a_404_naming_the_accepted_scopes()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.State.AddToken("forker", "no-scope", []);
        server.State.AddToken("forker", "public-only", ["public_repo"]);

        using var refused = await Sim.SendAsync(Sim.Http(server, "no-scope"), "POST", "repos/forker/project/labels", """{"name":"a"}""");
        using var read = await Sim.Http(server, "no-scope").GetAsync("repos/forker/project");
        using var publicWrite = await Sim.SendAsync(Sim.Http(server, "public-only"), "POST", "repos/forker/project/labels", """{"name":"b"}""");

        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        refused.Headers.GetValues("x-accepted-oauth-scopes").Should().Equal("public_repo, repo");
        read.StatusCode.Should().Be(HttpStatusCode.OK, "public information needs no scope");
        publicWrite.StatusCode.Should().Be(HttpStatusCode.Created, "public_repo is enough for a public repository");
    }

    [Fact]
    public async Task Hooks_need_a_hook_scope_or_a_repository_scope()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.State.AddToken("maintainer", "hooks-only", ["admin:repo_hook"]);
        server.State.AddToken("maintainer", "org-only", ["read:org"]);
        const string Hook = """{"name":"web","config":{"url":"http://127.0.0.1:9/h"}}""";

        using var created = await Sim.SendAsync(Sim.Http(server, "hooks-only"), "POST", "repos/maintainer/project/hooks", Hook);
        using var labelRefused = await Sim.SendAsync(Sim.Http(server, "hooks-only"), "POST", "repos/maintainer/project/labels", """{"name":"a"}""");
        using var listRefused = await Sim.Http(server, "org-only").GetAsync("repos/maintainer/project/hooks");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        labelRefused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        listRefused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        listRefused.Headers.GetValues("x-accepted-oauth-scopes").Single().Should().Contain("admin:repo_hook").And.Contain("repo");
    }

    [Fact]
    public async Task The_collaborator_check_needs_push_access()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateUser("helper", "helper-token");
        server.AddCollaborator("maintainer", "project", "helper", "write");

        using var readOnly = await Sim.Http(server, "forker-token").GetAsync("repos/maintainer/project/collaborators/helper");
        using var pusher = await Sim.Http(server, "helper-token").GetAsync("repos/maintainer/project/collaborators/helper");

        readOnly.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Sim.JsonAsync(readOnly)).GetProperty("message").GetString().Should().Be("Must have push access to view repository collaborators.");
        pusher.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task The_repository_carries_the_callers_own_permissions()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateUser("helper", "helper-token");
        server.AddCollaborator("maintainer", "project", "helper", "write");

        var owner = (await Sim.JsonAsync(await Sim.Http(server, "maintainer-token").GetAsync("repos/maintainer/project"))).GetProperty("permissions");
        var writer = (await Sim.JsonAsync(await Sim.Http(server, "helper-token").GetAsync("repos/maintainer/project"))).GetProperty("permissions");
        var reader = (await Sim.JsonAsync(await Sim.Http(server, "forker-token").GetAsync("repos/maintainer/project"))).GetProperty("permissions");

        (owner.GetProperty("admin").GetBoolean(), owner.GetProperty("push").GetBoolean()).Should().Be((true, true));
        (writer.GetProperty("admin").GetBoolean(), writer.GetProperty("push").GetBoolean(), writer.GetProperty("pull").GetBoolean()).Should().Be((false, true, true));
        (reader.GetProperty("push").GetBoolean(), reader.GetProperty("pull").GetBoolean()).Should().Be((false, true));
    }
}
