using System.Text.Json;
using System.Text.Json.Nodes;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>The validator itself: it must reject what the contract forbids, or the contract tests prove nothing.</summary>
public sealed class ValidatorTests
{
    [ContractFact]
    public async Task Nullable_fields_accept_null_and_everything_else_is_held_to_its_type()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "maintainer-token");
        var repo = JsonNode.Parse(await http.GetStringAsync("repos/maintainer/project"))!.AsObject();
        var schema = OpenApiContract.Instance.ResponseSchema("GET", "/repos/{owner}/{repo}", 200)!;

        repo["description"] = null;
        var withNullDescription = OpenApiContract.Failures(schema, JsonSerializer.SerializeToElement(repo));
        repo["name"] = null;
        var withNullName = OpenApiContract.Failures(schema, JsonSerializer.SerializeToElement(repo));
        repo["name"] = "project";
        repo.Remove("default_branch");
        var withoutDefaultBranch = OpenApiContract.Failures(schema, JsonSerializer.SerializeToElement(repo));

        withNullDescription.Should().BeNull("description is nullable in the contract");
        withNullName.Should().Contain("/name");
        withoutDefaultBranch.Should().Contain("default_branch");
    }
}
