using System.Text.Json;
using Backstroke.Tests.Support;
using Octokit;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>Webhook payloads the simulator sends and request bodies a client sends hold to the contract's schemas.</summary>
public sealed class PayloadContractTests
{
    [ContractFact]
    public async Task Push_and_ping_deliveries_validate_against_the_webhook_schemas()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server, "maintainer-token");

        // Nothing listens on the discard port: the delivery fails fast but its payload is still recorded.
        var created = await http.PostAsync("repos/maintainer/project/hooks", new StringContent(
            """{"name":"web","active":true,"events":["push"],"config":{"url":"http://127.0.0.1:9/hook","content_type":"json","secret":"s"}}"""));
        created.EnsureSuccessStatusCode();
        server.Commit("maintainer", "project", "main", "First");
        server.Commit("maintainer", "project", "topic", "A new branch");
        server.DeleteBranch("maintainer", "project", "topic");

        var deliveries = await WaitForAsync(() => server.Deliveries.Count >= 4 ? server.Deliveries : null);

        foreach (var delivery in deliveries)
        {
            var schema = OpenApiContract.Instance.WebhookSchema(delivery.Event);
            OpenApiContract.Failures(schema, JsonDocument.Parse(delivery.Payload).RootElement).Should().BeNull($"the {delivery.Event} payload must fit");
        }

        deliveries.Select(d => d.Event).Should().BeEquivalentTo(["ping", "push", "push", "push"]);
    }

    [ContractFact]
    public async Task Repository_deliveries_validate_against_their_webhook_schemas()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateOrg("new-home");
        server.AddHook("maintainer", "project", "http://127.0.0.1:9/hook", null, "repository");
        server.AddHook("forker", "project", "http://127.0.0.1:9/hook", null, "repository");
        server.RenameRepo("maintainer", "project", "renamed");
        server.TransferRepo("maintainer", "renamed", "new-home");
        server.TransferRepo("forker", "project", "maintainer");
        server.DeleteRepo("maintainer", "project");

        var deliveries = await WaitForAsync(() => server.Deliveries.Count >= 4 ? server.Deliveries : null);

        foreach (var delivery in deliveries)
        {
            var payload = JsonDocument.Parse(delivery.Payload).RootElement;
            var schema = OpenApiContract.Instance.WebhookSchema("repository-" + payload.GetProperty("action").GetString());
            OpenApiContract.Failures(schema, payload).Should().BeNull($"the repository {payload.GetProperty("action")} payload must fit");
        }

        deliveries.Select(d => JsonDocument.Parse(d.Payload).RootElement.GetProperty("action").GetString())
            .Should().BeEquivalentTo(["renamed", "transferred", "transferred", "deleted"]);
    }

    [ContractFact]
    public async Task Request_bodies_a_client_sends_can_be_held_to_the_contract()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.Commit("maintainer", "project", "main", "Upstream moves");
        var github = Sim.Octokit(server, "forker-token");
        await github.PullRequest.Create("forker", "project", new NewPullRequest("Update from upstream", "maintainer:main", "main") { MaintainerCanModify = false, Body = "Body" });

        var sent = server.Requests.Single(r => r.Method == "POST").Body!;
        var schema = OpenApiContract.Instance.RequestSchema("POST", "/repos/{owner}/{repo}/pulls");

        OpenApiContract.Failures(schema, JsonDocument.Parse(sent).RootElement).Should().BeNull();
        OpenApiContract.Failures(schema, JsonDocument.Parse("""{"title": 5}""").RootElement).Should().NotBeNull("a wrong body must be caught");
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The deliveries did not arrive within 10 seconds.");
            }

            await Task.Delay(20);
        }
    }
}
