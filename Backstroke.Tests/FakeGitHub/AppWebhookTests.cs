using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backstroke.Tests.FakeGitHub.Contract;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>
/// The control API's App calls, over HTTP as a script would make them: each delivers its event to the App's webhook,
/// signed with the App's secret, with a payload that holds to the contract's webhook schema.
/// </summary>
public sealed class AppWebhookTests
{
    private const string Secret = "It's a Secret to Everybody";

    [ContractFact]
    public async Task Each_installation_change_is_delivered_signed_and_within_the_contract()
    {
        await using var receiver = await WebhookTests.Receiver.StartAsync();
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("forker", "other");
        using var control = Sim.Http(server);

        using var created = await Sim.SendAsync(control, "POST", "_fake/apps",
            $$$"""{"slug":"backstroke","webhookUrl":"{{{receiver.Url}}}","webhookSecret":"{{{Secret}}}","permissions":{"contents":"write","pull_requests":"write"}}""");
        var app = await Sim.JsonAsync(created);
        var appId = app.GetProperty("id").GetInt64();
        using var installed = await Sim.SendAsync(control, "POST", $"_fake/apps/{appId}/installations", """{"account":"forker","repositories":["forker/project"]}""");
        var id = (await Sim.JsonAsync(installed)).GetProperty("id").GetInt64();
        var installation = await NextAsync(receiver, "installation");
        using var added = await Sim.SendAsync(control, "POST", $"_fake/installations/{id}/repositories", """{"add":["forker/other"]}""");
        var addedEvent = await NextAsync(receiver, "installation_repositories");
        using var removed = await Sim.SendAsync(control, "POST", $"_fake/installations/{id}/repositories", """{"remove":["forker/project"]}""");
        var removedEvent = await NextAsync(receiver, "installation_repositories");
        using var suspend = await Sim.SendAsync(control, "POST", $"_fake/installations/{id}/suspend");
        var suspendEvent = await NextAsync(receiver, "installation");
        using var unsuspend = await Sim.SendAsync(control, "POST", $"_fake/installations/{id}/unsuspend");
        var unsuspendEvent = await NextAsync(receiver, "installation");
        using var deleted = await Sim.SendAsync(control, "DELETE", $"_fake/installations/{id}");
        var deletedEvent = await NextAsync(receiver, "installation");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        app.GetProperty("privateKeyPem").GetString().Should().StartWith("-----BEGIN RSA PRIVATE KEY-----");
        app.GetProperty("clientId").GetString().Should().NotBeNullOrEmpty();
        installed.StatusCode.Should().Be(HttpStatusCode.Created);
        new[] { added, removed }.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        new[] { suspend, unsuspend, deleted }.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.NoContent);

        installation.Action.Should().Be("created");
        installation.Payload.GetProperty("installation").GetProperty("id").GetInt64().Should().Be(id);
        installation.Payload.GetProperty("installation").GetProperty("app_id").GetInt64().Should().Be(appId);
        installation.Payload.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("full_name").GetString()).Should().Equal("forker/project");
        installation.Headers["X-GitHub-Hook-Installation-Target-Type"].Should().Be("integration");
        addedEvent.Action.Should().Be("added");
        addedEvent.Payload.GetProperty("repositories_added").EnumerateArray().Select(r => r.GetProperty("full_name").GetString()).Should().Equal("forker/other");
        removedEvent.Action.Should().Be("removed");
        removedEvent.Payload.GetProperty("repositories_removed").EnumerateArray().Select(r => r.GetProperty("full_name").GetString()).Should().Equal("forker/project");
        suspendEvent.Action.Should().Be("suspend");
        suspendEvent.Payload.GetProperty("installation").GetProperty("suspended_by").GetProperty("login").GetString().Should().Be("forker");
        unsuspendEvent.Action.Should().Be("unsuspend");
        unsuspendEvent.Payload.GetProperty("installation").GetProperty("suspended_at").ValueKind.Should().Be(JsonValueKind.Null);
        deletedEvent.Action.Should().Be("deleted");

        // The contract has no schema for unsuspend: it is held to suspend's, whose shape it shares.
        foreach (var (evt, schema) in new[]
        {
            (installation, "installation-created"), (addedEvent, "installation-repositories-added"), (removedEvent, "installation-repositories-removed"),
            (suspendEvent, "installation-suspend"), (unsuspendEvent, "installation-suspend"), (deletedEvent, "installation-deleted"),
        })
        {
            var payload = evt.Action == "unsuspend" ? JsonDocument.Parse(Encoding.UTF8.GetString(evt.Body).Replace("\"action\":\"unsuspend\"", "\"action\":\"suspend\"", StringComparison.Ordinal)).RootElement : evt.Payload;
            OpenApiContract.Failures(OpenApiContract.Instance.WebhookSchema(schema), payload).Should().BeNull($"the {evt.Action} payload must fit {schema}");
        }
    }

    [Fact]
    public async Task An_installation_without_repositories_covers_the_whole_account()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.CreateRepo("forker", "later");
        using var control = Sim.Http(server);
        using var created = await Sim.SendAsync(control, "POST", "_fake/apps", """{"slug":"everything","permissions":{"contents":"read"}}""");
        var appId = (await Sim.JsonAsync(created)).GetProperty("id").GetInt64();

        using var installed = await Sim.SendAsync(control, "POST", $"_fake/apps/{appId}/installations", """{"account":"forker"}""");
        using var notOwned = await Sim.SendAsync(control, "POST", $"_fake/apps/{appId}/installations", """{"account":"maintainer","repositories":["forker/project"]}""");

        (await Sim.JsonAsync(installed)).GetProperty("repositorySelection").GetString().Should().Be("all");
        var installation = server.State.Apps.FindInstallation((await Sim.JsonAsync(installed)).GetProperty("id").GetInt64())!;
        server.State.Apps.RepositoriesOf(installation).Select(r => r.FullName).Should().BeEquivalentTo(["forker/project", "forker/later"]);
        notOwned.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "an installation covers only its account's repositories");
    }

    private sealed record Event(string Action, JsonElement Payload, byte[] Body, IReadOnlyDictionary<string, string> Headers);

    /// <summary>The next delivery of the event, after checking its signature and GitHub's delivery headers.</summary>
    private static async Task<Event> NextAsync(WebhookTests.Receiver receiver, string evt)
    {
        var delivery = await receiver.NextAsync(evt);
        delivery.Headers["X-Hub-Signature-256"].Should().Be("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), delivery.Body)));
        Guid.TryParse(delivery.Headers["X-GitHub-Delivery"], out _).Should().BeTrue();
        var payload = JsonDocument.Parse(delivery.Body).RootElement;
        return new Event(payload.GetProperty("action").GetString()!, payload, delivery.Body, delivery.Headers);
    }
}
